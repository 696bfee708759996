/* outreach-job-query-watch.h — notices when jobs change, in this process or another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-query.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_QUERY_WATCH (outreach_job_query_watch_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobQueryWatch, outreach_job_query_watch, OUTREACH,
                      JOB_QUERY_WATCH, GObject)

OutreachJobQueryWatch *outreach_job_query_watch_get_for_store (OutreachStore         *store);
void                   outreach_job_query_watch_poke          (OutreachJobQueryWatch *self);
gboolean               outreach_job_query_watch_is_polling    (OutreachJobQueryWatch *self);
guint                  outreach_job_query_watch_get_n_active  (OutreachJobQueryWatch *self);

G_END_DECLS
