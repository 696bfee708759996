/* outreach-job-format.h — how times, durations and counts of jobs read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *outreach_job_format_duration  (gint64 seconds);
char *outreach_job_format_relative  (gint64 time,
                                     gint64 now);
char *outreach_job_format_full_time (gint64 time);
char *outreach_job_format_count     (gint64 count);

G_END_DECLS
