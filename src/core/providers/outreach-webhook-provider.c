/* outreach-webhook-provider.c — a JSON POST per message
 *
 * The body keeps listmonk's "postback" messenger shape, so existing
 * listmonk bridges work; the Standard Webhooks headers (webhook-id =
 * the stable message id, webhook-timestamp, webhook-signature when a
 * signing key is set) let a receiver verify and de-duplicate. Any 2xx is
 * success.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-webhook-provider"

#include "config.h"

#include "outreach-webhook-provider.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _OutreachWebhookProvider
{
  OutreachProvider parent_instance;

  char *url;
  GUri *uri;       /* parsed once, not per message */
  char *username;
  char *password;
  guchar *signing_key;
  gsize signing_key_len;
  char *from_header;  /* "Name <addr>" or addr, JSON-escaped */
};

G_DEFINE_FINAL_TYPE (OutreachWebhookProvider, outreach_webhook_provider, OUTREACH_TYPE_PROVIDER)

static const char *const webhook_secret_keys[] = { "password", "signing_key", NULL };

static void
outreach_webhook_provider_finalize (GObject *object)
{
  OutreachWebhookProvider *self = OUTREACH_WEBHOOK_PROVIDER (object);

  g_free (self->url);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_free (self->username);
  g_free (self->password);
  g_free (self->signing_key);
  g_free (self->from_header);

  G_OBJECT_CLASS (outreach_webhook_provider_parent_class)->finalize (object);
}

/* Standard Webhooks keys are "whsec_" + base64; a plain string is used as is. */
static guchar *
decode_signing_key (const char *key,
                    gsize      *len)
{
  if (g_str_has_prefix (key, "whsec_"))
    return g_base64_decode (key + 6, len);
  *len = strlen (key);
  return (guchar *) g_strdup (key);
}

static gboolean
outreach_webhook_provider_configure (OutreachProvider *provider,
                                     JsonObject       *settings,
                                     GHashTable       *secrets,
                                     GError          **error)
{
  OutreachWebhookProvider *self = OUTREACH_WEBHOOK_PROVIDER (provider);
  const char *url = outreach_provider_setting (settings, "url");
  const char *signing_key = secrets != NULL ? g_hash_table_lookup (secrets, "signing_key") : NULL;
  const char *from = outreach_provider_get_from (provider);
  const char *from_name = outreach_provider_get_from_name (provider);
  g_autoptr (GString) from_header = g_string_new (NULL);

  if (url == NULL || *url == '\0')
    url = outreach_provider_setting (settings, "base_url");
  if (url == NULL || *url == '\0')
    return outreach_provider_require_setting (provider, settings, "url", error) != NULL;
  if (!outreach_provider_check_url (url, "url", error))
    return FALSE;
  self->url = g_strdup (url);
  self->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  self->username = g_strdup (outreach_provider_setting (settings, "username"));
  if (self->username != NULL && *self->username != '\0')
    {
      const char *password = outreach_provider_require_secret (provider, secrets, "password", error);
      if (password == NULL)
        return FALSE;
      self->password = g_strdup (password);
    }
  if (signing_key != NULL && *signing_key != '\0')
    {
      self->signing_key = decode_signing_key (signing_key, &self->signing_key_len);
      if (self->signing_key == NULL || self->signing_key_len == 0)
        {
          g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                       _("Account “%s” (webhook): the secret “signing_key” is empty"),
                       outreach_provider_get_account_name (provider));
          return FALSE;
        }
    }

  if (from != NULL && from_name != NULL && *from_name != '\0')
    {
      g_autofree char *name = g_strdup_printf ("%s <%s>", from_name, from);
      outreach_json_escape_append (from_header, name, -1);
    }
  else if (from != NULL)
    outreach_json_escape_append (from_header, from, -1);
  self->from_header = g_string_free (g_steal_pointer (&from_header), FALSE);

  return TRUE;
}

/**
 * outreach_webhook_signature:
 *
 * Returns: (transfer full): "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>"
 */
char *
outreach_webhook_signature (const char *signing_key,
                            const char *id,
                            gint64      timestamp,
                            const char *body,
                            gsize       body_len)
{
  gsize key_len = 0;
  g_autofree guchar *key = decode_signing_key (signing_key, &key_len);
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  g_autofree char *prefix = g_strdup_printf ("%s.%" G_GINT64_FORMAT ".", id, timestamp);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autofree char *encoded = NULL;

  g_hmac_update (hmac, (const guchar *) prefix, strlen (prefix));
  g_hmac_update (hmac, (const guchar *) body, body_len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  encoded = g_base64_encode (digest, digest_len);
  return g_strdup_printf ("v1,%s", encoded);
}

static void
append_string_member (GString    *out,
                      const char *name,
                      const char *value,
                      gssize      len)
{
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":\"");
  outreach_json_escape_append (out, value != NULL ? value : "", value != NULL ? len : 0);
  g_string_append_c (out, '"');
}

