/* outreach-job-log-view.h — the Log tab of a job's window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-query-events.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_LOG_VIEW (outreach_job_log_view_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobLogView, outreach_job_log_view, OUTREACH, JOB_LOG_VIEW, GtkWidget)

void                    outreach_job_log_view_set_job       (OutreachJobLogView *self,
                                                             OutreachStore      *store,
                                                             gint64              job_id);
void                    outreach_job_log_view_refresh       (OutreachJobLogView *self);
OutreachJobQueryEvents *outreach_job_log_view_get_model     (OutreachJobLogView *self);
void                    outreach_job_log_view_set_min_level (OutreachJobLogView *self,
                                                             const char         *level);

G_END_DECLS
