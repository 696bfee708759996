/* outreach-job-control.c — what a person can do to a job, from any process
 *
 * Each operation is one IMMEDIATE transaction on the caller's connection.
 * Status changes go through outreach_job_status_apply(); recipient counters
 * follow the recipient rows through the schema's triggers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-control"

#include "config.h"

#include "outreach-job-control.h"

#include <glib/gi18n-lib.h>

#include "outreach-job-lease.h"
#include "outreach-job-log.h"
#include "outreach-job-status.h"

G_DEFINE_QUARK (outreach-job-control-error-quark, outreach_job_control_error)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Reads the status; sets a NOT_FOUND error naming the job. */
static gboolean
read_status (OutreachStore     *store,
             gint64             job_id,
             OutreachJobStatus *status,
             GError           **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT status FROM jobs WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      outreach_job_status_from_string ((const char *) sqlite3_column_text (stmt, 0), status);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,
                   _("There is no job %" G_GINT64_FORMAT "; “outreach jobs list” shows them"),
                   job_id);
      return FALSE;
    }
  return outreach_store_set_error (store, rc, _("read the job"), error);
}

static gboolean
not_allowed (GError           **error,
             gint64             job_id,
             OutreachJobStatus  status,
             const char        *action)
{
  g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_ALLOWED,
               _("Job %" G_GINT64_FORMAT " is %s, so it cannot be %s"),
               job_id, outreach_job_status_to_string (status), action);
  return FALSE;
}

/* Runs @sql (binding ?1 = job id, ?2 = now) and returns the rows changed. */
static gboolean
update_recipients (OutreachStore *store,
                   gint64         job_id,
                   const char    *sql,
                   int           *changed,
                   GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, now_seconds ());
  if (!outreach_store_step_done (store, stmt, error))
    return FALSE;
  if (changed != NULL)
    *changed = sqlite3_changes (outreach_store_get_db (store));
  return TRUE;
}

/* Opens the transaction, recovers the job if its runner died, reads its status. */
static gboolean
begin_on_job (OutreachStore     *store,
              gint64             job_id,
              OutreachJobStatus *status,
              GError           **error)
{
  gboolean recovered;

  if (!outreach_store_begin (store, error))
    return FALSE;
  if (!outreach_job_recover_if_orphaned_locked (store, job_id, &recovered, error) ||
      !read_status (store, job_id, status, error))
    {
      outreach_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
finish (OutreachStore *store,
        gboolean       ok,
        GError       **error)
{
  if (ok && outreach_store_commit (store, error))
    return TRUE;
  outreach_store_rollback (store);
  return FALSE;
}

gboolean
outreach_job_pause (OutreachStore *store,
                    gint64         job_id,
                    GError       **error)
{
  OutreachJobStatus status;
  gboolean ok;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status == OUTREACH_JOB_STATUS_PAUSED)
    return finish (store, TRUE, error);
  if (status != OUTREACH_JOB_STATUS_RUNNING && status != OUTREACH_JOB_STATUS_QUEUED)
    return finish (store, not_allowed (error, job_id, status, _("paused")), error);

  ok = outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_PAUSED, NULL, error) &&
       outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "paused", NULL, error,
                         _("Paused"));
  return finish (store, ok, error);
}

gboolean
outreach_job_resume (OutreachStore *store,
                     gint64         job_id,
                     GError       **error)
{
  OutreachJobStatus status;
  gboolean ok;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status == OUTREACH_JOB_STATUS_QUEUED || status == OUTREACH_JOB_STATUS_RUNNING)
    return finish (store, TRUE, error);
  if (status != OUTREACH_JOB_STATUS_PAUSED && status != OUTREACH_JOB_STATUS_FAILED)
    return finish (store, not_allowed (error, job_id, status, _("resumed")), error);

  ok = outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_QUEUED, NULL, error) &&
       outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "resumed", NULL, error,
                         _("Resumed; waiting for a runner"));
  return finish (store, ok, error);
}

