/* test-job-control.c — pause, resume, cancel, retry, mark complete, delete,
 * duplicate, change account, review and history, on a real database file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include "outreach-job-control.h"
#include "outreach-job-lease.h"
#include "outreach-job-status.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->store = outreach_test_new_store (&f->dir, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Job 1, status @status, with @n recipients in @state. */
static void
make_job (Fixture *f, const char *status, int n, const char *state)
{
  g_autofree char *sql = NULL;

  outreach_test_exec (f->store, "INSERT INTO jobs (id, uuid, name, status, account_id, subject, text_body, created_at, updated_at)"
           " VALUES (1, '00000000-0000-4000-8000-000000000001', 'Spring appeal', 'draft', 1,"
           " 'Hi', 'Hello', 1, 1)");
  for (int i = 1; i <= n; i++)
    {
      g_autofree char *row = g_strdup_printf (
        "INSERT INTO job_recipients (job_id, address, state, updated_at)"
        " VALUES (1, 'donor%d@example.org', '%s', 1)", i, state);
      outreach_test_exec (f->store, row);
    }
  sql = g_strdup_printf ("UPDATE jobs SET status = '%s' WHERE id = 1", status);
  outreach_test_exec (f->store, sql);
}

static void
assert_counters_match (Fixture *f)
{
  /* every counter equals the recipient rows it counts */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs j WHERE"
                                 " total != (SELECT count(*) FROM job_recipients WHERE job_id = j.id)"
                                 " OR sent != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'sent')"
                                 " OR failed != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'failed')"
                                 " OR uncertain != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'uncertain')"
                                 " OR cancelled != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'cancelled')"),
                   ==, 0);
}

static void
test_pause_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *status = NULL;

  make_job (f, "queued", 3, "pending");
  g_assert_true (outreach_job_pause (f->store, 1, &error));
  g_assert_no_error (error);
  status = outreach_test_query_text (f->store, "SELECT status FROM jobs WHERE id = 1");
  g_assert_cmpstr (status, ==, "paused");

  g_assert_true (outreach_job_resume (f->store, 1, &error));
  g_free (status);
  status = outreach_test_query_text (f->store, "SELECT status FROM jobs WHERE id = 1");
  g_assert_cmpstr (status, ==, "queued");

  /* a completed job cannot be paused; the message says why */
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'sent'");
  outreach_test_exec (f->store, "UPDATE jobs SET status = 'completed' WHERE id = 1");
  g_assert_false (outreach_job_pause (f->store, 1, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "completed"));
  g_clear_error (&error);

  g_assert_false (outreach_job_pause (f->store, 42, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  make_job (f, "paused", 4, "pending");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'sent' WHERE address = 'donor1@example.org'");
  g_assert_true (outreach_job_cancel (f->store, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT cancelled FROM jobs WHERE id = 1"), ==, 3);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs WHERE id = 1"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs WHERE id = 1"), ==, 0);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT finished_at IS NOT NULL FROM jobs WHERE id = 1"), ==, 1);
  assert_counters_match (f);
}

static void
test_retry (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *status = NULL;

  make_job (f, "running", 6, "pending");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'sent' WHERE id <= 2");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'failed', attempts = 8, last_error = 'bad' WHERE id IN (3, 4)");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'uncertain', attempts = 1 WHERE id = 5");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'cancelled' WHERE id = 6");
  outreach_test_exec (f->store, "UPDATE jobs SET status = 'completed' WHERE id = 1");

  g_assert_true (outreach_job_retry (f->store, 1, OUTREACH_JOB_RETRY_FAILED, &error));
  g_assert_no_error (error);
  status = outreach_test_query_text (f->store, "SELECT status FROM jobs WHERE id = 1");
  g_assert_cmpstr (status, ==, "queued");
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs WHERE id = 1"), ==, 2);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT uncertain FROM jobs WHERE id = 1"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT max(attempts) FROM job_recipients WHERE state = 'pending'"), ==, 0);

  /* nothing failed any more: a clear "nothing to do" */
  g_assert_false (outreach_job_retry (f->store, 1, OUTREACH_JOB_RETRY_FAILED, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOTHING_TO_DO);
  g_clear_error (&error);

  g_assert_true (outreach_job_retry (f->store, 1, OUTREACH_JOB_RETRY_ALL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs WHERE id = 1"), ==, 4);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs WHERE id = 1"), ==, 2);
  assert_counters_match (f);
}

static void
test_mark_complete (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *status = NULL;

  make_job (f, "queued", 3, "pending");
  g_assert_false (outreach_job_mark_complete (f->store, 1, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  outreach_test_exec (f->store, "UPDATE jobs SET status = 'paused' WHERE id = 1");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'sent' WHERE id = 1");
  g_assert_true (outreach_job_mark_complete (f->store, 1, &error));
  g_assert_no_error (error);
  status = outreach_test_query_text (f->store, "SELECT status FROM jobs WHERE id = 1");
  g_assert_cmpstr (status, ==, "completed");
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs WHERE id = 1"), ==, 0);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT cancelled FROM jobs WHERE id = 1"), ==, 2);
}

