/* outreach-mailgun-provider.c — Mailgun Messages API (form-encoded)
 *
 * One call may carry up to 1,000 recipients: repeated `to` plus
 * `recipient-variables`, which carry each recipient's own rendered subject,
 * text and HTML (the form says `subject=%recipient.subject%` and so on),
 * stable send id (v:send_id, X-Message-Id) and List-Unsubscribe, so every
 * recipient gets their personal message. A call stays under Mailgun's
 * 25 MB limit: a larger batch is refused with
 * OUTREACH_PROVIDER_ERROR_TOO_LARGE and the runner sends it in parts.
 * Mailgun answers one id for the whole call; every recipient of it stores
 * that id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-mailgun-provider"

#include "config.h"

#include "outreach-mailgun-provider.h"

#include <glib/gi18n-lib.h>

struct _OutreachMailgunProvider
{
  OutreachProvider parent_instance;

  char *messages_url;
  char *domain_url;
  char *api_key;
};

/* Mailgun refuses messages over 25 MB (counted uncompressed); the whole
 * form of a call stays below it, with room for the multipart overhead
 * Mailgun adds when it builds the messages. */
#define MAILGUN_MAX_BYTES (24 * 1000 * 1000)

G_DEFINE_FINAL_TYPE (OutreachMailgunProvider, outreach_mailgun_provider, OUTREACH_TYPE_PROVIDER)

static const char *const mailgun_secret_keys[] = { "api_key", NULL };

static void
outreach_mailgun_provider_finalize (GObject *object)
{
  OutreachMailgunProvider *self = OUTREACH_MAILGUN_PROVIDER (object);

  g_free (self->messages_url);
  g_free (self->domain_url);
  g_free (self->api_key);
  G_OBJECT_CLASS (outreach_mailgun_provider_parent_class)->finalize (object);
}

static gboolean
outreach_mailgun_provider_configure (OutreachProvider *provider,
                                     JsonObject       *settings,
                                     GHashTable       *secrets,
                                     GError          **error)
{
  OutreachMailgunProvider *self = OUTREACH_MAILGUN_PROVIDER (provider);
  const char *domain = outreach_provider_require_setting (provider, settings, "domain", error);
  const char *region = outreach_provider_setting (settings, "region");
  const char *key;
  g_autofree char *base = NULL;
  g_autofree char *escaped = NULL;

  if (domain == NULL || outreach_provider_require_setting (provider, settings, "from", error) == NULL)
    return FALSE;
  if (region != NULL && !g_str_equal (region, "us") && !g_str_equal (region, "eu"))
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("Account “%s” (mailgun): the setting “region” is “us” or “eu”, not “%s”"),
                   outreach_provider_get_account_name (provider), region);
      return FALSE;
    }
  key = outreach_provider_require_secret (provider, secrets, "api_key", error);
  if (key == NULL)
    return FALSE;
  base = outreach_provider_base_url (provider, settings,
                                     g_strcmp0 (region, "eu") == 0 ? "https://api.eu.mailgun.net"
                                                                   : "https://api.mailgun.net",
                                     error);
  if (base == NULL)
    return FALSE;
  escaped = g_uri_escape_string (domain, NULL, FALSE);
  self->messages_url = g_strdup_printf ("%s/v3/%s/messages", base, escaped);
  self->domain_url = g_strdup_printf ("%s/v3/domains/%s", base, escaped);
  self->api_key = g_strdup (key);
  return TRUE;
}

static guint
outreach_mailgun_provider_get_max_batch (OutreachProvider *provider)
{
  return 1000;
}

static gboolean
outreach_mailgun_provider_can_batch (OutreachProvider      *provider,
                                     const OutreachMessage *first,
                                     const OutreachMessage *candidate)
{
  /* the content is per recipient; the form's fields must be the same */
  return (first->html != NULL) == (candidate->html != NULL) &&
         (first->unsubscribe_url != NULL) == (candidate->unsubscribe_url != NULL);
}

static char *
mailbox (const char *name,
         const char *address)
{
  g_autofree char *clean = outreach_message_header_value (name);

  if (*clean == '\0')
    return g_strdup (address);
  /* a quoted display name: commas and angle brackets stay inside it */
  g_strdelimit (clean, "\"\\", '\'');
  return g_strdup_printf ("\"%s\" <%s>", clean, address);
}

