/* outreach-new-job-review.c — wizard step 5: every choice with its counts, before Launch
 *
 * Each row says one choice and has an Edit button that goes back to its
 * step. The recipient counts are worked out again here (in a thread), as
 * the account chosen in step 4 decides whether a phone number or an
 * e-mail address is the address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-review.h"

#include <glib/gi18n.h>

#include "outreach-donor-picker.h"
#include "outreach-new-job-recipients.h"

struct _OutreachNewJobReview
{
  OutreachNewJobStep parent_instance;

  GCancellable *cancellable;
  gboolean counting;
  gboolean have_counts;
  gboolean by_phone;
  OutreachDonorSelectionCounts counts;
  char *count_error;
  GPtrArray *rows;  /* AdwActionRow, in the group */
  char *checks;

  AdwPreferencesGroup *summary_group;
};

G_DEFINE_FINAL_TYPE (OutreachNewJobReview, outreach_new_job_review, OUTREACH_TYPE_NEW_JOB_STEP)

typedef struct
{
  OutreachStore *store;
  OutreachDonorSelection *selection;
  gboolean by_phone;
} CountData;

static void
count_data_free (CountData *data)
{
  g_clear_object (&data->store);
  outreach_donor_selection_free (data->selection);
  g_free (data);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_reopen (data->store, &error);
  OutreachDonorSelectionCounts *counts = g_new0 (OutreachDonorSelectionCounts, 1);

  if (store == NULL ||
      !outreach_donor_selection_count (data->selection, store, data->by_phone, counts, &error))
    {
      g_free (counts);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, counts, g_free);
}

static void
add_row (OutreachNewJobReview *self,
         const char           *title,
         const char           *value,
         OutreachJobDraftStep  step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit"));
  /* Translators: accessible name of an Edit button in the summary, "Edit Recipients" */
  g_autofree char *edit_label = g_strdup_printf (_("Edit %s"), title);

  /* Names and subjects are the user's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (edit, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "wizard.go-to");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "i", (int) step);
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_preferences_group_add (self->summary_group, row);
  g_ptr_array_add (self->rows, row);
}

static char *
dup_account (OutreachStore *store,
             gint64         account_id)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT name, kind FROM accounts WHERE id = ?", NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup_printf (_("%s (%s)"), sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return text;
}

static void
fill (OutreachNewJobReview *self)
{
  OutreachNewJobStep *step = OUTREACH_NEW_JOB_STEP (self);
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);
  OutreachStore *store = outreach_new_job_step_get_store (step);
  g_autofree char *recipients = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autofree char *account = NULL;
  g_autofree char *when = NULL;
  g_autofree char *speed = NULL;
  const char *priority;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->summary_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  if (self->count_error != NULL)
    recipients = g_strdup (self->count_error);
  else if (!self->have_counts)
    recipients = g_strdup (_("Counting…"));
  else
    recipients = outreach_donor_picker_describe_counts (&self->counts, self->by_phone);
  add_row (self, _("Recipients"), recipients, OUTREACH_JOB_DRAFT_STEP_RECIPIENTS);

  name = g_strstrip (g_strdup (draft->name != NULL ? draft->name : ""));
  add_row (self, _("Name"), name, OUTREACH_JOB_DRAFT_STEP_NAME);

  message = g_strdup_printf (draft->html != NULL ? _("Subject: %s — text and HTML")
                                                 : _("Subject: %s — text only"),
                             draft->subject != NULL ? draft->subject : "");
  add_row (self, _("Message"), message, OUTREACH_JOB_DRAFT_STEP_MESSAGE);
  if (self->checks != NULL)
    add_row (self, _("Checks"), self->checks, OUTREACH_JOB_DRAFT_STEP_MESSAGE);

  account = dup_account (store, draft->account_id);
  add_row (self, _("Account"), account != NULL ? account : _("None chosen"),
           OUTREACH_JOB_DRAFT_STEP_DELIVERY);

  if (draft->scheduled_at > 0)
    {
      g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (draft->scheduled_at);
      /* Translators: a scheduled start in local time (strftime format) */
      g_autofree char *text = g_date_time_format (local, _("%A %-d %B %Y, %H:%M"));

      /* Translators: "Scheduled for Thursday 24 December 2026, 09:30 (local time)" */
      when = g_strdup_printf (_("Scheduled for %s (local time)"), text);
    }
  else
    when = g_strdup (_("Now"));
  add_row (self, _("When"), when, OUTREACH_JOB_DRAFT_STEP_DELIVERY);

  if (draft->rate > 0 && draft->concurrency > 0)
    speed = g_strdup_printf (_("At most %.1f messages per second, %d at once"), draft->rate,
                             draft->concurrency);
  else if (draft->rate > 0)
    speed = g_strdup_printf (_("At most %.1f messages per second; as many at once as the account allows"),
                             draft->rate);
  else if (draft->concurrency > 0)
    speed = g_strdup_printf (_("As fast as the account allows, %d at once"), draft->concurrency);
  else
    speed = g_strdup (_("As fast as the account allows"));
  add_row (self, _("Speed"), speed, OUTREACH_JOB_DRAFT_STEP_DELIVERY);

  priority = draft->priority < 0 ? _("Low") : draft->priority > 0 ? _("High") : _("Normal");
  add_row (self, _("Priority"), priority, OUTREACH_JOB_DRAFT_STEP_DELIVERY);
  add_row (self, _("Review mode"),
           draft->review ? _("On: each message waits in the job's Review tab for your approval")
                         : _("Off: messages go out as soon as the job runs"),
           OUTREACH_JOB_DRAFT_STEP_DELIVERY);
}

