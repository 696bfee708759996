/* outreach-job-recipients-view.h — the Recipients tab of a job's window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-query-recipients.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_RECIPIENTS_VIEW (outreach_job_recipients_view_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobRecipientsView, outreach_job_recipients_view, OUTREACH,
                      JOB_RECIPIENTS_VIEW, GtkWidget)

void                        outreach_job_recipients_view_set_job     (OutreachJobRecipientsView *self,
                                                                      OutreachStore *store,
                                                                      gint64         job_id);
void                        outreach_job_recipients_view_refresh     (OutreachJobRecipientsView *self);
OutreachJobQueryRecipients *outreach_job_recipients_view_get_model   (OutreachJobRecipientsView *self);
void                        outreach_job_recipients_view_set_state   (OutreachJobRecipientsView *self,
                                                                      const char    *state_group);
void                        outreach_job_recipients_view_set_search  (OutreachJobRecipientsView *self,
                                                                      const char    *text);

G_END_DECLS
