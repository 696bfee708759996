/* outreach-sendgrid-provider.c — SendGrid v3 Mail Send (JSON)
 *
 * Up to 1,000 recipients go in one request, one personalization each,
 * with their own List-Unsubscribe, X-Message-Id and custom_args.send_id;
 * the message's subject and content are placeholders that each
 * personalization's `substitutions` replace with that recipient's rendered
 * subject, text and HTML. SendGrid allows 10,000 bytes of substitutions
 * per personalization: a recipient whose message is larger goes alone, in
 * a request with the content itself. SendGrid answers 202 with an empty
 * body and the id in the X-Message-Id response header, for the whole
 * request; every recipient of it stores that id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-sendgrid-provider"

#include "config.h"

#include "outreach-sendgrid-provider.h"

#include <glib/gi18n-lib.h>

struct _OutreachSendgridProvider
{
  OutreachProvider parent_instance;

  char *base;
  char *auth;
};

G_DEFINE_FINAL_TYPE (OutreachSendgridProvider, outreach_sendgrid_provider, OUTREACH_TYPE_PROVIDER)

static const char *const sendgrid_secret_keys[] = { "api_key", NULL };

static void
outreach_sendgrid_provider_finalize (GObject *object)
{
  OutreachSendgridProvider *self = OUTREACH_SENDGRID_PROVIDER (object);

  g_free (self->base);
  g_free (self->auth);
  G_OBJECT_CLASS (outreach_sendgrid_provider_parent_class)->finalize (object);
}

static gboolean
outreach_sendgrid_provider_configure (OutreachProvider *provider,
                                      JsonObject       *settings,
                                      GHashTable       *secrets,
                                      GError          **error)
{
  OutreachSendgridProvider *self = OUTREACH_SENDGRID_PROVIDER (provider);
  const char *key;

  if (outreach_provider_require_setting (provider, settings, "from", error) == NULL)
    return FALSE;
  key = outreach_provider_require_secret (provider, secrets, "api_key", error);
  if (key == NULL)
    return FALSE;
  self->base = outreach_provider_base_url (provider, settings, "https://api.sendgrid.com", error);
  if (self->base == NULL)
    return FALSE;
  self->auth = g_strdup_printf ("Bearer %s", key);
  return TRUE;
}

static guint
outreach_sendgrid_provider_get_max_batch (OutreachProvider *provider)
{
  return 1000;
}

/* The placeholders of a batch, and the limit on a personalization's
 * substitutions (keys and values, in bytes). */
#define SUBJECT_KEY "-outreach-subject-"
#define TEXT_KEY "-outreach-text-"
#define HTML_KEY "-outreach-html-"
#define MAX_SUBSTITUTIONS 10000

static char *
clean_subject (const OutreachMessage *message)
{
  return outreach_message_header_value (message->subject->str);
}

static gsize
substitutions_size (const OutreachMessage *message)
{
  g_autofree char *subject = clean_subject (message);

  return strlen (SUBJECT_KEY) + strlen (subject) + strlen (TEXT_KEY) + message->text->len +
         (message->html != NULL ? strlen (HTML_KEY) + message->html->len : 0);
}

static gboolean
outreach_sendgrid_provider_can_batch (OutreachProvider      *provider,
                                      const OutreachMessage *first,
                                      const OutreachMessage *candidate)
{
  return (first->html != NULL) == (candidate->html != NULL) &&
         substitutions_size (first) <= MAX_SUBSTITUTIONS &&
         substitutions_size (candidate) <= MAX_SUBSTITUTIONS;
}

static void
add_content (JsonBuilder *builder,
             const char  *type,
             const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_email (JsonBuilder *builder,
           const char  *address,
           const char  *name)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, address);
  if (name != NULL && *name != '\0')
    {
      g_autofree char *clean = outreach_message_header_value (name);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, clean);
    }
  json_builder_end_object (builder);
}

