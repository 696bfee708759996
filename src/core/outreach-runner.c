/* outreach-runner.c — runs jobs in threads of their own and reports on the main context
 *
 * One job's thread (the GTask's, with its own GMainContext, SoupSession
 * and SQLite connection):
 *   1. takes the lease (recovering a dead runner's job first) and moves the
 *      job to running;
 *   2. starts the job's feeder thread, which owns the connection while the
 *      job runs: it claims recipients in batches (pending, approved, and
 *      retry-wait ones that are due) in one transaction — at most once: a
 *      claimed recipient is never claimed again by anyone —, never holding
 *      more than 256 claimed-but-unsent, renders them, and writes results
 *      back in batches (group commit, every 100 ms or 256 results),
 *      renewing the lease and re-reading the job's status there (the
 *      checkpoint where pause and cancel from anywhere take effect);
 *   3. meanwhile builds the provider's requests from the rendered messages
 *      and keeps up to `concurrency` of them in flight, recording each
 *      result for the feeder;
 *   4. when nothing is left, stops the feeder and moves the job to its
 *      final status.
 * Splitting the database and rendering work from the sending lets the two
 * use both cores (DESIGN.md's target: within a fifth of plain libsoup).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-runner"

#include "config.h"

#include "outreach-runner.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <string.h>
#endif

#include "outreach-account.h"
#include "outreach-job-control.h"
#include "outreach-job-lease.h"
#include "outreach-job-log.h"
#include "outreach-job-render.h"
#include "outreach-message.h"
#include "outreach-provider.h"
#include "outreach-settings.h"
#include "outreach-template.h"
#include "outreach-token-bucket.h"

#define CLAIM_BATCH 256
#define FLUSH_RESULTS 256
#define FLUSH_INTERVAL_MS 100
#define PROGRESS_INTERVAL_US (200 * 1000)  /* at most 5 signals per second */
#define REFUSALS_TO_FAIL 3
/* Requests in a row that did not reach the provider or got a 5xx, with no
 * message accepted in between: the provider (or the way to it) is down, and
 * going on would only burn every recipient's attempts. The job fails and
 * the rest stays pending, so resuming after the cause is fixed goes on. */
#define ERRORS_IN_ROW_TO_FAIL 50
#define MAX_BACKOFF_MS (5 * 60 * 1000)

struct _OutreachRunner
{
  GObject parent_instance;

  OutreachStore *store;     /* the owner's connection, for scheduling */
  GMainContext *context;    /* where signals are emitted */
  GHashTable *running;      /* job id → GCancellable */
  GSource *auto_start;      /* checks for due jobs while set */
};

#define AUTO_START_INTERVAL_S 5

G_DEFINE_FINAL_TYPE (OutreachRunner, outreach_runner, G_TYPE_OBJECT)

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A recipient claimed for sending. */
typedef struct
{
  gint64 id;
  gint64 donor_id;
  guint attempts;
  char *address;
  char *merge_data;
} Claimed;

static void
claimed_free (Claimed *c)
{
  g_free (c->address);
  g_free (c->merge_data);
  g_free (c);
}

/* A result waiting for the next group commit. */
typedef struct
{
  gint64 id;
  const char *state;   /* static */
  guint attempts;
  gint64 next_attempt_at;
  char *provider_id;
  char *error;
  char *excerpt;       /* logged with a provider error */
  OutreachJobLogLevel level;
  gboolean log;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->provider_id);
  g_free (r->error);
  g_free (r->excerpt);
}

typedef struct _Worker Worker;

typedef struct
{
  Worker *worker;
  SoupMessage *request;
  OutreachMessage **messages;
  guint n;
  gboolean body_sent;
} InFlight;

struct _Worker
{
  OutreachRunner *runner;   /* a ref; touched on the owner's context only */
  GMainContext *owner_context;
  GCancellable *cancellable;
  gint64 job_id;
  char *db_path;

  OutreachStore *store;
  GMainContext *context;
  GMainLoop *loop;
  SoupSession *session;
  OutreachProvider *provider;
  OutreachJobRenderer *renderer;  /* the feeder's */
  OutreachTokenBucket *account_bucket;
  OutreachTokenBucket *job_bucket;

  char *uuid;
  char *name;
  char *account_name;
  guint concurrency;
  guint max_batch;
  guint max_attempts;
  gboolean retry_ambiguous;
  gboolean review;

  /* The feeder thread does the database work and the rendering, so that
   * this thread only sends: it claims, renders into `ready`, and writes
   * the results that `record` leaves in `incoming` (group commit). The
   * fields below the mutex are shared; the rest belong to one side. */
  GMutex mutex;
  GCond cond;
  GThread *feeder;
  GQueue ready;             /* OutreachMessage*, rendered, claimed, not yet sent */
  GArray *incoming;         /* Result, from the sending thread */
  guint64 results_seq;      /* bumped for every result */
  gboolean exhausted;       /* the feeder's last claim found nothing to claim… */
  guint64 exhausted_seq;    /* …after writing the results up to this one */
  gint64 next_retry;        /* …and the earliest retry-wait is then (s), or 0 */
  gboolean quit;            /* the feeder ends */
  guint low_water;          /* the feeder claims more when `ready` is shorter */

  GArray *results;          /* Result: the feeder's batch being written */
  OutreachMessage *held;    /* sending side: could not join the last batch */
  guint in_flight;          /* requests */
  GSource *wake;
  gboolean pumping;

  gboolean stopping;        /* claim nothing more */
  gboolean stopped_outside; /* another process (or the UI) changed the status */
  OutreachJobStatus outside_status;
  char *fail_message;       /* the job fails with this */
  guint refusals;
  guint errors_in_row;      /* requests: transport errors and 5xx since the last success */
  gboolean done;

  gint64 last_progress_us;
  gint64 rate_mark_us;
  gint64 rate_mark_finished;
  double rate;
  OutreachJobStatus final_status;
  char *final_error;
};

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
worker_free (Worker *w)
{
  g_queue_clear_full (&w->ready, (GDestroyNotify) outreach_message_free);
  if (w->incoming != NULL)
    g_array_unref (w->incoming);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
  g_clear_pointer (&w->held, outreach_message_free);
  if (w->results != NULL)
    g_array_unref (w->results);
  g_clear_object (&w->session);
  g_clear_object (&w->provider);
  g_clear_pointer (&w->renderer, outreach_job_renderer_free);
  g_clear_pointer (&w->account_bucket, outreach_token_bucket_unref);
  g_clear_pointer (&w->job_bucket, outreach_token_bucket_unref);
  g_clear_object (&w->store);
  g_clear_pointer (&w->loop, g_main_loop_unref);
  g_clear_pointer (&w->context, g_main_context_unref);
  g_clear_object (&w->cancellable);
  g_clear_object (&w->runner);
  g_clear_pointer (&w->owner_context, g_main_context_unref);
  g_free (w->db_path);
  g_free (w->uuid);
  g_free (w->name);
  g_free (w->account_name);
  g_free (w->fail_message);
  g_free (w->final_error);
  g_free (w);
}

