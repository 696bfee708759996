/* outreach-new-job-recipients.h — wizard step 1: who gets the message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-donor-picker.h"
#include "outreach-new-job-step.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_RECIPIENTS (outreach_new_job_recipients_get_type ())
G_DECLARE_FINAL_TYPE (OutreachNewJobRecipients, outreach_new_job_recipients, OUTREACH,
                      NEW_JOB_RECIPIENTS, OutreachNewJobStep)

OutreachDonorPicker *outreach_new_job_recipients_get_picker (OutreachNewJobRecipients *self);
/* Whether the draft's account sends SMS, so a donor's address is a phone number. */
gboolean             outreach_new_job_draft_by_phone        (OutreachStore            *store,
                                                             OutreachJobDraft         *draft);

G_END_DECLS