gboolean
outreach_job_cancel (OutreachStore *store,
                     gint64         job_id,
                     GError       **error)
{
  OutreachJobStatus status;
  int changed = 0;
  gboolean ok;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status == OUTREACH_JOB_STATUS_CANCELLED)
    return finish (store, TRUE, error);
  if (!outreach_job_status_can_transition (status, OUTREACH_JOB_STATUS_CANCELLED))
    return finish (store, not_allowed (error, job_id, status, _("cancelled")), error);

  /* Claimed recipients are in flight in a live runner; it records them. */
  ok = update_recipients (store, job_id,
                          "UPDATE job_recipients SET state = 'cancelled', updated_at = ?2"
                          " WHERE job_id = ?1 AND state IN ('draft', 'approved', 'pending', 'retry-wait')",
                          &changed, error) &&
       outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_CANCELLED, NULL, error) &&
       outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "cancelled", NULL, error,
                         g_dngettext (GETTEXT_PACKAGE, "Cancelled; %d message was not sent",
                                      "Cancelled; %d messages were not sent", changed),
                         changed);
  return finish (store, ok, error);
}

gboolean
outreach_job_retry (OutreachStore    *store,
                    gint64            job_id,
                    OutreachJobRetry  which,
                    GError          **error)
{
  static const char *const sql[] = {
    [OUTREACH_JOB_RETRY_FAILED] =
      "UPDATE job_recipients SET state = 'pending', attempts = 0, next_attempt_at = NULL,"
      " last_error = NULL, updated_at = ?2 WHERE job_id = ?1 AND state = 'failed'",
    [OUTREACH_JOB_RETRY_UNCERTAIN] =
      "UPDATE job_recipients SET state = 'pending', attempts = 0, next_attempt_at = NULL,"
      " last_error = NULL, updated_at = ?2 WHERE job_id = ?1 AND state = 'uncertain'",
    [OUTREACH_JOB_RETRY_ALL] =
      "UPDATE job_recipients SET state = 'pending', attempts = 0, next_attempt_at = NULL,"
      " last_error = NULL, updated_at = ?2"
      " WHERE job_id = ?1 AND state IN ('failed', 'uncertain', 'cancelled')",
  };
  static const char *const what[] = { N_("failed"), N_("uncertain"), N_("unsent") };
  OutreachJobStatus status;
  int changed = 0;
  gboolean ok;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (which <= OUTREACH_JOB_RETRY_ALL, FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status == OUTREACH_JOB_STATUS_DRAFT)
    return finish (store, not_allowed (error, job_id, status, _("retried")), error);

  if (!update_recipients (store, job_id, sql[which], &changed, error))
    return finish (store, FALSE, error);
  if (changed == 0)
    {
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOTHING_TO_DO,
                   _("Job %" G_GINT64_FORMAT " has no %s recipients to retry"),
                   job_id, _(what[which]));
      return finish (store, FALSE, error);
    }

  ok = TRUE;
  if (status != OUTREACH_JOB_STATUS_RUNNING && status != OUTREACH_JOB_STATUS_QUEUED)
    ok = outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_QUEUED, NULL, error);
  ok = ok && outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "retry", NULL, error,
                               g_dngettext (GETTEXT_PACKAGE, "Retrying %d %s recipient",
                                            "Retrying %d %s recipients", changed),
                               changed, _(what[which]));
  return finish (store, ok, error);
}

gboolean
outreach_job_mark_complete (OutreachStore *store,
                            gint64         job_id,
                            GError       **error)
{
  OutreachJobStatus status;
  int changed = 0;
  gboolean ok;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status != OUTREACH_JOB_STATUS_PAUSED && status != OUTREACH_JOB_STATUS_FAILED)
    return finish (store, not_allowed (error, job_id, status, _("marked complete")), error);

  ok = update_recipients (store, job_id,
                          "UPDATE job_recipients SET state = 'cancelled', updated_at = ?2"
                          " WHERE job_id = ?1 AND state IN ('draft', 'approved', 'pending', 'retry-wait')",
                          &changed, error) &&
       outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_COMPLETED, NULL, error) &&
       outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "completed", NULL, error,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "Marked complete; %d unsent message was cancelled",
                                      "Marked complete; %d unsent messages were cancelled",
                                      changed),
                         changed);
  return finish (store, ok, error);
}

