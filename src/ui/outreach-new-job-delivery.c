/* outreach-new-job-delivery.c — wizard step 4: through which account, when, how fast
 *
 * The account list comes from the accounts table; the "Folder" account
 * that exists from the first start comes first, so a newcomer can finish
 * the wizard without any provider. Rate and concurrency start at the
 * account's own values; the runner never lets a job go above them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-delivery.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

struct _OutreachNewJobDelivery
{
  OutreachNewJobStep parent_instance;

  gboolean loading;
  GArray *account_ids;      /* gint64, in the order of account_row's model */
  GArray *account_rates;    /* double */
  GArray *account_limits;   /* int: concurrency */
  GArray *test_donor_ids;   /* gint64, in the order of test_donor_row's model */
  char *when_error;
  GCancellable *cancellable;

  AdwComboRow *account_row;
  GtkCheckButton *now_check;
  GtkCheckButton *schedule_check;
  AdwEntryRow *date_row;
  AdwEntryRow *time_row;
  GtkSpinButton *rate_spin;
  GtkSpinButton *concurrency_spin;
  AdwComboRow *priority_row;
  GtkSwitch *review_switch;
  AdwEntryRow *test_address_row;
  AdwComboRow *test_donor_row;
  AdwActionRow *test_result_row;
  GtkButton *test_button;
};

G_DEFINE_FINAL_TYPE (OutreachNewJobDelivery, outreach_new_job_delivery, OUTREACH_TYPE_NEW_JOB_STEP)

static void
load_accounts (OutreachNewJobDelivery *self,
               OutreachStore          *store)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  sqlite3_stmt *stmt;

  g_array_set_size (self->account_ids, 0);
  g_array_set_size (self->account_rates, 0);
  g_array_set_size (self->account_limits, 0);
  stmt = outreach_store_prepare (store,
                                 "SELECT id, name, kind, rate, concurrency FROM accounts"
                                 " ORDER BY kind <> 'folder', name",
                                 NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      double rate = sqlite3_column_double (stmt, 3);
      int limit = sqlite3_column_int (stmt, 4);
      /* Translators: an account in the list, "Folder (folder)" or "Newsletter (mailgun)" */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), sqlite3_column_text (stmt, 1),
                                                sqlite3_column_text (stmt, 2));

      g_array_append_val (self->account_ids, id);
      g_array_append_val (self->account_rates, rate);
      g_array_append_val (self->account_limits, limit);
      gtk_string_list_append (names, label);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  adw_combo_row_set_model (self->account_row, G_LIST_MODEL (names));
}

static void
load_test_donors (OutreachNewJobDelivery *self,
                  OutreachStore          *store,
                  OutreachJobDraft       *draft)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr (GArray) ids = outreach_donor_selection_sample_ids (draft->selection, store, 50, NULL);
  sqlite3_stmt *stmt;

  g_array_set_size (self->test_donor_ids, 0);
  stmt = outreach_store_prepare (store,
                                 "SELECT trim (first_name || ' ' || last_name), coalesce (email, phone)"
                                 " FROM donors WHERE id = ?",
                                 NULL);
  for (guint i = 0; stmt != NULL && ids != NULL && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char *label = g_strdup_printf ("%s <%s>", sqlite3_column_text (stmt, 0),
                                                    sqlite3_column_text (stmt, 1));
          gtk_string_list_append (names, label);
          g_array_append_val (self->test_donor_ids, id);
        }
      sqlite3_reset (stmt);
    }
  adw_combo_row_set_model (self->test_donor_row, G_LIST_MODEL (names));
}

