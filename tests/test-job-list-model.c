/* test-job-list-model.c — the lazy lists of jobs, recipients and log entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "outreach-job-list-model.h"
#include "outreach-job-query-events.h"
#include "outreach-job-query-recipients.h"
#include "outreach-job-query-watch.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
} Fixture;

/* Six jobs of every status; job 2 has 5 recipients (3 sent, 1 failed, 1 pending). */
static const char seed_sql[] =
  "INSERT INTO jobs (id, uuid, name, kind, status, created_at, updated_at, started_at, finished_at)"
  " VALUES"
  " (1, '00000000-0000-0000-0000-000000000001', 'Spring appeal', 'send', 'completed', 100, 200, 110, 200),"
  " (2, '00000000-0000-0000-0000-000000000002', 'Gala invitation', 'send', 'running', 300, 310, 305, NULL),"
  " (3, '00000000-0000-0000-0000-000000000003', 'Address check', 'verify', 'failed', 400, 420, 401, 420),"
  " (4, '00000000-0000-0000-0000-000000000004', 'Thank you 100%', 'send', 'cancelled', 500, 520, 501, 520),"
  " (5, '00000000-0000-0000-0000-000000000005', 'Autumn appeal', 'send', 'paused', 600, 620, 601, NULL),"
  " (6, '00000000-0000-0000-0000-000000000006', 'Draft newsletter', 'send', 'draft', 700, 700, NULL, NULL);"
  "INSERT INTO job_recipients (job_id, address, state, attempts, last_error, updated_at) VALUES"
  " (2, 'ada@example.org', 'sent', 1, NULL, 306), (2, 'grace@example.org', 'sent', 1, NULL, 307),"
  " (2, 'alan@example.org', 'failed', 8, 'mailbox full', 308),"
  " (2, 'edsger@example.org', 'sent', 2, NULL, 309), (2, 'barbara@example.org', 'pending', 0, NULL, 300);"
  "INSERT INTO job_events (job_id, time, level, kind, message) VALUES"
  " (2, 305000, 'info', 'started', 'Started'), (2, 308000, 'warning', 'retry', 'Retrying alan'),"
  " (2, 309000, 'error', 'failed-recipient', 'alan@example.org: mailbox full');";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->store = outreach_test_new_store (&f->dir, &f->path);
  g_assert_true (outreach_store_exec (f->store, seed_sql, &error));
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

/* The names in list order, joined with '|'. */
static char *
names (GListModel *model)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (OutreachJobQueryItem) row = g_list_model_get_item (model, i);
      g_string_append_printf (s, "%s%s", i ? "|" : "", outreach_job_query_item_get_data (row)->name);
    }
  return g_string_free (s, FALSE);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (OutreachJobListModel) model = outreach_job_list_model_new (f->store);
  g_autofree char *all = NULL, *active = NULL, *failed = NULL, *search = NULL, *percent = NULL;
  g_autofree char *verify = NULL, *range = NULL;

  all = names (G_LIST_MODEL (model));
  g_assert_cmpstr (all, ==, "Draft newsletter|Autumn appeal|Thank you 100%|Address check|"
                            "Gala invitation|Spring appeal");

  outreach_job_list_model_set_filter (model, OUTREACH_JOB_FILTER_ACTIVE);
  active = names (G_LIST_MODEL (model));
  g_assert_cmpstr (active, ==, "Autumn appeal|Gala invitation");

  outreach_job_list_model_set_filter (model, OUTREACH_JOB_FILTER_FAILED);
  failed = names (G_LIST_MODEL (model));
  g_assert_cmpstr (failed, ==, "Address check");

  outreach_job_list_model_set_filter (model, OUTREACH_JOB_FILTER_ALL);
  outreach_job_list_model_set_search (model, "APPEAL");
  search = names (G_LIST_MODEL (model));
  g_assert_cmpstr (search, ==, "Autumn appeal|Spring appeal");

  /* LIKE's own characters are taken literally. */
  outreach_job_list_model_set_search (model, "100%");
  percent = names (G_LIST_MODEL (model));
  g_assert_cmpstr (percent, ==, "Thank you 100%");
  outreach_job_list_model_set_search (model, "_");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  outreach_job_list_model_set_search (model, NULL);
  outreach_job_list_model_set_kind (model, "verify");
  verify = names (G_LIST_MODEL (model));
  g_assert_cmpstr (verify, ==, "Address check");

  outreach_job_list_model_set_kind (model, NULL);
  outreach_job_list_model_set_created_range (model, 300, 600);
  range = names (G_LIST_MODEL (model));
  g_assert_cmpstr (range, ==, "Thank you 100%|Address check|Gala invitation");
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (OutreachJobListModel) model = outreach_job_list_model_new (f->store);
  g_autofree char *by_name = NULL, *by_status = NULL, *oldest = NULL;

  outreach_job_list_model_set_sort (model, OUTREACH_JOB_SORT_NAME, FALSE);
  by_name = names (G_LIST_MODEL (model));
  g_assert_cmpstr (by_name, ==, "Address check|Autumn appeal|Draft newsletter|Gala invitation|"
                                "Spring appeal|Thank you 100%");

  outreach_job_list_model_set_sort (model, OUTREACH_JOB_SORT_STATUS, FALSE);
  by_status = names (G_LIST_MODEL (model));
  g_assert_true (g_str_has_prefix (by_status, "Gala invitation|Autumn appeal|Draft newsletter|"));

  outreach_job_list_model_set_sort (model, OUTREACH_JOB_SORT_CREATED, FALSE);
  oldest = names (G_LIST_MODEL (model));
  g_assert_true (g_str_has_prefix (oldest, "Spring appeal|Gala invitation|"));
}

