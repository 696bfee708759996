/* test-store.c — the database: created private, migrated, constrained, counted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "outreach-store.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->dir = outreach_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "sub", "outreach.db", NULL);
  f->store = outreach_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *journal = outreach_test_query_text (f->store, "PRAGMA journal_mode");
  struct stat st;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (outreach_test_query_int (f->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "PRAGMA user_version"), ==, OUTREACH_STORE_SCHEMA_VERSION);
  g_assert_cmpint (outreach_store_get_schema_version (f->store), ==, OUTREACH_STORE_SCHEMA_VERSION);

  /* Every table of DESIGN.md "Data". */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                        " AND name IN ('donors', 'suppressions', 'accounts',"
                                        " 'templates', 'settings', 'jobs', 'job_recipients',"
                                        " 'job_events')"), ==, 8);

  /* A newcomer can run a job at once: the folder account exists. */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM accounts WHERE name = 'Folder'"
                                        " AND kind = 'folder'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT value FROM settings WHERE key = 'history_keep'"),
                   ==, 100);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT value FROM settings WHERE key = 'parallel_jobs'"),
                   ==, 2);
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) again = NULL;

  g_assert_true (outreach_store_exec (f->store,
                                      "INSERT INTO suppressions (address, reason, created_at)"
                                      " VALUES ('a@example.org', 'bounced', 1)", &error));
  g_assert_no_error (error);

  /* A second connection (another thread or process) sees the same data
   * and migrates nothing twice. */
  again = outreach_store_reopen (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outreach_test_query_int (again, "SELECT count(*) FROM suppressions"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (again, "SELECT count(*) FROM accounts"), ==, 1);
  g_assert_cmpint (outreach_store_get_schema_version (again), ==, OUTREACH_STORE_SCHEMA_VERSION);
}

static void
test_default_path (void)
{
  g_autofree char *path = NULL;

  g_setenv ("OUTREACH_DB", "/tmp/elsewhere.db", TRUE);
  path = outreach_store_default_path ();
  g_assert_cmpstr (path, ==, "/tmp/elsewhere.db");
  g_clear_pointer (&path, g_free);

  g_unsetenv ("OUTREACH_DB");
  path = outreach_store_default_path ();
  g_assert_true (g_str_has_suffix (path, "/outreach/outreach.db"));
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
}

static gboolean
insert_job (OutreachStore *store,
            const char    *name,
            GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store,
                                               "INSERT INTO jobs (uuid, name, created_at, updated_at)"
                                               " VALUES (lower (hex (randomblob (18))), ?, 1, 1)",
                                               error);
  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return outreach_store_step_done (store, stmt, error);
}

