/* outreach-job-query-event.c — one entry of a job's log, as read
 *
 * Log entries never change once written; "update" only checks that the
 * same entry is still at that position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query-event"

#include "config.h"

#include "outreach-job-query-event.h"

struct _OutreachJobQueryEvent
{
  GObject parent_instance;

  OutreachJobEventData data;
};

G_DEFINE_FINAL_TYPE (OutreachJobQueryEvent, outreach_job_query_event, G_TYPE_OBJECT)

static void
outreach_job_query_event_finalize (GObject *object)
{
  OutreachJobEventData *data = &OUTREACH_JOB_QUERY_EVENT (object)->data;

  g_free (data->level);
  g_free (data->kind);
  g_free (data->message);
  g_free (data->excerpt);

  G_OBJECT_CLASS (outreach_job_query_event_parent_class)->finalize (object);
}

static void
outreach_job_query_event_class_init (OutreachJobQueryEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_query_event_finalize;
}

static void
outreach_job_query_event_init (OutreachJobQueryEvent *self)
{
}

/* @stmt: positioned on a row of %OUTREACH_JOB_QUERY_EVENT_COLUMNS */
OutreachJobQueryEvent *
outreach_job_query_event_new_from_stmt (sqlite3_stmt *stmt)
{
  OutreachJobQueryEvent *self = g_object_new (OUTREACH_TYPE_JOB_QUERY_EVENT, NULL);

  self->data.id = sqlite3_column_int64 (stmt, 0);
  self->data.time_ms = sqlite3_column_int64 (stmt, 1);
  self->data.level = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  self->data.kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  self->data.message = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  self->data.excerpt = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  return self;
}

gboolean
outreach_job_query_event_update (OutreachJobQueryEvent *self,
                                 sqlite3_stmt          *stmt)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_EVENT (self), FALSE);

  return sqlite3_column_int64 (stmt, 0) == self->data.id;
}

const OutreachJobEventData *
outreach_job_query_event_get_data (OutreachJobQueryEvent *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_EVENT (self), NULL);

  return &self->data;
}