static void
account_changed_cb (OutreachNewJobDelivery *self)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (OUTREACH_NEW_JOB_STEP (self));
  guint selected = adw_combo_row_get_selected (self->account_row);

  if (self->loading || draft == NULL || selected >= self->account_ids->len)
    return;
  draft->account_id = g_array_index (self->account_ids, gint64, selected);

  /* A new account brings its own limits. */
  self->loading = TRUE;
  gtk_spin_button_set_value (self->rate_spin, g_array_index (self->account_rates, double, selected));
  gtk_spin_button_set_range (self->concurrency_spin, 1,
                             MAX (1, g_array_index (self->account_limits, int, selected)));
  gtk_spin_button_set_value (self->concurrency_spin, g_array_index (self->account_limits, int, selected));
  self->loading = FALSE;
  draft->rate = 0;
  draft->concurrency = 0;
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static gboolean
parse_when (const char *date,
            const char *time,
            gint64     *unix_time)
{
  int y, mo, d, h, mi;
  char end;
  g_autoptr (GDateTime) when = NULL;

  if (sscanf (date, "%4d-%2d-%2d%c", &y, &mo, &d, &end) != 3 || strlen (date) != 10 ||
      !g_date_valid_dmy (d, mo, y))
    return FALSE;
  if (sscanf (time, "%2d:%2d%c", &h, &mi, &end) != 2 || h > 23 || mi > 59 || h < 0 || mi < 0)
    return FALSE;
  when = g_date_time_new_local (y, mo, d, h, mi, 0);
  if (when == NULL)
    return FALSE;
  *unix_time = g_date_time_to_unix (when);
  return TRUE;
}

static void
when_changed_cb (OutreachNewJobDelivery *self)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (OUTREACH_NEW_JOB_STEP (self));
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  gint64 when = 0;

  if (self->loading || draft == NULL)
    return;

  g_clear_pointer (&self->when_error, g_free);
  draft->scheduled_at = 0;
  if (gtk_check_button_get_active (self->schedule_check))
    {
      date = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row))));
      time = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->time_row))));
      if (!parse_when (date, time, &when))
        self->when_error = g_strdup (_("Give the start as a date like 2026-12-24 and a time like "
                                       "09:30, or choose “Send now”"));
      else if (when <= g_get_real_time () / G_USEC_PER_SEC)
        self->when_error = g_strdup (_("The scheduled start is in the past; choose a later time "
                                       "or “Send now”"));
      else
        draft->scheduled_at = when;
    }
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static void
speed_changed_cb (OutreachNewJobDelivery *self)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (OUTREACH_NEW_JOB_STEP (self));
  guint selected = adw_combo_row_get_selected (self->account_row);

  if (self->loading || draft == NULL)
    return;
  draft->rate = gtk_spin_button_get_value (self->rate_spin);
  draft->concurrency = gtk_spin_button_get_value_as_int (self->concurrency_spin);
  /* The account's own values are its defaults: store 0 so a later change
   * to the account carries over. */
  if (selected < self->account_ids->len)
    {
      if (draft->rate == g_array_index (self->account_rates, double, selected))
        draft->rate = 0;
      if (draft->concurrency == g_array_index (self->account_limits, int, selected))
        draft->concurrency = 0;
    }
  draft->priority = (int) adw_combo_row_get_selected (self->priority_row) - 1;
  draft->review = gtk_switch_get_active (self->review_switch);
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

typedef struct
{
  OutreachJobDraft *draft;
  OutreachStore *store;
  gint64 donor_id;
  char *address;
} TestData;

static void
test_data_free (TestData *data)
{
  outreach_job_draft_free (data->draft);
  g_clear_object (&data->store);
  g_free (data->address);
  g_free (data);
}

static void
send_test_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TestData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_reopen (data->store, &error);
  char *result = NULL;

  if (store == NULL ||
      (result = outreach_job_draft_send_test (data->draft, store, data->donor_id, data->address,
                                              cancellable, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, g_free);
}

static void
send_test_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OutreachNewJobDelivery *self = OUTREACH_NEW_JOB_DELIVERY (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  if (text != NULL)
    {
      adw_action_row_set_subtitle (self->test_result_row, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_row), "error");
    }
  else
    {
      adw_action_row_set_subtitle (self->test_result_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_result_row), "error");
    }
}

static void
send_test_cb (OutreachNewJobDelivery *self)
{
  OutreachNewJobStep *step = OUTREACH_NEW_JOB_STEP (self);
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);
  g_autoptr (GTask) task = NULL;
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->test_address_row))));
  guint donor = adw_combo_row_get_selected (self->test_donor_row);
  TestData *data;

  if (*address == '\0')
    {
      adw_action_row_set_subtitle (self->test_result_row,
                                   _("Type the address the test should go to first"));
      gtk_widget_add_css_class (GTK_WIDGET (self->test_result_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->test_address_row));
      return;
    }

  data = g_new0 (TestData, 1);
  data->draft = outreach_job_draft_copy (draft);
  data->store = g_object_ref (outreach_new_job_step_get_store (step));
  data->donor_id = donor < self->test_donor_ids->len ? g_array_index (self->test_donor_ids, gint64, donor) : 0;
  data->address = g_steal_pointer (&address);

  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  adw_action_row_set_subtitle (self->test_result_row, _("Sending…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_row), "error");
  task = g_task_new (self, self->cancellable, send_test_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) test_data_free);
  g_task_run_in_thread (task, send_test_thread);
}

