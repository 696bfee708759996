/* outreach-job-review-view.h — the job window's Review tab: each drafted message, approved or rejected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_REVIEW_VIEW (outreach_job_review_view_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobReviewView, outreach_job_review_view, OUTREACH, JOB_REVIEW_VIEW,
                      GtkWidget)

OutreachJobReviewView *outreach_job_review_view_new     (OutreachStore *store,
                                                         gint64         job_id);
/* Adds a "Review" tab to @tabs when job @job_id was created in review
 * mode, shown first while messages wait for a decision. */
void                   outreach_job_review_view_attach  (AdwViewStack  *tabs,
                                                         OutreachStore *store,
                                                         gint64         job_id);
void                   outreach_job_review_view_reload  (OutreachJobReviewView *self);
/* For tests: how many are waiting, approved and rejected. */
void                   outreach_job_review_view_get_counts (OutreachJobReviewView *self,
                                                            guint                 *waiting,
                                                            guint                 *approved,
                                                            guint                 *rejected);

G_END_DECLS