static void
test_job_name (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *longest = g_strnfill (255, 'x');
  g_autofree char *too_long = g_strnfill (256, 'x');
  g_autoptr (GString) accents = g_string_new (NULL);
  const char *refused[] = { "", "   ", "\t\n", " padded ", too_long };

  /* 255 characters, not bytes: 255 × "é" is 510 bytes and fits. */
  for (int i = 0; i < 255; i++)
    g_string_append (accents, "é");

  g_assert_true (insert_job (f->store, "Spring appeal", NULL));
  g_assert_true (insert_job (f->store, longest, NULL));
  g_assert_true (insert_job (f->store, accents->str, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (insert_job (f->store, refused[i], &error));
      g_assert_error (error, OUTREACH_STORE_ERROR, OUTREACH_STORE_ERROR_CONSTRAINT);
    }

  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs"), ==, 3);
}

static void
test_checked_values (Fixture       *f,
                     gconstpointer  data)
{
  const char *refused[] = {
    "INSERT INTO jobs (uuid, name, status, created_at, updated_at)"
    " VALUES ('00000000-0000-0000-0000-000000000001', 'x', 'sending', 1, 1)",
    "INSERT INTO jobs (uuid, name, priority, created_at, updated_at)"
    " VALUES ('00000000-0000-0000-0000-000000000002', 'x', 5, 1, 1)",
    "INSERT INTO accounts (name, kind, created_at, updated_at) VALUES ('Fax', 'fax', 1, 1)",
    "INSERT INTO suppressions (address, reason, created_at) VALUES ('a@b.org', 'annoyed', 1)",
    "INSERT INTO donors (first_name, created_at, updated_at) VALUES ('No address', 1, 1)",
    "INSERT INTO donors (phone, created_at, updated_at) VALUES ('555-1234', 1, 1)",
    "INSERT INTO donors (email, extra, created_at, updated_at) VALUES ('a@b.org', '{bad', 1, 1)",
    "INSERT INTO settings (key, value) VALUES ('favourite_colour', 'blue')",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (outreach_store_exec (f->store, refused[i], &error));
      g_assert_error (error, OUTREACH_STORE_ERROR, OUTREACH_STORE_ERROR_CONSTRAINT);
    }

  /* Case-insensitive unique suppressions. */
  g_assert_true (outreach_store_exec (f->store, "INSERT INTO suppressions (address, created_at)"
                                                " VALUES ('Ada@Example.org', 1)", NULL));
  g_assert_false (outreach_store_exec (f->store, "INSERT INTO suppressions (address, created_at)"
                                                 " VALUES ('ada@example.ORG', 1)", NULL));
}

static void
assert_counters_match_rows (OutreachStore *store)
{
  const char *states[] = { "pending", "sent", "failed", "skipped", "uncertain", "cancelled",
                           "rejected" };

  g_assert_cmpint (outreach_test_query_int (store, "SELECT total FROM jobs"), ==,
                   outreach_test_query_int (store, "SELECT count(*) FROM job_recipients"));
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *counter = g_strdup_printf ("SELECT %s FROM jobs", states[i]);
      g_autofree char *rows = NULL;

      if (g_str_equal (states[i], "pending"))
        rows = g_strdup ("SELECT count(*) FROM job_recipients WHERE state IN"
                         " ('draft', 'approved', 'pending', 'claimed', 'retry-wait')");
      else
        rows = g_strdup_printf ("SELECT count(*) FROM job_recipients WHERE state = '%s'",
                                states[i]);
      g_assert_cmpint (outreach_test_query_int (store, counter), ==, outreach_test_query_int (store, rows));
    }
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (insert_job (f->store, "Counted", &error));
  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO job_recipients (job_id, address, state, updated_at) VALUES"
    " (1, 'a@x.org', 'pending', 1), (1, 'b@x.org', 'pending', 1), (1, 'c@x.org', 'draft', 1),"
    " (1, 'd@x.org', 'skipped', 1), (1, 'e@x.org', 'pending', 1)", &error));
  g_assert_no_error (error);
  assert_counters_match_rows (f->store);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs"), ==, 4);

  g_assert_true (outreach_store_exec (f->store,
    "UPDATE job_recipients SET state = 'claimed' WHERE address IN ('a@x.org', 'b@x.org');"
    "UPDATE job_recipients SET state = 'sent' WHERE address = 'a@x.org';"
    "UPDATE job_recipients SET state = 'uncertain' WHERE address = 'b@x.org';"
    "UPDATE job_recipients SET state = 'rejected' WHERE address = 'c@x.org';"
    "UPDATE job_recipients SET state = 'failed' WHERE address = 'e@x.org';", &error));
  g_assert_no_error (error);
  assert_counters_match_rows (f->store);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs"), ==, 0);

  g_assert_true (outreach_store_exec (f->store,
    "DELETE FROM job_recipients WHERE address = 'e@x.org'", &error));
  assert_counters_match_rows (f->store);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT total FROM jobs"), ==, 4);

  /* An address appears once per job, whatever its case. */
  g_assert_false (outreach_store_exec (f->store,
    "INSERT INTO job_recipients (job_id, address, updated_at) VALUES (1, 'A@X.ORG', 1)", NULL));

  /* Deleting the job deletes its recipients and log. */
  g_assert_true (outreach_store_exec (f->store, "DELETE FROM jobs", &error));
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients"), ==, 0);
}

