/* outreach-job-query-events.h — a job's log, newest first, read on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-query-event.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_QUERY_EVENTS (outreach_job_query_events_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobQueryEvents, outreach_job_query_events, OUTREACH,
                      JOB_QUERY_EVENTS, GObject)

OutreachJobQueryEvents *outreach_job_query_events_new           (OutreachStore *store,
                                                                 gint64         job_id);
gboolean                outreach_job_query_events_set_min_level (OutreachJobQueryEvents *self,
                                                                 const char    *level);
void                    outreach_job_query_events_refresh       (OutreachJobQueryEvents *self);

G_END_DECLS
