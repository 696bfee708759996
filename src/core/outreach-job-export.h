/* outreach-job-export.h — a job's results as CSV, or a ZIP with the .eml of every sent message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

gboolean outreach_job_export (OutreachStore *store,
                              gint64         job_id,
                              const char    *path,
                              GError       **error);

G_END_DECLS
