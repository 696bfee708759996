/* outreach-job-log.h — a job's log (job_events): state changes, retries,
 * provider errors with a redacted request/response excerpt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

typedef enum
{
  OUTREACH_JOB_LOG_DEBUG,
  OUTREACH_JOB_LOG_INFO,
  OUTREACH_JOB_LOG_WARNING,
  OUTREACH_JOB_LOG_ERROR,
} OutreachJobLogLevel;

gboolean outreach_job_log          (OutreachStore       *store,
                                    gint64               job_id,
                                    OutreachJobLogLevel  level,
                                    const char          *kind,
                                    const char          *excerpt,
                                    GError             **error,
                                    const char          *format,
                                    ...) G_GNUC_PRINTF (7, 8);
char    *outreach_job_log_redact   (const char          *text,
                                    const char *const   *secrets);

G_END_DECLS
