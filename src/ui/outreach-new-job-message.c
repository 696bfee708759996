/* outreach-new-job-message.c — wizard step 3: the message, checked against the chosen donors
 *
 * The editing, the "Insert field" menu and the live preview are the
 * template editor the Templates page uses. This step adds what a job
 * needs: start from a saved template, save as one, and the check list —
 * the message checked against exactly the donors chosen in step 1
 * (unknown fields block Next; empty fields and a missing unsubscribe link
 * warn). The check runs in a thread on a connection of the step's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-message.h"

#include <glib/gi18n.h>

#include "outreach-new-job-recipients.h"
#include "outreach-template-editor.h"
#include "outreach-template-library.h"

#define CHECK_DELAY_MS 300

struct _OutreachNewJobMessage
{
  OutreachNewJobStep parent_instance;

  gboolean loading;
  GArray *template_ids;    /* gint64; position 0 is "New message" (0) */
  OutreachStore *worker_store;
  GCancellable *cancellable;
  guint check_id;
  gboolean checking;
  gboolean check_dirty;
  OutreachTemplateCheckReport *report;
  char *check_error;

  GtkDropDown *template_dropdown;
  GtkButton *save_button;
  OutreachTemplateEditor *editor;
  GtkListBox *check_list;
};

G_DEFINE_FINAL_TYPE (OutreachNewJobMessage, outreach_new_job_message, OUTREACH_TYPE_NEW_JOB_STEP)

typedef struct
{
  OutreachStore *store;
  OutreachDonorSelection *selection;
  char *subject;
  char *text;
  char *html;
  gboolean bulk_email;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->store);
  outreach_donor_selection_free (data->selection);
  g_free (data->subject);
  g_free (data->text);
  g_free (data->html);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *fill = NULL;
  OutreachTemplateCheckReport *report;
  sqlite3_stmt *stmt;

  /* The chosen donors, as a table the check's condition can name. */
  if (!outreach_store_exec (data->store,
                            "CREATE TEMP TABLE IF NOT EXISTS outreach_check_ids (id INTEGER PRIMARY KEY);"
                            "DELETE FROM temp.outreach_check_ids;",
                            &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fill = g_strconcat ("INSERT INTO temp.outreach_check_ids SELECT d.id FROM main.donors d WHERE ",
                      outreach_donor_selection_selected_sql (), NULL);
  stmt = outreach_store_prepare (data->store, fill, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  outreach_donor_selection_bind (data->selection, stmt);
  if (!outreach_store_step_done (data->store, stmt, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report = outreach_template_check (data->store, data->subject, data->text, data->html,
                                    "donors.id IN (SELECT id FROM temp.outreach_check_ids)", NULL,
                                    data->bulk_email, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) outreach_template_check_report_free);
}

static void
add_check_row (OutreachNewJobMessage *self,
               const char            *icon,
               const char            *css,
               const char            *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (image, css);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_append (self->check_list, box);
}

static void
show_report (OutreachNewJobMessage *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->check_list))) != NULL)
    gtk_list_box_remove (self->check_list, row);

  if (self->check_error != NULL)
    {
      add_check_row (self, "dialog-error-symbolic", "error", self->check_error);
      return;
    }
  if (self->report == NULL)
    {
      add_check_row (self, "content-loading-symbolic", "dim-label",
                     _("Checking the message against the chosen donors…"));
      return;
    }
  for (guint i = 0; i < self->report->issues->len; i++)
    {
      OutreachTemplateIssue *issue = self->report->issues->pdata[i];

      add_check_row (self, issue->is_error ? "dialog-error-symbolic" : "dialog-warning-symbolic",
                     issue->is_error ? "error" : "warning", issue->message);
    }
  if (self->report->issues->len == 0)
    {
      g_autofree char *ok = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Every field is known and filled in for the %"
                                                          G_GINT64_FORMAT " chosen donor",
                                                          "Every field is known and filled in for all %"
                                                          G_GINT64_FORMAT " chosen donors",
                                                          self->report->n_donors),
                                             self->report->n_donors);
      add_check_row (self, "emblem-ok-symbolic", "success", ok);
    }
}

