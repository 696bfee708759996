/* outreach-job-lease.c — which process runs a job, and recovery after a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-lease"

#include "config.h"

#include "outreach-job-lease.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "outreach-job-control.h"
#include "outreach-job-log.h"
#include "outreach-job-status.h"

const char *
outreach_job_lease_owner_self (void)
{
  static char *owner;

  if (g_once_init_enter (&owner))
    {
      char *value = g_strdup_printf ("%s:%ld", g_get_host_name (), (long) getpid ());
      g_once_init_leave (&owner, value);
    }

  return owner;
}

/**
 * outreach_job_lease_owner_alive:
 *
 * Whether the process named by a lease may still be sending. On this
 * machine we ask the kernel; for another machine only the expiry tells.
 */
gboolean
outreach_job_lease_owner_alive (const char *owner,
                                gint64      expires,
                                gint64      now)
{
  const char *colon;
  g_autofree char *host = NULL;
  gint64 pid;

  if (owner == NULL || *owner == '\0')
    return FALSE;

  if (g_strcmp0 (owner, outreach_job_lease_owner_self ()) == 0)
    return TRUE;

  colon = strrchr (owner, ':');
  if (colon == NULL)
    return expires > now;
  host = g_strndup (owner, colon - owner);
  pid = g_ascii_strtoll (colon + 1, NULL, 10);

  if (g_strcmp0 (host, g_get_host_name ()) != 0 || pid <= 0)
    return expires > now;

  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

typedef struct
{
  char *status;
  char *owner;
  gint64 expires;
} LeaseRow;

static void
lease_row_clear (LeaseRow *row)
{
  g_clear_pointer (&row->status, g_free);
  g_clear_pointer (&row->owner, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LeaseRow, lease_row_clear)

static gboolean
read_lease (OutreachStore *store,
            gint64         job_id,
            LeaseRow      *row,
            GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store,
                                               "SELECT status, lease_owner, lease_expires"
                                               " FROM jobs WHERE id = ?",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,
                   _("There is no job %" G_GINT64_FORMAT "; “outreach jobs list” shows them"),
                   job_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return outreach_store_set_error (store, rc, _("read the job"), error);
    }
  row->status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->owner = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->expires = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  return TRUE;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Claimed recipients of a job whose runner died: they may or may not
 * have gone out, so they become uncertain, and the job waits paused
 * until a person decides. Must run inside a transaction. */
static gboolean
recover_locked (OutreachStore *store,
                gint64         job_id,
                const char    *dead_owner,
                GError       **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *message = NULL;
  int changed;

  stmt = outreach_store_prepare (store,
                                 "UPDATE job_recipients SET state = 'uncertain',"
                                 " last_error = ?2, updated_at = ?3"
                                 " WHERE job_id = ?1 AND state = 'claimed'",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, _("The sending process stopped while this message was on its way"),
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  if (!outreach_store_step_done (store, stmt, error))
    return FALSE;
  changed = sqlite3_changes (outreach_store_get_db (store));

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The process sending this job (%s) stopped; %d message "
                                          "may or may not have gone out and is marked uncertain. "
                                          "Resume to continue, or retry uncertain to send it again.",
                                          "The process sending this job (%s) stopped; %d messages "
                                          "may or may not have gone out and are marked uncertain. "
                                          "Resume to continue, or retry uncertain to send them again.",
                                          changed),
                             dead_owner != NULL ? dead_owner : "?", changed);
  if (!outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_PAUSED, message, error))
    return FALSE;

  return outreach_job_log (store, job_id, OUTREACH_JOB_LOG_WARNING, "recovered", NULL, error,
                           "%s", message);
}

/* Inside a transaction: if the job is running under a dead owner,
 * recover it. Sets *live_owner when a live process holds it. */
static gboolean
recover_locked_if_orphaned (OutreachStore *store,
                            gint64         job_id,
                            gboolean      *recovered,
                            char         **live_owner,
                            GError       **error)
{
  g_auto (LeaseRow) row = { 0 };

  *recovered = FALSE;
  if (!read_lease (store, job_id, &row, error))
    return FALSE;
  if (g_strcmp0 (row.status, "running") != 0)
    return TRUE;

  if (outreach_job_lease_owner_alive (row.owner, row.expires, now_seconds ()))
    {
      if (live_owner != NULL)
        *live_owner = g_strdup (row.owner);
      return TRUE;
    }

  if (!recover_locked (store, job_id, row.owner, error))
    return FALSE;
  *recovered = TRUE;
  return TRUE;
}

/**
 * outreach_job_recover_if_orphaned_locked:
 *
 * The same as outreach_job_recover_if_orphaned(), inside the caller's
 * transaction.
 */
gboolean
outreach_job_recover_if_orphaned_locked (OutreachStore *store,
                                         gint64         job_id,
                                         gboolean      *recovered,
                                         GError       **error)
{
  gboolean done = FALSE;

  if (!recover_locked_if_orphaned (store, job_id, &done, NULL, error))
    return FALSE;
  if (recovered != NULL)
    *recovered = done;
  return TRUE;
}

/**
 * outreach_job_recover_if_orphaned:
 * @recovered: (out) (optional): whether it was recovered
 *
 * Recovers the job if it is `running` under a process that no longer
 * exists. Its own transaction.
 */
