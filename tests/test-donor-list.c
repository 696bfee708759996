/* test-donor-list.c — the Donors page's lazy model: loading, search, tags, reload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "outreach-donor-import.h"
#include "outreach-donor-index.h"
#include "outreach-donor-list.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  OutreachStore *store;
} Fixture;

static void
import_text (Fixture    *f,
             const char *text)
{
  g_autofree char *path = g_build_filename (f->dir, "donors.csv", NULL);
  g_autoptr (OutreachDonorImport) import = NULL;
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  import = outreach_donor_import_new (path);
  g_assert_true (outreach_donor_import_run (import, f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->store = outreach_test_new_store (&f->dir, NULL);
  import_text (f, "email,first_name,last_name,city,tags\n"
                  "ada@example.org,Ada,Lovelace,London,board;monthly\n"
                  "zoe@example.org,Zoë,Müller,Zürich,monthly\n"
                  "grace@example.org,Grace,Hopper,Arlington,\n");
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
wait_ready (OutreachDonorList *list)
{
  while (!outreach_donor_list_get_complete (list) || !outreach_donor_list_get_indexed (list))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_complete (OutreachDonorList *list)
{
  while (!outreach_donor_list_get_complete (list))
    g_main_context_iteration (NULL, TRUE);
}

static char *
emails (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (OutreachDonor) donor = g_list_model_get_item (model, i);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", outreach_donor_get_email (donor));
    }
  return g_string_free (out, FALSE);
}

static void
assert_filter (OutreachDonorList *list,
               const char        *search,
               const char        *tag,
               const char        *expected)
{
  g_autofree char *got = NULL;

  outreach_donor_list_set_filter (list, search, tag);
  wait_complete (list);
  got = emails (G_LIST_MODEL (list));
  g_assert_cmpstr (got, ==, expected);
}

static void
test_load (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (OutreachDonorList) list = outreach_donor_list_new (f->store);
  g_autoptr (OutreachDonor) zoe = NULL;
  g_autofree char *all = NULL;
  g_autofree char *name = NULL;

  wait_ready (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpuint (outreach_donor_list_get_total (list), ==, 3);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == OUTREACH_TYPE_DONOR);
  all = emails (G_LIST_MODEL (list));
  g_assert_cmpstr (all, ==, "ada@example.org zoe@example.org grace@example.org");
  zoe = g_list_model_get_item (G_LIST_MODEL (list), 1);
  name = outreach_donor_dup_display_name (zoe);
  g_assert_cmpstr (name, ==, "Zoë Müller");
  g_assert_cmpstr (outreach_donor_get_city (zoe), ==, "Zürich");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 3));
}

static void
test_search (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (OutreachDonorList) list = outreach_donor_list_new (f->store);

  wait_ready (list);
  /* Case and accents do not matter; any field; first and last name together. */
  assert_filter (list, "ZURICH", NULL, "zoe@example.org");
  assert_filter (list, "müller", NULL, "zoe@example.org");
  assert_filter (list, "ada love", NULL, "ada@example.org");
  assert_filter (list, "hopper", NULL, "grace@example.org");
  assert_filter (list, "example.org", NULL, "ada@example.org zoe@example.org grace@example.org");
  assert_filter (list, "nobody", NULL, "");
  /* Tags are whole words. */
  assert_filter (list, NULL, "monthly", "ada@example.org zoe@example.org");
  assert_filter (list, NULL, "month", "");
  assert_filter (list, "zo", "monthly", "zoe@example.org");
  assert_filter (list, NULL, NULL, "ada@example.org zoe@example.org grace@example.org");
}

static void
test_search_before_index (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (OutreachDonorList) list = outreach_donor_list_new (f->store);

  /* Right away, before the index is built, searching already works. */
  outreach_donor_list_set_filter (list, "hopper", NULL);
  while (!outreach_donor_list_get_complete (list))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  wait_ready (list);
}

static void
test_reload (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (OutreachDonorList) list = outreach_donor_list_new (f->store);

  wait_ready (list);
  assert_filter (list, "linus", NULL, "");
  import_text (f, "email,first_name,city\nlinus@example.org,Linus,Helsinki\n");
  outreach_donor_list_reload (list);
  wait_complete (list);
  /* Answered by SQL or by the new index: either way, Linus is found. */
  while (!outreach_donor_list_get_indexed (list))
    g_main_context_iteration (NULL, TRUE);
  wait_complete (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  assert_filter (list, NULL, NULL,
                 "ada@example.org zoe@example.org grace@example.org linus@example.org");
}

static void
test_many (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (GString) csv = g_string_new ("email,first_name\n");
  g_autoptr (OutreachDonorList) list = NULL;
  g_autoptr (OutreachDonor) last = NULL;
  g_autoptr (OutreachDonor) middle = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (csv, "d%u@example.org,Name%u\n", i, i);
  import_text (f, csv->str);
  list = outreach_donor_list_new (f->store);
  wait_ready (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5003);
  /* Items far apart come from different pages, fetched on demand. */
  last = g_list_model_get_item (G_LIST_MODEL (list), 5002);
  g_assert_cmpstr (outreach_donor_get_email (last), ==, "d4999@example.org");
  middle = g_list_model_get_item (G_LIST_MODEL (list), 2503);
  g_assert_cmpstr (outreach_donor_get_email (middle), ==, "d2500@example.org");
  outreach_donor_list_set_filter (list, "name49", NULL);
  wait_complete (list);
  /* name49, name490–499, name4900–4999 */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 111);
}

static void
test_fold (void)
{
  g_autofree char *folded = outreach_donor_index_fold ("Zürich ØYSTEIN Straße São");

  g_assert_cmpstr (folded, ==, "zurich øystein strasse sao");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/outreach/donor-list/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("load", test_load);
  ADD ("search", test_search);
  ADD ("search-before-index", test_search_before_index);
  ADD ("reload", test_reload);
  ADD ("many", test_many);
  g_test_add_func ("/outreach/donor-list/fold", test_fold);

  return g_test_run ();
}
