/* outreach-message.c — one rendered message on its way to one recipient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-message"

#include "config.h"

#include "outreach-message.h"

#include <gmime/gmime.h>
#include <string.h>

/* GMime 3.2 declares no g_autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeTextPart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)

OutreachMessage *
outreach_message_new (void)
{
  return g_new0 (OutreachMessage, 1);
}

void
outreach_message_free (OutreachMessage *self)
{
  if (self == NULL)
    return;
  g_free (self->address);
  g_free (self->name);
  g_free (self->message_id);
  if (self->subject != NULL)
    g_string_free (self->subject, TRUE);
  if (self->text != NULL)
    g_string_free (self->text, TRUE);
  if (self->html != NULL)
    g_string_free (self->html, TRUE);
  g_free (self->unsubscribe_url);
  g_free (self);
}

/**
 * outreach_message_make_id:
 *
 * The stable per-recipient id: the same for every attempt, so a provider
 * or a person can spot a repeat. It is the X-Message-Id header value.
 */
char *
outreach_message_make_id (const char *job_uuid,
                          gint64      recipient_id)
{
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT, job_uuid, recipient_id);
}

/* The same id as an RFC 5322 Message-ID, without the angle brackets. */
char *
outreach_message_rfc822_id (const OutreachMessage *self)
{
  return g_strdup_printf ("%s@outreach.invalid", self->message_id);
}

/**
 * outreach_message_header_value:
 *
 * A value that is safe in one header line: CR, LF and other control
 * characters become spaces, so a subject or name can never add a header.
 */
char *
outreach_message_header_value (const char *value)
{
  char *copy = g_strdup (value != NULL ? value : "");

  for (char *p = copy; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return copy;
}

static void
ensure_gmime (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      g_mime_init ();
      g_once_init_leave (&once, 1);
    }
}

static GMimeObject *
text_part (const char *subtype,
           const GString *body)
{
  g_autoptr (GMimeTextPart) part = g_mime_text_part_new_with_subtype (subtype);

  g_mime_text_part_set_text (part, body->str);
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT (g_steal_pointer (&part));
}

/**
 * outreach_message_to_mime:
 *
 * The message as an RFC 5322 .eml: From, To, Subject (encoded words for
 * non-ASCII), Date, the stable Message-ID and X-Message-Id,
 * List-Unsubscribe(-Post), and the text part, or text and HTML as
 * multipart/alternative.
 *
 * Returns: (transfer full): the bytes of the .eml file
 */
GBytes *
outreach_message_to_mime (const OutreachMessage *self,
                          const char            *from_address,
                          const char            *from_name,
                          const char            *reply_to)
{
  g_autoptr (GMimeMessage) message = NULL;
  g_autoptr (GMimeStream) stream = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *subject = NULL;
  g_autofree char *rfc822_id = NULL;
  GByteArray *array;

  g_return_val_if_fail (self != NULL, NULL);

  ensure_gmime ();
  message = g_mime_message_new (TRUE);

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM,
                              from_name != NULL ? from_name : "",
                              from_address != NULL && *from_address != '\0'
                                ? from_address : "outreach@localhost");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO,
                              self->name != NULL ? self->name : "", self->address);
  if (reply_to != NULL && *reply_to != '\0')
    g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_REPLY_TO, NULL, reply_to);

  subject = outreach_message_header_value (self->subject != NULL ? self->subject->str : "");
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_message_set_date (message, now);
  rfc822_id = outreach_message_rfc822_id (self);
  g_mime_message_set_message_id (message, rfc822_id);
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Message-Id", self->message_id, NULL);
  if (self->unsubscribe_url != NULL && *self->unsubscribe_url != '\0')
    {
      g_autofree char *url = outreach_message_header_value (self->unsubscribe_url);
      g_autofree char *value = g_strdup_printf ("<%s>", url);
      g_mime_object_set_header (GMIME_OBJECT (message), "List-Unsubscribe", value, NULL);
      g_mime_object_set_header (GMIME_OBJECT (message), "List-Unsubscribe-Post",
                                "List-Unsubscribe=One-Click", NULL);
    }

  if (self->html != NULL)
    {
      g_autoptr (GMimeMultipart) alternative = g_mime_multipart_new_with_subtype ("alternative");
      g_autoptr (GMimeObject) text = text_part ("plain", self->text);
      g_autoptr (GMimeObject) html = text_part ("html", self->html);

      g_mime_multipart_add (alternative, text);
      g_mime_multipart_add (alternative, html);
      g_mime_message_set_mime_part (message, GMIME_OBJECT (alternative));
    }
  else
    {
      g_autoptr (GMimeObject) text = text_part ("plain", self->text);
      g_mime_message_set_mime_part (message, text);
    }

  stream = g_mime_stream_mem_new ();
  g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}
