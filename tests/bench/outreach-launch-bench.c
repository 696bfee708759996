/* outreach-launch-bench.c — helper of build-aux/bench/wizard-launch.sh (a benchmark, never a test)
 *
 * Fills a fresh database with N donors, then launches a job to all of
 * them the way the wizard's Review & launch does: outreach_job_draft_launch
 * in a GTask thread on its own connection, while the main loop ticks every
 * 5 ms. Prints the launch time and the longest gap between ticks, i.e.
 * how long a window would have been frozen.
 *
 *   outreach-launch-bench DB N
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <sys/resource.h>

#include "outreach-job-draft.h"
#include "outreach-job.h"

typedef struct
{
  GMainLoop *loop;
  gint64 last_tick_us;
  gint64 max_gap_us;
  gint64 job_id;
  gint64 progress_calls;
  GError *error;
} Run;

static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static gboolean
tick_cb (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  run->max_gap_us = MAX (run->max_gap_us, now - run->last_tick_us);
  run->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static void
progress_cb (gint64   done,
             gint64   total,
             gpointer user_data)
{
  g_atomic_int_inc ((int *) user_data);
}

static void
launch_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OutreachStore *main_store = source_object;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_reopen (main_store, &error);
  g_autoptr (OutreachJobDraft) draft = outreach_job_draft_new ();
  static int calls;
  gint64 id;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (draft->name);
  draft->name = g_strdup ("Launch benchmark");
  g_free (draft->subject);
  draft->subject = g_strdup ("Thank you, {{first_name}}");
  g_free (draft->text);
  draft->text = g_strdup ("Dear {{first_name}} {{last_name}},\nthank you for your gift of "
                          "{{last_gift_amount_formatted}}.\n{{unsubscribe_url}}\n");
  draft->account_id = 1;
  outreach_donor_selection_select_all (draft->selection, TRUE);
  if (g_getenv ("LAUNCH_BENCH_ENGINE_ONLY") != NULL)
    {
      /* For comparison: the engine's job creation alone, to all donors. */
      OutreachJobSpec spec = { .name = draft->name, .account_id = 1, .select = OUTREACH_JOB_SELECT_ALL,
                               .subject = draft->subject, .text = draft->text };

      id = outreach_job_create (store, &spec, &error);
    }
  else
    id = outreach_job_draft_launch (draft, store, progress_cb, &calls, &error);
  if (id == 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, id);
}

static void
launch_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;

  run->job_id = g_task_propagate_int (G_TASK (result), &run->error);
  g_main_loop_quit (run->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GTask) task = NULL;
  g_autofree char *fill = NULL;
  Run run = { 0 };
  gint64 n, start, elapsed_us, cpu_start, cpu_used, total = 0;
  guint tick;

  if (argc != 3)
    {
      g_printerr ("usage: %s DB N\n", argv[0]);
      return 2;
    }
  n = g_ascii_strtoll (argv[2], NULL, 10);
  store = outreach_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 3;
    }
  /* Donors as an import leaves them: 1 in 100 suppressed, 1 in 100 do-not-contact. */
  fill = g_strdup_printf ("WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %" G_GINT64_FORMAT ")"
                          " INSERT INTO donors (first_name, last_name, email, city, tags, do_not_contact,"
                          " last_gift_amount, last_gift_date, extra, created_at, updated_at)"
                          " SELECT 'First' || i, 'Last' || i, 'donor' || i || '@example.org',"
                          " 'City' || (i %% 50), 'tag' || (i %% 7) || ';all', (i %% 100) = 7,"
                          " (i * 37) %% 100000, '2026-0' || (1 + i %% 9) || '-1' || (i %% 10),"
                          " json_object ('favourite_program', 'Program ' || (i %% 5)),"
                          " 1, 1 FROM c;"
                          "INSERT INTO suppressions (address, reason, created_at)"
                          " SELECT email, 'unsubscribed', 1 FROM donors WHERE id %% 100 = 3;",
                          n);
  if (!outreach_store_exec (store, "BEGIN", &error) || !outreach_store_exec (store, fill, &error) ||
      !outreach_store_exec (store, "COMMIT", &error))
    {
      g_printerr ("%s\n", error->message);
      return 3;
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.last_tick_us = g_get_monotonic_time ();
  tick = g_timeout_add (5, tick_cb, &run);
  start = g_get_monotonic_time ();
  cpu_start = cpu_us ();
  run.last_tick_us = start;
  task = g_task_new (store, NULL, launch_done_cb, &run);
  g_task_run_in_thread (task, launch_thread);
  g_main_loop_run (run.loop);
  elapsed_us = g_get_monotonic_time () - start;
  cpu_used = cpu_us () - cpu_start;
  g_source_remove (tick);
  g_main_loop_unref (run.loop);
  if (run.job_id <= 0)
    {
      g_printerr ("launch failed: %s\n", run.error != NULL ? run.error->message : "?");
      return 3;
    }
  {
    sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT total FROM jobs WHERE id = ?", NULL);

    sqlite3_bind_int64 (stmt, 1, run.job_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      total = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
  }
  g_print ("launch-job: donors=%" G_GINT64_FORMAT " recipients=%" G_GINT64_FORMAT
           " launch_ms=%" G_GINT64_FORMAT " launch_cpu_ms=%" G_GINT64_FORMAT
           " max_main_loop_gap_ms=%" G_GINT64_FORMAT "\n",
           n, total, elapsed_us / 1000, cpu_used / 1000, run.max_gap_us / 1000);
  return 0;
}
