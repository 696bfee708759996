/* outreach-job-format.c — how times, durations and counts of jobs read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-format"

#include "config.h"

#include "outreach-job-format.h"

#include <glib/gi18n.h>

/* "42 s", "3 min 05 s", "2 h 07 min", "3 d 4 h"; "—" before it started. */
char *
outreach_job_format_duration (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("—");
  if (seconds < 60)
    return g_strdup_printf (_("%lld s"), (long long) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%lld min %02lld s"), (long long) (seconds / 60),
                            (long long) (seconds % 60));
  if (seconds < 86400)
    return g_strdup_printf (_("%lld h %02lld min"), (long long) (seconds / 3600),
                            (long long) (seconds % 3600 / 60));
  return g_strdup_printf (_("%lld d %lld h"), (long long) (seconds / 86400),
                          (long long) (seconds % 86400 / 3600));
}

/* "Just now", "5 minutes ago", "Yesterday", or a date. */
char *
outreach_job_format_relative (gint64 time,
                              gint64 now)
{
  gint64 ago = now - time;
  g_autoptr (GDateTime) then = NULL;
  g_autoptr (GDateTime) today = NULL;
  int days;

  if (time <= 0)
    return g_strdup ("—");
  if (ago < 60)
    return g_strdup (_("Just now"));
  if (ago < 3600)
    return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", (gulong) (ago / 60)),
                            (int) (ago / 60));

  then = g_date_time_new_from_unix_local (time);
  today = g_date_time_new_from_unix_local (now);
  days = g_date_time_get_day_of_year (today) - g_date_time_get_day_of_year (then) +
         365 * (g_date_time_get_year (today) - g_date_time_get_year (then));
  if (days == 0)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (gulong) (ago / 3600)),
                            (int) (ago / 3600));
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days < 7)
    return g_date_time_format (then, "%A");
  if (g_date_time_get_year (today) == g_date_time_get_year (then))
    /* Translators: a date in this year, strftime format */
    return g_date_time_format (then, _("%e %B"));
  return g_date_time_format (then, "%x");
}

/* The full local time, for tooltips. */
char *
outreach_job_format_full_time (gint64 time)
{
  g_autoptr (GDateTime) dt = NULL;

  if (time <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (time);
  /* Translators: a full date and time, strftime format */
  return g_date_time_format (dt, _("%A %e %B %Y, %H:%M:%S"));
}

/* A count with thousands separators in the user's locale. */
char *
outreach_job_format_count (gint64 count)
{
  return g_strdup_printf ("%'lld", (long long) count);
}
