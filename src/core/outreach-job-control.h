/* outreach-job-control.h — what a person can do to a job, from any process
 *
 * Every function here is a plain database operation on its own connection:
 * it works from the app, from the CLI while the app runs, or from a test.
 * A runner that is sending the job notices the change at its next
 * checkpoint (it re-reads the job's status after every group commit, a few
 * times per second), stops claiming, lets its in-flight requests finish and
 * records them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_JOB_CONTROL_ERROR (outreach_job_control_error_quark ())

typedef enum
{
  OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,     /* no such job, account or recipient */
  OUTREACH_JOB_CONTROL_ERROR_NOT_ALLOWED,   /* not in this status (message says which) */
  OUTREACH_JOB_CONTROL_ERROR_RUNNING,       /* a live process runs it (message names it) */
  OUTREACH_JOB_CONTROL_ERROR_NOTHING_TO_DO, /* e.g. retry failed with no failed recipients */
} OutreachJobControlError;

typedef enum
{
  OUTREACH_JOB_RETRY_FAILED,    /* failed recipients */
  OUTREACH_JOB_RETRY_UNCERTAIN, /* uncertain ones: may send a second copy */
  OUTREACH_JOB_RETRY_ALL,       /* failed, uncertain and cancelled */
} OutreachJobRetry;

GQuark   outreach_job_control_error_quark (void);

/* running|queued → paused. */
gboolean outreach_job_pause           (OutreachStore    *store,
                                       gint64            job_id,
                                       GError          **error);
/* paused|failed → queued: a runner (the app, `jobs run`, `jobs run-due`)
 * picks it up and continues where it stopped. */
gboolean outreach_job_resume          (OutreachStore    *store,
                                       gint64            job_id,
                                       GError          **error);
/* queued|running|paused|failed → cancelled; recipients not yet claimed
 * become cancelled, in-flight ones are still recorded by their runner. */
gboolean outreach_job_cancel          (OutreachStore    *store,
                                       gint64            job_id,
                                       GError          **error);
/* The chosen recipients become pending again (attempts reset) and a
 * finished or paused job is queued. Works on a running job too. */
gboolean outreach_job_retry           (OutreachStore    *store,
                                       gint64            job_id,
                                       OutreachJobRetry  which,
                                       GError          **error);
/* paused|failed → completed; what was still pending becomes cancelled. */
gboolean outreach_job_mark_complete   (OutreachStore    *store,
                                       gint64            job_id,
                                       GError          **error);
/* Deletes the job with its recipients and log; refused while a live
 * process runs it. */
gboolean outreach_job_delete          (OutreachStore    *store,
                                       gint64            job_id,
                                       GError          **error);
/* A new draft job with the same message, account, settings and
 * recipients (all pending again; skipped ones stay skipped), named
 * "NAME (copy)". Returns its id, or 0 with @error set. */
gint64   outreach_job_duplicate       (OutreachStore    *store,
                                       gint64            job_id,
                                       GError          **error);
/* Only while the job is not running and not finished (draft, queued,
 * paused, failed). */
gboolean outreach_job_change_account  (OutreachStore    *store,
                                       gint64            job_id,
                                       gint64            account_id,
                                       GError          **error);

/* Review mode (a job created with review on starts with every recipient
 * a `draft`; only approved ones are sent). @recipient is a donor id or an
 * address; %NULL with approve means every draft. Returns how many
 * changed in @count (nullable). */
gboolean outreach_job_approve         (OutreachStore    *store,
                                       gint64            job_id,
                                       const char       *recipient,
                                       guint            *count,
                                       GError          **error);
gboolean outreach_job_reject          (OutreachStore    *store,
                                       gint64            job_id,
                                       const char       *recipient,
                                       guint            *count,
                                       GError          **error);

/* Purges the oldest finished jobs beyond the newest @keep (0 = keep all).
 * Returns how many were deleted in @purged (nullable). */
gboolean outreach_job_purge_history   (OutreachStore    *store,
                                       guint             keep,
                                       guint            *purged,
                                       GError          **error);

G_END_DECLS
