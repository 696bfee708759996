/* outreach-job-query-recipient.h — one recipient of a job, as read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gint64 donor_id;        /* 0 when the donor was deleted */
  char *address;
  char *state;            /* job_recipients.state */
  int attempts;
  gint64 next_attempt_at; /* 0 when none */
  char *provider_message_id;
  char *last_error;
  gint64 updated_at;
} OutreachJobRecipientData;

#define OUTREACH_JOB_QUERY_RECIPIENT_COLUMNS \
  "id, donor_id, address, state, attempts, next_attempt_at, provider_message_id, last_error," \
  " updated_at"

#define OUTREACH_TYPE_JOB_QUERY_RECIPIENT (outreach_job_query_recipient_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobQueryRecipient, outreach_job_query_recipient, OUTREACH,
                      JOB_QUERY_RECIPIENT, GObject)

OutreachJobQueryRecipient      *outreach_job_query_recipient_new_from_stmt (sqlite3_stmt *stmt);
gboolean                        outreach_job_query_recipient_update (OutreachJobQueryRecipient *self,
                                                                     sqlite3_stmt              *stmt);
const OutreachJobRecipientData *outreach_job_query_recipient_get_data (OutreachJobQueryRecipient *self);

G_END_DECLS