static SoupMessage *
outreach_mailgun_provider_build_request (OutreachProvider *provider,
                                         OutreachMessage **messages,
                                         guint             n,
                                         GError          **error)
{
  OutreachMailgunProvider *self = OUTREACH_MAILGUN_PROVIDER (provider);
  g_autoptr (GString) form = g_string_new (NULL);
  g_autofree char *from = mailbox (outreach_provider_get_from_name (provider), outreach_provider_get_from (provider));
  g_autoptr (SoupMessage) request = NULL;
  g_autoptr (GBytes) body = NULL;
  gsize len;

  outreach_form_append (form, "from", from);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to = mailbox (messages[i]->name, messages[i]->address);
      outreach_form_append (form, "to", to);
    }
  if (outreach_provider_get_reply_to (provider) != NULL)
    outreach_form_append (form, "h:Reply-To", outreach_provider_get_reply_to (provider));

  if (n == 1)
    {
      g_autofree char *subject = outreach_message_header_value (messages[0]->subject->str);

      outreach_form_append (form, "subject", subject);
      outreach_form_append (form, "text", messages[0]->text->str);
      if (messages[0]->html != NULL)
        outreach_form_append (form, "html", messages[0]->html->str);
      outreach_form_append (form, "v:send_id", messages[0]->message_id);
      outreach_form_append (form, "h:X-Message-Id", messages[0]->message_id);
      if (messages[0]->unsubscribe_url != NULL)
        {
          g_autofree char *url = outreach_message_header_value (messages[0]->unsubscribe_url);
          g_autofree char *value = g_strdup_printf ("<%s>", url);
          outreach_form_append (form, "h:List-Unsubscribe", value);
          outreach_form_append (form, "h:List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
    }
  else
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (GBytes) variables = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *subject = outreach_message_header_value (messages[i]->subject->str);

          json_builder_set_member_name (builder, messages[i]->address);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "send_id");
          json_builder_add_string_value (builder, messages[i]->message_id);
          json_builder_set_member_name (builder, "subject");
          json_builder_add_string_value (builder, subject);
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, messages[i]->text->str);
          if (messages[i]->html != NULL)
            {
              json_builder_set_member_name (builder, "html");
              json_builder_add_string_value (builder, messages[i]->html->str);
            }
          if (messages[i]->unsubscribe_url != NULL)
            {
              g_autofree char *url = outreach_message_header_value (messages[i]->unsubscribe_url);
              json_builder_set_member_name (builder, "unsubscribe");
              json_builder_add_string_value (builder, url);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      variables = outreach_provider_json_body (builder);
      text = g_strndup (g_bytes_get_data (variables, NULL), g_bytes_get_size (variables));
      outreach_form_append (form, "subject", "%recipient.subject%");
      outreach_form_append (form, "text", "%recipient.text%");
      if (messages[0]->html != NULL)
        outreach_form_append (form, "html", "%recipient.html%");
      outreach_form_append (form, "recipient-variables", text);
      outreach_form_append (form, "v:send_id", "%recipient.send_id%");
      outreach_form_append (form, "h:X-Message-Id", "%recipient.send_id%");
      if (messages[0]->unsubscribe_url != NULL)
        {
          outreach_form_append (form, "h:List-Unsubscribe", "<%recipient.unsubscribe%>");
          outreach_form_append (form, "h:List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
    }

  if (form->len > MAILGUN_MAX_BYTES)
    {
      if (n > 1)
        g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_TOO_LARGE,
                     _("%u messages together are over Mailgun's 25 MB limit for one request"), n);
      else
        g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_MESSAGE,
                     _("The message to %s is over Mailgun's 25 MB limit; make it smaller"),
                     messages[0]->address);
      return NULL;
    }

  request = soup_message_new ("POST", self->messages_url);
  len = form->len;
  body = g_bytes_new_take (g_string_free (g_steal_pointer (&form), FALSE), len);
  outreach_provider_set_basic_auth (request, "api", self->api_key);
  if (n == 1)
    soup_message_headers_replace (soup_message_get_request_headers (request), "X-Message-Id", messages[0]->message_id);
  outreach_provider_set_body (request, "application/x-www-form-urlencoded", body);
  return g_steal_pointer (&request);
}

static void
outreach_mailgun_provider_parse_response (OutreachProvider *provider,
                                          SoupMessage      *request,
                                          GBytes           *body,
                                          OutreachMessage **messages,
                                          guint             n,
                                          OutreachDelivery *results)
{
  g_autoptr (JsonNode) root = outreach_json_parse_bytes (body);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *id = outreach_json_string (object, "id");
  const char *message = outreach_json_string (object, "message");

  for (guint i = 0; i < n; i++)
    {
      outreach_provider_classify_status (provider, request, body, message, &results[i]);
      if (results[i].outcome == OUTREACH_DELIVERY_SENT)
        results[i].provider_id = g_strdup (id);
    }
}

static SoupMessage *
outreach_mailgun_provider_build_test_request (OutreachProvider *provider,
                                              GError          **error)
{
  OutreachMailgunProvider *self = OUTREACH_MAILGUN_PROVIDER (provider);
  SoupMessage *request = soup_message_new ("GET", self->domain_url);

  outreach_provider_set_basic_auth (request, "api", self->api_key);
  return request;
}

static void
outreach_mailgun_provider_class_init (OutreachMailgunProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_mailgun_provider_finalize;
  provider_class->secret_keys = mailgun_secret_keys;
  provider_class->configure = outreach_mailgun_provider_configure;
  provider_class->get_max_batch = outreach_mailgun_provider_get_max_batch;
  provider_class->can_batch = outreach_mailgun_provider_can_batch;
  provider_class->build_request = outreach_mailgun_provider_build_request;
  provider_class->parse_response = outreach_mailgun_provider_parse_response;
  provider_class->build_test_request = outreach_mailgun_provider_build_test_request;
}

static void
outreach_mailgun_provider_init (OutreachMailgunProvider *self)
{
}
