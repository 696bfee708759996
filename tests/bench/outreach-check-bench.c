/* outreach-check-bench.c — times the pre-launch template check on a database
 *
 * Usage: outreach-check-bench DATABASE [RUNS]
 *
 * Checks a typical thank-you message (subject, text and HTML body, an
 * extra field) against every donor and prints the median time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "outreach-template-check.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = NULL;
  int runs = argc > 2 ? atoi (argv[2]) : 5;
  double ms[32];
  double cpu_ms[32];
  gint64 donors = 0;
  guint issues = 0;

  if (argc < 2 || runs < 1 || runs > 32)
    {
      g_printerr ("usage: %s DATABASE [RUNS ≤ 32]\n", argv[0]);
      return 2;
    }
  store = outreach_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 3;
    }

  for (int r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      struct timespec cpu_start, cpu_end;
      g_autoptr (OutreachTemplateCheckReport) report = NULL;

      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
      report =
        outreach_template_check (store, "Thank you, {{first_name}}!",
                                 "Dear {{first_name}} {{last_name}},\nthank you for your gift of "
                                 "{{last_gift_amount_formatted}} on {{last_gift_date_long}}.\n"
                                 "{{#tags}}- {{.}}\n{{/tags}}{{city}}\n{{org_name}}\n{{unsubscribe_url}}\n",
                                 "<p>Dear {{first_name}},</p><p>{{street}}, {{city}}</p>"
                                 "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>",
                                 NULL, NULL, TRUE, NULL, &error);

      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_end);

      if (report == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 3;
        }
      ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms[r] = (cpu_end.tv_sec - cpu_start.tv_sec) * 1000.0 + (cpu_end.tv_nsec - cpu_start.tv_nsec) / 1e6;
      donors = report->n_donors;
      issues = report->issues->len;
    }
  qsort (ms, runs, sizeof (double), compare_doubles);
  qsort (cpu_ms, runs, sizeof (double), compare_doubles);
  /* cpu_ms: CPU time of all the check's threads, which a shared machine
   * does not inflate the way it inflates the wall clock */
  g_print ("check: donors=%" G_GINT64_FORMAT " issues=%u median_ms=%.0f best_ms=%.0f "
           "median_cpu_ms=%.0f threads=%u runs=%d\n",
           donors, issues, ms[runs / 2], ms[0], cpu_ms[runs / 2],
           CLAMP (g_get_num_processors (), 1, 4), runs);
  return 0;
}
