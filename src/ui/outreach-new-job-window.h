/* outreach-new-job-window.h — the new-job wizard: recipients, name, message, delivery, review & launch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-draft.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_WINDOW (outreach_new_job_window_get_type ())
G_DECLARE_FINAL_TYPE (OutreachNewJobWindow, outreach_new_job_window, OUTREACH, NEW_JOB_WINDOW,
                      AdwWindow)

/* @draft_id: a draft job to carry on with, or 0 for a new one. */
OutreachNewJobWindow *outreach_new_job_window_new        (GtkWindow            *parent,
                                                          OutreachStore        *store,
                                                          gint64                draft_id,
                                                          GError              **error);
OutreachJobDraftStep  outreach_new_job_window_get_step   (OutreachNewJobWindow *self);
gboolean              outreach_new_job_window_go_to_step (OutreachNewJobWindow *self,
                                                          OutreachJobDraftStep  step);
/* What Next would say if it is off (NULL when on). */
char                 *outreach_new_job_window_dup_blocker (OutreachNewJobWindow *self);
const OutreachJobDraft *outreach_new_job_window_get_draft (OutreachNewJobWindow *self);
GtkWidget            *outreach_new_job_window_get_step_widget (OutreachNewJobWindow *self,
                                                               OutreachJobDraftStep  step);
/* The unfinished draft a fresh wizard offers to continue, or 0. */
gint64                outreach_new_job_window_get_unfinished (OutreachNewJobWindow *self);
/* The job made by Launch, once it exists (0 before). */
gint64                outreach_new_job_window_get_launched_job (OutreachNewJobWindow *self);

G_END_DECLS
