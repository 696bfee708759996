/* outreach-job-query-watch.c — notices when jobs change, in this process or another
 *
 * Runner threads and the CLI write through their own connections. SQLite's
 * PRAGMA data_version on our connection moves whenever another connection
 * commits, so while any job is active the watch asks it every POLL_MS. While
 * nothing is active there is no timer at all: a file monitor on the WAL
 * (inotify) wakes us when another process writes, e.g. `outreach jobs run`
 * from cron. Changes made through our own connection are announced with
 * outreach_job_query_watch_poke().
 *
 * "changed" is emitted at most 5 times a second. "job-finished" and
 * "job-needs-attention" tell the application which jobs ended or were
 * recovered after a crash, for its notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query-watch"

#include "config.h"

#include "outreach-job-query-watch.h"

#define POLL_MS 500
#define MIN_INTERVAL_US (200 * G_TIME_SPAN_MILLISECOND) /* ≤ 5 "changed" a second */

struct _OutreachJobQueryWatch
{
  GObject parent_instance;

  OutreachStore *store; /* not owned: the store owns the watch */
  GFileMonitor *wal_monitor;
  gint64 data_version;
  GHashTable *active;  /* job id → status, as last seen */

  guint poll_id;
  guint emit_id;
  gint64 last_emit_us;
};

G_DEFINE_FINAL_TYPE (OutreachJobQueryWatch, outreach_job_query_watch, G_TYPE_OBJECT)

