/* outreach-job-notifier.h — desktop notifications and the in-app runner for jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-runner.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_NOTIFIER (outreach_job_notifier_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobNotifier, outreach_job_notifier, OUTREACH, JOB_NOTIFIER, GObject)

OutreachJobNotifier *outreach_job_notifier_new        (GApplication        *application,
                                                       OutreachStore       *store);
OutreachRunner      *outreach_job_notifier_get_runner (OutreachJobNotifier *self);
void                 outreach_job_notifier_notify_job (OutreachJobNotifier *self,
                                                       gint64               job_id,
                                                       gboolean             needs_attention);

OutreachRunner      *outreach_job_runner_for_store    (OutreachStore       *store);
void                 outreach_job_runner_start_due    (OutreachStore       *store);

G_END_DECLS