static void start_check (OutreachNewJobMessage *self);

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OutreachNewJobMessage *self = OUTREACH_NEW_JOB_MESSAGE (source);
  g_autoptr (GError) error = NULL;
  OutreachTemplateCheckReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  g_clear_pointer (&self->report, outreach_template_check_report_free);
  g_clear_pointer (&self->check_error, g_free);
  if (self->check_dirty)
    {
      /* The message changed while this check ran: its report is stale. */
      g_clear_pointer (&report, outreach_template_check_report_free);
      start_check (self);
      return;
    }
  if (report != NULL)
    self->report = report;
  else
    self->check_error = g_strdup (error->message);

  show_report (self);
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static void
start_check (OutreachNewJobMessage *self)
{
  OutreachNewJobStep *step = OUTREACH_NEW_JOB_STEP (self);
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);
  OutreachStore *store = outreach_new_job_step_get_store (step);
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  CheckData *data;

  if (self->checking || draft == NULL)
    return;
  if (self->worker_store == NULL &&
      (self->worker_store = outreach_store_reopen (store, &error)) == NULL)
    {
      g_free (self->check_error);
      self->check_error = g_strdup (error->message);
      show_report (self);
      return;
    }

  data = g_new0 (CheckData, 1);
  data->store = g_object_ref (self->worker_store);
  data->selection = outreach_donor_selection_copy (draft->selection);
  data->subject = g_strdup (draft->subject);
  data->text = g_strdup (draft->text);
  data->html = g_strdup (draft->html);
  data->bulk_email = !outreach_new_job_draft_by_phone (store, draft);
  self->check_dirty = FALSE;
  self->checking = TRUE;

  task = g_task_new (self, self->cancellable, check_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  OutreachNewJobMessage *self = user_data;

  self->check_id = 0;
  start_check (self);
  return G_SOURCE_REMOVE;
}

static void
queue_check (OutreachNewJobMessage *self)
{
  self->check_dirty = TRUE;
  if (self->report != NULL || self->check_error != NULL)
    {
      g_clear_pointer (&self->report, outreach_template_check_report_free);
      g_clear_pointer (&self->check_error, g_free);
      show_report (self);
    }
  if (self->checking)
    return;
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_timeout_cb, self);
}

static void
read_editor (OutreachNewJobMessage *self,
             OutreachJobDraft      *draft)
{
  g_free (draft->subject);
  draft->subject = outreach_template_editor_get_subject (self->editor);
  g_free (draft->text);
  draft->text = outreach_template_editor_get_text_body (self->editor);
  g_free (draft->html);
  draft->html = outreach_template_editor_get_html_body (self->editor);
}

static void
editor_changed_cb (OutreachNewJobMessage *self)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (OUTREACH_NEW_JOB_STEP (self));

  if (self->loading || draft == NULL)
    return;
  read_editor (self, draft);
  queue_check (self);
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static void
template_chosen_cb (OutreachNewJobMessage *self)
{
  OutreachNewJobStep *step = OUTREACH_NEW_JOB_STEP (self);
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);
  guint selected = gtk_drop_down_get_selected (self->template_dropdown);
  g_autoptr (OutreachSavedTemplate) saved = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  if (self->loading || draft == NULL || selected >= self->template_ids->len)
    return;
  id = g_array_index (self->template_ids, gint64, selected);
  draft->template_id = id;
  if (id == 0)
    return;
  saved = outreach_template_library_get_by_id (outreach_new_job_step_get_store (step), id, &error);
  if (saved == NULL)
    {
      g_free (self->check_error);
      self->check_error = g_strdup (error->message);
      show_report (self);
      return;
    }
  self->loading = TRUE;
  outreach_template_editor_set_message (self->editor, saved->subject, saved->text_body,
                                        saved->html_body);
  self->loading = FALSE;
  read_editor (self, draft);
  queue_check (self);
  outreach_new_job_step_changed (step);
}

static void
load_templates (OutreachNewJobMessage *self,
                OutreachJobDraft      *draft)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) saved = outreach_template_library_list (outreach_new_job_step_get_store (OUTREACH_NEW_JOB_STEP (self)), NULL);
  gint64 none = 0;
  guint selected = 0;

  g_array_set_size (self->template_ids, 0);
  g_array_append_val (self->template_ids, none);
  gtk_string_list_append (names, _("New message"));
  for (guint i = 0; saved != NULL && i < saved->len; i++)
    {
      OutreachSavedTemplate *t = saved->pdata[i];

      g_array_append_val (self->template_ids, t->id);
      gtk_string_list_append (names, t->name);
      if (t->id == draft->template_id)
        selected = self->template_ids->len - 1;
    }
  gtk_drop_down_set_model (self->template_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->template_dropdown, selected);
}

gboolean
outreach_new_job_message_save_as_template (OutreachNewJobMessage *self,
                                           const char            *name,
                                           GError               **error)
{
  OutreachNewJobStep *step;
  OutreachJobDraft *draft;
  gint64 id;

  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_MESSAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  step = OUTREACH_NEW_JOB_STEP (self);
  draft = outreach_new_job_step_get_draft (step);
  id = outreach_template_library_save (outreach_new_job_step_get_store (step), 0, name,
                                       draft->subject, draft->text, draft->html, error);
  if (id == 0)
    return FALSE;
  draft->template_id = id;
  self->loading = TRUE;
  load_templates (self, draft);
  self->loading = FALSE;
  outreach_new_job_step_changed (step);
  return TRUE;
}