/* ---- progress, on the owner's context ---- */

typedef struct
{
  OutreachRunner *runner;
  gint64 job_id;
  OutreachJobProgress progress;
} ProgressCall;

static gboolean
emit_progress_cb (gpointer data)
{
  ProgressCall *call = data;

  g_signal_emit (call->runner, signals[SIGNAL_PROGRESS], 0, call->job_id, &call->progress);
  g_object_unref (call->runner);
  g_free (call);
  return G_SOURCE_REMOVE;
}

static gboolean
read_progress (Worker              *w,
               OutreachJobProgress *p)
{
  sqlite3_stmt *stmt = outreach_store_prepare (w->store,
                                               "SELECT total, pending, sent, failed, skipped,"
                                               " uncertain, cancelled, rejected FROM jobs WHERE id = ?",
                                               NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->job_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  p->total = sqlite3_column_int64 (stmt, 0);
  p->pending = sqlite3_column_int64 (stmt, 1);
  p->sent = sqlite3_column_int64 (stmt, 2);
  p->failed = sqlite3_column_int64 (stmt, 3);
  p->skipped = sqlite3_column_int64 (stmt, 4);
  p->uncertain = sqlite3_column_int64 (stmt, 5);
  p->cancelled = sqlite3_column_int64 (stmt, 6);
  p->rejected = sqlite3_column_int64 (stmt, 7);
  sqlite3_reset (stmt);
  return TRUE;
}

static void
post_progress (Worker  *w,
               gboolean force)
{
  gint64 now = g_get_monotonic_time ();
  ProgressCall *call;
  gint64 finished;

  if (!force && now - w->last_progress_us < PROGRESS_INTERVAL_US)
    return;
  w->last_progress_us = now;

  call = g_new0 (ProgressCall, 1);
  if (!read_progress (w, &call->progress))
    {
      g_free (call);
      return;
    }
  finished = call->progress.total - call->progress.pending;
  if (w->rate_mark_us == 0)
    {
      w->rate_mark_us = now;
      w->rate_mark_finished = finished;
    }
  else if (now - w->rate_mark_us >= G_USEC_PER_SEC)
    {
      w->rate = (finished - w->rate_mark_finished) * (double) G_USEC_PER_SEC / (now - w->rate_mark_us);
      w->rate_mark_us = now;
      w->rate_mark_finished = finished;
    }
  call->progress.rate = w->rate;
  call->runner = g_object_ref (w->runner);
  call->job_id = w->job_id;
  g_main_context_invoke (w->owner_context, emit_progress_cb, call);
}

/* ---- group commit and the checkpoint ---- */

static gboolean
write_results (Worker  *w,
               GError **error)
{
  sqlite3_stmt *stmt;
  gint64 now = now_ms () / 1000;

  if (w->results->len == 0)
    return TRUE;
  /* prepared (looked up) once per batch, not once per row */
  stmt = outreach_store_prepare (w->store,
                                 "UPDATE job_recipients SET state = ?2, attempts = ?3,"
                                 " next_attempt_at = ?4, provider_message_id = coalesce (?5, provider_message_id),"
                                 " last_error = ?6, updated_at = ?7,"
                                 /* not sent after all (released, refused): not attempted either */
                                 " first_attempt_at = CASE WHEN ?3 = 0 THEN NULL ELSE first_attempt_at END"
                                 " WHERE id = ?1 AND state = 'claimed'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < w->results->len; i++)
    {
      Result *r = &g_array_index (w->results, Result, i);

      sqlite3_clear_bindings (stmt);
      sqlite3_bind_int64 (stmt, 1, r->id);
      sqlite3_bind_text (stmt, 2, r->state, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, r->attempts);
      if (r->next_attempt_at > 0)
        sqlite3_bind_int64 (stmt, 4, r->next_attempt_at);
      if (r->provider_id != NULL)
        sqlite3_bind_text (stmt, 5, r->provider_id, -1, SQLITE_STATIC);
      if (r->error != NULL)
        sqlite3_bind_text (stmt, 6, r->error, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!outreach_store_step_done (w->store, stmt, error))
        return FALSE;

      if (r->log &&
          !outreach_job_log (w->store, w->job_id, r->level,
                             g_str_equal (r->state, "retry-wait") ? "retry" : "delivery",
                             r->excerpt, error,
                             g_str_equal (r->state, "retry-wait")
                               ? _("Recipient %" G_GINT64_FORMAT ": attempt %u not taken, will retry: %s")
                               : _("Recipient %" G_GINT64_FORMAT ": attempt %u: %s"),
                             r->id, g_str_equal (r->state, "pending") ? r->attempts + 1 : r->attempts,
                             r->error != NULL ? r->error : ""))
        return FALSE;
    }
  return TRUE;
}

/* Reads the status another process may have changed; sets stopping. */
static gboolean
checkpoint_locked (Worker  *w,
                   GError **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (w->store,
                                               "SELECT status, lease_owner FROM jobs WHERE id = ?",
                                               error);
  OutreachJobStatus status = OUTREACH_JOB_STATUS_CANCELLED;
  gboolean ours;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      outreach_job_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status);
      ours = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), outreach_job_lease_owner_self ()) == 0;
    }
  else
    ours = FALSE; /* deleted under us: nothing to record any more */
  sqlite3_reset (stmt);

  if (status != OUTREACH_JOB_STATUS_RUNNING || !ours)
    {
      g_mutex_lock (&w->mutex);
      if (!w->stopped_outside)
        g_debug ("job %" G_GINT64_FORMAT " became %s elsewhere; stopping",
                 w->job_id, outreach_job_status_to_string (status));
      w->stopping = TRUE;
      w->stopped_outside = TRUE;
      w->outside_status = status;
      g_mutex_unlock (&w->mutex);
      return TRUE;
    }
  return outreach_job_lease_renew (w->store, w->job_id, error);
}

static void
clear_results (Worker *w)
{
  for (guint i = 0; i < w->results->len; i++)
    result_clear (&g_array_index (w->results, Result, i));
  g_array_set_size (w->results, 0);
}

/* The database went away under us (disk full, file removed): stop. */
static void
worker_database_failed (Worker       *w,
                        const GError *error)
{
  g_warning ("job %" G_GINT64_FORMAT ": %s", w->job_id, error->message);
  g_mutex_lock (&w->mutex);
  w->stopping = TRUE;
  if (w->fail_message == NULL)
    w->fail_message = g_strdup (error->message);
  g_mutex_unlock (&w->mutex);
}

static void pump (Worker *w);

/* Sending side: a result for the next group commit. */
static void
add_result (Worker *w,
            Result *r)
{
  g_mutex_lock (&w->mutex);
  g_array_append_val (w->incoming, *r);
  w->results_seq++;
  if (w->incoming->len >= FLUSH_RESULTS)
    g_cond_signal (&w->cond);
  g_mutex_unlock (&w->mutex);
}

