/* outreach-job-lease.h — which process runs a job, and recovery after a crash
 *
 * A running job's row holds a lease: the owner ("hostname:pid") and an
 * expiry the runner renews. Only the holder sends. A lease whose owner
 * process on this machine is gone (or, for another machine, whose expiry
 * passed) is taken over at once, after recovery: the recipients it had
 * claimed become `uncertain` and the job `paused` with a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

/* How long a lease lasts without renewal; the runner renews it at every
 * group commit, far more often. */
#define OUTREACH_JOB_LEASE_SECONDS 30

const char *outreach_job_lease_owner_self   (void);
gboolean    outreach_job_lease_owner_alive  (const char    *owner,
                                             gint64         expires,
                                             gint64         now);
gboolean    outreach_job_lease_check_free   (OutreachStore *store,
                                             gint64         job_id,
                                             GError       **error);
gboolean    outreach_job_lease_acquire      (OutreachStore *store,
                                             gint64         job_id,
                                             GError       **error);
gboolean    outreach_job_lease_renew        (OutreachStore *store,
                                             gint64         job_id,
                                             GError       **error);
gboolean    outreach_job_recover_if_orphaned (OutreachStore *store,
                                              gint64         job_id,
                                              gboolean      *recovered,
                                              GError       **error);
gboolean    outreach_job_recover_if_orphaned_locked (OutreachStore *store,
                                                     gint64         job_id,
                                                     gboolean      *recovered,
                                                     GError       **error);
gboolean    outreach_job_recover_orphans    (OutreachStore *store,
                                             guint         *recovered,
                                             GError       **error);

G_END_DECLS
