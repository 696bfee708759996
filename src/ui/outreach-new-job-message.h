/* outreach-new-job-message.h — wizard step 3: the message, checked against the chosen donors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-new-job-step.h"
#include "outreach-template-check.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_NEW_JOB_MESSAGE (outreach_new_job_message_get_type ())
G_DECLARE_FINAL_TYPE (OutreachNewJobMessage, outreach_new_job_message, OUTREACH, NEW_JOB_MESSAGE,
                      OutreachNewJobStep)

GtkWidget                   *outreach_new_job_message_get_editor (OutreachNewJobMessage *self);
/* The last check's report, or NULL while none is in. */
OutreachTemplateCheckReport *outreach_new_job_message_get_report (OutreachNewJobMessage *self);
gboolean                     outreach_new_job_message_is_checking (OutreachNewJobMessage *self);
/* Saves the message as a saved template called @name; the draft then starts from it. */
gboolean                     outreach_new_job_message_save_as_template (OutreachNewJobMessage *self,
                                                                        const char            *name,
                                                                        GError               **error);

G_END_DECLS