/* The Jobs page's counts by status (job_status_counts) say what counting
 * the jobs says, after inserts, status changes and deletes. */
static void
assert_status_counts_match_jobs (OutreachStore *store)
{
  g_assert_cmpint (outreach_test_query_int (store,
    "SELECT count(*) FROM (SELECT status, n FROM job_status_counts WHERE n > 0"
    " EXCEPT SELECT status, count(*) FROM jobs GROUP BY status)"), ==, 0);
  g_assert_cmpint (outreach_test_query_int (store,
    "SELECT count(*) FROM (SELECT status, count(*) FROM jobs GROUP BY status"
    " EXCEPT SELECT status, n FROM job_status_counts)"), ==, 0);
}

static void
test_status_counts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) again = NULL;

  outreach_test_exec (f->store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
    " INSERT INTO jobs (uuid, name, kind, status, created_at, updated_at)"
    " SELECT printf ('00000000-0000-0000-0000-%012d', i), printf ('Job %d', i), 'send',"
    " CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'queued' WHEN 2 THEN 'completed' ELSE 'failed' END,"
    " i, i FROM n");
  assert_status_counts_match_jobs (f->store);
  g_assert_cmpint (outreach_test_query_int (f->store,
                     "SELECT n FROM job_status_counts WHERE status = 'queued'"), ==, 10);

  /* a change of status moves a job from one count to the other; other
   * changes of the row leave the counts alone */
  outreach_test_exec (f->store, "UPDATE jobs SET status = 'running' WHERE status = 'queued'");
  outreach_test_exec (f->store, "UPDATE jobs SET name = 'Renamed', status = status WHERE id <= 8");
  assert_status_counts_match_jobs (f->store);
  g_assert_cmpint (outreach_test_query_int (f->store,
                     "SELECT n FROM job_status_counts WHERE status = 'queued'"), ==, 0);
  outreach_test_exec (f->store, "DELETE FROM jobs WHERE status IN ('failed', 'running')");
  assert_status_counts_match_jobs (f->store);

  /* A database made before the counts (version 6) gets them by counting. */
  outreach_test_exec (f->store,
    "DROP TRIGGER job_status_counts_insert; DROP TRIGGER job_status_counts_delete;"
    " DROP TRIGGER job_status_counts_update; DROP TABLE job_status_counts;"
    " PRAGMA user_version = 6");
  outreach_test_exec (f->store, "UPDATE jobs SET status = 'cancelled' WHERE id = 4");
  g_clear_object (&f->store);
  again = outreach_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outreach_store_get_schema_version (again), ==, OUTREACH_STORE_SCHEMA_VERSION);
  assert_status_counts_match_jobs (again);
  g_assert_cmpint (outreach_test_query_int (again,
                     "SELECT n FROM job_status_counts WHERE status = 'cancelled'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outreach/store/default-path", test_default_path);
  g_test_add ("/outreach/store/create", Fixture, NULL, fixture_set_up, test_create,
              fixture_tear_down);
  g_test_add ("/outreach/store/reopen", Fixture, NULL, fixture_set_up, test_reopen,
              fixture_tear_down);
  g_test_add ("/outreach/store/job-name", Fixture, NULL, fixture_set_up, test_job_name,
              fixture_tear_down);
  g_test_add ("/outreach/store/checked-values", Fixture, NULL, fixture_set_up,
              test_checked_values, fixture_tear_down);
  g_test_add ("/outreach/store/counters", Fixture, NULL, fixture_set_up, test_counters,
              fixture_tear_down);
  g_test_add ("/outreach/store/status-counts", Fixture, NULL, fixture_set_up, test_status_counts,
              fixture_tear_down);

  return g_test_run ();
}