/* ---- claiming (feeder) ---- */

static const char *const claim_sql[] = {
  /* retries that are due first, so they are not starved by new recipients */
  "UPDATE job_recipients SET state = 'claimed', attempts = attempts + 1, updated_at = ?3,"
  " first_attempt_at = coalesce (first_attempt_at, ?3)"
  " WHERE id IN (SELECT id FROM job_recipients WHERE job_id = ?1 AND state = 'retry-wait'"
  "   AND next_attempt_at <= ?3 ORDER BY id LIMIT ?2)"
  " RETURNING id, donor_id, address, merge_data, attempts",
  "UPDATE job_recipients SET state = 'claimed', attempts = attempts + 1, updated_at = ?3,"
  " first_attempt_at = coalesce (first_attempt_at, ?3)"
  " WHERE id IN (SELECT id FROM job_recipients WHERE job_id = ?1 AND state = 'approved'"
  "   ORDER BY id LIMIT ?2)"
  " RETURNING id, donor_id, address, merge_data, attempts",
  "UPDATE job_recipients SET state = 'claimed', attempts = attempts + 1, updated_at = ?3,"
  " first_attempt_at = coalesce (first_attempt_at, ?3)"
  " WHERE id IN (SELECT id FROM job_recipients WHERE job_id = ?1 AND state = 'pending'"
  "   ORDER BY id LIMIT ?2)"
  " RETURNING id, donor_id, address, merge_data, attempts",
};

static int
compare_claimed (gconstpointer a,
                 gconstpointer b)
{
  const Claimed *ca = *(const Claimed *const *) a;
  const Claimed *cb = *(const Claimed *const *) b;

  return ca->id < cb->id ? -1 : ca->id > cb->id;
}

/* Nobody suppressed is ever sent to, even when the address was added to
 * the suppression list after the job was created: such a claimed
 * recipient becomes skipped with the reason (one indexed lookup each). */
static gboolean
skip_suppressed (Worker     *w,
                 GPtrArray  *rows,
                 GError    **error)
{
  for (guint i = 0; i < rows->len;)
    {
      Claimed *c = rows->pdata[i];
      sqlite3_stmt *stmt = outreach_store_prepare (w->store,
                                                   "SELECT reason FROM suppressions WHERE address = ?",
                                                   error);
      g_autofree char *reason = NULL;
      g_autofree char *message = NULL;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, c->address, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (reason == NULL)
        {
          i++;
          continue;
        }

      message = g_strdup_printf (_("The address is on the suppression list (%s)"), reason);
      stmt = outreach_store_prepare (w->store,
                                     "UPDATE job_recipients SET state = 'skipped', attempts = attempts - 1,"
                                     " first_attempt_at = CASE WHEN attempts = 1 THEN NULL ELSE first_attempt_at END,"
                                     " last_error = ?2, updated_at = ?3 WHERE id = ?1 AND state = 'claimed'",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, c->id);
      sqlite3_bind_text (stmt, 2, message, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now_ms () / 1000);
      if (!outreach_store_step_done (w->store, stmt, error))
        return FALSE;
      claimed_free (g_ptr_array_steal_index (rows, i));
    }
  return TRUE;
}

/* One transaction: the results in w->results, the checkpoint (status,
 * lease), then a claim of up to @want recipients. Returns the claimed
 * rows in recipient order (empty on a database error, which stops the job). */
static GPtrArray *
commit_and_claim (Worker *w,
                  guint   want)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new ();
  gint64 now = now_ms () / 1000;
  gboolean stopped;
  int rc;

  if (!outreach_store_begin (w->store, &error))
    goto fail;
  if (!write_results (w, &error) || !checkpoint_locked (w, &error))
    goto rollback;

  g_mutex_lock (&w->mutex);
  stopped = w->stopping;
  g_mutex_unlock (&w->mutex);

  for (guint q = 0; q < G_N_ELEMENTS (claim_sql) && want > 0 && !stopped; q++)
    {
      sqlite3_stmt *stmt = outreach_store_prepare (w->store, claim_sql[q], &error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, w->job_id);
      sqlite3_bind_int (stmt, 2, want);
      sqlite3_bind_int64 (stmt, 3, now);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Claimed *c = g_new0 (Claimed, 1);
          c->id = sqlite3_column_int64 (stmt, 0);
          c->donor_id = sqlite3_column_int64 (stmt, 1);
          c->address = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          c->merge_data = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          c->attempts = sqlite3_column_int (stmt, 4);
          g_ptr_array_add (rows, c);
          want--;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          outreach_store_set_error (w->store, rc, _("claim recipients"), &error);
          goto rollback;
        }
    }

  if (rows->len > 0 && !skip_suppressed (w, rows, &error))
    goto rollback;

  if (!outreach_store_commit (w->store, &error))
    goto rollback;
  clear_results (w);
  /* RETURNING gives no order; send in recipient order. */
  g_ptr_array_sort (rows, compare_claimed);
  return rows;

rollback:
  outreach_store_rollback (w->store);
fail:
  for (guint i = 0; i < rows->len; i++)
    claimed_free (rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
  /* the results could not be written: they are kept (the next commit, or
   * the end of the job, writes them) and the job stops */
  worker_database_failed (w, error);
  return rows;
}

/* ---- rendering (feeder) ---- */

static OutreachMessage *
render (Worker  *w,
        Claimed *c)
{
  return outreach_job_renderer_render (w->renderer, c->id, c->donor_id, c->address, c->merge_data, c->attempts);
}

static gboolean pump_idle_cb (gpointer data);

/* The earliest retry-wait time, in seconds, or 0 when none waits. */
static gint64
next_retry_at (Worker *w)
{
  sqlite3_stmt *stmt = outreach_store_prepare (w->store,
                                               "SELECT min (next_attempt_at) FROM job_recipients"
                                               " WHERE job_id = ? AND state = 'retry-wait'",
                                               NULL);
  gint64 at = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, w->job_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return at;
}

/* Wakes the sending thread (it pumps on its own context). */
static void
wake_sender (Worker *w)
{
  g_main_context_invoke (w->context, pump_idle_cb, w);
}

#define RENDER_CHUNK 32
#define CHECKPOINT_US (G_USEC_PER_SEC)