enum { CHANGED, JOB_FINISHED, JOB_NEEDS_ATTENTION, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
outreach_job_query_watch_dispose (GObject *object)
{
  OutreachJobQueryWatch *self = OUTREACH_JOB_QUERY_WATCH (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->emit_id, g_source_remove);
  if (self->wal_monitor != NULL)
    g_file_monitor_cancel (self->wal_monitor);
  g_clear_object (&self->wal_monitor);
  g_clear_pointer (&self->active, g_hash_table_unref);

  G_OBJECT_CLASS (outreach_job_query_watch_parent_class)->dispose (object);
}

static void
outreach_job_query_watch_class_init (OutreachJobQueryWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = outreach_job_query_watch_dispose;

  /**
   * OutreachJobQueryWatch::changed:
   *
   * Something in the jobs tables may have changed; lists read again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * OutreachJobQueryWatch::job-finished:
   * @job_id: the job
   * @status: its OutreachJobStatus now: completed, failed or cancelled
   */
  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_INT64, G_TYPE_INT);
  /**
   * OutreachJobQueryWatch::job-needs-attention:
   * @job_id: a job that was running and is now paused with a reason
   *   (recovered after a crash, or stopped by the runner)
   */
  signals[JOB_NEEDS_ATTENTION] = g_signal_new ("job-needs-attention", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
outreach_job_query_watch_init (OutreachJobQueryWatch *self)
{
}

static gint64
read_data_version (OutreachJobQueryWatch *self)
{
  sqlite3_stmt *stmt = outreach_store_prepare (self->store, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

static gboolean
emit_changed_cb (gpointer user_data)
{
  OutreachJobQueryWatch *self = user_data;

  self->emit_id = 0;
  self->last_emit_us = g_get_monotonic_time ();
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Coalesces: at most one "changed" per MIN_INTERVAL_US. */
static void
queue_changed (OutreachJobQueryWatch *self)
{
  gint64 wait_us;

  if (self->emit_id != 0)
    return;
  wait_us = self->last_emit_us + MIN_INTERVAL_US - g_get_monotonic_time ();
  if (wait_us <= 0)
    self->emit_id = g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed_cb, self, NULL);
  else
    self->emit_id = g_timeout_add_full (G_PRIORITY_DEFAULT, wait_us / 1000 + 1, emit_changed_cb,
                                        self, NULL);
}

static gboolean poll_cb (gpointer user_data);

/* Reads which jobs are active; announces those that ended or need attention. */
static void
update_active (OutreachJobQueryWatch *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) now_active = outreach_job_query_active_jobs (self->store, &error);
  GHashTableIter iter;
  gpointer key, value;

  if (now_active == NULL)
    {
      g_debug ("Could not read the active jobs: %s", error->message);
      return;
    }

  if (self->active != NULL)
    {
      g_hash_table_iter_init (&iter, self->active);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 id = *(gint64 *) key;
          OutreachJobStatus before = GPOINTER_TO_INT (value);
          gpointer after;

          if (g_hash_table_lookup_extended (now_active, &id, NULL, &after))
            {
              if (before == OUTREACH_JOB_STATUS_RUNNING &&
                  GPOINTER_TO_INT (after) == OUTREACH_JOB_STATUS_PAUSED)
                {
                  g_autoptr (OutreachJobQueryItem) row = outreach_job_query_load (self->store, id,
                                                                                 NULL);
                  if (row != NULL && outreach_job_query_item_get_data (row)->error != NULL)
                    g_signal_emit (self, signals[JOB_NEEDS_ATTENTION], 0, id);
                }
            }
          else
            {
              g_autoptr (OutreachJobQueryItem) row = outreach_job_query_load (self->store, id, NULL);
              if (row != NULL &&
                  outreach_job_status_is_finished (outreach_job_query_item_get_data (row)->status))
                g_signal_emit (self, signals[JOB_FINISHED], 0, id,
                               (int) outreach_job_query_item_get_data (row)->status);
            }
        }
    }

  g_clear_pointer (&self->active, g_hash_table_unref);
  self->active = g_steal_pointer (&now_active);

  /* Poll only while something can move on its own. */
  if (g_hash_table_size (self->active) > 0 && self->poll_id == 0)
    self->poll_id = g_timeout_add (POLL_MS, poll_cb, self);
  else if (g_hash_table_size (self->active) == 0)
    g_clear_handle_id (&self->poll_id, g_source_remove);
}

static void
check (OutreachJobQueryWatch *self,
       gboolean               force)
{
  gint64 version = read_data_version (self);

  if (!force && version == self->data_version)
    return;
  self->data_version = version;
  update_active (self);
  queue_changed (self);
}

static gboolean
poll_cb (gpointer user_data)
{
  OutreachJobQueryWatch *self = user_data;
  guint id = self->poll_id;

  check (self, FALSE);
  /* check() may have stopped polling (nothing active any more). */
  return self->poll_id == id && id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
wal_changed_cb (GFileMonitor      *monitor,
                GFile             *file,
                GFile             *other,
                GFileMonitorEvent  event,
                gpointer           user_data)
{
  check (OUTREACH_JOB_QUERY_WATCH (user_data), FALSE);
}

static void
store_gone_cb (gpointer data)
{
  OutreachJobQueryWatch *self = data;

  self->store = NULL;
  g_object_run_dispose (G_OBJECT (self));
  g_object_unref (self);
}

/**
 * outreach_job_query_watch_get_for_store:
 *
 * Returns: (transfer none): the one watch of @store's connection
 */
OutreachJobQueryWatch *
outreach_job_query_watch_get_for_store (OutreachStore *store)
{
  OutreachJobQueryWatch *self;
  g_autofree char *wal_path = NULL;
  g_autoptr (GFile) wal = NULL;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_get_data (G_OBJECT (store), "outreach-job-query-watch");
  if (self != NULL)
    return self;

  self = g_object_new (OUTREACH_TYPE_JOB_QUERY_WATCH, NULL);
  self->store = store;
  g_object_set_data_full (G_OBJECT (store), "outreach-job-query-watch", self, store_gone_cb);

  wal_path = g_strconcat (outreach_store_get_path (store), "-wal", NULL);
  wal = g_file_new_for_path (wal_path);
  self->wal_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL, NULL);
  if (self->wal_monitor != NULL)
    {
      g_file_monitor_set_rate_limit (self->wal_monitor, 200);
      g_signal_connect_object (self->wal_monitor, "changed", G_CALLBACK (wal_changed_cb), self, 0);
    }

  self->data_version = read_data_version (self);
  update_active (self);
  return self;
}

/* Our own connection changed jobs (data_version does not count those). */
void
outreach_job_query_watch_poke (OutreachJobQueryWatch *self)
{
  g_return_if_fail (OUTREACH_IS_JOB_QUERY_WATCH (self));

  if (self->store != NULL)
    check (self, TRUE);
}

/* Whether a timer runs (only while a job is active). */
gboolean
outreach_job_query_watch_is_polling (OutreachJobQueryWatch *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_WATCH (self), FALSE);

  return self->poll_id != 0;
}

guint
outreach_job_query_watch_get_n_active (OutreachJobQueryWatch *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_WATCH (self), 0);

  return self->active != NULL ? g_hash_table_size (self->active) : 0;
}