gboolean
outreach_job_delete (OutreachStore *store,
                     gint64         job_id,
                     GError       **error)
{
  OutreachJobStatus status;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status == OUTREACH_JOB_STATUS_RUNNING)
    {
      /* begin_on_job recovered a dead runner's job, so this one is live */
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_RUNNING,
                   _("Job %" G_GINT64_FORMAT " is running; pause or cancel it before deleting it"),
                   job_id);
      return finish (store, FALSE, error);
    }

  stmt = outreach_store_prepare (store, "DELETE FROM jobs WHERE id = ?", error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  return finish (store, outreach_store_step_done (store, stmt, error), error);
}

gint64
outreach_job_duplicate (OutreachStore *store,
                        gint64         job_id,
                        GError       **error)
{
  OutreachJobStatus status;
  g_autofree char *uuid = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  gint64 new_id;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);

  if (!begin_on_job (store, job_id, &status, error))
    return 0;

  /* The name keeps within 255 characters, counted in characters. */
  stmt = outreach_store_prepare (store,
                                 "INSERT INTO jobs (uuid, name, kind, status, priority, account_id,"
                                 " subject, text_body, html_body, params, created_at, updated_at)"
                                 " SELECT ?2, substr (name, 1, 248) || ' (copy)', kind, 'draft',"
                                 " priority, account_id, subject, text_body, html_body, params, ?3, ?3"
                                 " FROM jobs WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  if (!outreach_store_step_done (store, stmt, error))
    return finish (store, FALSE, error);
  new_id = sqlite3_last_insert_rowid (outreach_store_get_db (store));

  stmt = outreach_store_prepare (store,
                                 "INSERT INTO job_recipients (job_id, donor_id, address, merge_data,"
                                 " state, last_error, updated_at)"
                                 " SELECT ?2, donor_id, address, merge_data,"
                                 " CASE WHEN state = 'skipped' THEN 'skipped'"
                                 "      WHEN state IN ('draft', 'approved', 'rejected')"
                                 "        OR ?4 THEN 'draft' ELSE 'pending' END,"
                                 " CASE WHEN state = 'skipped' THEN last_error END, ?3"
                                 " FROM job_recipients WHERE job_id = ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, new_id);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_int (stmt, 4, 0);
  if (!outreach_store_step_done (store, stmt, error) ||
      !outreach_job_log (store, new_id, OUTREACH_JOB_LOG_INFO, "created", NULL, error,
                         _("Created as a copy of job %" G_GINT64_FORMAT), job_id) ||
      !finish (store, TRUE, error))
    {
      outreach_store_rollback (store);
      return 0;
    }

  return new_id;
}

gboolean
outreach_job_change_account (OutreachStore *store,
                             gint64         job_id,
                             gint64         account_id,
                             GError       **error)
{
  OutreachJobStatus status;
  sqlite3_stmt *stmt;
  g_autofree char *name = NULL;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (status == OUTREACH_JOB_STATUS_RUNNING || (outreach_job_status_is_finished (status) &&
      status != OUTREACH_JOB_STATUS_FAILED))
    return finish (store,
                   not_allowed (error, job_id, status, _("moved to another account (pause it first)")),
                   error);

  stmt = outreach_store_prepare (store, "SELECT name FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (name == NULL)
    {
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,
                   _("There is no account %" G_GINT64_FORMAT "; “outreach accounts list” shows them"),
                   account_id);
      return finish (store, FALSE, error);
    }

  stmt = outreach_store_prepare (store,
                                 "UPDATE jobs SET account_id = ?2, updated_at = ?3 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  return finish (store,
                 outreach_store_step_done (store, stmt, error) &&
                 outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "account", NULL, error,
                                   _("Account changed to “%s”"), name),
                 error);
}

