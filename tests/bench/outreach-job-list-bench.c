/* outreach-job-list-bench.c — the Jobs page's list operations on a big store
 *
 * Helper of build-aux/bench/job-list.sh: opens DB, then times (best of
 * 5, in ms) what the page does: open the list (count + first page), the
 * status counters, a filter, a search, a sort by name, a jump to the last
 * page (scrolling to the bottom), and a refresh while nothing changed
 * (what a live update costs). Prints `key=value` pairs on one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "outreach-job-list-model.h"

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
touch_first_page (GListModel *model)
{
  guint n = MIN (g_list_model_get_n_items (model), 40);

  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (model, i));
}

#define BEST_OF_5(var, setup, body) \
  G_STMT_START { \
    var = G_MAXDOUBLE; \
    for (int run_ = 0; run_ < 5; run_++) \
      { \
        gint64 start_; \
        setup; \
        start_ = g_get_monotonic_time (); \
        body; \
        var = MIN (var, ms_since (start_)); \
      } \
  } G_STMT_END

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = NULL;
  OutreachJobListModel *model = NULL;
  double open_ms, counts_ms, filter_ms, search_ms, sort_ms, last_ms, refresh_ms;
  gint64 counts[OUTREACH_JOB_STATUS_COUNT];
  guint n = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DB\n", argv[0]);
      return 2;
    }
  store = outreach_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }

  BEST_OF_5 (open_ms, g_clear_object (&model),
             model = outreach_job_list_model_new (store); touch_first_page (G_LIST_MODEL (model)));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  BEST_OF_5 (counts_ms, , outreach_job_query_count_by_status (store, counts, NULL));
  BEST_OF_5 (filter_ms, outreach_job_list_model_set_filter (model, OUTREACH_JOB_FILTER_ALL),
             outreach_job_list_model_set_filter (model, OUTREACH_JOB_FILTER_FAILED);
             touch_first_page (G_LIST_MODEL (model)));
  outreach_job_list_model_set_filter (model, OUTREACH_JOB_FILTER_ALL);
  BEST_OF_5 (search_ms, outreach_job_list_model_set_search (model, NULL),
             outreach_job_list_model_set_search (model, "autumn appeal 99");
             touch_first_page (G_LIST_MODEL (model)));
  outreach_job_list_model_set_search (model, NULL);
  BEST_OF_5 (sort_ms, outreach_job_list_model_set_sort (model, OUTREACH_JOB_SORT_CREATED, TRUE),
             outreach_job_list_model_set_sort (model, OUTREACH_JOB_SORT_NAME, FALSE);
             touch_first_page (G_LIST_MODEL (model)));
  outreach_job_list_model_set_sort (model, OUTREACH_JOB_SORT_CREATED, TRUE);
  BEST_OF_5 (last_ms, outreach_job_list_model_refresh (model); outreach_job_list_model_set_search (model, "x");
             outreach_job_list_model_set_search (model, NULL),
             g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), n - 1)));
  touch_first_page (G_LIST_MODEL (model));
  BEST_OF_5 (refresh_ms, , outreach_job_list_model_refresh (model));

  printf ("jobs=%u open_ms=%.1f counts_ms=%.1f filter_ms=%.1f search_ms=%.1f sort_name_ms=%.1f"
          " last_page_ms=%.1f refresh_ms=%.1f\n",
          n, open_ms, counts_ms, filter_ms, search_ms, sort_ms, last_ms, refresh_ms);
  g_clear_object (&model);
  return 0;
}