static void
test_row_data (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachJobQueryItem) row = outreach_job_query_load (f->store, 2, &error);
  const OutreachJobData *d;
  gint64 counts[OUTREACH_JOB_STATUS_COUNT];

  g_assert_no_error (error);
  d = outreach_job_query_item_get_data (row);
  g_assert_cmpint (d->status, ==, OUTREACH_JOB_STATUS_RUNNING);
  g_assert_cmpint (d->total, ==, 5);
  g_assert_cmpint (d->sent, ==, 3);
  g_assert_cmpint (d->failed, ==, 1);
  g_assert_cmpint (outreach_job_query_item_get_done (row), ==, 4);
  g_assert_cmpfloat_with_epsilon (outreach_job_query_item_get_fraction (row), 0.8, 1e-9);
  g_assert_cmpint (outreach_job_query_item_get_duration (row, 335), ==, 30);

  g_assert_null (outreach_job_query_load (f->store, 99, &error));
  g_assert_error (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_NOT_FOUND);

  g_assert_true (outreach_job_query_count_by_status (f->store, counts, NULL));
  g_assert_cmpint (counts[OUTREACH_JOB_STATUS_RUNNING], ==, 1);
  g_assert_cmpint (counts[OUTREACH_JOB_STATUS_COMPLETED], ==, 1);
  g_assert_cmpint (counts[OUTREACH_JOB_STATUS_DRAFT], ==, 1);
}

static void
row_changed_cb (OutreachJobQueryItem *row,
                guint               *count)
{
  (*count)++;
}

static void
test_refresh_in_place (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (OutreachJobListModel) model = outreach_job_list_model_new (f->store);
  g_autoptr (OutreachJobQueryItem) gala = NULL;
  guint structural = 0, changed = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &structural);
  gala = g_list_model_get_item (G_LIST_MODEL (model), 4);
  g_assert_cmpstr (outreach_job_query_item_get_data (gala)->name, ==, "Gala invitation");
  g_signal_connect (gala, "changed", G_CALLBACK (row_changed_cb), &changed);

  /* Progress: the same object is updated, the list is not rebuilt. */
  g_assert_true (outreach_store_exec (f->store,
    "UPDATE job_recipients SET state = 'sent' WHERE address = 'barbara@example.org'", NULL));
  outreach_job_list_model_refresh (model);
  g_assert_cmpuint (structural, ==, 0);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (outreach_job_query_item_get_data (gala)->sent, ==, 4);

  /* Nothing changed: nothing emitted. */
  outreach_job_list_model_refresh (model);
  g_assert_cmpuint (changed, ==, 1);

  /* A new job: the list changes shape. */
  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO jobs (uuid, name, created_at, updated_at)"
    " VALUES ('00000000-0000-0000-0000-000000000007', 'Newest', 800, 800)", NULL));
  outreach_job_list_model_refresh (model);
  g_assert_cmpuint (structural, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 7);
}