/* Binds ?3 (donor id) and ?4 (address) for a --recipient value. */
static void
bind_recipient (sqlite3_stmt *stmt,
                const char   *recipient)
{
  char *end = NULL;
  gint64 donor_id = g_ascii_strtoll (recipient, &end, 10);

  if (end != recipient && *end == '\0')
    sqlite3_bind_int64 (stmt, 3, donor_id);
  sqlite3_bind_text (stmt, 4, recipient, -1, SQLITE_TRANSIENT);
}

static gboolean
review_change (OutreachStore *store,
               gint64         job_id,
               const char    *recipient,
               const char    *to_state,
               guint         *count,
               GError       **error)
{
  OutreachJobStatus status;
  sqlite3_stmt *stmt;
  int changed;

  if (!begin_on_job (store, job_id, &status, error))
    return FALSE;
  if (outreach_job_status_is_finished (status))
    return finish (store, not_allowed (error, job_id, status, _("reviewed")), error);

  if (recipient == NULL)
    stmt = outreach_store_prepare (store,
                                   "UPDATE job_recipients SET state = ?5, updated_at = ?2"
                                   " WHERE job_id = ?1 AND state = 'draft'",
                                   error);
  else
    stmt = outreach_store_prepare (store,
                                   "UPDATE job_recipients SET state = ?5, updated_at = ?2"
                                   " WHERE job_id = ?1 AND state IN ('draft', 'approved', 'rejected')"
                                   " AND (donor_id = ?3 OR address = ?4 COLLATE NOCASE)",
                                   error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  if (recipient != NULL)
    bind_recipient (stmt, recipient);
  sqlite3_bind_text (stmt, 5, to_state, -1, SQLITE_STATIC);
  if (!outreach_store_step_done (store, stmt, error))
    return finish (store, FALSE, error);
  changed = sqlite3_changes (outreach_store_get_db (store));

  if (recipient != NULL && changed == 0)
    {
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,
                   _("Job %" G_GINT64_FORMAT " has no message awaiting review for “%s” "
                     "(give a donor id or an address; “outreach jobs show %" G_GINT64_FORMAT
                     "” lists the recipients)"),
                   job_id, recipient, job_id);
      return finish (store, FALSE, error);
    }
  if (count != NULL)
    *count = changed;

  return finish (store,
                 outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "review", NULL, error,
                                   g_str_equal (to_state, "approved")
                                     ? g_dngettext (GETTEXT_PACKAGE, "%d message approved",
                                                    "%d messages approved", changed)
                                     : g_dngettext (GETTEXT_PACKAGE, "%d message rejected",
                                                    "%d messages rejected", changed),
                                   changed),
                 error);
}

gboolean
outreach_job_approve (OutreachStore *store,
                      gint64         job_id,
                      const char    *recipient,
                      guint         *count,
                      GError       **error)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  return review_change (store, job_id, recipient, "approved", count, error);
}

gboolean
outreach_job_reject (OutreachStore *store,
                     gint64         job_id,
                     const char    *recipient,
                     guint         *count,
                     GError       **error)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (recipient != NULL, FALSE);

  return review_change (store, job_id, recipient, "rejected", count, error);
}

gboolean
outreach_job_purge_history (OutreachStore *store,
                            guint          keep,
                            guint         *purged,
                            GError       **error)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (keep == 0)
    {
      if (purged != NULL)
        *purged = 0;
      return TRUE;
    }

  if (!outreach_store_begin (store, error))
    return FALSE;
  stmt = outreach_store_prepare (store,
                                 "DELETE FROM jobs WHERE id IN ("
                                 " SELECT id FROM jobs"
                                 " WHERE status IN ('completed', 'failed', 'cancelled')"
                                 " ORDER BY coalesce (finished_at, updated_at) DESC, id DESC"
                                 " LIMIT -1 OFFSET ?1)",
                                 error);
  if (stmt == NULL)
    return finish (store, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, keep);
  if (!outreach_store_step_done (store, stmt, error))
    return finish (store, FALSE, error);
  count = sqlite3_changes (outreach_store_get_db (store));
  if (purged != NULL)
    *purged = count;
  return finish (store, TRUE, error);
}
