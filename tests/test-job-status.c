/* test-job-status.c — every allowed and every refused job status transition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "outreach-job-status.h"
#include "outreach-test-util.h"

/* The lifecycle of DESIGN.md, written out pair by pair on purpose: it is
 * the specification the table in outreach-job-status.c must match. */
static const char *const expected_allowed[] = {
  "draft>queued",
  "queued>running", "queued>paused", "queued>cancelled",
  "running>paused", "running>completed", "running>failed", "running>cancelled",
  "paused>queued", "paused>running", "paused>completed", "paused>cancelled",
  "completed>queued",
  "failed>queued", "failed>completed", "failed>cancelled",
  "cancelled>queued",
};

static gboolean
expected (OutreachJobStatus from,
          OutreachJobStatus to)
{
  g_autofree char *pair = g_strdup_printf ("%s>%s", outreach_job_status_to_string (from),
                                           outreach_job_status_to_string (to));

  return g_strv_contains (expected_allowed, pair);
}

static void
test_table (void)
{
  guint allowed = 0;

  for (OutreachJobStatus from = 0; from < OUTREACH_JOB_STATUS_COUNT; from++)
    for (OutreachJobStatus to = 0; to < OUTREACH_JOB_STATUS_COUNT; to++)
      {
        g_test_message ("%s → %s", outreach_job_status_to_string (from),
                        outreach_job_status_to_string (to));
        g_assert_cmpint (outreach_job_status_can_transition (from, to), ==, expected (from, to));
        allowed += outreach_job_status_can_transition (from, to);
      }

  g_assert_cmpuint (allowed, ==, G_N_ELEMENTS (expected_allowed));
}

static void
test_names (void)
{
  for (OutreachJobStatus s = 0; s < OUTREACH_JOB_STATUS_COUNT; s++)
    {
      OutreachJobStatus back;
      g_assert_true (outreach_job_status_from_string (outreach_job_status_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
      g_assert_nonnull (outreach_job_status_get_label (s));
    }
  g_assert_false (outreach_job_status_from_string ("sending", &(OutreachJobStatus) { 0 }));

  g_assert_true (outreach_job_status_is_active (OUTREACH_JOB_STATUS_QUEUED));
  g_assert_true (outreach_job_status_is_active (OUTREACH_JOB_STATUS_RUNNING));
  g_assert_true (outreach_job_status_is_active (OUTREACH_JOB_STATUS_PAUSED));
  g_assert_false (outreach_job_status_is_active (OUTREACH_JOB_STATUS_DRAFT));
  g_assert_false (outreach_job_status_is_active (OUTREACH_JOB_STATUS_COMPLETED));
  g_assert_true (outreach_job_status_is_finished (OUTREACH_JOB_STATUS_CANCELLED));
  g_assert_false (outreach_job_status_is_finished (OUTREACH_JOB_STATUS_PAUSED));
}

static char *
job_column (OutreachStore *store,
            const char    *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM jobs WHERE id = 1", column);
  sqlite3_stmt *stmt = outreach_store_prepare (store, sql, NULL);
  char *value;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

/* Applies every pair to a real job row in a real database. */
static void
test_apply (void)
{
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "o.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (path, &error);

  g_assert_no_error (error);

  for (OutreachJobStatus from = 0; from < OUTREACH_JOB_STATUS_COUNT; from++)
    for (OutreachJobStatus to = 0; to < OUTREACH_JOB_STATUS_COUNT; to++)
      {
        g_autofree char *insert = g_strdup_printf (
          "DELETE FROM jobs;"
          "INSERT INTO jobs (id, uuid, name, status, created_at, updated_at, finished_at, error)"
          " VALUES (1, '11111111-2222-3333-4444-555555555555', 'Job', '%s', 1, 1, 7, 'old')",
          outreach_job_status_to_string (from));
        g_autofree char *status = NULL;
        g_autoptr (GError) apply_error = NULL;
        gboolean applied;

        g_assert_true (outreach_store_exec (store, insert, NULL));
        applied = outreach_job_status_apply (store, 1, to, "why", &apply_error);
        status = job_column (store, "status");

        if (expected (from, to))
          {
            g_autofree char *finished = job_column (store, "finished_at");
            g_autofree char *job_error = job_column (store, "error");

            g_assert_no_error (apply_error);
            g_assert_true (applied);
            g_assert_cmpstr (status, ==, outreach_job_status_to_string (to));
            g_assert_cmpstr (job_error, ==, "why");
            if (outreach_job_status_is_finished (to))
              g_assert_cmpstr (finished, !=, "7");
            else if (to == OUTREACH_JOB_STATUS_QUEUED)
              g_assert_null (finished);
          }
        else
          {
            g_autofree char *job_error = job_column (store, "error");

            g_assert_error (apply_error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_INVALID_TRANSITION);
            g_assert_false (applied);
            /* Refused means untouched. */
            g_assert_cmpstr (status, ==, outreach_job_status_to_string (from));
            g_assert_cmpstr (job_error, ==, "old");
            g_assert_nonnull (strstr (apply_error->message, outreach_job_status_to_string (from)));
          }
      }

  /* A job that does not exist. */
  g_assert_false (outreach_job_status_apply (store, 42, OUTREACH_JOB_STATUS_QUEUED, NULL, &error));
  g_assert_error (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_NOT_FOUND);

  g_clear_object (&store);
  outreach_test_remove_tree (dir);
}

/* started_at is set by the first run only; a run after a pause keeps it. */
static void
test_started_at (void)
{
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "o.db", NULL);
  g_autoptr (OutreachStore) store = outreach_store_open (path, NULL);
  g_autofree char *started = NULL;
  g_autofree char *started_again = NULL;

  g_assert_true (outreach_store_exec (store,
    "INSERT INTO jobs (id, uuid, name, status, created_at, updated_at)"
    " VALUES (1, '11111111-2222-3333-4444-555555555555', 'Job', 'queued', 1, 1)", NULL));
  g_assert_true (outreach_job_status_apply (store, 1, OUTREACH_JOB_STATUS_RUNNING, NULL, NULL));
  g_assert_true (outreach_store_exec (store, "UPDATE jobs SET started_at = 5", NULL));
  started = job_column (store, "started_at");
  g_assert_true (outreach_job_status_apply (store, 1, OUTREACH_JOB_STATUS_PAUSED, NULL, NULL));
  g_assert_true (outreach_job_status_apply (store, 1, OUTREACH_JOB_STATUS_RUNNING, NULL, NULL));
  started_again = job_column (store, "started_at");
  g_assert_cmpstr (started, ==, "5");
  g_assert_cmpstr (started_again, ==, "5");

  g_clear_object (&store);
  outreach_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outreach/job-status/table", test_table);
  g_test_add_func ("/outreach/job-status/names", test_names);
  g_test_add_func ("/outreach/job-status/apply", test_apply);
  g_test_add_func ("/outreach/job-status/started-at", test_started_at);

  return g_test_run ();
}