static gpointer
feeder_thread (gpointer data)
{
  Worker *w = data;
  gint64 last_commit = g_get_monotonic_time ();

  g_mutex_lock (&w->mutex);
  while (!w->quit)
    {
      gint64 now = g_get_monotonic_time ();
      guint unsent = g_queue_get_length (&w->ready);
      gboolean retry_due = w->next_retry > 0 && now_ms () / 1000 >= w->next_retry;
      gboolean want_claim = !w->stopping && unsent < w->low_water &&
                            (!w->exhausted || w->exhausted_seq != w->results_seq || retry_due);
      gboolean flush_due = w->incoming->len >= FLUSH_RESULTS ||
                           (w->incoming->len > 0 && now - last_commit >= FLUSH_INTERVAL_MS * 1000) ||
                           now - last_commit >= CHECKPOINT_US;
      g_autoptr (GPtrArray) rows = NULL;
      GArray *swap;
      guint64 seq;
      guint want;
      gint64 retry_at = 0;

      if (!want_claim && !flush_due)
        {
          g_cond_wait_until (&w->cond, &w->mutex, now + FLUSH_INTERVAL_MS * 1000);
          continue;
        }

      /* take the results over; keep claimed-but-not-in-flight within one
       * claim batch, so a crash leaves at most concurrency + 256 uncertain */
      swap = w->results;
      w->results = w->incoming;
      w->incoming = swap;
      seq = w->results_seq;
      want = want_claim ? CLAIM_BATCH - MIN (unsent, CLAIM_BATCH) : 0;
      g_mutex_unlock (&w->mutex);

      rows = commit_and_claim (w, want);
      last_commit = g_get_monotonic_time ();
      post_progress (w, FALSE);
      if (want > 0 && rows->len == 0)
        retry_at = next_retry_at (w);

      for (guint i = 0; i < rows->len; i += RENDER_CHUNK)
        {
          OutreachMessage *chunk[RENDER_CHUNK];
          guint n = MIN (RENDER_CHUNK, rows->len - i);

          for (guint j = 0; j < n; j++)
            {
              chunk[j] = render (w, rows->pdata[i + j]);
              claimed_free (rows->pdata[i + j]);
            }
          g_mutex_lock (&w->mutex);
          for (guint j = 0; j < n; j++)
            g_queue_push_tail (&w->ready, chunk[j]);
          g_mutex_unlock (&w->mutex);
          wake_sender (w);
        }

      g_mutex_lock (&w->mutex);
      if (want > 0)
        {
          w->exhausted = rows->len == 0;
          w->exhausted_seq = seq;
          w->next_retry = w->exhausted ? retry_at : 0;
        }
      wake_sender (w);
    }
  g_mutex_unlock (&w->mutex);
  return NULL;
}

/* ---- results (sending thread) ---- */

static gint64
backoff_ms (guint attempts)
{
  gint64 base = 1000 * ((gint64) 1 << MIN (attempts > 0 ? attempts - 1 : 0, 12));

  base = MIN (base, MAX_BACKOFF_MS);
  /* jitter: between half and the whole of it, so retries do not march in step */
  return base / 2 + g_random_int_range (0, (int) (base / 2) + 1);
}

static void
record (Worker           *w,
        OutreachMessage  *m,
        OutreachDelivery *d,
        gint64            now_us)
{
  Result r = { 0 };
  OutreachDeliveryOutcome outcome = d->outcome;

  r.id = m->recipient_id;
  r.attempts = m->attempts;
  r.level = OUTREACH_JOB_LOG_WARNING;

  if (outcome == OUTREACH_DELIVERY_UNCERTAIN && w->retry_ambiguous)
    outcome = OUTREACH_DELIVERY_RETRY;

  switch (outcome)
    {
    case OUTREACH_DELIVERY_SENT:
      w->refusals = 0;
      r.state = "sent";
      r.provider_id = g_steal_pointer (&d->provider_id);
      break;

    case OUTREACH_DELIVERY_RETRY:
      if (m->attempts >= w->max_attempts)
        {
          r.state = "failed";
          r.error = g_strdup_printf (_("Gave up after %u attempts: %s"), m->attempts,
                                     d->error != NULL ? d->error : "");
          r.log = TRUE;
          r.level = OUTREACH_JOB_LOG_ERROR;
          r.excerpt = g_steal_pointer (&d->excerpt);
        }
      else
        {
          gint64 wait = d->retry_after_ms >= 0 ? MIN (d->retry_after_ms, 3600 * 1000)
                                               : backoff_ms (m->attempts);
          r.state = "retry-wait";
          /* next_attempt_at is in whole seconds: round up, never early */
          r.next_attempt_at = (now_us / 1000 + wait + 999) / 1000;
          r.error = g_steal_pointer (&d->error);
          r.log = TRUE;
        }
      break;

    case OUTREACH_DELIVERY_UNCERTAIN:
      r.state = "uncertain";
      r.error = g_steal_pointer (&d->error);
      r.excerpt = g_steal_pointer (&d->excerpt);
      r.log = TRUE;
      break;

    case OUTREACH_DELIVERY_REFUSED:
      /* Not sent: back to pending, the attempt does not count. */
      r.state = "pending";
      r.attempts = m->attempts - 1;
      r.error = g_steal_pointer (&d->error);
      r.excerpt = g_steal_pointer (&d->excerpt);
      r.log = TRUE;
      r.level = OUTREACH_JOB_LOG_ERROR;
      if (++w->refusals >= REFUSALS_TO_FAIL)
        {
          g_mutex_lock (&w->mutex);
          if (w->fail_message == NULL)
            w->fail_message = g_strdup_printf (_("The provider refused the credentials of account "
                                                 "“%s” (%s); fix them in Preferences or with "
                                                 "“outreach accounts add”, then resume the job"),
                                               w->account_name, r.error);
          w->stopping = TRUE;
          g_mutex_unlock (&w->mutex);
        }
      break;

    case OUTREACH_DELIVERY_FAILED:
    default:
      r.state = "failed";
      r.error = g_steal_pointer (&d->error);
      r.excerpt = g_steal_pointer (&d->excerpt);
      r.log = TRUE;
      r.level = OUTREACH_JOB_LOG_ERROR;
      break;
    }

  add_result (w, &r);
}