static void
test_delete_refused_while_running (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *owner = g_strdup_printf ("%s:%d", g_get_host_name (), (int) getppid ());
  sqlite3_stmt *stmt;

  make_job (f, "running", 2, "pending");
  outreach_test_exec (f->store, "INSERT INTO job_events (job_id, time, kind, message) VALUES (1, 1, 'x', 'y')");
  stmt = outreach_store_prepare (f->store, "UPDATE jobs SET lease_owner = ?, lease_expires = 0", &error);
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_TRANSIENT);
  g_assert_true (outreach_store_step_done (f->store, stmt, &error));

  /* our parent process is alive: its lease holds, even past its expiry */
  g_assert_false (outreach_job_delete (f->store, 1, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_RUNNING);
  g_clear_error (&error);

  outreach_test_exec (f->store, "UPDATE jobs SET status = 'paused', lease_owner = NULL WHERE id = 1");
  g_assert_true (outreach_job_delete (f->store, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients"), ==, 0);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_events"), ==, 0);
}

static int
dead_pid (void)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "true", NULL };
  GPid pid;
  int status;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  waitpid (pid, &status, 0);
  return pid;
}

static void
test_recover_dead_owner (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *owner = g_strdup_printf ("%s:%d", g_get_host_name (), dead_pid ());
  g_autofree char *status = NULL;
  g_autofree char *message = NULL;
  sqlite3_stmt *stmt;
  guint recovered = 0;

  make_job (f, "running", 5, "pending");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'claimed' WHERE id <= 3");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'sent' WHERE id = 4");
  stmt = outreach_store_prepare (f->store, "UPDATE jobs SET lease_owner = ?, lease_expires = 99999999999", &error);
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_TRANSIENT);
  g_assert_true (outreach_store_step_done (f->store, stmt, &error));

  g_assert_true (outreach_job_recover_orphans (f->store, &recovered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (recovered, ==, 1);
  status = outreach_test_query_text (f->store, "SELECT status FROM jobs WHERE id = 1");
  g_assert_cmpstr (status, ==, "paused");
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT uncertain FROM jobs WHERE id = 1"), ==, 3);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs WHERE id = 1"), ==, 1);
  message = outreach_test_query_text (f->store, "SELECT error FROM jobs WHERE id = 1");
  g_assert_nonnull (strstr (message, "3 messages"));
  g_assert_nonnull (strstr (message, "uncertain"));
  assert_counters_match (f);

  /* the user asks for them again */
  g_assert_true (outreach_job_retry (f->store, 1, OUTREACH_JOB_RETRY_UNCERTAIN, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs WHERE id = 1"), ==, 4);
}

static void
test_duplicate_and_change_account (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  gint64 copy;

  make_job (f, "completed", 3, "sent");
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'skipped', last_error = 'suppressed' WHERE id = 3");
  copy = outreach_job_duplicate (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy, >, 1);
  name = outreach_test_query_text (f->store, "SELECT name FROM jobs ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (name, ==, "Spring appeal (copy)");
  status = outreach_test_query_text (f->store, "SELECT status FROM jobs ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (status, ==, "draft");
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs ORDER BY id DESC LIMIT 1"), ==, 2);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT skipped FROM jobs ORDER BY id DESC LIMIT 1"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT uuid != '00000000-0000-4000-8000-000000000001'"
                                 " FROM jobs ORDER BY id DESC LIMIT 1"), ==, 1);

  outreach_test_exec (f->store, "INSERT INTO accounts (name, kind, created_at, updated_at) VALUES ('Hook', 'webhook', 1, 1)");
  g_assert_true (outreach_job_change_account (f->store, copy, 2, &error));
  g_assert_no_error (error);
  g_assert_false (outreach_job_change_account (f->store, copy, 77, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* a completed job keeps the account it was sent with */
  g_assert_false (outreach_job_change_account (f->store, 1, 2, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_ALLOWED);
}

static void
test_review (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint count = 0;

  make_job (f, "queued", 4, "draft");
  outreach_test_exec (f->store, "UPDATE job_recipients SET donor_id = NULL");
  g_assert_true (outreach_job_reject (f->store, 1, "DONOR2@example.org", &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (outreach_job_approve (f->store, 1, NULL, &count, &error));
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT rejected FROM jobs"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE state = 'approved'"), ==, 3);

  g_assert_false (outreach_job_reject (f->store, 1, "nobody@example.org", &count, &error));
  g_assert_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND);
  assert_counters_match (f);
}

static void
test_purge_history (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint purged = 0;

  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO jobs (uuid, name, status, created_at, updated_at, finished_at)"
        " VALUES ('00000000-0000-4000-8000-00000000000%d', 'Job %d', '%s', %d, %d, %d)",
        i, i, i == 3 ? "queued" : "completed", i, i, i);
      outreach_test_exec (f->store, sql);
    }
  g_assert_true (outreach_job_purge_history (f->store, 2, &purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (purged, ==, 2);
  /* the active job and the two newest finished ones stay */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT group_concat (id) = '3,4,5' FROM (SELECT id FROM jobs ORDER BY id)"), ==, 1);

  g_assert_true (outreach_job_purge_history (f->store, 0, &purged, &error));
  g_assert_cmpuint (purged, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/outreach/job-control/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("pause-resume", test_pause_resume);
  ADD ("cancel", test_cancel);
  ADD ("retry", test_retry);
  ADD ("mark-complete", test_mark_complete);
  ADD ("delete-refused-while-running", test_delete_refused_while_running);
  ADD ("recover-dead-owner", test_recover_dead_owner);
  ADD ("duplicate-and-change-account", test_duplicate_and_change_account);
  ADD ("review", test_review);
  ADD ("purge-history", test_purge_history);
#undef ADD

  return g_test_run ();
}