static void
test_many_jobs (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (OutreachJobListModel) model = NULL;
  g_autoptr (OutreachJobQueryItem) last = NULL;
  g_autoptr (OutreachJobQueryItem) middle = NULL;

  g_assert_true (outreach_store_exec (f->store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
    " INSERT INTO jobs (uuid, name, status, created_at, updated_at)"
    " SELECT printf ('10000000-0000-0000-0000-%012d', i), printf ('Bulk %04d', i), 'completed',"
    " 1000 + i, 1000 + i FROM n", NULL));

  model = outreach_job_list_model_new (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2006);
  middle = g_list_model_get_item (G_LIST_MODEL (model), 1000);
  g_assert_cmpstr (outreach_job_query_item_get_data (middle)->name, ==, "Bulk 1000");
  last = g_list_model_get_item (G_LIST_MODEL (model), 2005);
  g_assert_cmpstr (outreach_job_query_item_get_data (last)->name, ==, "Spring appeal");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 2006));
}

static char *
addresses (GListModel *model)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (OutreachJobQueryRecipient) r = g_list_model_get_item (model, i);
      g_string_append_printf (s, "%s%s", i ? "|" : "",
                              outreach_job_query_recipient_get_data (r)->address);
    }
  return g_string_free (s, FALSE);
}

