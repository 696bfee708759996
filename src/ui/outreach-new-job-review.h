/* outreach-new-job-review.h — wizard step 5: every choice with its counts, before Launch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-new-job-step.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_REVIEW (outreach_new_job_review_get_type ())
G_DECLARE_FINAL_TYPE (OutreachNewJobReview, outreach_new_job_review, OUTREACH, NEW_JOB_REVIEW,
                      OutreachNewJobStep)

/* What the message check found (shown as the "Checks" row); NULL: not checked. */
void  outreach_new_job_review_set_checks  (OutreachNewJobReview *self,
                                           const char           *checks);
/* The summary as text, one "Title: value" line per row (for tests). */
char *outreach_new_job_review_dup_summary (OutreachNewJobReview *self);

G_END_DECLS