gboolean
outreach_job_recover_if_orphaned (OutreachStore *store,
                                  gint64         job_id,
                                  gboolean      *recovered,
                                  GError       **error)
{
  gboolean done = FALSE;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!outreach_store_begin (store, error))
    return FALSE;
  if (!recover_locked_if_orphaned (store, job_id, &done, NULL, error) ||
      !outreach_store_commit (store, error))
    {
      outreach_store_rollback (store);
      return FALSE;
    }
  if (recovered != NULL)
    *recovered = done;
  return TRUE;
}

/**
 * outreach_job_recover_orphans:
 *
 * At start-up: recovers every job left running by a dead process.
 */
gboolean
outreach_job_recover_orphans (OutreachStore *store,
                              guint         *recovered,
                              GError       **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  stmt = outreach_store_prepare (store, "SELECT id FROM jobs WHERE status = 'running'", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return outreach_store_set_error (store, rc, _("read the jobs"), error);

  for (guint i = 0; i < ids->len; i++)
    {
      gboolean done = FALSE;
      if (!outreach_job_recover_if_orphaned (store, g_array_index (ids, gint64, i), &done, error))
        return FALSE;
      count += done;
    }

  if (recovered != NULL)
    *recovered = count;
  return TRUE;
}

/**
 * outreach_job_lease_check_free:
 *
 * Inside the caller's transaction: recovers an orphaned job, and fails
 * with OUTREACH_JOB_CONTROL_ERROR_RUNNING, naming the process, when a
 * live process runs it.
 */
gboolean
outreach_job_lease_check_free (OutreachStore *store,
                               gint64         job_id,
                               GError       **error)
{
  g_autofree char *live_owner = NULL;
  gboolean recovered;

  if (!recover_locked_if_orphaned (store, job_id, &recovered, &live_owner, error))
    return FALSE;
  if (live_owner != NULL)
    {
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_RUNNING,
                   _("Job %" G_GINT64_FORMAT " is being sent by process %s; pause it first "
                     "or wait until it ends"),
                   job_id, live_owner);
      return FALSE;
    }
  return TRUE;
}

/**
 * outreach_job_lease_acquire:
 *
 * Takes the job for this process: recovers it if its runner died, refuses
 * a live owner's lease, a draft or a finished job, moves it to `running`
 * and writes our lease. Its own transaction.
 */
gboolean
outreach_job_lease_acquire (OutreachStore *store,
                            gint64         job_id,
                            GError       **error)
{
  g_auto (LeaseRow) row = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!outreach_store_begin (store, error))
    return FALSE;
  if (!outreach_job_lease_check_free (store, job_id, error) ||
      !read_lease (store, job_id, &row, error))
    goto fail;

  if (g_strcmp0 (row.status, "queued") != 0 && g_strcmp0 (row.status, "paused") != 0)
    {
      OutreachJobStatus status = OUTREACH_JOB_STATUS_DRAFT;
      outreach_job_status_from_string (row.status, &status);
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_ALLOWED,
                   _("Job %" G_GINT64_FORMAT " is %s; only a queued or paused job can be run%s"),
                   job_id, outreach_job_status_to_string (status),
                   status == OUTREACH_JOB_STATUS_DRAFT ? "" :
                   _(" (use “outreach jobs retry” to send a finished job's failed recipients again)"));
      goto fail;
    }

  /* No live process runs it, so a recipient still marked claimed was left
   * by a runner that could not finish its bookkeeping (a full disk, say):
   * it may have gone out, so it is uncertain, never sent again unasked. */
  {
    sqlite3_stmt *leftover = outreach_store_prepare (store,
                                                     "UPDATE job_recipients SET state = 'uncertain', updated_at = ?2"
                                                     " WHERE job_id = ?1 AND state = 'claimed'",
                                                     error);
    if (leftover == NULL)
      goto fail;
    sqlite3_bind_int64 (leftover, 1, job_id);
    sqlite3_bind_int64 (leftover, 2, now_seconds ());
    if (!outreach_store_step_done (store, leftover, error))
      goto fail;
  }

  if (!outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_RUNNING, NULL, error))
    goto fail;

  stmt = outreach_store_prepare (store,
                                 "UPDATE jobs SET lease_owner = ?2, lease_expires = ?3 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, outreach_job_lease_owner_self (), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds () + OUTREACH_JOB_LEASE_SECONDS);
  if (!outreach_store_step_done (store, stmt, error))
    goto fail;

  if (!outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "started", NULL, error,
                         _("Sending started by %s"), outreach_job_lease_owner_self ()))
    goto fail;

  return outreach_store_commit (store, error);

fail:
  outreach_store_rollback (store);
  return FALSE;
}

/**
 * outreach_job_lease_renew:
 *
 * Extends our lease; call inside the runner's group commit.
 */
gboolean
outreach_job_lease_renew (OutreachStore *store,
                          gint64         job_id,
                          GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store,
                                               "UPDATE jobs SET lease_expires = ?3"
                                               " WHERE id = ?1 AND lease_owner = ?2",
                                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, outreach_job_lease_owner_self (), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds () + OUTREACH_JOB_LEASE_SECONDS);
  return outreach_store_step_done (store, stmt, error);
}
