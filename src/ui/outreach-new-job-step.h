/* outreach-new-job-step.h — what every step of the new-job wizard has in common
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-draft.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_STEP (outreach_new_job_step_get_type ())
G_DECLARE_DERIVABLE_TYPE (OutreachNewJobStep, outreach_new_job_step, OUTREACH, NEW_JOB_STEP,
                          GtkWidget)

struct _OutreachNewJobStepClass
{
  GtkWidgetClass parent_class;

  /* Shows the draft's choices; called each time the step comes into view. */
  void  (*load)        (OutreachNewJobStep *self,
                        OutreachJobDraft   *draft);
  /* Why the wizard cannot go on from this step yet, or NULL when it can. */
  char *(*dup_blocker) (OutreachNewJobStep *self);
  /* A warning that does not block (e.g. a duplicate name), or NULL. */
  char *(*dup_warning) (OutreachNewJobStep *self);
};

void              outreach_new_job_step_setup       (OutreachNewJobStep *self,
                                                     OutreachStore      *store,
                                                     OutreachJobDraft   *draft);
OutreachStore    *outreach_new_job_step_get_store   (OutreachNewJobStep *self);
OutreachJobDraft *outreach_new_job_step_get_draft   (OutreachNewJobStep *self);
void              outreach_new_job_step_load        (OutreachNewJobStep *self);
char             *outreach_new_job_step_dup_blocker (OutreachNewJobStep *self);
char             *outreach_new_job_step_dup_warning (OutreachNewJobStep *self);
/* For the steps: the draft changed, the wizard should look again. */
void              outreach_new_job_step_changed     (OutreachNewJobStep *self);

G_END_DECLS
