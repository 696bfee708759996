/* test-suppress.c — the suppression list: `outreach suppress` and the core calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "outreach-suppression.h"
#include "outreach-test-util.h"

static const char *const headless[] = { "DISPLAY", "WAYLAND_DISPLAY", NULL };

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = outreach_test_make_tmp_dir ();
  f->db = g_build_filename (f->dir, "outreach.db", NULL);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
test_cli (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *csv = g_build_filename (f->dir, "donors.csv", NULL);
  g_auto (OutreachTestRun) import = { 0 };
  g_auto (OutreachTestRun) add = { 0 };
  g_auto (OutreachTestRun) add_phone = { 0 };
  g_auto (OutreachTestRun) list = { 0 };
  g_auto (OutreachTestRun) donors = { 0 };
  g_auto (OutreachTestRun) remove = { 0 };
  g_auto (OutreachTestRun) remove_again = { 0 };
  g_auto (OutreachTestRun) after = { 0 };
  g_auto (OutreachTestRun) bad_reason = { 0 };
  g_auto (OutreachTestRun) bad_address = { 0 };

  g_assert_true (g_file_set_contents (csv, "email,first_name\nada@example.org,Ada\n"
                                           "grace@example.org,Grace\n", -1, NULL));
  outreach_test_run_cli (&import, headless, "--db", f->db, "donors", "import", csv, NULL);
  g_assert_cmpint (import.exit_status, ==, 0);

  /* Case does not matter: the address matches the donor's. */
  outreach_test_run_cli (&add, headless, "--db", f->db, "suppress", "add", "Ada@EXAMPLE.org",
                         "--reason", "unsubscribed", NULL);
  g_assert_cmpint (add.exit_status, ==, 0);
  outreach_test_run_cli (&add_phone, headless, "--db", f->db, "suppress", "add",
                         "+1 (503) 555-0100", NULL);
  g_assert_cmpint (add_phone.exit_status, ==, 0);

  outreach_test_run_cli (&list, headless, "--db", f->db, "suppress", "list", NULL);
  g_assert_cmpint (list.exit_status, ==, 0);
  g_assert_nonnull (strstr (list.out, "Ada@example.org"));
  g_assert_nonnull (strstr (list.out, "unsubscribed"));
  g_assert_nonnull (strstr (list.out, "+15035550100"));
  g_assert_nonnull (strstr (list.out, "manual"));

  outreach_test_run_cli (&donors, headless, "--db", f->db, "donors", "list", "--json", NULL);
  g_assert_nonnull (strstr (donors.out, "\"email\":\"ada@example.org\""));
  g_assert_nonnull (strstr (strstr (donors.out, "ada@example.org"), "\"suppressed\":true"));
  g_assert_nonnull (strstr (strstr (donors.out, "grace@example.org"), "\"suppressed\":false"));

  outreach_test_run_cli (&remove, headless, "--db", f->db, "suppress", "remove",
                         "ada@example.org", NULL);
  g_assert_cmpint (remove.exit_status, ==, 0);
  outreach_test_run_cli (&remove_again, headless, "--db", f->db, "suppress", "remove",
                         "ada@example.org", NULL);
  g_assert_cmpint (remove_again.exit_status, ==, 3);
  g_assert_nonnull (strstr (remove_again.err, "not on the suppression list"));

  outreach_test_run_cli (&after, headless, "--db", f->db, "suppress", "list", NULL);
  g_assert_null (strstr (after.out, "example.org"));

  outreach_test_run_cli (&bad_reason, headless, "--db", f->db, "suppress", "add",
                         "x@example.org", "--reason", "bored", NULL);
  g_assert_cmpint (bad_reason.exit_status, ==, 2);
  outreach_test_run_cli (&bad_address, headless, "--db", f->db, "suppress", "add",
                         "not an address", NULL);
  g_assert_cmpint (bad_address.exit_status, ==, 3);
  g_assert_nonnull (strstr (bad_address.err, "not an address"));
}

static void
test_core (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GListModel) list = NULL;
  g_autoptr (OutreachSuppression) item = NULL;
  g_autoptr (GError) error = NULL;

  store = outreach_store_open (f->db, &error);
  g_assert_no_error (error);
  g_assert_true (outreach_suppression_add (store, "a@example.org", "bounced", &error));
  /* Adding again changes the reason, not the count. */
  g_assert_true (outreach_suppression_add (store, "A@example.org", "complained", &error));
  g_assert_no_error (error);
  list = outreach_suppression_list (store, &error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  item = g_list_model_get_item (list, 0);
  g_assert_cmpstr (outreach_suppression_get_reason (item), ==, "complained");
  g_assert_cmpint (outreach_suppression_get_created_at (item), >, 0);

  g_assert_false (outreach_suppression_add (store, "b@example.org", "whatever", &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/suppress/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/outreach/suppress/core", Fixture, NULL, fixture_set_up, test_core,
              fixture_tear_down);

  return g_test_run ();
}
