/* outreach-ses-provider.c — Amazon SES v2 SendEmail, signed with AWS SigV4
 *
 * One message per call (SendBulkEmail works with stored templates only).
 * The stable id travels as the EmailTag send_id and an X-Message-Id
 * header. SES sends no Retry-After: throttling (429, ThrottlingException)
 * is retried with our backoff.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-ses-provider"

#include "config.h"

#include "outreach-ses-provider.h"

#include <glib/gi18n-lib.h>

#include "outreach-sigv4.h"

struct _OutreachSesProvider
{
  OutreachProvider parent_instance;

  char *base;
  char *host;        /* as libsoup sends it: host, or host:port */
  char *region;
  char *access_key_id;
  char *secret_access_key;
  char *configuration_set;
};

G_DEFINE_FINAL_TYPE (OutreachSesProvider, outreach_ses_provider, OUTREACH_TYPE_PROVIDER)

static const char *const ses_secret_keys[] = { "secret_access_key", NULL };

static void
outreach_ses_provider_finalize (GObject *object)
{
  OutreachSesProvider *self = OUTREACH_SES_PROVIDER (object);

  g_free (self->base);
  g_free (self->host);
  g_free (self->region);
  g_free (self->access_key_id);
  g_free (self->secret_access_key);
  g_free (self->configuration_set);
  G_OBJECT_CLASS (outreach_ses_provider_parent_class)->finalize (object);
}

static gboolean
outreach_ses_provider_configure (OutreachProvider *provider,
                                 JsonObject       *settings,
                                 GHashTable       *secrets,
                                 GError          **error)
{
  OutreachSesProvider *self = OUTREACH_SES_PROVIDER (provider);
  const char *region = outreach_provider_require_setting (provider, settings, "region", error);
  const char *akid;
  const char *secret;
  g_autofree char *default_url = NULL;
  g_autoptr (GUri) uri = NULL;

  if (region == NULL)
    return FALSE;
  akid = outreach_provider_require_setting (provider, settings, "access_key_id", error);
  if (akid == NULL || outreach_provider_require_setting (provider, settings, "from", error) == NULL)
    return FALSE;
  secret = outreach_provider_require_secret (provider, secrets, "secret_access_key", error);
  if (secret == NULL)
    return FALSE;
  for (const char *p = region; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                     _("Account “%s” (ses): “%s” is not an AWS region such as eu-west-1"),
                     outreach_provider_get_account_name (provider), region);
        return FALSE;
      }
  default_url = g_strdup_printf ("https://email.%s.amazonaws.com", region);
  self->base = outreach_provider_base_url (provider, settings, default_url, error);
  if (self->base == NULL)
    return FALSE;
  uri = g_uri_parse (self->base, G_URI_FLAGS_NONE, NULL);
  if (g_uri_get_port (uri) > 0 &&
      !((g_uri_get_port (uri) == 443 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) ||
        (g_uri_get_port (uri) == 80 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0)))
    self->host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    self->host = g_strdup (g_uri_get_host (uri));
  self->region = g_strdup (region);
  self->access_key_id = g_strdup (akid);
  self->secret_access_key = g_strdup (secret);
  self->configuration_set = g_strdup (outreach_provider_setting (settings, "configuration_set"));
  return TRUE;
}

static void
sign (OutreachSesProvider *self,
      SoupMessage         *request,
      const char          *method,
      const char          *path,
      GBytes              *body)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *amz_date = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_auto (OutreachSigv4Result) result = { 0 };
  OutreachSigv4Header headers[3] = {
    { "host", self->host },
    { "x-amz-date", amz_date },
    { "content-type", "application/json" },
  };
  gsize len = 0;
  const guint8 *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  outreach_sigv4_sign (method, path, "", headers, body != NULL ? 3 : 2, data, len, self->region, "ses",
                       self->access_key_id, self->secret_access_key, amz_date, &result);
  soup_message_headers_replace (soup_message_get_request_headers (request), "X-Amz-Date", amz_date);
  soup_message_headers_replace (soup_message_get_request_headers (request), "Authorization", result.authorization);
}

static void
add_header (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "Value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_content (JsonBuilder *builder,
             const char  *member,
             const char  *data)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Data");
  json_builder_add_string_value (builder, data);
  json_builder_set_member_name (builder, "Charset");
  json_builder_add_string_value (builder, "UTF-8");
  json_builder_end_object (builder);
}