static void
wrote_body_cb (SoupMessage *request,
               gpointer     data)
{
  InFlight *f = data;
  f->body_sent = TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  InFlight *f = data;
  Worker *w = f->worker;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autofree OutreachDelivery *deliveries = g_new0 (OutreachDelivery, f->n);
  gint64 now_us = g_get_real_time ();

  if (body == NULL)
    {
      for (guint i = 0; i < f->n; i++)
        outreach_provider_classify_transport (w->provider, error, f->body_sent, &deliveries[i]);
    }
  else
    {
      gboolean ok = soup_message_get_status (f->request) >= 200 && soup_message_get_status (f->request) < 300;

      outreach_provider_parse_response (w->provider, f->request, body, f->messages, f->n, deliveries);
      for (guint i = 0; i < f->n; i++)
        if (deliveries[i].outcome != OUTREACH_DELIVERY_SENT && deliveries[i].excerpt == NULL &&
            (deliveries[i].outcome != OUTREACH_DELIVERY_RETRY || !ok))
          {
            deliveries[i].excerpt = outreach_provider_excerpt (w->provider, f->request,
                                                               g_object_get_data (G_OBJECT (f->request), "outreach-body"),
                                                               body);
            break; /* one excerpt per response is enough */
          }
    }

  {
    gboolean any_sent = FALSE;
    gboolean trouble = body == NULL ? !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                    : soup_message_get_status (f->request) >= 500;

    /* "slow down": the account's bucket slows, once per response */
    if (body != NULL && soup_message_get_status (f->request) == 429 &&
        w->account_bucket != NULL)
      outreach_token_bucket_slow_down (w->account_bucket,
                                       MAX (deliveries[0].retry_after_ms, 0) * 1000,
                                       g_get_monotonic_time ());
    for (guint i = 0; i < f->n; i++)
      any_sent |= deliveries[i].outcome == OUTREACH_DELIVERY_SENT;
    if (any_sent)
      w->errors_in_row = 0;
    else if (trouble && ++w->errors_in_row >= ERRORS_IN_ROW_TO_FAIL)
      {
        g_mutex_lock (&w->mutex);
        if (w->fail_message == NULL)
          w->fail_message = g_strdup_printf (_("Stopped after %u requests in a row to account “%s” "
                                               "failed (%s); check the provider's status and the "
                                               "account's settings, then resume the job"),
                                             w->errors_in_row, w->account_name,
                                             deliveries[0].error != NULL ? deliveries[0].error : "");
        w->stopping = TRUE;
        g_mutex_unlock (&w->mutex);
      }
  }

  for (guint i = 0; i < f->n; i++)
    {
      record (w, f->messages[i], &deliveries[i], now_us);
      outreach_delivery_clear (&deliveries[i]);
      outreach_message_free (f->messages[i]);
    }
  g_free (f->messages);
  g_object_unref (f->request);
  g_free (f);
  w->in_flight--;
  pump (w);
}

/* ---- the pump (sending thread) ---- */

static gboolean
wake_cb (gpointer data)
{
  Worker *w = data;

  g_clear_pointer (&w->wake, g_source_unref);
  pump (w);
  return G_SOURCE_REMOVE;
}

static void
wake_in (Worker *w,
         gint64  ms)
{
  if (w->wake != NULL)
    {
      g_source_destroy (w->wake);
      g_clear_pointer (&w->wake, g_source_unref);
    }
  w->wake = g_timeout_source_new ((guint) CLAMP (ms, 1, G_MAXUINT));
  g_source_set_callback (w->wake, wake_cb, w, NULL);
  g_source_attach (w->wake, w->context);
}

static gboolean
pump_idle_cb (gpointer data)
{
  pump (data);
  return G_SOURCE_REMOVE;
}

static gint64
take_tokens (Worker *w,
             guint   count)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = 0;

  if (w->job_bucket != NULL)
    wait = outreach_token_bucket_take (w->job_bucket, count, now);
  if (wait == 0 && w->account_bucket != NULL)
    {
      wait = outreach_token_bucket_take (w->account_bucket, count, now);
      if (wait != 0 && w->job_bucket != NULL)
        outreach_token_bucket_slow_down (w->job_bucket, 0, now); /* keep the two near each other */
    }
  return wait;
}

static void
send_batch (Worker           *w,
            OutreachMessage **messages,
            guint             n)
{
  g_autoptr (GError) error = NULL;
  SoupMessage *request = outreach_provider_build_request (w->provider, messages, n, &error);
  InFlight *f;

  if (request == NULL && n > 1 &&
      g_error_matches (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_TOO_LARGE))
    {
      /* over the provider's size limit: two requests of half the batch
       * each (and so on), down to single messages if need be */
      guint half = n / 2;
      OutreachMessage **rest = g_new (OutreachMessage *, n - half);

      memcpy (rest, messages + half, sizeof (OutreachMessage *) * (n - half));
      send_batch (w, messages, half);
      send_batch (w, rest, n - half);
      return;
    }
  if (request == NULL)
    {
      for (guint i = 0; i < n; i++)
        {
          OutreachDelivery d = { OUTREACH_DELIVERY_FAILED, NULL, g_strdup (error->message), -1, NULL };
          record (w, messages[i], &d, g_get_real_time ());
          outreach_delivery_clear (&d);
          outreach_message_free (messages[i]);
        }
      g_free (messages);
      return;
    }

  /* keep-alive for POST (libsoup opens a new connection per non-idempotent
   * request otherwise); duplicates are guarded by the stable message id */
  soup_message_add_flags (request, SOUP_MESSAGE_IDEMPOTENT);
  f = g_new0 (InFlight, 1);
  f->worker = w;
  f->request = request;
  f->messages = messages;
  f->n = n;
  g_signal_connect (request, "wrote-body", G_CALLBACK (wrote_body_cb), f);
  w->in_flight++;
  soup_session_send_and_read_async (w->session, request, G_PRIORITY_DEFAULT, NULL, sent_cb, f);
}

