/* outreach-job-window-actions.c — the job window's actions and when they apply
 *
 * Each action goes through outreach_job_actions_run() (the confirmation,
 * the core's job control, the toast); update_actions() enables only what
 * the job's status allows, as the core's transition table does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-window"

#include "config.h"

#include "outreach-job-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "outreach-job-actions.h"
#include "outreach-job-control.h"
#include "outreach-job-export.h"

static void
job_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (widget);
  OutreachJobAction action;

  if (!outreach_job_action_from_name (action_name + strlen ("job."), &action))
    g_return_if_reached ();
  outreach_job_actions_run (widget, self->store, action, &self->job_id, 1);
}

static void
toggle_pause_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (widget);
  OutreachJobStatus status = outreach_job_query_item_get_data (self->row)->status;

  if (status == OUTREACH_JOB_STATUS_RUNNING || status == OUTREACH_JOB_STATUS_QUEUED)
    outreach_job_actions_run (widget, self->store, OUTREACH_JOB_ACTION_PAUSE, &self->job_id, 1);
  else if (status == OUTREACH_JOB_STATUS_PAUSED || status == OUTREACH_JOB_STATUS_FAILED)
    outreach_job_actions_run (widget, self->store, OUTREACH_JOB_ACTION_RESUME, &self->job_id, 1);
}

/* ---- Change account ---- */

static GtkStringList *
account_names (OutreachStore *store,
               GArray        *ids)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  sqlite3_stmt *stmt = outreach_store_prepare (store,
                                               "SELECT id, name FROM accounts ORDER BY name", NULL);

  if (stmt == NULL)
    return names;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
      gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return names;
}

static void
change_account_response_cb (AdwMessageDialog  *dialog,
                            const char        *response,
                            OutreachJobWindow *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  GArray *ids = g_object_get_data (G_OBJECT (dialog), "account-ids");
  g_autoptr (GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (dropdown);
  AdwToast *toast;

  if (g_strcmp0 (response, "change") != 0 || selected >= ids->len)
    return;

  if (outreach_job_change_account (self->store, self->job_id, g_array_index (ids, gint64, selected),
                                   &error))
    {
      g_autofree char *title = g_strdup_printf (
        _("Account changed to %s"),
        gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (dropdown))));
      toast = adw_toast_new (title);
      self->message_loaded = FALSE;
    }
  else
    toast = adw_toast_new (error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  outreach_job_query_watch_poke (outreach_job_query_watch_get_for_store (self->store));
}

static void
change_account_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (widget);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GtkStringList) names = account_names (self->store, ids);
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  AdwMessageDialog *dialog;

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == d->account_id)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Account"), -1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Change Account"),
                                                       _("The recipients not sent to yet will "
                                                         "be sent through this account.")));
  adw_message_dialog_set_extra_child (dialog, dropdown);
  adw_message_dialog_add_responses (dialog, "close", _("_Cancel"), "change", _("C_hange"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "change", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "change");
  g_object_set_data_full (G_OBJECT (dialog), "account-ids", ids, (GDestroyNotify) g_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (change_account_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Export results ---- */

typedef struct
{
  char *db_path;
  char *path;
  gint64 job_id;
} ExportQuery;

static void
export_query_free (ExportQuery *query)
{
  g_free (query->db_path);
  g_free (query->path);
  g_free (query);
}

/* In a thread, with its own connection: a million rows take a while. */
static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportQuery *query = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (query->db_path, &error);

  if (store == NULL || !outreach_job_export (store, query->job_id, query->path, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (source);
  ExportQuery *query = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_path_get_basename (query->path);
      title = g_strdup_printf (_("Results exported to %s"), name);
    }
  else
    title = g_strdup (error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
export_response_cb (GtkNativeDialog   *chooser,
                    int                response,
                    OutreachJobWindow *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GTask) task = NULL;
  g_autofree char *path = NULL;
  ExportQuery *query;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;

  /* The file's ending chooses the format; CSV when it has neither. */
  if (!g_str_has_suffix (path, ".csv") && !g_str_has_suffix (path, ".zip"))
    {
      char *with_suffix = g_strconcat (path, ".csv", NULL);
      g_free (path);
      path = with_suffix;
    }

  query = g_new0 (ExportQuery, 1);
  query->db_path = g_strdup (outreach_store_get_path (self->store));
  query->path = g_steal_pointer (&path);
  query->job_id = self->job_id;
  task = g_task_new (self, NULL, export_done_cb, NULL);
  g_task_set_task_data (task, query, (GDestroyNotify) export_query_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) zip = gtk_file_filter_new ();
  g_autofree char *suggested = g_strdup_printf ("%s.csv",
                                                outreach_job_query_item_get_data (self->row)->name);

  chooser = gtk_file_chooser_native_new (_("Export Results"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV: one row per recipient"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (zip, _("ZIP: the results with every message sent"));
  gtk_file_filter_add_suffix (zip, "zip");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), zip);
  g_strdelimit (suggested, "/", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Enabled or not ---- */

void
outreach_job_window_update_actions (OutreachJobWindow *self)
{
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  OutreachJobStatus s = d->status;
  gboolean finished = outreach_job_status_is_finished (s);
  gboolean pausable = s == OUTREACH_JOB_STATUS_RUNNING || s == OUTREACH_JOB_STATUS_QUEUED;
  gboolean resumable = s == OUTREACH_JOB_STATUS_PAUSED || s == OUTREACH_JOB_STATUS_FAILED;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "job.pause", pausable);
  gtk_widget_action_set_enabled (widget, "job.resume", resumable);
  gtk_widget_action_set_enabled (widget, "job.toggle-pause", pausable || resumable);
  gtk_widget_action_set_enabled (widget, "job.cancel", outreach_job_status_is_active (s) ||
                                                       s == OUTREACH_JOB_STATUS_FAILED);
  gtk_widget_action_set_enabled (widget, "job.retry-failed", finished && d->failed > 0);
  gtk_widget_action_set_enabled (widget, "job.retry-uncertain", finished && d->uncertain > 0);
  gtk_widget_action_set_enabled (widget, "job.retry-all",
                                 finished && d->failed + d->uncertain + d->cancelled > 0);
  gtk_widget_action_set_enabled (widget, "job.mark-complete", resumable);
  gtk_widget_action_set_enabled (widget, "job.change-account",
                                 s != OUTREACH_JOB_STATUS_RUNNING && !finished);
  gtk_widget_action_set_enabled (widget, "job.delete", s != OUTREACH_JOB_STATUS_RUNNING);
  gtk_widget_action_set_enabled (widget, "job.duplicate", TRUE);
  gtk_widget_action_set_enabled (widget, "job.export", d->total > 0);

  gtk_button_set_icon_name (self->pause_button, pausable ? "media-playback-pause-symbolic"
                                                         : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               pausable ? _("Pause (Space)") : _("Resume (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pausable ? _("Pause") : _("Resume"), -1);
}

void
outreach_job_window_install_actions (GtkWidgetClass *widget_class)
{
  static const char *const simple[] = {
    "job.pause", "job.resume", "job.cancel", "job.retry-failed", "job.retry-uncertain",
    "job.retry-all", "job.duplicate", "job.mark-complete", "job.delete",
  };

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    gtk_widget_class_install_action (widget_class, simple[i], NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "job.toggle-pause", NULL, toggle_pause_cb);
  gtk_widget_class_install_action (widget_class, "job.change-account", NULL, change_account_cb);
  gtk_widget_class_install_action (widget_class, "job.export", NULL, export_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "job.toggle-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "job.delete", NULL);
}
