/* outreach-new-job-delivery.h — wizard step 4: through which account, when, how fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-new-job-step.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_DELIVERY (outreach_new_job_delivery_get_type ())
G_DECLARE_FINAL_TYPE (OutreachNewJobDelivery, outreach_new_job_delivery, OUTREACH,
                      NEW_JOB_DELIVERY, OutreachNewJobStep)

G_END_DECLS