static void
finish_loop (Worker *w)
{
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

static void
pump (Worker *w)
{
  guint local_budget = 64;
  gboolean finished = FALSE;

  if (w->done || w->pumping)
    return;
  w->pumping = TRUE;

  g_mutex_lock (&w->mutex);
  if (g_cancellable_is_cancelled (w->cancellable))
    w->stopping = TRUE;

  while (!w->stopping && w->in_flight < w->concurrency &&
         (w->held != NULL || !g_queue_is_empty (&w->ready)))
    {
      guint n = MIN (w->max_batch, g_queue_get_length (&w->ready) + (w->held != NULL));
      guint max = n;
      OutreachMessage **messages;
      gint64 wait;

      /* a batch provider waits for a fuller batch while requests are out
       * and the feeder is still rendering */
      if (w->max_batch > 1 && n < MIN (w->max_batch, w->low_water) && w->in_flight > 0 && !w->exhausted)
        break;
      wait = take_tokens (w, n);

      if (wait > 0)
        {
          g_mutex_unlock (&w->mutex);
          wake_in (w, (wait + 999) / 1000);
          w->pumping = FALSE;
          return;
        }

      /* a batch is the held message and the next ones the provider can
       * send in the same request; the first that cannot waits */
      messages = g_new0 (OutreachMessage *, max);
      n = 0;
      if (w->held != NULL)
        messages[n++] = g_steal_pointer (&w->held);
      while (n < max && !g_queue_is_empty (&w->ready))
        {
          OutreachMessage *m = g_queue_pop_head (&w->ready);
          if (n > 0 && !outreach_provider_can_batch (w->provider, messages[0], m))
            {
              w->held = m;
              break;
            }
          messages[n++] = m;
        }
      if (g_queue_get_length (&w->ready) < w->low_water)
        g_cond_signal (&w->cond);
      g_mutex_unlock (&w->mutex);

      if (outreach_provider_is_local (w->provider))
        {
          for (guint i = 0; i < n; i++)
            {
              OutreachDelivery d = { 0 };
              outreach_provider_deliver_local (w->provider, messages[i], &d);
              record (w, messages[i], &d, g_get_real_time ());
              outreach_delivery_clear (&d);
              outreach_message_free (messages[i]);
            }
          g_free (messages);
          /* let other sources run between files */
          if (--local_budget == 0)
            {
              GSource *idle = g_idle_source_new ();
              g_source_set_callback (idle, pump_idle_cb, w, NULL);
              g_source_attach (idle, w->context);
              g_source_unref (idle);
              w->pumping = FALSE;
              return;
            }
        }
      else
        send_batch (w, messages, n);

      g_mutex_lock (&w->mutex);
      if (g_cancellable_is_cancelled (w->cancellable))
        w->stopping = TRUE;
    }

  if (w->in_flight == 0 && w->stopping)
    finished = TRUE;  /* what is still ready goes back in end_job */
  else if (w->in_flight == 0 && w->held == NULL && g_queue_is_empty (&w->ready))
    {
      /* nothing to send: done when the feeder, having written every
       * result so far, found nothing to claim and no retry waiting */
      if (w->exhausted && w->exhausted_seq == w->results_seq && w->next_retry == 0)
        finished = TRUE;
      else
        g_cond_signal (&w->cond);
    }
  g_mutex_unlock (&w->mutex);

  if (finished)
    finish_loop (w);
  w->pumping = FALSE;
}

/* ---- setting up and ending ---- */

static gboolean
load_job (Worker  *w,
          GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (OutreachAccount) account = NULL;
  g_autofree char *params = NULL;
  double account_rate = 0, job_rate = 0;
  int account_concurrency = 4, job_concurrency = 0;
  gint64 account_id = 0;
  JsonObject *params_object = NULL;
  int rc;

  stmt = outreach_store_prepare (w->store,
                                 "SELECT j.uuid, j.name, j.subject, j.text_body, j.html_body, j.params,"
                                 " a.id, a.name, a.rate, a.concurrency, a.retry_ambiguous"
                                 " FROM jobs j LEFT JOIN accounts a ON a.id = j.account_id WHERE j.id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->job_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return outreach_store_set_error (w->store, rc, _("read the job"), error);
    }
  w->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  w->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  params = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  account_id = sqlite3_column_int64 (stmt, 6);
  w->account_name = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  account_rate = sqlite3_column_double (stmt, 8);
  account_concurrency = sqlite3_column_int (stmt, 9);
  w->retry_ambiguous = sqlite3_column_int (stmt, 10) != 0;
  sqlite3_reset (stmt);

  if (w->account_name == NULL)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("The job's account no longer exists; choose another account for it "
                     "(Change account) and resume it"));
      return FALSE;
    }

  if (json_parser_load_from_data (parser, params, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    params_object = json_node_get_object (json_parser_get_root (parser));
  if (params_object != NULL)
    {
      job_rate = json_object_get_double_member_with_default (params_object, "rate", 0);
      job_concurrency = json_object_get_int_member_with_default (params_object, "concurrency", 0);
      w->max_attempts = json_object_get_int_member_with_default (params_object, "max_attempts", 8);
      w->review = json_object_get_boolean_member_with_default (params_object, "review", FALSE);
    }
  if (w->max_attempts == 0)
    w->max_attempts = 8;

  /* A job's own rate and concurrency can only lower the account's. */
  w->concurrency = account_concurrency;
  if (job_concurrency > 0)
    w->concurrency = MIN (w->concurrency, (guint) job_concurrency);
  w->concurrency = MAX (1, w->concurrency);
  w->account_bucket = outreach_token_bucket_for_account (account_id, account_rate);
  if (job_rate > 0 && (account_rate <= 0 || job_rate < account_rate))
    w->job_bucket = outreach_token_bucket_new (job_rate);

  /* its settings, and its secrets from the keyring (never asking) */
  account = outreach_account_load (w->store, w->account_name, error);
  if (account == NULL)
    return FALSE;
  w->provider = outreach_account_new_provider (account, error);
  if (w->provider == NULL)
    return FALSE;
  w->max_batch = outreach_provider_get_max_batch (w->provider);

  w->renderer = outreach_job_renderer_new (w->store, w->job_id, error);
  if (w->renderer == NULL)
    return FALSE;
  return TRUE;
}

/* Claimed recipients that never went out go back (or are cancelled with the job). */
static void
release_message (Worker          *w,
                 OutreachMessage *m,
                 gboolean         cancelled)
{
  Result r = { 0 };

  r.id = m->recipient_id;
  r.state = cancelled ? "cancelled" : "pending";
  r.attempts = m->attempts - 1;
  g_array_append_val (w->results, r);
  outreach_message_free (m);
}

/* Claimed recipients that never went out go back (or are cancelled with the job). */
static gboolean
release_unsent (Worker  *w,
                GError **error)
{
  gboolean cancelled = w->stopped_outside && w->outside_status == OUTREACH_JOB_STATUS_CANCELLED;

  if (w->held != NULL)
    release_message (w, g_steal_pointer (&w->held), cancelled);
  while (!g_queue_is_empty (&w->ready))
    release_message (w, g_queue_pop_head (&w->ready), cancelled);
  return write_results (w, error);
}

static gboolean
count_state (Worker     *w,
             const char *state,
             gint64     *count)
{
  sqlite3_stmt *stmt = outreach_store_prepare (w->store,
                                               "SELECT count(*) FROM job_recipients"
                                               " WHERE job_id = ? AND state = ?",
                                               NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->job_id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  *count = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
end_job (Worker  *w,
         GError **error)
{
  OutreachJobProgress p = { 0 };
  OutreachJobStatus to;
  g_autofree char *message = NULL;

  /* the feeder has ended: what it did not write yet is ours */
  g_array_append_vals (w->results, w->incoming->data, w->incoming->len);
  g_array_set_size (w->incoming, 0);

  if (!outreach_store_begin (w->store, error))
    return FALSE;
  if (!write_results (w, error) ||
      !(w->stopped_outside || checkpoint_locked (w, error)) ||
      !release_unsent (w, error))
    goto fail;
  clear_results (w);

  if (w->stopped_outside)
    {
      /* paused, cancelled or taken elsewhere: the status is not ours to set */
      w->final_status = w->outside_status;
      return outreach_store_commit (w->store, error);
    }

  if (w->fail_message != NULL)
    {
      to = OUTREACH_JOB_STATUS_FAILED;
      message = g_strdup (w->fail_message);
    }
  else if (g_cancellable_is_cancelled (w->cancellable))
    {
      to = OUTREACH_JOB_STATUS_PAUSED;
    }
  else
    {
      gint64 drafts = 0;
      read_progress (w, &p);
      count_state (w, "draft", &drafts);
      if (drafts > 0)
        {
          to = OUTREACH_JOB_STATUS_PAUSED;
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%" G_GINT64_FORMAT " message awaits review; approve it "
                                                  "(outreach jobs approve) and resume the job",
                                                  "%" G_GINT64_FORMAT " messages await review; approve them "
                                                  "(outreach jobs approve) and resume the job",
                                                  drafts),
                                     drafts);
        }
      else if (p.pending == 0)
        to = OUTREACH_JOB_STATUS_COMPLETED;
      else
        to = OUTREACH_JOB_STATUS_PAUSED;
    }

  if (!outreach_job_status_apply (w->store, w->job_id, to, message, error))
    goto fail;
  read_progress (w, &p);
  if (!outreach_job_log (w->store, w->job_id,
                         to == OUTREACH_JOB_STATUS_FAILED ? OUTREACH_JOB_LOG_ERROR : OUTREACH_JOB_LOG_INFO,
                         outreach_job_status_to_string (to), NULL, error,
                         _("%s: %" G_GINT64_FORMAT " sent, %" G_GINT64_FORMAT " failed, %"
                           G_GINT64_FORMAT " uncertain, %" G_GINT64_FORMAT " skipped, %"
                           G_GINT64_FORMAT " still to send%s%s"),
                         outreach_job_status_get_label (to), p.sent, p.failed, p.uncertain,
                         p.skipped, p.pending, message != NULL ? " — " : "",
                         message != NULL ? message : ""))
    goto fail;
  w->final_status = to;
  w->final_error = g_steal_pointer (&message);
  return outreach_store_commit (w->store, error);

fail:
  outreach_store_rollback (w->store);
  return FALSE;
}

/* Setting up failed after the lease was taken: the job fails with why. */
static void
fail_setup (Worker       *w,
            const GError *cause)
{
  g_autoptr (GError) error = NULL;

  if (!outreach_store_begin (w->store, &error))
    return;
  if (!outreach_job_status_apply (w->store, w->job_id, OUTREACH_JOB_STATUS_FAILED, cause->message, &error) ||
      !outreach_job_log (w->store, w->job_id, OUTREACH_JOB_LOG_ERROR, "failed", NULL, &error,
                         "%s", cause->message) ||
      !outreach_store_commit (w->store, &error))
    outreach_store_rollback (w->store);
  w->final_status = OUTREACH_JOB_STATUS_FAILED;
  w->final_error = g_strdup (cause->message);
}

typedef struct
{
  OutreachRunner *runner;
  gint64 job_id;
  OutreachJobStatus status;
  char *error;
} FinishedCall;

static gboolean
emit_finished_cb (gpointer data)
{
  FinishedCall *call = data;

  g_signal_emit (call->runner, signals[SIGNAL_JOB_FINISHED], 0, call->job_id, call->status, call->error);
  g_object_unref (call->runner);
  g_free (call->error);
  g_free (call);
  return G_SOURCE_REMOVE;
}

/* glibc gives memory back to the kernel whenever the top of a thread's
 * heap is free beyond a small threshold; a sender allocates and frees a
 * few KB per message, so the heap shrank and grew thousands of times a
 * second (page faults, munmap: a third of the CPU time in the deliver
 * benchmark). A fixed threshold keeps a few MB instead. */
static void
tune_malloc (void)
{
#ifdef __GLIBC__
  static gsize once;

  if (g_once_init_enter (&once))
    {
      mallopt (M_TRIM_THRESHOLD, 4 * 1024 * 1024);
      g_once_init_leave (&once, 1);
    }
#endif
}

static void
run_job_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Worker *w = task_data;
  g_autoptr (GError) error = NULL;
  FinishedCall *call;

  tune_malloc ();
  w->store = outreach_store_open (w->db_path, &error);
  if (w->store == NULL || !outreach_job_lease_acquire (w->store, w->job_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  w->context = g_main_context_new ();
  g_main_context_push_thread_default (w->context);
  w->loop = g_main_loop_new (w->context, FALSE);
  w->results = g_array_new (FALSE, TRUE, sizeof (Result));
  w->incoming = g_array_new (FALSE, TRUE, sizeof (Result));

  if (!load_job (w, &error))
    {
      fail_setup (w, error);
      g_clear_error (&error);
    }
  else
    {
      if (!outreach_provider_is_local (w->provider))
        w->session = soup_session_new_with_options ("max-conns", w->concurrency,
                                                    "max-conns-per-host", w->concurrency,
                                                    "user-agent", "Outreach/" PACKAGE_VERSION,
                                                    NULL);
      post_progress (w, TRUE);
      if (w->session != NULL && !outreach_provider_prepare (w->provider, w->session, &error))
        {
          fail_setup (w, error);
          g_clear_error (&error);
          w->done = TRUE;
        }
      else
        {
          /* enough rendered messages to keep every request slot (and a
           * batch) busy, never more than a claim batch */
          w->low_water = MIN (CLAIM_BATCH / 2, MAX (4 * w->concurrency, w->max_batch));
          w->feeder = g_thread_new ("outreach-feeder", feeder_thread, w);
          g_main_loop_run (w->loop);

          g_mutex_lock (&w->mutex);
          w->quit = TRUE;
          g_cond_signal (&w->cond);
          g_mutex_unlock (&w->mutex);
          g_thread_join (g_steal_pointer (&w->feeder));
        }

      if (w->wake != NULL)
        {
          g_source_destroy (w->wake);
          g_clear_pointer (&w->wake, g_source_unref);
        }
      if (w->final_status != OUTREACH_JOB_STATUS_FAILED && !end_job (w, &error))
        {
          g_warning ("job %" G_GINT64_FORMAT ": %s", w->job_id, error->message);
          g_clear_error (&error);
        }
      post_progress (w, TRUE);
    }

  g_clear_object (&w->session);
  /* run what the session left (closing connections) before the context goes */
  while (g_main_context_iteration (w->context, FALSE))
    ;
  g_main_context_pop_thread_default (w->context);

  call = g_new0 (FinishedCall, 1);
  call->runner = g_object_ref (w->runner);
  call->job_id = w->job_id;
  call->status = w->final_status;
  call->error = g_strdup (w->final_error);
  g_main_context_invoke (w->owner_context, emit_finished_cb, call);

  g_task_return_int (task, w->final_status);
}

/* ---- the runner object ---- */

static void
outreach_runner_finalize (GObject *object)
{
  OutreachRunner *self = OUTREACH_RUNNER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->running, g_hash_table_unref);
  if (self->auto_start != NULL)
    g_source_destroy (self->auto_start);
  g_clear_pointer (&self->auto_start, g_source_unref);

  G_OBJECT_CLASS (outreach_runner_parent_class)->finalize (object);
}

static void
outreach_runner_class_init (OutreachRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_runner_finalize;

  /**
   * OutreachRunner::progress:
   * @job_id: the job
   * @progress: (type gpointer): a const OutreachJobProgress*, valid during the emission
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_POINTER);
  /**
   * OutreachRunner::job-finished:
   * @job_id: the job
   * @status: its OutreachJobStatus when the thread ended
   * @error: (nullable): the job's error message
   */
  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, OUTREACH_TYPE_JOB_STATUS, G_TYPE_STRING);
}