static void
outreach_new_job_delivery_load (OutreachNewJobStep *step,
                                OutreachJobDraft   *draft)
{
  OutreachNewJobDelivery *self = OUTREACH_NEW_JOB_DELIVERY (step);
  OutreachStore *store = outreach_new_job_step_get_store (step);
  guint selected = 0;

  self->loading = TRUE;
  load_accounts (self, store);
  for (guint i = 0; i < self->account_ids->len; i++)
    if (g_array_index (self->account_ids, gint64, i) == draft->account_id)
      selected = i;
  adw_combo_row_set_selected (self->account_row, selected);
  if (selected < self->account_ids->len)
    {
      int limit = MAX (1, g_array_index (self->account_limits, int, selected));

      draft->account_id = g_array_index (self->account_ids, gint64, selected);
      gtk_spin_button_set_range (self->concurrency_spin, 1, limit);
      gtk_spin_button_set_value (self->rate_spin, draft->rate > 0 ? draft->rate
                                 : g_array_index (self->account_rates, double, selected));
      gtk_spin_button_set_value (self->concurrency_spin, draft->concurrency > 0 ? draft->concurrency : limit);
    }
  adw_combo_row_set_selected (self->priority_row, CLAMP (draft->priority, -1, 1) + 1);
  gtk_switch_set_active (self->review_switch, draft->review);
  if (draft->scheduled_at > 0)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (draft->scheduled_at);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d");
      g_autofree char *time = g_date_time_format (when, "%H:%M");

      gtk_check_button_set_active (self->schedule_check, TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
    }
  else
    gtk_check_button_set_active (self->now_check, TRUE);
  load_test_donors (self, store, draft);
  self->loading = FALSE;
  when_changed_cb (self);
}

static char *
outreach_new_job_delivery_dup_blocker (OutreachNewJobStep *step)
{
  OutreachNewJobDelivery *self = OUTREACH_NEW_JOB_DELIVERY (step);
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);

  if (self->account_ids->len == 0 || draft->account_id == 0)
    return g_strdup (_("Choose the account to send through; add one in Preferences"));
  if (self->when_error != NULL)
    return g_strdup (self->when_error);
  return NULL;
}

static void
outreach_new_job_delivery_dispose (GObject *object)
{
  OutreachNewJobDelivery *self = OUTREACH_NEW_JOB_DELIVERY (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_NEW_JOB_DELIVERY);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (outreach_new_job_delivery_parent_class)->dispose (object);
}

static void
outreach_new_job_delivery_finalize (GObject *object)
{
  OutreachNewJobDelivery *self = OUTREACH_NEW_JOB_DELIVERY (object);

  g_array_unref (self->account_ids);
  g_array_unref (self->account_rates);
  g_array_unref (self->account_limits);
  g_array_unref (self->test_donor_ids);
  g_free (self->when_error);

  G_OBJECT_CLASS (outreach_new_job_delivery_parent_class)->finalize (object);
}

static void
outreach_new_job_delivery_class_init (OutreachNewJobDeliveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OutreachNewJobStepClass *step_class = OUTREACH_NEW_JOB_STEP_CLASS (klass);

  object_class->dispose = outreach_new_job_delivery_dispose;
  object_class->finalize = outreach_new_job_delivery_finalize;
  step_class->load = outreach_new_job_delivery_load;
  step_class->dup_blocker = outreach_new_job_delivery_dup_blocker;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-new-job-delivery.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, account_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, now_check);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, schedule_check);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, date_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, time_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, priority_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, review_switch);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, test_address_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, test_donor_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, test_result_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobDelivery, test_button);
  gtk_widget_class_bind_template_callback (widget_class, account_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, when_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_test_cb);
}

static void
outreach_new_job_delivery_init (OutreachNewJobDelivery *self)
{
  self->account_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->account_rates = g_array_new (FALSE, FALSE, sizeof (double));
  self->account_limits = g_array_new (FALSE, FALSE, sizeof (int));
  self->test_donor_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
