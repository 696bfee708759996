/* outreach-job-status.c — a job's status and the transitions between them
 *
 * draft → queued → running ⇄ paused → completed | failed | cancelled.
 * One table says which moves are allowed; outreach_job_status_apply() is
 * the only code that changes jobs.status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-status"

#include "config.h"

#include "outreach-job-status.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (outreach-job-error-quark, outreach_job_error)

G_DEFINE_ENUM_TYPE (OutreachJobStatus, outreach_job_status,
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (OUTREACH_JOB_STATUS_CANCELLED, "cancelled"))

#define D OUTREACH_JOB_STATUS_DRAFT
#define Q OUTREACH_JOB_STATUS_QUEUED
#define R OUTREACH_JOB_STATUS_RUNNING
#define P OUTREACH_JOB_STATUS_PAUSED
#define C OUTREACH_JOB_STATUS_COMPLETED
#define F OUTREACH_JOB_STATUS_FAILED
#define X OUTREACH_JOB_STATUS_CANCELLED

/* allowed[from][to]. Every other move is an error. */
static const gboolean allowed[OUTREACH_JOB_STATUS_COUNT][OUTREACH_JOB_STATUS_COUNT] = {
  /* launch */
  [D] = { [Q] = TRUE },
  /* a runner takes it; paused or cancelled before it started */
  [Q] = { [R] = TRUE, [P] = TRUE, [X] = TRUE },
  /* the runner's outcomes, or the user pausing or cancelling it */
  [R] = { [P] = TRUE, [C] = TRUE, [F] = TRUE, [X] = TRUE },
  /* resume (queued for a runner, or picked up by one at once), mark complete, cancel */
  [P] = { [Q] = TRUE, [R] = TRUE, [C] = TRUE, [X] = TRUE },
  /* retry its failed, uncertain or all recipients */
  [C] = { [Q] = TRUE },
  /* resume after fixing the cause (or retry), mark complete, cancel what is left */
  [F] = { [Q] = TRUE, [C] = TRUE, [X] = TRUE },
  /* retry */
  [X] = { [Q] = TRUE },
};

#undef D
#undef Q
#undef R
#undef P
#undef C
#undef F
#undef X

static const char *const names[OUTREACH_JOB_STATUS_COUNT] = {
  "draft", "queued", "running", "paused", "completed", "failed", "cancelled",
};

const char *
outreach_job_status_to_string (OutreachJobStatus status)
{
  g_return_val_if_fail (status < OUTREACH_JOB_STATUS_COUNT, NULL);

  return names[status];
}

gboolean
outreach_job_status_from_string (const char        *text,
                                 OutreachJobStatus *status)
{
  for (guint i = 0; i < OUTREACH_JOB_STATUS_COUNT; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *status = i;
        return TRUE;
      }

  return FALSE;
}

/* The word shown to people, translated. */
const char *
outreach_job_status_get_label (OutreachJobStatus status)
{
  switch (status)
    {
    case OUTREACH_JOB_STATUS_DRAFT: return _("Draft");
    case OUTREACH_JOB_STATUS_QUEUED: return _("Queued");
    case OUTREACH_JOB_STATUS_RUNNING: return _("Running");
    case OUTREACH_JOB_STATUS_PAUSED: return _("Paused");
    case OUTREACH_JOB_STATUS_COMPLETED: return _("Completed");
    case OUTREACH_JOB_STATUS_FAILED: return _("Failed");
    case OUTREACH_JOB_STATUS_CANCELLED: return _("Cancelled");
    default: g_return_val_if_reached (NULL);
    }
}

gboolean
outreach_job_status_is_active (OutreachJobStatus status)
{
  return status == OUTREACH_JOB_STATUS_QUEUED ||
         status == OUTREACH_JOB_STATUS_RUNNING ||
         status == OUTREACH_JOB_STATUS_PAUSED;
}

gboolean
outreach_job_status_is_finished (OutreachJobStatus status)
{
  return status == OUTREACH_JOB_STATUS_COMPLETED ||
         status == OUTREACH_JOB_STATUS_FAILED ||
         status == OUTREACH_JOB_STATUS_CANCELLED;
}

gboolean
outreach_job_status_can_transition (OutreachJobStatus from,
                                    OutreachJobStatus to)
{
  g_return_val_if_fail (from < OUTREACH_JOB_STATUS_COUNT, FALSE);
  g_return_val_if_fail (to < OUTREACH_JOB_STATUS_COUNT, FALSE);

  return allowed[from][to];
}

/**
 * outreach_job_status_apply:
 * @error_message: (nullable): the reason shown with a failed or paused job;
 *   cleared on every other move
 *
 * Moves job @job_id to @to if the table allows it from its current
 * status, and keeps its timestamps in step: started_at on its first run,
 * finished_at when it ends (cleared when it is queued again). Runs in a
 * savepoint, so it can be part of a caller's transaction.
 */
gboolean
outreach_job_status_apply (OutreachStore     *store,
                           gint64             job_id,
                           OutreachJobStatus  to,
                           const char        *error_message,
                           GError           **error)
{
  sqlite3_stmt *stmt;
  OutreachJobStatus from;
  const char *from_text;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (to < OUTREACH_JOB_STATUS_COUNT, FALSE);

  if (!outreach_store_exec (store, "SAVEPOINT job_status", error))
    return FALSE;

  stmt = outreach_store_prepare (store, "SELECT status FROM jobs WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_NOT_FOUND,
                   _("There is no job %" G_GINT64_FORMAT), job_id);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      outreach_store_set_error (store, rc, _("read the job"), error);
      goto fail;
    }
  from_text = (const char *) sqlite3_column_text (stmt, 0);
  if (!outreach_job_status_from_string (from_text, &from))
    g_assert_not_reached (); /* the schema's CHECK allows only known names */
  sqlite3_reset (stmt);

  if (!outreach_job_status_can_transition (from, to))
    {
      g_set_error (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_INVALID_TRANSITION,
                   _("Job %" G_GINT64_FORMAT " is %s and cannot become %s"),
                   job_id, outreach_job_status_to_string (from),
                   outreach_job_status_to_string (to));
      goto fail;
    }

  stmt = outreach_store_prepare (store,
                                 "UPDATE jobs SET status = ?2, error = ?3, updated_at = ?4,"
                                 " started_at = CASE WHEN ?2 = 'running'"
                                 "   THEN coalesce (started_at, ?4) ELSE started_at END,"
                                 " finished_at = CASE"
                                 "   WHEN ?2 IN ('completed', 'failed', 'cancelled') THEN ?4"
                                 "   WHEN ?2 = 'queued' THEN NULL ELSE finished_at END,"
                                 " lease_owner = CASE WHEN ?2 = 'running' THEN lease_owner END,"
                                 " lease_expires = CASE WHEN ?2 = 'running' THEN lease_expires END"
                                 " WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, outreach_job_status_to_string (to), -1, SQLITE_STATIC);
  if (error_message != NULL)
    sqlite3_bind_text (stmt, 3, error_message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!outreach_store_step_done (store, stmt, error))
    goto fail;

  return outreach_store_exec (store, "RELEASE job_status", error);

fail:
  outreach_store_exec (store, "ROLLBACK TO job_status; RELEASE job_status", NULL);
  return FALSE;
}