static void
test_recipients (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (OutreachJobQueryRecipients) model = outreach_job_query_recipients_new (f->store, 2);
  g_autoptr (OutreachJobQueryRecipient) alan = NULL;
  g_autofree char *all = NULL, *failed = NULL, *pending = NULL, *search = NULL;

  all = addresses (G_LIST_MODEL (model));
  g_assert_cmpstr (all, ==, "ada@example.org|grace@example.org|alan@example.org|"
                            "edsger@example.org|barbara@example.org");

  g_assert_true (outreach_job_query_recipients_set_state (model, "failed"));
  failed = addresses (G_LIST_MODEL (model));
  g_assert_cmpstr (failed, ==, "alan@example.org");
  alan = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (outreach_job_query_recipient_get_data (alan)->last_error, ==, "mailbox full");
  g_assert_cmpint (outreach_job_query_recipient_get_data (alan)->attempts, ==, 8);

  g_assert_true (outreach_job_query_recipients_set_state (model, "pending"));
  pending = addresses (G_LIST_MODEL (model));
  g_assert_cmpstr (pending, ==, "barbara@example.org");
  g_assert_false (outreach_job_query_recipients_set_state (model, "lost"));

  outreach_job_query_recipients_set_state (model, NULL);
  outreach_job_query_recipients_set_search (model, "GRACE");
  search = addresses (G_LIST_MODEL (model));
  g_assert_cmpstr (search, ==, "grace@example.org");
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (OutreachJobQueryEvents) model = outreach_job_query_events_new (f->store, 2);
  g_autoptr (OutreachJobQueryEvent) newest = NULL;
  g_autoptr (GPtrArray) milestones = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  newest = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (outreach_job_query_event_get_data (newest)->kind, ==, "failed-recipient");

  g_assert_true (outreach_job_query_events_set_min_level (model, "warning"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_true (outreach_job_query_events_set_min_level (model, "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_false (outreach_job_query_events_set_min_level (model, "loud"));

  milestones = outreach_job_query_milestones (f->store, 2, NULL);
  g_assert_cmpuint (milestones->len, ==, 1);
  g_assert_cmpstr (((OutreachJobMilestone *) milestones->pdata[0])->kind, ==, "started");
}

static void
test_throughput (Fixture       *f,
                 gconstpointer  data)
{
  guint counts[3];
  gint64 recent = -1;

  g_assert_true (outreach_job_query_throughput (f->store, 2, 305, 2, 3, counts, NULL));
  /* sent at 306, 307, 309; failed at 308 → buckets [305,307) [307,309) [309,…) */
  g_assert_cmpuint (counts[0], ==, 1);
  g_assert_cmpuint (counts[1], ==, 2);
  g_assert_cmpuint (counts[2], ==, 1);

  g_assert_true (outreach_job_query_recent_done (f->store, 2, 310, &recent, NULL));
  g_assert_cmpint (recent, ==, 4);
  g_assert_true (outreach_job_query_recent_done (f->store, 2, 1000, &recent, NULL));
  g_assert_cmpint (recent, ==, 0);
}

typedef struct
{
  guint changed;
  gint64 finished_id;
  int finished_status;
} WatchSeen;

static void
watch_changed_cb (OutreachJobQueryWatch *watch,
                  WatchSeen             *seen)
{
  seen->changed++;
}

static void
watch_finished_cb (OutreachJobQueryWatch *watch,
                   gint64                 id,
                   int                    status,
                   WatchSeen             *seen)
{
  seen->finished_id = id;
  seen->finished_status = status;
}

static void
test_watch_other_process (Fixture       *f,
                          gconstpointer  data)
{
  OutreachJobQueryWatch *watch = outreach_job_query_watch_get_for_store (f->store);
  g_auto (OutreachTestRun) run = { 0 };
  WatchSeen seen = { 0 };

  g_assert_true (watch == outreach_job_query_watch_get_for_store (f->store));
  g_signal_connect (watch, "changed", G_CALLBACK (watch_changed_cb), &seen);
  g_signal_connect (watch, "job-finished", G_CALLBACK (watch_finished_cb), &seen);

  /* Jobs 2 and 5 are active: the watch polls. */
  g_assert_cmpuint (outreach_job_query_watch_get_n_active (watch), ==, 2);
  g_assert_true (outreach_job_query_watch_is_polling (watch));

  /* Another process (sqlite3's own connection here: the CLI's is the same
   * thing) finishes job 2. */
  {
    g_autoptr (OutreachStore) other = outreach_store_open (f->path, NULL);
    g_assert_true (outreach_job_status_apply (other, 2, OUTREACH_JOB_STATUS_COMPLETED, NULL, NULL));
  }

  OUTREACH_TEST_WAIT_UNTIL (seen.finished_id != 0 && seen.changed != 0);
  g_assert_cmpint (seen.finished_id, ==, 2);
  g_assert_cmpint (seen.finished_status, ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpuint (seen.changed, >=, 1);

  /* Once nothing is active, no timer runs; another process's write still
   * wakes the watch (through the WAL file). */
  {
    g_autoptr (OutreachStore) other = outreach_store_open (f->path, NULL);
    g_assert_true (outreach_job_status_apply (other, 5, OUTREACH_JOB_STATUS_CANCELLED, NULL, NULL));
  }
  OUTREACH_TEST_WAIT_UNTIL (seen.finished_id == 5);
  g_assert_cmpint (seen.finished_id, ==, 5);
  g_assert_false (outreach_job_query_watch_is_polling (watch));

  seen.changed = 0;
  {
    g_autoptr (OutreachStore) other = outreach_store_open (f->path, NULL);
    g_assert_true (outreach_store_exec (other,
      "INSERT INTO jobs (uuid, name, status, created_at, updated_at)"
      " VALUES ('00000000-0000-0000-0000-000000000009', 'From cron', 'queued', 900, 900)", NULL));
  }
  OUTREACH_TEST_WAIT_UNTIL (seen.changed != 0);
  g_assert_cmpuint (seen.changed, >=, 1);
  g_assert_true (outreach_job_query_watch_is_polling (watch));
  (void) run;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/outreach/job-list-model/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("filters", test_filters);
  ADD ("sort", test_sort);
  ADD ("row-data", test_row_data);
  ADD ("refresh-in-place", test_refresh_in_place);
  ADD ("many-jobs", test_many_jobs);
  ADD ("recipients", test_recipients);
  ADD ("events", test_events);
  ADD ("throughput", test_throughput);
  ADD ("watch-other-process", test_watch_other_process);
#undef ADD

  return g_test_run ();
}