static void
outreach_runner_init (OutreachRunner *self)
{
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/**
 * outreach_runner_new:
 * @store: the owner's connection (the runner's threads open their own)
 *
 * Signals are emitted on the thread-default main context of the caller.
 */
OutreachRunner *
outreach_runner_new (OutreachStore *store)
{
  OutreachRunner *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_RUNNER, NULL);
  self->store = g_object_ref (store);
  self->context = g_main_context_ref_thread_default ();
  return self;
}

static void
job_task_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *outer = data;
  OutreachRunner *self = g_task_get_source_object (outer);
  gint64 job_id = GPOINTER_TO_SIZE (g_task_get_task_data (outer));
  GError *error = NULL;
  gssize status = g_task_propagate_int (G_TASK (result), &error);

  g_hash_table_remove (self->running, &job_id);
  /* a slot is free: the next due job may start; and the history setting
   * is honoured as jobs finish, as `jobs run` does */
  if (self->auto_start != NULL)
    {
      g_autoptr (GError) local = NULL;
      int keep = 100;

      if (outreach_settings_get_int (self->store, OUTREACH_SETTING_HISTORY_KEEP, &keep, &local))
        outreach_job_purge_history (self->store, (guint) MAX (keep, 0), NULL, &local);
      if (local != NULL)
        g_warning ("%s", local->message);
      g_clear_error (&local);
      outreach_runner_start_due (self, &local);
      if (local != NULL)
        g_warning ("%s", local->message);
    }
  if (error != NULL)
    g_task_return_error (outer, error);
  else
    g_task_return_int (outer, status);
  g_object_unref (outer);
}

