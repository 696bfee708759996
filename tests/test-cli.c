/* test-cli.c — the command line a newcomer types first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "outreach-store.h"
#include "outreach-test-util.h"

/* No display at all: a subcommand must never need GTK. */
static const char *const headless[] = { "DISPLAY", "WAYLAND_DISPLAY", "GDK_BACKEND=none", NULL };

static void
test_version (void)
{
  g_auto (OutreachTestRun) run = { 0 };

  outreach_test_run_cli (&run, headless, "--version", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_cmpstr (run.out, ==, "outreach " PACKAGE_VERSION "\n");
}

static void
test_help (void)
{
  g_auto (OutreachTestRun) run = { 0 };

  outreach_test_run_cli (&run, headless, "--help", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.out, "info"));
  g_assert_nonnull (strstr (run.out, "help COMMAND"));
  g_assert_nonnull (strstr (run.out, "--db PATH"));
}

static void
test_help_command (void)
{
  g_auto (OutreachTestRun) run = { 0 };
  g_auto (OutreachTestRun) unknown = { 0 };

  outreach_test_run_cli (&run, headless, "help", "info", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.out, "schema version"));
  g_assert_nonnull (strstr (run.out, "--db"));

  outreach_test_run_cli (&unknown, headless, "help", "frobnicate", NULL);
  g_assert_cmpint (unknown.exit_status, ==, 2);
}

static void
test_unknown_command (void)
{
  g_auto (OutreachTestRun) run = { 0 };
  g_auto (OutreachTestRun) option = { 0 };
  g_auto (OutreachTestRun) missing = { 0 };

  outreach_test_run_cli (&run, headless, "frobnicate", NULL);
  g_assert_cmpint (run.exit_status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "frobnicate"));
  g_assert_nonnull (strstr (run.err, "outreach --help"));

  outreach_test_run_cli (&option, headless, "--frob", "info", NULL);
  g_assert_cmpint (option.exit_status, ==, 2);

  outreach_test_run_cli (&missing, headless, "--db", NULL);
  g_assert_cmpint (missing.exit_status, ==, 2);
}

static void
test_info_new_database (void)
{
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "new", "outreach.db", NULL);
  g_auto (OutreachTestRun) run = { 0 };
  g_auto (OutreachTestRun) again = { 0 };
  g_autofree char *expected_path = NULL;
  struct stat st;

  outreach_test_run_cli (&run, headless, "--db", path, "info", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.exit_status, ==, 0);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  expected_path = g_strdup_printf ("Database:        %s\n", path);
  g_assert_true (g_str_has_prefix (run.out, expected_path));
  {
    g_autofree char *version = g_strdup_printf ("Schema version:  %d\n",
                                                OUTREACH_STORE_SCHEMA_VERSION);
    g_assert_nonnull (strstr (run.out, version));
  }
  g_assert_nonnull (strstr (run.out, "donors           0\n"));
  g_assert_nonnull (strstr (run.out, "accounts         1\n"));
  g_assert_nonnull (strstr (run.out, "jobs             0\n"));

  /* OUTREACH_DB names the same file; the option after the command works too. */
  {
    g_autofree char *env_db = g_strdup_printf ("OUTREACH_DB=%s", path);
    const char *env[] = { "DISPLAY", "WAYLAND_DISPLAY", env_db, NULL };
    outreach_test_run_cli (&again, env, "info", NULL);
    g_assert_cmpint (again.exit_status, ==, 0);
    g_assert_cmpstr (again.out, ==, run.out);
  }

  outreach_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outreach/cli/version", test_version);
  g_test_add_func ("/outreach/cli/help", test_help);
  g_test_add_func ("/outreach/cli/help-command", test_help_command);
  g_test_add_func ("/outreach/cli/unknown-command", test_unknown_command);
  g_test_add_func ("/outreach/cli/info-new-database", test_info_new_database);

  return g_test_run ();
}
