/* outreach-job-query-event.h — one entry of a job's log, as read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gint64 time_ms;
  char *level;   /* debug, info, warning, error */
  char *kind;
  char *message;
  char *excerpt; /* NULL when none */
} OutreachJobEventData;

#define OUTREACH_JOB_QUERY_EVENT_COLUMNS "id, time, level, kind, message, excerpt"

#define OUTREACH_TYPE_JOB_QUERY_EVENT (outreach_job_query_event_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobQueryEvent, outreach_job_query_event, OUTREACH,
                      JOB_QUERY_EVENT, GObject)

OutreachJobQueryEvent      *outreach_job_query_event_new_from_stmt (sqlite3_stmt *stmt);
gboolean                    outreach_job_query_event_update        (OutreachJobQueryEvent *self,
                                                                    sqlite3_stmt          *stmt);
const OutreachJobEventData *outreach_job_query_event_get_data      (OutreachJobQueryEvent *self);

G_END_DECLS