static void
save_response_cb (AdwMessageDialog      *dialog,
                  const char            *response,
                  OutreachNewJobMessage *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  AdwMessageDialog *failed;

  if (g_strcmp0 (response, "save") != 0)
    return;
  if (outreach_new_job_message_save_as_template (self, name, &error))
    return;

  text = g_strdup_printf (_("The template was not saved: %s"), error->message);
  failed = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), _("Not Saved"), text));
  adw_message_dialog_add_response (failed, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (failed));
}

static void
save_as_template_cb (OutreachNewJobMessage *self)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (OUTREACH_NEW_JOB_STEP (self));
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), draft->name != NULL ? draft->name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Template name"), -1);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), _("Save as Template"),
                                                       _("Saved templates can start other jobs "
                                                         "and be used as partials.")));
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
outreach_new_job_message_load (OutreachNewJobStep *step,
                               OutreachJobDraft   *draft)
{
  OutreachNewJobMessage *self = OUTREACH_NEW_JOB_MESSAGE (step);

  self->loading = TRUE;
  outreach_template_editor_set_store (self->editor, outreach_new_job_step_get_store (step));
  outreach_template_editor_set_job_name (self->editor, draft->name);
  outreach_template_editor_set_message (self->editor, draft->subject, draft->text, draft->html);
  /* Previous / next go through the chosen donors only. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GArray) ids = outreach_job_draft_dup_selected_ids (draft,
                                                                  outreach_new_job_step_get_store (step),
                                                                  &error);

    if (ids == NULL)
      g_warning ("The preview cannot step through the chosen donors: %s", error->message);
    else
      outreach_template_editor_set_preview_donors (self->editor, ids);
  }
  load_templates (self, draft);
  self->loading = FALSE;
  /* The recipients may have changed since the last check. */
  queue_check (self);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static char *
outreach_new_job_message_dup_blocker (OutreachNewJobStep *step)
{
  OutreachNewJobMessage *self = OUTREACH_NEW_JOB_MESSAGE (step);
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);

  if (is_blank (draft->subject))
    return g_strdup (_("Write a subject for the message"));
  if (draft->text == NULL || *draft->text == '\0')
    return g_strdup (_("Write the text of the message"));
  if (!outreach_template_editor_get_valid (self->editor))
    return g_strdup_printf (_("Fix the message first: %s"),
                            outreach_template_editor_get_error (self->editor));
  if (self->checking || self->check_dirty)
    return g_strdup (_("Checking the message against the chosen donors…"));
  if (self->check_error != NULL)
    return g_strdup (self->check_error);
  if (self->report == NULL)
    return g_strdup (_("Checking the message against the chosen donors…"));
  for (guint i = 0; i < self->report->issues->len; i++)
    {
      OutreachTemplateIssue *issue = self->report->issues->pdata[i];

      if (issue->is_error)
        return g_strdup_printf (_("Fix the message first: %s"), issue->message);
    }
  return NULL;
}

static void
outreach_new_job_message_dispose (GObject *object)
{
  OutreachNewJobMessage *self = OUTREACH_NEW_JOB_MESSAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_NEW_JOB_MESSAGE);
  g_clear_object (&self->worker_store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (outreach_new_job_message_parent_class)->dispose (object);
}

static void
outreach_new_job_message_finalize (GObject *object)
{
  OutreachNewJobMessage *self = OUTREACH_NEW_JOB_MESSAGE (object);

  g_array_unref (self->template_ids);
  g_clear_pointer (&self->report, outreach_template_check_report_free);
  g_free (self->check_error);

  G_OBJECT_CLASS (outreach_new_job_message_parent_class)->finalize (object);
}

static void
outreach_new_job_message_class_init (OutreachNewJobMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OutreachNewJobStepClass *step_class = OUTREACH_NEW_JOB_STEP_CLASS (klass);

  object_class->dispose = outreach_new_job_message_dispose;
  object_class->finalize = outreach_new_job_message_finalize;
  step_class->load = outreach_new_job_message_load;
  step_class->dup_blocker = outreach_new_job_message_dup_blocker;

  g_type_ensure (OUTREACH_TYPE_TEMPLATE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-new-job-message.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobMessage, template_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobMessage, save_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobMessage, editor);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobMessage, check_list);
  gtk_widget_class_bind_template_callback (widget_class, template_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_as_template_cb);
}

static void
outreach_new_job_message_init (OutreachNewJobMessage *self)
{
  self->template_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
outreach_new_job_message_get_editor (OutreachNewJobMessage *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_MESSAGE (self), NULL);
  return GTK_WIDGET (self->editor);
}

OutreachTemplateCheckReport *
outreach_new_job_message_get_report (OutreachNewJobMessage *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_MESSAGE (self), NULL);
  return self->report;
}

gboolean
outreach_new_job_message_is_checking (OutreachNewJobMessage *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_MESSAGE (self), FALSE);
  return self->checking || self->check_dirty;
}
