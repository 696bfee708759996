/* outreach-jobs-page.h — the Jobs page: every job, running and finished
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-list-model.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOBS_PAGE (outreach_jobs_page_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobsPage, outreach_jobs_page, OUTREACH, JOBS_PAGE, GtkWidget)

void                  outreach_jobs_page_set_store     (OutreachJobsPage *self,
                                                        OutreachStore    *store);
void                  outreach_jobs_page_reload        (OutreachJobsPage *self);
void                  outreach_jobs_page_focus_search  (OutreachJobsPage *self);
OutreachJobListModel *outreach_jobs_page_get_model     (OutreachJobsPage *self);
GtkSelectionModel    *outreach_jobs_page_get_selection (OutreachJobsPage *self);

G_END_DECLS