/**
 * outreach_runner_run_job_async:
 * @cancellable: (nullable): cancelling it pauses the job at the next
 *   checkpoint (in-flight requests finish and are recorded)
 *
 * Runs a queued or paused job in a thread of its own until it completes,
 * fails, is paused or cancelled (here or in another process).
 */
void
outreach_runner_run_job_async (OutreachRunner      *self,
                               gint64               job_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) task = NULL;
  Worker *w;

  g_return_if_fail (OUTREACH_IS_RUNNER (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, outreach_runner_run_job_async);
  g_task_set_task_data (outer, GSIZE_TO_POINTER ((gsize) job_id), NULL);

  if (g_hash_table_contains (self->running, &job_id))
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Job %" G_GINT64_FORMAT " is already running here"), job_id);
      return;
    }

  w = g_new0 (Worker, 1);
  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  w->runner = g_object_ref (self);
  w->owner_context = g_main_context_ref (self->context);
  w->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  w->job_id = job_id;
  w->db_path = g_strdup (outreach_store_get_path (self->store));
  w->final_status = OUTREACH_JOB_STATUS_PAUSED;
  g_hash_table_insert (self->running, g_memdup2 (&job_id, sizeof job_id), g_object_ref (w->cancellable));

  task = g_task_new (self, NULL, job_task_done_cb, g_steal_pointer (&outer));
  g_task_set_task_data (task, w, (GDestroyNotify) worker_free);
  g_task_run_in_thread (task, run_job_thread);
}

OutreachJobStatus
outreach_runner_run_job_finish (OutreachRunner *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  gssize status;

  g_return_val_if_fail (g_task_is_valid (result, self), OUTREACH_JOB_STATUS_FAILED);

  status = g_task_propagate_int (G_TASK (result), error);
  return status < 0 ? OUTREACH_JOB_STATUS_FAILED : (OutreachJobStatus) status;
}

gboolean
outreach_runner_is_running (OutreachRunner *self,
                            gint64          job_id)
{
  g_return_val_if_fail (OUTREACH_IS_RUNNER (self), FALSE);
  return g_hash_table_contains (self->running, &job_id);
}

guint
outreach_runner_get_n_running (OutreachRunner *self)
{
  g_return_val_if_fail (OUTREACH_IS_RUNNER (self), 0);
  return g_hash_table_size (self->running);
}

static void
start_due_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr (GError) error = NULL;

  outreach_runner_run_job_finish (OUTREACH_RUNNER (source), result, &error);
  if (error != NULL)
    g_debug ("%s", error->message);
}

/**
 * outreach_runner_start_due:
 *
 * Starts queued jobs that are due (no schedule, or its time has come),
 * high priority first, then oldest, up to the `parallel_jobs` setting
 * counting those already running here. Recovers dead runners' jobs first.
 *
 * Returns: how many it started
 */
guint
outreach_runner_start_due (OutreachRunner *self,
                           GError        **error)
{
  sqlite3_stmt *stmt;
  int parallel = 2;
  guint started = 0;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_return_val_if_fail (OUTREACH_IS_RUNNER (self), 0);

  if (!outreach_job_recover_orphans (self->store, NULL, error) ||
      !outreach_settings_get_int (self->store, OUTREACH_SETTING_PARALLEL_JOBS, &parallel, error))
    return 0;

  stmt = outreach_store_prepare (self->store,
                                 "SELECT id FROM jobs WHERE status = 'queued'"
                                 " AND (scheduled_at IS NULL OR scheduled_at <= ?)"
                                 " ORDER BY priority DESC, created_at, id",
                                 error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (self->store, rc, _("read the jobs"), error);
      return 0;
    }

  for (guint i = 0; i < ids->len && outreach_runner_get_n_running (self) < (guint) MAX (parallel, 1); i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      if (outreach_runner_is_running (self, id))
        continue;
      outreach_runner_run_job_async (self, id, NULL, start_due_done_cb, NULL);
      started++;
    }
  return started;
}

static gboolean
auto_start_cb (gpointer data)
{
  OutreachRunner *self = data;
  g_autoptr (GError) error = NULL;

  outreach_runner_start_due (self, &error);
  if (error != NULL)
    g_warning ("%s", error->message);
  return G_SOURCE_CONTINUE;
}

/**
 * outreach_runner_set_auto_start:
 *
 * While on, due jobs start by themselves (see the header). The app turns it
 * on; the CLI's `jobs run` does not (it runs the one job it was given).
 */
void
outreach_runner_set_auto_start (OutreachRunner *self,
                                gboolean        auto_start)
{
  g_return_if_fail (OUTREACH_IS_RUNNER (self));

  if (auto_start == (self->auto_start != NULL))
    return;
  if (!auto_start)
    {
      g_source_destroy (self->auto_start);
      g_clear_pointer (&self->auto_start, g_source_unref);
      return;
    }
  self->auto_start = g_timeout_source_new_seconds (AUTO_START_INTERVAL_S);
  g_source_set_callback (self->auto_start, auto_start_cb, self, NULL);
  g_source_attach (self->auto_start, self->context);
  auto_start_cb (self);
}
