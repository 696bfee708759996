/* outreach-new-job-recipients.c — wizard step 1: who gets the message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-recipients.h"

#include <glib/gi18n.h>

struct _OutreachNewJobRecipients
{
  OutreachNewJobStep parent_instance;

  OutreachDonorPicker *picker;
  OutreachJobDraft *loaded; /* the draft the picker edits */
};

G_DEFINE_FINAL_TYPE (OutreachNewJobRecipients, outreach_new_job_recipients, OUTREACH_TYPE_NEW_JOB_STEP)

gboolean
outreach_new_job_draft_by_phone (OutreachStore    *store,
                                 OutreachJobDraft *draft)
{
  sqlite3_stmt *stmt;
  gboolean by_phone = FALSE;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  if (draft->account_id == 0)
    return FALSE;
  stmt = outreach_store_prepare (store, "SELECT kind = 'twilio' FROM accounts WHERE id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, draft->account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    by_phone = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return by_phone;
}

static void
picker_changed_cb (OutreachNewJobRecipients *self)
{
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static void
outreach_new_job_recipients_load (OutreachNewJobStep *step,
                                  OutreachJobDraft   *draft)
{
  OutreachNewJobRecipients *self = OUTREACH_NEW_JOB_RECIPIENTS (step);
  OutreachStore *store = outreach_new_job_step_get_store (step);

  outreach_donor_picker_set_by_phone (self->picker, outreach_new_job_draft_by_phone (store, draft));
  /* The picker keeps its state between visits; set it up again only for
   * another draft (a reopened one). */
  if (self->loaded != draft)
    {
      self->loaded = draft;
      outreach_donor_picker_setup (self->picker, store, draft->selection);
    }
}

static char *
outreach_new_job_recipients_dup_blocker (OutreachNewJobStep *step)
{
  return outreach_donor_picker_dup_blocker (OUTREACH_NEW_JOB_RECIPIENTS (step)->picker);
}

static void
outreach_new_job_recipients_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_NEW_JOB_RECIPIENTS);

  G_OBJECT_CLASS (outreach_new_job_recipients_parent_class)->dispose (object);
}

static void
outreach_new_job_recipients_class_init (OutreachNewJobRecipientsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OutreachNewJobStepClass *step_class = OUTREACH_NEW_JOB_STEP_CLASS (klass);

  object_class->dispose = outreach_new_job_recipients_dispose;
  step_class->load = outreach_new_job_recipients_load;
  step_class->dup_blocker = outreach_new_job_recipients_dup_blocker;

  g_type_ensure (OUTREACH_TYPE_DONOR_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-new-job-recipients.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobRecipients, picker);
  gtk_widget_class_bind_template_callback (widget_class, picker_changed_cb);
}

static void
outreach_new_job_recipients_init (OutreachNewJobRecipients *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OutreachDonorPicker *
outreach_new_job_recipients_get_picker (OutreachNewJobRecipients *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_RECIPIENTS (self), NULL);

  return self->picker;
}
