/* outreach-job-window.h — one job in depth: progress, results, log, message, actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_WINDOW (outreach_job_window_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobWindow, outreach_job_window, OUTREACH, JOB_WINDOW, AdwWindow)

OutreachJobWindow *outreach_job_window_present_job (GtkWindow     *parent,
                                                    OutreachStore *store,
                                                    gint64         job_id);
OutreachJobWindow *outreach_job_window_lookup      (gint64         job_id);
gint64             outreach_job_window_get_job_id  (OutreachJobWindow *self);
void               outreach_job_window_refresh     (OutreachJobWindow *self);

G_END_DECLS
