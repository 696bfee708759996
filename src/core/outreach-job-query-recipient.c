/* outreach-job-query-recipient.c — one recipient of a job, as read
 *
 * Updated in place when the list is read again, like OutreachJobQueryItem.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query-recipient"

#include "config.h"

#include "outreach-job-query-recipient.h"

struct _OutreachJobQueryRecipient
{
  GObject parent_instance;

  OutreachJobRecipientData data;
};

G_DEFINE_FINAL_TYPE (OutreachJobQueryRecipient, outreach_job_query_recipient, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
clear_data (OutreachJobRecipientData *data)
{
  g_clear_pointer (&data->address, g_free);
  g_clear_pointer (&data->state, g_free);
  g_clear_pointer (&data->provider_message_id, g_free);
  g_clear_pointer (&data->last_error, g_free);
}

static void
outreach_job_query_recipient_finalize (GObject *object)
{
  clear_data (&OUTREACH_JOB_QUERY_RECIPIENT (object)->data);

  G_OBJECT_CLASS (outreach_job_query_recipient_parent_class)->finalize (object);
}

static void
outreach_job_query_recipient_class_init (OutreachJobQueryRecipientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_query_recipient_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
outreach_job_query_recipient_init (OutreachJobQueryRecipient *self)
{
}

static void
read_data (OutreachJobRecipientData *data,
           sqlite3_stmt             *stmt)
{
  data->id = sqlite3_column_int64 (stmt, 0);
  data->donor_id = sqlite3_column_int64 (stmt, 1);
  data->address = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  data->state = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  data->attempts = sqlite3_column_int (stmt, 4);
  data->next_attempt_at = sqlite3_column_int64 (stmt, 5);
  data->provider_message_id = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  data->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  data->updated_at = sqlite3_column_int64 (stmt, 8);
}

/* @stmt: positioned on a row of %OUTREACH_JOB_QUERY_RECIPIENT_COLUMNS */
OutreachJobQueryRecipient *
outreach_job_query_recipient_new_from_stmt (sqlite3_stmt *stmt)
{
  OutreachJobQueryRecipient *self = g_object_new (OUTREACH_TYPE_JOB_QUERY_RECIPIENT, NULL);

  read_data (&self->data, stmt);
  return self;
}

/* Returns: %FALSE when @stmt holds another recipient; then nothing changed */
gboolean
outreach_job_query_recipient_update (OutreachJobQueryRecipient *self,
                                     sqlite3_stmt              *stmt)
{
  OutreachJobRecipientData fresh = { 0 };

  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_RECIPIENT (self), FALSE);

  if (sqlite3_column_int64 (stmt, 0) != self->data.id)
    return FALSE;

  read_data (&fresh, stmt);
  if (fresh.updated_at == self->data.updated_at && fresh.attempts == self->data.attempts &&
      g_strcmp0 (fresh.state, self->data.state) == 0 &&
      g_strcmp0 (fresh.last_error, self->data.last_error) == 0)
    {
      clear_data (&fresh);
      return TRUE;
    }
  clear_data (&self->data);
  self->data = fresh;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

const OutreachJobRecipientData *
outreach_job_query_recipient_get_data (OutreachJobQueryRecipient *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_RECIPIENT (self), NULL);

  return &self->data;
}
