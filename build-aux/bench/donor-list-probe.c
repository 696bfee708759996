/* donor-list-probe.c — times the Donors page's model on a big database
 *
 * Usage: donor-list-probe DB TERM...
 * Prints, as build-aux/bench/donor-list.sh reads them:
 *   first_page_ms  from the start of main() to the first 50 donors in hand
 *   index_ms       until the search index is built (in the background)
 *   search_ms      for each TERM, from set_filter() to its first results in hand
 *   count_ms       until the full match count is known
 *   rss_mb         peak resident memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include "outreach-donor-list.h"

static gint64 t_start;
static gboolean changed;

static double
ms_since (gint64 t)
{
  return (g_get_monotonic_time () - t) / 1000.0;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  changed = TRUE;
}

static void
fetch_first_page (GListModel *model)
{
  guint n = MIN (50, g_list_model_get_n_items (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      g_assert (item != NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (OutreachDonorList) list = NULL;
  g_autoptr (GError) error = NULL;
  struct rusage usage;
  double first_page_ms;

  t_start = g_get_monotonic_time ();
  if (argc < 2)
    {
      g_printerr ("usage: donor-list-probe DB TERM...\n");
      return 2;
    }

  store = outreach_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("donor-list-probe: %s\n", error->message);
      return 1;
    }
  list = outreach_donor_list_new (store);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  while (g_list_model_get_n_items (G_LIST_MODEL (list)) < 50 &&
         !outreach_donor_list_get_complete (list))
    g_main_context_iteration (NULL, TRUE);
  fetch_first_page (G_LIST_MODEL (list));
  first_page_ms = ms_since (t_start);
  printf ("first_page_ms=%.1f\n", first_page_ms);

  while (!outreach_donor_list_get_indexed (list) || !outreach_donor_list_get_complete (list))
    g_main_context_iteration (NULL, TRUE);
  printf ("index_ms=%.1f donors=%u\n", ms_since (t_start), g_list_model_get_n_items (G_LIST_MODEL (list)));

  for (int i = 2; i < argc; i++)
    {
      gint64 t = g_get_monotonic_time ();
      double search_ms;

      changed = FALSE;
      outreach_donor_list_set_filter (list, argv[i], NULL);
      /* First results: the first items-changed, or the end of a search
       * that found nothing. */
      while (!changed && !outreach_donor_list_get_complete (list))
        g_main_context_iteration (NULL, TRUE);
      fetch_first_page (G_LIST_MODEL (list));
      search_ms = ms_since (t);
      while (!outreach_donor_list_get_complete (list))
        g_main_context_iteration (NULL, TRUE);
      printf ("term=%s search_ms=%.1f count_ms=%.1f matches=%u\n", argv[i], search_ms, ms_since (t),
              g_list_model_get_n_items (G_LIST_MODEL (list)));
    }

  getrusage (RUSAGE_SELF, &usage);
  printf ("rss_mb=%.0f\n", usage.ru_maxrss / 1024.0);
  return 0;
}