static SoupMessage *
outreach_sendgrid_provider_build_request (OutreachProvider *provider,
                                          OutreachMessage **messages,
                                          guint             n,
                                          GError          **error)
{
  OutreachSendgridProvider *self = OUTREACH_SENDGRID_PROVIDER (provider);
  g_autofree char *url = g_strdup_printf ("%s/v3/mail/send", self->base);
  g_autoptr (SoupMessage) request = soup_message_new ("POST", url);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GBytes) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "personalizations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "to");
      json_builder_begin_array (builder);
      add_email (builder, messages[i]->address, messages[i]->name);
      json_builder_end_array (builder);
      if (n > 1)
        {
          g_autofree char *subject = clean_subject (messages[i]);

          json_builder_set_member_name (builder, "substitutions");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, SUBJECT_KEY);
          json_builder_add_string_value (builder, subject);
          json_builder_set_member_name (builder, TEXT_KEY);
          json_builder_add_string_value (builder, messages[i]->text->str);
          if (messages[i]->html != NULL)
            {
              json_builder_set_member_name (builder, HTML_KEY);
              json_builder_add_string_value (builder, messages[i]->html->str);
            }
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "headers");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "X-Message-Id");
      json_builder_add_string_value (builder, messages[i]->message_id);
      if (messages[i]->unsubscribe_url != NULL)
        {
          g_autofree char *clean = outreach_message_header_value (messages[i]->unsubscribe_url);
          g_autofree char *value = g_strdup_printf ("<%s>", clean);
          json_builder_set_member_name (builder, "List-Unsubscribe");
          json_builder_add_string_value (builder, value);
          json_builder_set_member_name (builder, "List-Unsubscribe-Post");
          json_builder_add_string_value (builder, "List-Unsubscribe=One-Click");
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "custom_args");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "send_id");
      json_builder_add_string_value (builder, messages[i]->message_id);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "from");
  add_email (builder, outreach_provider_get_from (provider), outreach_provider_get_from_name (provider));
  if (outreach_provider_get_reply_to (provider) != NULL)
    {
      json_builder_set_member_name (builder, "reply_to");
      add_email (builder, outreach_provider_get_reply_to (provider), NULL);
    }
  /* one request, one message: the content itself; a batch: placeholders */
  {
    g_autofree char *subject = n == 1 ? clean_subject (messages[0]) : g_strdup (SUBJECT_KEY);

    json_builder_set_member_name (builder, "subject");
    json_builder_add_string_value (builder, subject);
  }
  /* text/plain must come before text/html */
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  add_content (builder, "text/plain", n == 1 ? messages[0]->text->str : TEXT_KEY);
  if (messages[0]->html != NULL)
    add_content (builder, "text/html", n == 1 ? messages[0]->html->str : HTML_KEY);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  body = outreach_provider_json_body (builder);
  soup_message_headers_replace (soup_message_get_request_headers (request), "Authorization", self->auth);
  if (n == 1)
    soup_message_headers_replace (soup_message_get_request_headers (request), "X-Message-Id", messages[0]->message_id);
  outreach_provider_set_body (request, "application/json", body);
  return g_steal_pointer (&request);
}

static void
outreach_sendgrid_provider_parse_response (OutreachProvider *provider,
                                           SoupMessage      *request,
                                           GBytes           *body,
                                           OutreachMessage **messages,
                                           guint             n,
                                           OutreachDelivery *results)
{
  g_autoptr (JsonNode) root = outreach_json_parse_bytes (body);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  const char *id = soup_message_headers_get_one (soup_message_get_response_headers (request), "X-Message-Id");

  if (object != NULL && json_object_has_member (object, "errors") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "errors")))
    {
      JsonArray *errors = json_object_get_array_member (object, "errors");
      for (guint i = 0; i < json_array_get_length (errors); i++)
        {
          JsonNode *node = json_array_get_element (errors, i);
          const char *message = JSON_NODE_HOLDS_OBJECT (node)
                                  ? outreach_json_string (json_node_get_object (node), "message") : NULL;
          if (message != NULL)
            g_string_append_printf (text, "%s%s", text->len > 0 ? "; " : "", message);
        }
    }

  for (guint i = 0; i < n; i++)
    {
      outreach_provider_classify_status (provider, request, body, text->len > 0 ? text->str : NULL, &results[i]);
      if (results[i].outcome == OUTREACH_DELIVERY_SENT)
        results[i].provider_id = g_strdup (id);
    }
}

static SoupMessage *
outreach_sendgrid_provider_build_test_request (OutreachProvider *provider,
                                               GError          **error)
{
  OutreachSendgridProvider *self = OUTREACH_SENDGRID_PROVIDER (provider);
  g_autofree char *url = g_strdup_printf ("%s/v3/scopes", self->base);
  SoupMessage *request = soup_message_new ("GET", url);

  soup_message_headers_replace (soup_message_get_request_headers (request), "Authorization", self->auth);
  return request;
}

static void
outreach_sendgrid_provider_class_init (OutreachSendgridProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_sendgrid_provider_finalize;
  provider_class->secret_keys = sendgrid_secret_keys;
  provider_class->configure = outreach_sendgrid_provider_configure;
  provider_class->get_max_batch = outreach_sendgrid_provider_get_max_batch;
  provider_class->can_batch = outreach_sendgrid_provider_can_batch;
  provider_class->build_request = outreach_sendgrid_provider_build_request;
  provider_class->parse_response = outreach_sendgrid_provider_parse_response;
  provider_class->build_test_request = outreach_sendgrid_provider_build_test_request;
}

static void
outreach_sendgrid_provider_init (OutreachSendgridProvider *self)
{
}