static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OutreachNewJobReview *self = OUTREACH_NEW_JOB_REVIEW (source);
  g_autoptr (GError) error = NULL;
  g_autofree OutreachDonorSelectionCounts *counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->counting = FALSE;
  if (counts != NULL)
    {
      self->counts = *counts;
      self->have_counts = TRUE;
    }
  else
    self->count_error = g_strdup (error->message);
  fill (self);
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static void
outreach_new_job_review_load (OutreachNewJobStep *step,
                              OutreachJobDraft   *draft)
{
  OutreachNewJobReview *self = OUTREACH_NEW_JOB_REVIEW (step);
  OutreachStore *store = outreach_new_job_step_get_store (step);
  g_autoptr (GTask) task = NULL;
  CountData *data;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->have_counts = FALSE;
  g_clear_pointer (&self->count_error, g_free);
  self->by_phone = outreach_new_job_draft_by_phone (store, draft);
  self->counting = TRUE;
  fill (self);

  data = g_new0 (CountData, 1);
  data->store = g_object_ref (store);
  data->selection = outreach_donor_selection_copy (draft->selection);
  data->by_phone = self->by_phone;
  task = g_task_new (self, self->cancellable, count_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_task_run_in_thread (task, count_thread);
}

static char *
outreach_new_job_review_dup_blocker (OutreachNewJobStep *step)
{
  OutreachNewJobReview *self = OUTREACH_NEW_JOB_REVIEW (step);

  if (self->count_error != NULL)
    return g_strdup (self->count_error);
  if (self->counting || !self->have_counts)
    return g_strdup (_("Counting the recipients…"));
  if (self->counts.reachable == 0)
    return g_strdup (_("None of the chosen donors can get the message; go back to Recipients"));
  return NULL;
}

static void
outreach_new_job_review_dispose (GObject *object)
{
  OutreachNewJobReview *self = OUTREACH_NEW_JOB_REVIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_NEW_JOB_REVIEW);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->count_error, g_free);
  g_clear_pointer (&self->checks, g_free);

  G_OBJECT_CLASS (outreach_new_job_review_parent_class)->dispose (object);
}

static void
outreach_new_job_review_class_init (OutreachNewJobReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OutreachNewJobStepClass *step_class = OUTREACH_NEW_JOB_STEP_CLASS (klass);

  object_class->dispose = outreach_new_job_review_dispose;
  step_class->load = outreach_new_job_review_load;
  step_class->dup_blocker = outreach_new_job_review_dup_blocker;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-new-job-review.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobReview, summary_group);
}

static void
outreach_new_job_review_init (OutreachNewJobReview *self)
{
  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
outreach_new_job_review_set_checks (OutreachNewJobReview *self,
                                    const char           *checks)
{
  g_return_if_fail (OUTREACH_IS_NEW_JOB_REVIEW (self));

  g_free (self->checks);
  self->checks = g_strdup (checks);
}

char *
outreach_new_job_review_dup_summary (OutreachNewJobReview *self)
{
  GString *out;

  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_REVIEW (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->rows->len; i++)
    g_string_append_printf (out, "%s: %s\n",
                            adw_preferences_row_get_title (self->rows->pdata[i]),
                            adw_action_row_get_subtitle (self->rows->pdata[i]));
  return g_string_free (out, FALSE);
}
