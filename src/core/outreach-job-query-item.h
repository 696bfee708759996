/* outreach-job-query-item.h — one job as read from the jobs table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-status.h"

G_BEGIN_DECLS

/* What the lists and the detail window show of a job. Times are Unix
 * seconds; 0 where the column is NULL. */
typedef struct
{
  gint64 id;
  char *uuid;
  char *name;
  char *kind;
  OutreachJobStatus status;
  int priority;
  gint64 account_id;   /* 0 when none */
  char *account_name;  /* NULL when none (deleted) */
  gint64 total, pending, sent, failed, skipped, uncertain, cancelled, rejected;
  gint64 created_at, scheduled_at, started_at, updated_at, finished_at;
  char *error;
} OutreachJobData;

/* The SELECT list OutreachJobQueryItem reads, in this order; the query
 * must join accounts as `a` (LEFT JOIN accounts a ON a.id = jobs.account_id). */
#define OUTREACH_JOB_QUERY_ITEM_COLUMNS \
  "jobs.id, jobs.uuid, jobs.name, jobs.kind, jobs.status, jobs.priority, jobs.account_id," \
  " a.name, jobs.total, jobs.pending, jobs.sent, jobs.failed, jobs.skipped, jobs.uncertain," \
  " jobs.cancelled, jobs.rejected, jobs.created_at, jobs.scheduled_at, jobs.started_at," \
  " jobs.updated_at, jobs.finished_at, jobs.error"

#define OUTREACH_TYPE_JOB_QUERY_ITEM (outreach_job_query_item_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobQueryItem, outreach_job_query_item, OUTREACH, JOB_QUERY_ITEM, GObject)

OutreachJobQueryItem   *outreach_job_query_item_new_from_stmt (sqlite3_stmt        *stmt);
gboolean               outreach_job_query_item_update        (OutreachJobQueryItem *self,
                                                             sqlite3_stmt        *stmt);
const OutreachJobData *outreach_job_query_item_get_data      (OutreachJobQueryItem *self);
gint64                 outreach_job_query_item_get_id        (OutreachJobQueryItem *self);
gint64                 outreach_job_query_item_get_done      (OutreachJobQueryItem *self);
double                 outreach_job_query_item_get_fraction  (OutreachJobQueryItem *self);
gint64                 outreach_job_query_item_get_duration  (OutreachJobQueryItem *self,
                                                             gint64               now);
void                   outreach_job_query_item_tick          (OutreachJobQueryItem *self);

G_END_DECLS
