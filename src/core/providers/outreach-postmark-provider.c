/* outreach-postmark-provider.c — Postmark /email and /email/batch
 *
 * Up to 500 complete messages per /email/batch call. The answer is 200
 * even when some failed: each element's ErrorCode (0 = OK) decides that
 * recipient, in request order. ErrorCode 406 is an inactive (suppressed)
 * recipient: failed, never retried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-postmark-provider"

#include "config.h"

#include "outreach-postmark-provider.h"

#include <glib/gi18n-lib.h>

struct _OutreachPostmarkProvider
{
  OutreachProvider parent_instance;

  char *base;
  char *token;
  char *stream;
};

G_DEFINE_FINAL_TYPE (OutreachPostmarkProvider, outreach_postmark_provider, OUTREACH_TYPE_PROVIDER)

static const char *const postmark_secret_keys[] = { "server_token", NULL };

static void
outreach_postmark_provider_finalize (GObject *object)
{
  OutreachPostmarkProvider *self = OUTREACH_POSTMARK_PROVIDER (object);

  g_free (self->base);
  g_free (self->token);
  g_free (self->stream);
  G_OBJECT_CLASS (outreach_postmark_provider_parent_class)->finalize (object);
}

static gboolean
outreach_postmark_provider_configure (OutreachProvider *provider,
                                      JsonObject       *settings,
                                      GHashTable       *secrets,
                                      GError          **error)
{
  OutreachPostmarkProvider *self = OUTREACH_POSTMARK_PROVIDER (provider);
  const char *token;

  if (outreach_provider_require_setting (provider, settings, "from", error) == NULL)
    return FALSE;
  token = outreach_provider_require_secret (provider, secrets, "server_token", error);
  if (token == NULL)
    return FALSE;
  self->base = outreach_provider_base_url (provider, settings, "https://api.postmarkapp.com", error);
  if (self->base == NULL)
    return FALSE;
  self->token = g_strdup (token);
  self->stream = g_strdup (outreach_provider_setting (settings, "message_stream"));
  return TRUE;
}

static guint
outreach_postmark_provider_get_max_batch (OutreachProvider *provider)
{
  return 500;
}

static void
add_message (OutreachPostmarkProvider *self,
             JsonBuilder              *builder,
             OutreachMessage          *m)
{
  OutreachProvider *provider = OUTREACH_PROVIDER (self);
  const char *from_name = outreach_provider_get_from_name (provider);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = outreach_message_header_value (m->subject->str);

  if (from_name != NULL && *from_name != '\0')
    {
      g_autofree char *clean = outreach_message_header_value (from_name);
      g_strdelimit (clean, "\"\\", '\'');
      from = g_strdup_printf ("\"%s\" <%s>", clean, outreach_provider_get_from (provider));
    }
  else
    from = g_strdup (outreach_provider_get_from (provider));
  if (m->name != NULL && *m->name != '\0')
    {
      g_autofree char *clean = outreach_message_header_value (m->name);
      g_strdelimit (clean, "\"\\", '\'');
      to = g_strdup_printf ("\"%s\" <%s>", clean, m->address);
    }
  else
    to = g_strdup (m->address);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "From");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "To");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "Subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "TextBody");
  json_builder_add_string_value (builder, m->text->str);
  if (m->html != NULL)
    {
      json_builder_set_member_name (builder, "HtmlBody");
      json_builder_add_string_value (builder, m->html->str);
    }
  if (outreach_provider_get_reply_to (provider) != NULL)
    {
      json_builder_set_member_name (builder, "ReplyTo");
      json_builder_add_string_value (builder, outreach_provider_get_reply_to (provider));
    }
  json_builder_set_member_name (builder, "Headers");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, "X-Message-Id");
  json_builder_set_member_name (builder, "Value");
  json_builder_add_string_value (builder, m->message_id);
  json_builder_end_object (builder);
  if (m->unsubscribe_url != NULL)
    {
      g_autofree char *clean = outreach_message_header_value (m->unsubscribe_url);
      g_autofree char *value = g_strdup_printf ("<%s>", clean);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "Name");
      json_builder_add_string_value (builder, "List-Unsubscribe");
      json_builder_set_member_name (builder, "Value");
      json_builder_add_string_value (builder, value);
      json_builder_end_object (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "Name");
      json_builder_add_string_value (builder, "List-Unsubscribe-Post");
      json_builder_set_member_name (builder, "Value");
      json_builder_add_string_value (builder, "List-Unsubscribe=One-Click");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "Metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "send_id");
  json_builder_add_string_value (builder, m->message_id);
  json_builder_end_object (builder);
  if (self->stream != NULL && *self->stream != '\0')
    {
      json_builder_set_member_name (builder, "MessageStream");
      json_builder_add_string_value (builder, self->stream);
    }
  json_builder_end_object (builder);
}

static SoupMessage *
outreach_postmark_provider_build_request (OutreachProvider *provider,
                                          OutreachMessage **messages,
                                          guint             n,
                                          GError          **error)
{
  OutreachPostmarkProvider *self = OUTREACH_POSTMARK_PROVIDER (provider);
  g_autofree char *url = g_strdup_printf ("%s%s", self->base, n == 1 ? "/email" : "/email/batch");
  g_autoptr (SoupMessage) request = soup_message_new ("POST", url);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GBytes) body = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (request);

  if (n == 1)
    add_message (self, builder, messages[0]);
  else
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        add_message (self, builder, messages[i]);
      json_builder_end_array (builder);
    }
  body = outreach_provider_json_body (builder);
  soup_message_headers_replace (headers, "X-Postmark-Server-Token", self->token);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (n == 1)
    soup_message_headers_replace (headers, "X-Message-Id", messages[0]->message_id);
  outreach_provider_set_body (request, "application/json", body);
  return g_steal_pointer (&request);
}

/* One element of the answer (the whole answer for /email). */
static void
classify_element (OutreachProvider *provider,
                  SoupMessage      *request,
                  GBytes           *body,
                  JsonObject       *element,
                  OutreachDelivery *result)
{
  gint64 code = element != NULL ? json_object_get_int_member_with_default (element, "ErrorCode", -1) : -1;
  const char *message = outreach_json_string (element, "Message");
  guint status = soup_message_get_status (request);

  if (status >= 200 && status < 300 && code != 0 && element != NULL)
    {
      /* a failed element inside a 200 batch answer */
      result->retry_after_ms = -1;
      result->error = g_strdup_printf (_("Postmark error %" G_GINT64_FORMAT ": %s"), code,
                                       message != NULL ? message : "");
      result->outcome = code == 100 ? OUTREACH_DELIVERY_RETRY : OUTREACH_DELIVERY_FAILED;
      return;
    }
  if (element != NULL && code > 0 && message != NULL)
    {
      g_autofree char *text = g_strdup_printf ("ErrorCode %" G_GINT64_FORMAT ": %s", code, message);
      outreach_provider_classify_status (provider, request, body, text, result);
    }
  else
    outreach_provider_classify_status (provider, request, body, message, result);
  if (result->outcome == OUTREACH_DELIVERY_SENT)
    result->provider_id = g_strdup (outreach_json_string (element, "MessageID"));
}

