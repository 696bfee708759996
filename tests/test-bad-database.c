/* test-bad-database.c — files Outreach must refuse without touching them
 *
 * Not a SQLite file, a database from a newer Outreach, a read-only file,
 * a database locked by another program: each gives its own GError and, on
 * the command line, one line on stderr and exit 3; the file's bytes are
 * the same afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "outreach-store.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = outreach_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "outreach.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  outreach_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
create_outreach_database (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (path, &error);

  g_assert_no_error (error);
}

/* Runs `outreach --db PATH info` and checks the refusal a user sees. */
static void
assert_cli_refuses (const char        *path,
                    const char *const *prefix_argv,
                    const char        *expected_words)
{
  g_auto (OutreachTestRun) run = { 0 };
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GBytes) before = outreach_test_read_bytes (path);
  g_autoptr (GBytes) after = NULL;
  const char *newline;

  for (guint i = 0; prefix_argv != NULL && prefix_argv[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) prefix_argv[i]);
  g_ptr_array_add (argv, (gpointer) outreach_test_binary ());
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, (gpointer) "info");
  g_ptr_array_add (argv, NULL);

  outreach_test_run_argv (&run, NULL, (const char *const *) argv->pdata);

  g_assert_cmpint (run.exit_status, ==, 3);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "outreach: "));
  newline = strchr (run.err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n"); /* exactly one line */
  g_assert_nonnull (strstr (run.err, path));
  g_assert_nonnull (strstr (run.err, expected_words));

  after = outreach_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
assert_open_refuses (const char *path,
                     int         code)
{
  g_autoptr (GBytes) before = outreach_test_read_bytes (path);
  g_autoptr (GBytes) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, OUTREACH_STORE_ERROR, code);
  after = outreach_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_not_sqlite (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (int i = 0; i < 200; i++)
    g_string_append_printf (text, "%d,Ada,Lovelace,ada%d@example.org\n", i, i);
  g_assert_true (g_file_set_contents (f->path, text->str, -1, NULL));

  assert_open_refuses (f->path, OUTREACH_STORE_ERROR_NOT_A_DATABASE);
  assert_cli_refuses (f->path, NULL, "not an Outreach database");
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  sqlite3 *db = NULL;

  create_outreach_database (f->path);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_open_refuses (f->path, OUTREACH_STORE_ERROR_TOO_NEW);
  assert_cli_refuses (f->path, NULL, "newer version of Outreach");
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  const char *as_nobody[] = { "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                              NULL };

  /* Root writes to a 0400 file anyway; an unprivileged user does not. */
  if (getuid () != 0)
    {
      g_test_skip ("needs root to run the command as nobody");
      return;
    }

  create_outreach_database (f->path);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  g_assert_cmpint (chown (f->path, 65534, 65534), ==, 0);
  g_assert_cmpint (g_chmod (f->path, 0400), ==, 0);

  assert_cli_refuses (f->path, as_nobody, "read-only");
}

/* Another program holds the database: exclusive locking mode and an open
 * write transaction (in WAL mode readers are otherwise let in). It must be
 * another process: closing a connection in this one would drop the
 * process's POSIX locks on the file. */
static const char holder_script[] =
  "import sqlite3, sys\n"
  "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
  "db.execute('PRAGMA locking_mode = EXCLUSIVE')\n"
  "db.execute('BEGIN EXCLUSIVE')\n"
  "db.execute(\"INSERT INTO suppressions (address, created_at) VALUES ('held@example.org', 1)\")\n"
  "print('held', flush=True)\n"
  "sys.stdin.read()\n";

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) holder = NULL;
  g_autoptr (GDataInputStream) holder_out = NULL;
  g_autofree char *line = NULL;

  create_outreach_database (f->path);

  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, "python3", "-c", holder_script, f->path, NULL);
  g_assert_no_error (error);
  holder_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line_utf8 (holder_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "held");

  assert_open_refuses (f->path, OUTREACH_STORE_ERROR_LOCKED);
  assert_cli_refuses (f->path, NULL, "locked by another program");

  g_output_stream_close (g_subprocess_get_stdin_pipe (holder), NULL, NULL);
  g_subprocess_wait_check (holder, NULL, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/bad-database/not-sqlite", Fixture, NULL, fixture_set_up,
              test_not_sqlite, fixture_tear_down);
  g_test_add ("/outreach/bad-database/newer-version", Fixture, NULL, fixture_set_up,
              test_newer_version, fixture_tear_down);
  g_test_add ("/outreach/bad-database/read-only", Fixture, NULL, fixture_set_up,
              test_read_only, fixture_tear_down);
  g_test_add ("/outreach/bad-database/locked", Fixture, NULL, fixture_set_up, test_locked,
              fixture_tear_down);

  return g_test_run ();
}
