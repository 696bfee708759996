/* outreach-new-job-name.h — wizard step 2: the job's name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-new-job-step.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_NAME (outreach_new_job_name_get_type ())
G_DECLARE_FINAL_TYPE (OutreachNewJobName, outreach_new_job_name, OUTREACH, NEW_JOB_NAME,
                      OutreachNewJobStep)

G_END_DECLS
