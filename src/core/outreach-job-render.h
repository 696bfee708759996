/* outreach-job-render.h — a job's frozen message rendered for one recipient
 *
 * What the runner sends, what a reviewer sees for a draft, and what the
 * ZIP export writes, all from the same code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-message.h"
#include "outreach-store.h"

G_BEGIN_DECLS

typedef struct _OutreachJobRenderer OutreachJobRenderer;

/* Compiles the job's subject, text and HTML once. Not thread-safe: one
 * per thread. */
OutreachJobRenderer *outreach_job_renderer_new     (OutreachStore       *store,
                                                    gint64               job_id,
                                                    GError             **error);
OutreachMessage     *outreach_job_renderer_render  (OutreachJobRenderer *self,
                                                    gint64               recipient_id,
                                                    gint64               donor_id,
                                                    const char          *address,
                                                    const char          *merge_data,
                                                    guint                attempts);
const char          *outreach_job_renderer_get_uuid (OutreachJobRenderer *self);
void                 outreach_job_renderer_free    (OutreachJobRenderer *self);

/* One recipient's message (a donor id or an address), e.g. to review a draft. */
OutreachMessage     *outreach_job_render_recipient (OutreachStore       *store,
                                                    gint64               job_id,
                                                    const char          *recipient,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachJobRenderer, outreach_job_renderer_free)

G_END_DECLS
