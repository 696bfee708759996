/* outreach-job-status-badge.h — a job's status as icon, colour and word
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-status.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_STATUS_BADGE (outreach_job_status_badge_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobStatusBadge, outreach_job_status_badge, OUTREACH,
                      JOB_STATUS_BADGE, GtkWidget)

GtkWidget  *outreach_job_status_badge_new        (void);
void        outreach_job_status_badge_set_status (OutreachJobStatusBadge *self,
                                                  OutreachJobStatus       status,
                                                  gint64                  failed,
                                                  gint64                  scheduled_at);
const char *outreach_job_status_badge_get_text   (OutreachJobStatusBadge *self);
const char *outreach_job_status_badge_get_icon_name (OutreachJobStatusBadge *self);

G_END_DECLS