static SoupMessage *
outreach_webhook_provider_build_request (OutreachProvider *provider,
                                         OutreachMessage **messages,
                                         guint             n,
                                         GError          **error)
{
  OutreachWebhookProvider *self = OUTREACH_WEBHOOK_PROVIDER (provider);
  OutreachMessage *message = messages[0];
  g_autoptr (SoupMessage) request = self->uri != NULL ? soup_message_new_from_uri ("POST", self->uri) : NULL;
  SoupMessageHeaders *headers;
  GString *body;
  g_autoptr (GBytes) bytes = NULL;
  gsize body_len;
  char timestamp[24];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean html = message->html != NULL;

  if (request == NULL)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("Account “%s” (webhook): “%s” is not a URL libsoup can use"),
                   outreach_provider_get_account_name (provider), self->url);
      return NULL;
    }

  body = g_string_sized_new (512 + message->text->len + (html ? message->html->len : 0));
  g_string_append_c (body, '{');
  append_string_member (body, "subject", message->subject->str, message->subject->len);
  g_string_append_c (body, ',');
  if (html)
    append_string_member (body, "body", message->html->str, message->html->len);
  else
    append_string_member (body, "body", message->text->str, message->text->len);
  g_string_append (body, html ? ",\"content_type\":\"html\"," : ",\"content_type\":\"plain\",");
  if (html)
    {
      append_string_member (body, "altbody", message->text->str, message->text->len);
      g_string_append_c (body, ',');
    }
  g_string_append (body, "\"recipients\":[{");
  append_string_member (body, "uuid", message->message_id, -1);
  g_string_append_c (body, ',');
  append_string_member (body, "email", message->address, -1);
  g_string_append_c (body, ',');
  append_string_member (body, "name", message->name, -1);
  g_string_append (body, ",\"attribs\":{");
  if (message->donor_id > 0)
    g_string_append_printf (body, "\"donor_id\":%" G_GINT64_FORMAT, message->donor_id);
  g_string_append (body, "},\"status\":\"enabled\"}],\"campaign\":{\"from_email\":\"");
  g_string_append (body, self->from_header);
  g_string_append (body, "\",");
  append_string_member (body, "uuid", message->job_uuid, -1);
  g_string_append_c (body, ',');
  append_string_member (body, "name", message->job_name, -1);
  g_string_append (body, ",\"headers\":[");
  g_string_append (body, "{\"X-Message-Id\":\"");
  outreach_json_escape_append (body, message->message_id, -1);
  g_string_append (body, "\"}");
  if (message->unsubscribe_url != NULL && *message->unsubscribe_url != '\0')
    {
      g_string_append (body, ",{\"List-Unsubscribe\":\"<");
      outreach_json_escape_append (body, message->unsubscribe_url, -1);
      g_string_append (body, ">\"},{\"List-Unsubscribe-Post\":\"List-Unsubscribe=One-Click\"}");
    }
  g_string_append (body, "],\"tags\":[]},\"attachments\":[]}");

  body_len = body->len;
  bytes = g_string_free_to_bytes (body);

  headers = soup_message_get_request_headers (request);
  soup_message_headers_append (headers, "User-Agent", "Outreach/" PACKAGE_VERSION);
  soup_message_headers_append (headers, "X-Message-Id", message->message_id);
  soup_message_headers_append (headers, "webhook-id", message->message_id);
  g_snprintf (timestamp, sizeof timestamp, "%" G_GINT64_FORMAT, now);
  soup_message_headers_append (headers, "webhook-timestamp", timestamp);
  if (self->signing_key != NULL)
    {
      g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->signing_key, self->signing_key_len);
      g_autofree char *prefix = g_strdup_printf ("%s.%s.", message->message_id, timestamp);
      guint8 digest[32];
      gsize digest_len = sizeof digest;
      g_autofree char *encoded = NULL;
      g_autofree char *value = NULL;

      g_hmac_update (hmac, (const guchar *) prefix, strlen (prefix));
      g_hmac_update (hmac, g_bytes_get_data (bytes, NULL), body_len);
      g_hmac_get_digest (hmac, digest, &digest_len);
      encoded = g_base64_encode (digest, digest_len);
      value = g_strdup_printf ("v1,%s", encoded);
      soup_message_headers_append (headers, "webhook-signature", value);
    }
  outreach_provider_add_unsubscribe_headers (headers, message);
  if (self->password != NULL)
    outreach_provider_set_basic_auth (request, self->username, self->password);

  outreach_provider_set_body (request, "application/json", bytes);
  return g_steal_pointer (&request);
}

static SoupMessage *
outreach_webhook_provider_build_test_request (OutreachProvider *provider,
                                              GError          **error)
{
  OutreachWebhookProvider *self = OUTREACH_WEBHOOK_PROVIDER (provider);
  OutreachMessage message = { 0 };
  g_autoptr (GString) subject = g_string_new ("Outreach connection test");
  g_autoptr (GString) text = g_string_new ("This is a test from Outreach; it goes to nobody.");
  SoupMessage *request;
  OutreachMessage *messages[] = { &message };

  /* A webhook has no dry-run mode; the receiver sees an empty recipient
   * address and a "test" message id, and may ignore it. */
  message.address = (char *) "";
  message.name = (char *) "";
  message.message_id = (char *) "outreach-connection-test";
  message.job_uuid = "outreach-connection-test";
  message.job_name = "Connection test";
  message.subject = subject;
  message.text = text;
  request = outreach_webhook_provider_build_request (provider, messages, 1, error);
  if (request != NULL)
    soup_message_headers_append (soup_message_get_request_headers (request), "X-Outreach-Test", "1");
  (void) self;
  return request;
}

static void
outreach_webhook_provider_class_init (OutreachWebhookProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_webhook_provider_finalize;
  provider_class->secret_keys = webhook_secret_keys;
  provider_class->configure = outreach_webhook_provider_configure;
  provider_class->build_request = outreach_webhook_provider_build_request;
  provider_class->build_test_request = outreach_webhook_provider_build_test_request;
}

static void
outreach_webhook_provider_init (OutreachWebhookProvider *self)
{
}
