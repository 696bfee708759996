/* outreach-message.h — one rendered message on its way to one recipient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 recipient_id;   /* job_recipients.id */
  gint64 donor_id;       /* 0 when the donor was deleted */
  guint attempts;        /* including this one */
  char *address;         /* e-mail address or E.164 phone number */
  char *name;            /* display name, may be empty */
  char *message_id;      /* stable: "<job uuid>-<recipient id>", the X-Message-Id */
  const char *job_uuid;  /* borrowed from the job */
  const char *job_name;
  GString *subject;
  GString *text;
  GString *html;         /* NULL when the job has no HTML body */
  char *unsubscribe_url; /* NULL when none is configured */
} OutreachMessage;

OutreachMessage *outreach_message_new            (void);
void             outreach_message_free           (OutreachMessage *self);
char            *outreach_message_make_id        (const char      *job_uuid,
                                                  gint64           recipient_id);
char            *outreach_message_rfc822_id      (const OutreachMessage *self);
char            *outreach_message_header_value   (const char      *value);
GBytes          *outreach_message_to_mime        (const OutreachMessage *self,
                                                  const char      *from_address,
                                                  const char      *from_name,
                                                  const char      *reply_to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachMessage, outreach_message_free)

G_END_DECLS
