/* outreach-job-actions.h — what a person can do to jobs from the UI, with confirmation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

typedef enum
{
  OUTREACH_JOB_ACTION_PAUSE,
  OUTREACH_JOB_ACTION_RESUME,
  OUTREACH_JOB_ACTION_CANCEL,
  OUTREACH_JOB_ACTION_RETRY_FAILED,
  OUTREACH_JOB_ACTION_RETRY_UNCERTAIN,
  OUTREACH_JOB_ACTION_RETRY_ALL,
  OUTREACH_JOB_ACTION_DUPLICATE,
  OUTREACH_JOB_ACTION_MARK_COMPLETE,
  OUTREACH_JOB_ACTION_DELETE,
} OutreachJobAction;

gboolean outreach_job_action_from_name (const char        *name,
                                        OutreachJobAction *action);
void     outreach_job_actions_run      (GtkWidget         *widget,
                                        OutreachStore     *store,
                                        OutreachJobAction  action,
                                        const gint64      *ids,
                                        guint              n_ids);
void     outreach_job_actions_toast    (GtkWidget         *widget,
                                        AdwToast          *toast);

G_END_DECLS