static void
outreach_postmark_provider_parse_response (OutreachProvider *provider,
                                           SoupMessage      *request,
                                           GBytes           *body,
                                           OutreachMessage **messages,
                                           guint             n,
                                           OutreachDelivery *results)
{
  g_autoptr (JsonNode) root = outreach_json_parse_bytes (body);

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root) &&
      json_array_get_length (json_node_get_array (root)) == n)
    {
      JsonArray *array = json_node_get_array (root);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          classify_element (provider, request, body,
                            JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, &results[i]);
        }
      return;
    }

  for (guint i = 0; i < n; i++)
    classify_element (provider, request, body,
                      root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL,
                      &results[i]);
  /* a 200 batch answer that does not match the request: we cannot tell who got it */
  if (n > 1 && soup_message_get_status (request) < 300)
    for (guint i = 0; i < n; i++)
      {
        outreach_delivery_clear (&results[i]);
        results[i].outcome = OUTREACH_DELIVERY_UNCERTAIN;
        results[i].error = g_strdup (_("Postmark's batch answer does not list every message"));
      }
}

static SoupMessage *
outreach_postmark_provider_build_test_request (OutreachProvider *provider,
                                               GError          **error)
{
  OutreachPostmarkProvider *self = OUTREACH_POSTMARK_PROVIDER (provider);
  g_autofree char *url = g_strdup_printf ("%s/server", self->base);
  SoupMessage *request = soup_message_new ("GET", url);

  soup_message_headers_replace (soup_message_get_request_headers (request), "X-Postmark-Server-Token", self->token);
  soup_message_headers_replace (soup_message_get_request_headers (request), "Accept", "application/json");
  return request;
}

static void
outreach_postmark_provider_class_init (OutreachPostmarkProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_postmark_provider_finalize;
  provider_class->secret_keys = postmark_secret_keys;
  provider_class->configure = outreach_postmark_provider_configure;
  provider_class->get_max_batch = outreach_postmark_provider_get_max_batch;
  provider_class->build_request = outreach_postmark_provider_build_request;
  provider_class->parse_response = outreach_postmark_provider_parse_response;
  provider_class->build_test_request = outreach_postmark_provider_build_test_request;
}

static void
outreach_postmark_provider_init (OutreachPostmarkProvider *self)
{
}