static SoupMessage *
outreach_ses_provider_build_request (OutreachProvider *provider,
                                     OutreachMessage **messages,
                                     guint             n,
                                     GError          **error)
{
  OutreachSesProvider *self = OUTREACH_SES_PROVIDER (provider);
  OutreachMessage *m = messages[0];
  const char *path = "/v2/email/outbound-emails";
  g_autofree char *url = g_strconcat (self->base, path, NULL);
  g_autoptr (SoupMessage) request = soup_message_new ("POST", url);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GBytes) body = NULL;
  g_autofree char *from = NULL;
  g_autofree char *subject = outreach_message_header_value (m->subject->str);
  const char *from_name = outreach_provider_get_from_name (provider);

  if (from_name != NULL && *from_name != '\0')
    {
      g_autofree char *clean = outreach_message_header_value (from_name);
      g_strdelimit (clean, "\"\\", '\'');
      from = g_strdup_printf ("\"%s\" <%s>", clean, outreach_provider_get_from (provider));
    }
  else
    from = g_strdup (outreach_provider_get_from (provider));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "FromEmailAddress");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "Destination");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ToAddresses");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, m->address);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (outreach_provider_get_reply_to (provider) != NULL)
    {
      json_builder_set_member_name (builder, "ReplyToAddresses");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, outreach_provider_get_reply_to (provider));
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "Content");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Simple");
  json_builder_begin_object (builder);
  add_content (builder, "Subject", subject);
  json_builder_set_member_name (builder, "Body");
  json_builder_begin_object (builder);
  add_content (builder, "Text", m->text->str);
  if (m->html != NULL)
    add_content (builder, "Html", m->html->str);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "Headers");
  json_builder_begin_array (builder);
  add_header (builder, "X-Message-Id", m->message_id);
  if (m->unsubscribe_url != NULL)
    {
      g_autofree char *clean = outreach_message_header_value (m->unsubscribe_url);
      g_autofree char *value = g_strdup_printf ("<%s>", clean);
      add_header (builder, "List-Unsubscribe", value);
      add_header (builder, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "EmailTags");
  json_builder_begin_array (builder);
  add_header (builder, "send_id", m->message_id);
  json_builder_end_array (builder);
  if (self->configuration_set != NULL && *self->configuration_set != '\0')
    {
      json_builder_set_member_name (builder, "ConfigurationSetName");
      json_builder_add_string_value (builder, self->configuration_set);
    }
  json_builder_end_object (builder);

  /* sign exactly the bytes that are sent */
  body = outreach_provider_json_body (builder);
  outreach_provider_set_body (request, "application/json", body);
  soup_message_headers_replace (soup_message_get_request_headers (request), "X-Message-Id", m->message_id);
  sign (self, request, "POST", path, body);
  return g_steal_pointer (&request);
}

static void
outreach_ses_provider_parse_response (OutreachProvider *provider,
                                      SoupMessage      *request,
                                      GBytes           *body,
                                      OutreachMessage **messages,
                                      guint             n,
                                      OutreachDelivery *results)
{
  g_autoptr (JsonNode) root = outreach_json_parse_bytes (body);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *type = soup_message_headers_get_one (soup_message_get_response_headers (request), "x-amzn-ErrorType");
  const char *message = outreach_json_string (object, "message");
  g_autofree char *kind = type != NULL ? g_strndup (type, strcspn (type, ":")) : NULL;
  g_autofree char *text = NULL;

  if (message == NULL)
    message = outreach_json_string (object, "Message");
  if (kind != NULL)
    text = g_strdup_printf ("%s: %s", kind, message != NULL ? message : "");

  outreach_provider_classify_status (provider, request, body, text != NULL ? text : message, &results[0]);
  /* throttling comes as 400 too; it was not taken, so it is safe to retry */
  if (results[0].outcome == OUTREACH_DELIVERY_FAILED &&
      (g_strcmp0 (kind, "ThrottlingException") == 0 || g_strcmp0 (kind, "TooManyRequestsException") == 0))
    results[0].outcome = OUTREACH_DELIVERY_RETRY;
  if (results[0].outcome == OUTREACH_DELIVERY_SENT)
    results[0].provider_id = g_strdup (outreach_json_string (object, "MessageId"));
}

static SoupMessage *
outreach_ses_provider_build_test_request (OutreachProvider *provider,
                                          GError          **error)
{
  OutreachSesProvider *self = OUTREACH_SES_PROVIDER (provider);
  g_autofree char *url = g_strconcat (self->base, "/v2/email/account", NULL);
  SoupMessage *request = soup_message_new ("GET", url);

  sign (self, request, "GET", "/v2/email/account", NULL);
  return request;
}

static void
outreach_ses_provider_class_init (OutreachSesProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_ses_provider_finalize;
  provider_class->secret_keys = ses_secret_keys;
  provider_class->configure = outreach_ses_provider_configure;
  provider_class->build_request = outreach_ses_provider_build_request;
  provider_class->parse_response = outreach_ses_provider_parse_response;
  provider_class->build_test_request = outreach_ses_provider_build_test_request;
}

static void
outreach_ses_provider_init (OutreachSesProvider *self)
{
}
