/* outreach-job-status.h — a job's status and the transitions between them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

typedef enum
{
  OUTREACH_JOB_STATUS_DRAFT,
  OUTREACH_JOB_STATUS_QUEUED,
  OUTREACH_JOB_STATUS_RUNNING,
  OUTREACH_JOB_STATUS_PAUSED,
  OUTREACH_JOB_STATUS_COMPLETED,
  OUTREACH_JOB_STATUS_FAILED,
  OUTREACH_JOB_STATUS_CANCELLED,
} OutreachJobStatus;

#define OUTREACH_JOB_STATUS_COUNT (OUTREACH_JOB_STATUS_CANCELLED + 1)

#define OUTREACH_JOB_ERROR (outreach_job_error_quark ())

typedef enum
{
  OUTREACH_JOB_ERROR_NOT_FOUND,
  OUTREACH_JOB_ERROR_INVALID_TRANSITION,
} OutreachJobError;

#define OUTREACH_TYPE_JOB_STATUS (outreach_job_status_get_type ())
GType              outreach_job_status_get_type        (void);
GQuark             outreach_job_error_quark            (void);

const char        *outreach_job_status_to_string       (OutreachJobStatus  status);
gboolean           outreach_job_status_from_string     (const char        *text,
                                                        OutreachJobStatus *status);
const char        *outreach_job_status_get_label       (OutreachJobStatus  status);
gboolean           outreach_job_status_is_active       (OutreachJobStatus  status);
gboolean           outreach_job_status_is_finished     (OutreachJobStatus  status);
gboolean           outreach_job_status_can_transition  (OutreachJobStatus  from,
                                                        OutreachJobStatus  to);
gboolean           outreach_job_status_apply           (OutreachStore     *store,
                                                        gint64             job_id,
                                                        OutreachJobStatus  to,
                                                        const char        *error_message,
                                                        GError           **error);

G_END_DECLS
