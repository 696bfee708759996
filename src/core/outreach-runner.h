/* outreach-runner.h — runs jobs in threads of their own and reports on the main context
 *
 * Each running job is a GTask in its own thread with its own GMainContext,
 * SQLite connection and SoupSession (DESIGN.md "Runner"). The runner object
 * lives on the context it was created on (the app's main context, or the
 * CLI's) and emits its signals there:
 *
 *   ::progress (gint64 job_id, const OutreachJobProgress *progress)
 *       coalesced: at most 5 per second per job, plus one at the end.
 *   ::job-finished (gint64 job_id, OutreachJobStatus status, const char *error)
 *       when a job's thread ends: completed, failed, cancelled or paused
 *       (paused by a person, by another process, or waiting for review).
 *       @error is the job's error message or NULL.
 *
 * With outreach_runner_set_auto_start() (the app), queued jobs start by
 * themselves: now, when a running job ends, and scheduled ones at their
 * time (checked every few seconds), up to the parallel_jobs setting; and
 * finished jobs beyond the history_keep setting are purged as jobs end.
 *
 * Changes another process makes (the CLI pausing a job the app runs) are
 * noticed at the thread's next checkpoint (every group commit, ~100 ms).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-status.h"
#include "outreach-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 total;
  gint64 pending;
  gint64 sent;
  gint64 failed;
  gint64 skipped;
  gint64 uncertain;
  gint64 cancelled;
  gint64 rejected;
  double rate;  /* messages finished per second, recent */
} OutreachJobProgress;

#define OUTREACH_TYPE_RUNNER (outreach_runner_get_type ())
G_DECLARE_FINAL_TYPE (OutreachRunner, outreach_runner, OUTREACH, RUNNER, GObject)

OutreachRunner *outreach_runner_new               (OutreachStore        *store);
void            outreach_runner_run_job_async     (OutreachRunner       *self,
                                                   gint64                job_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
OutreachJobStatus outreach_runner_run_job_finish  (OutreachRunner       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
gboolean        outreach_runner_is_running        (OutreachRunner       *self,
                                                   gint64                job_id);
guint           outreach_runner_get_n_running     (OutreachRunner       *self);
guint           outreach_runner_start_due         (OutreachRunner       *self,
                                                   GError              **error);
void            outreach_runner_set_auto_start    (OutreachRunner       *self,
                                                   gboolean              auto_start);

G_END_DECLS
