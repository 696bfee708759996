/* outreach-job-query-recipients.h — a job's recipients, filtered, read on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-query-recipient.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_QUERY_RECIPIENTS (outreach_job_query_recipients_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobQueryRecipients, outreach_job_query_recipients, OUTREACH,
                      JOB_QUERY_RECIPIENTS, GObject)

OutreachJobQueryRecipients *outreach_job_query_recipients_new        (OutreachStore *store,
                                                                      gint64         job_id);
gboolean                    outreach_job_query_recipients_set_state  (OutreachJobQueryRecipients *self,
                                                                      const char    *state_group);
void                        outreach_job_query_recipients_set_search (OutreachJobQueryRecipients *self,
                                                                      const char    *text);
void                        outreach_job_query_recipients_refresh    (OutreachJobQueryRecipients *self);

G_END_DECLS
