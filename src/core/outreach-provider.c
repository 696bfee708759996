/* outreach-provider.c — the one interface every delivery provider implements
 *
 * Also the parts every HTTP provider shares: the status-code policy of
 * DESIGN.md "Runner" (2xx sent; 429 and 503 retried; 401/403 refused;
 * other 4xx failed; other 5xx uncertain), Retry-After and
 * X-RateLimit-Reset, transport errors, redacted log excerpts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-provider"

#include "config.h"

#include "outreach-provider.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "outreach-job-log.h"
#include "providers/outreach-folder-provider.h"
#include "providers/outreach-jmap-provider.h"
#include "providers/outreach-mailgun-provider.h"
#include "providers/outreach-postmark-provider.h"
#include "providers/outreach-sendgrid-provider.h"
#include "providers/outreach-ses-provider.h"
#include "providers/outreach-twilio-provider.h"
#include "providers/outreach-webhook-provider.h"

G_DEFINE_QUARK (outreach-provider-error-quark, outreach_provider_error)

typedef struct
{
  char *kind;
  char *account_name;
  char *from;
  char *from_name;
  char *reply_to;
  GPtrArray *secrets; /* values to redact, NULL-terminated */
} OutreachProviderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (OutreachProvider, outreach_provider, G_TYPE_OBJECT)

typedef struct
{
  const char *kind;
  GType (*get_type) (void);
  const char *const *settings; /* besides the common ones */
} ProviderKind;

static const char *const folder_settings[] = { "path", NULL };
static const char *const webhook_settings[] = { "url", "username", NULL };
static const char *const mailgun_settings[] = { "domain", "region", NULL };
static const char *const sendgrid_settings[] = { NULL };
static const char *const postmark_settings[] = { "message_stream", NULL };
static const char *const ses_settings[] = { "region", "access_key_id", "configuration_set", NULL };
static const char *const jmap_settings[] = { "url", "username", NULL };
static const char *const twilio_settings[] = { "account_sid", "from_number", "messaging_service_sid", NULL };

static const ProviderKind kinds[] = {
  { "folder", outreach_folder_provider_get_type, folder_settings },
  { "webhook", outreach_webhook_provider_get_type, webhook_settings },
  { "mailgun", outreach_mailgun_provider_get_type, mailgun_settings },
  { "sendgrid", outreach_sendgrid_provider_get_type, sendgrid_settings },
  { "postmark", outreach_postmark_provider_get_type, postmark_settings },
  { "ses", outreach_ses_provider_get_type, ses_settings },
  { "jmap", outreach_jmap_provider_get_type, jmap_settings },
  { "twilio", outreach_twilio_provider_get_type, twilio_settings },
};

static const char *const common_settings[] = {
  "from", "from_name", "reply_to", "base_url", "rate", "concurrency", "retry_ambiguous", NULL,
};

void
outreach_delivery_clear (OutreachDelivery *self)
{
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->excerpt, g_free);
}

static void
outreach_provider_finalize (GObject *object)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (OUTREACH_PROVIDER (object));

  g_free (priv->kind);
  g_free (priv->account_name);
  g_free (priv->from);
  g_free (priv->from_name);
  g_free (priv->reply_to);
  g_clear_pointer (&priv->secrets, g_ptr_array_unref);

  G_OBJECT_CLASS (outreach_provider_parent_class)->finalize (object);
}

static guint
outreach_provider_real_get_max_batch (OutreachProvider *self)
{
  return 1;
}

static gboolean
outreach_provider_real_accepts_address (OutreachProvider *self,
                                        const char       *address)
{
  /* e-mail: something@something; the donor import checked the rest */
  const char *at = strrchr (address, '@');
  return at != NULL && at != address && at[1] != '\0';
}

static void
outreach_provider_real_parse_response (OutreachProvider *self,
                                       SoupMessage      *request,
                                       GBytes           *body,
                                       OutreachMessage **messages,
                                       guint             n,
                                       OutreachDelivery *results)
{
  for (guint i = 0; i < n; i++)
    outreach_provider_classify_status (self, request, body, NULL, &results[i]);
}

static void
outreach_provider_class_init (OutreachProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_provider_finalize;
  klass->get_max_batch = outreach_provider_real_get_max_batch;
  klass->accepts_address = outreach_provider_real_accepts_address;
  klass->parse_response = outreach_provider_real_parse_response;
}

static void
outreach_provider_init (OutreachProvider *self)
{
}

static const ProviderKind *
find_kind (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return &kinds[i];
  return NULL;
}

/**
 * outreach_provider_kinds:
 *
 * Returns: (transfer none): the kinds this build can send with
 */
const char *const *
outreach_provider_kinds (void)
{
  static const char *names[G_N_ELEMENTS (kinds) + 1];

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    names[i] = kinds[i].kind;
  return names;
}

gboolean
outreach_provider_kind_known (const char *kind)
{
  return find_kind (kind) != NULL;
}

/**
 * outreach_provider_kind_secret_keys:
 *
 * Returns: (transfer none): the secrets the kind needs; empty when none
 */
const char *const *
outreach_provider_kind_secret_keys (const char *kind)
{
  static const char *const none[] = { NULL };
  const ProviderKind *k = find_kind (kind);
  g_autoptr (GTypeClass) klass = NULL;
  const char *const *keys;

  if (k == NULL)
    return none;
  klass = g_type_class_ref (k->get_type ());
  keys = OUTREACH_PROVIDER_CLASS (klass)->secret_keys;
  return keys != NULL ? keys : none;
}

/**
 * outreach_provider_kind_setting_keys:
 *
 * Returns: (transfer full): the non-secret setting keys @kind accepts
 */
const char *const *
outreach_provider_kind_setting_keys (const char *kind)
{
  const ProviderKind *k = find_kind (kind);
  return k != NULL ? k->settings : NULL;
}

/* Whether @key is a setting @kind knows (common or its own). */
static gboolean
setting_known (const ProviderKind *k,
               const char         *key)
{
  return g_strv_contains (common_settings, key) ||
         (k->settings != NULL && g_strv_contains (k->settings, key));
}

/**
 * outreach_provider_new:
 * @settings: the account's non-secret settings
 * @secrets: (nullable): key → secret value
 *
 * Returns: (transfer full): a configured provider, or %NULL with @error
 *   naming the account and the setting that is wrong
 */
OutreachProvider *
outreach_provider_new (const char  *kind,
                       const char  *account_name,
                       JsonObject  *settings,
                       GHashTable  *secrets,
                       GError     **error)
{
  const ProviderKind *k = find_kind (kind);
  g_autoptr (OutreachProvider) self = NULL;
  OutreachProviderPrivate *priv;
  g_autoptr (JsonObject) empty = NULL;
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (account_name != NULL, NULL);

  if (k == NULL)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_UNKNOWN_KIND,
                   _("Account “%s” has the provider kind “%s”, which this version of Outreach "
                     "does not know; choose one of folder, webhook, mailgun, sendgrid, postmark, "
                     "ses, jmap, twilio"),
                   account_name, kind);
      return NULL;
    }
  if (settings == NULL)
    settings = empty = json_object_new ();

  members = json_object_get_members (settings);
  for (GList *l = members; l != NULL; l = l->next)
    if (!setting_known (k, l->data))
      {
        g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                     _("Account “%s” (%s) has an unknown setting “%s”; remove it"),
                     account_name, kind, (const char *) l->data);
        return NULL;
      }

  self = g_object_new (k->get_type (), NULL);
  priv = outreach_provider_get_instance_private (self);
  priv->kind = g_strdup (kind);
  priv->account_name = g_strdup (account_name);
  priv->from = g_strdup (outreach_provider_setting (settings, "from"));
  priv->from_name = g_strdup (outreach_provider_setting (settings, "from_name"));
  priv->reply_to = g_strdup (outreach_provider_setting (settings, "reply_to"));
  priv->secrets = g_ptr_array_new_with_free_func (g_free);
  if (secrets != NULL)
    {
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (priv->secrets, g_strdup (value));
    }
  g_ptr_array_add (priv->secrets, NULL);

  if (OUTREACH_PROVIDER_GET_CLASS (self)->configure != NULL &&
      !OUTREACH_PROVIDER_GET_CLASS (self)->configure (self, settings, secrets, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
outreach_provider_get_kind (OutreachProvider *self)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (self);
  return priv->kind;
}

const char *
outreach_provider_get_account_name (OutreachProvider *self)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (self);
  return priv->account_name;
}

const char *
outreach_provider_get_from (OutreachProvider *self)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (self);
  return priv->from;
}

const char *
outreach_provider_get_from_name (OutreachProvider *self)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (self);
  return priv->from_name;
}

const char *
outreach_provider_get_reply_to (OutreachProvider *self)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (self);
  return priv->reply_to;
}

const char *const *
outreach_provider_get_secrets (OutreachProvider *self)
{
  OutreachProviderPrivate *priv = outreach_provider_get_instance_private (self);
  return (const char *const *) priv->secrets->pdata;
}

gboolean
outreach_provider_is_local (OutreachProvider *self)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), FALSE);
  return OUTREACH_PROVIDER_GET_CLASS (self)->deliver_local != NULL;
}

guint
outreach_provider_get_max_batch (OutreachProvider *self)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), 1);
  return MAX (1, OUTREACH_PROVIDER_GET_CLASS (self)->get_max_batch (self));
}

gboolean
outreach_provider_accepts_address (OutreachProvider *self,
                                   const char       *address)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  return OUTREACH_PROVIDER_GET_CLASS (self)->accepts_address (self, address);
}

SoupMessage *
outreach_provider_build_request (OutreachProvider *self,
                                 OutreachMessage **messages,
                                 guint             n,
                                 GError          **error)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (n >= 1 && n <= outreach_provider_get_max_batch (self), NULL);
  g_return_val_if_fail (OUTREACH_PROVIDER_GET_CLASS (self)->build_request != NULL, NULL);

  return OUTREACH_PROVIDER_GET_CLASS (self)->build_request (self, messages, n, error);
}

void
outreach_provider_parse_response (OutreachProvider *self,
                                  SoupMessage      *request,
                                  GBytes           *body,
                                  OutreachMessage **messages,
                                  guint             n,
                                  OutreachDelivery *results)
{
  g_return_if_fail (OUTREACH_IS_PROVIDER (self));

  OUTREACH_PROVIDER_GET_CLASS (self)->parse_response (self, request, body, messages, n, results);
}

void
outreach_provider_deliver_local (OutreachProvider *self,
                                 OutreachMessage  *message,
                                 OutreachDelivery *result)
{
  g_return_if_fail (outreach_provider_is_local (self));

  OUTREACH_PROVIDER_GET_CLASS (self)->deliver_local (self, message, result);
}

gboolean
outreach_provider_can_batch (OutreachProvider      *self,
                             const OutreachMessage *first,
                             const OutreachMessage *candidate)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), FALSE);

  if (OUTREACH_PROVIDER_GET_CLASS (self)->can_batch == NULL)
    return TRUE;
  return OUTREACH_PROVIDER_GET_CLASS (self)->can_batch (self, first, candidate);
}

gboolean
outreach_provider_prepare (OutreachProvider *self,
                           SoupSession      *session,
                           GError          **error)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), FALSE);

  if (OUTREACH_PROVIDER_GET_CLASS (self)->prepare == NULL)
    return TRUE;
  return OUTREACH_PROVIDER_GET_CLASS (self)->prepare (self, session, error);
}

/**
 * outreach_provider_set_body:
 *
 * Sets the request body and keeps it on the message, so a log excerpt can
 * show what was sent.
 */
void
outreach_provider_set_body (SoupMessage *request,
                            const char  *content_type,
                            GBytes      *body)
{
  soup_message_set_request_body_from_bytes (request, content_type, body);
  g_object_set_data_full (G_OBJECT (request), "outreach-body", g_bytes_ref (body),
                          (GDestroyNotify) g_bytes_unref);
}

GBytes *
outreach_provider_json_body (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);
  return g_bytes_new_take (data, len);
}

/* key=value&… with both parts percent-encoded (keys may repeat). */
void
outreach_form_append (GString    *form,
                      const char *key,
                      const char *value)
{
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_uri_escaped (form, key, NULL, FALSE);
  g_string_append_c (form, '=');
  g_string_append_uri_escaped (form, value != NULL ? value : "", NULL, FALSE);
}

gboolean
outreach_message_same_content (const OutreachMessage *a,
                               const OutreachMessage *b)
{
  return g_string_equal (a->text, b->text) &&
         (a->html == NULL) == (b->html == NULL) &&
         (a->html == NULL || g_string_equal (a->html, b->html));
}

SoupMessage *
outreach_provider_build_test_request (OutreachProvider *self,
                                      GError          **error)
{
  g_return_val_if_fail (OUTREACH_IS_PROVIDER (self), NULL);

  if (OUTREACH_PROVIDER_GET_CLASS (self)->build_test_request == NULL)
    return NULL;
  return OUTREACH_PROVIDER_GET_CLASS (self)->build_test_request (self, error);
}

const char *
outreach_provider_setting (JsonObject *settings,
                           const char *key)
{
  JsonNode *node;

  if (settings == NULL || !json_object_has_member (settings, key))
    return NULL;
  node = json_object_get_member (settings, key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
outreach_provider_require_setting (OutreachProvider *self,
                                   JsonObject       *settings,
                                   const char       *key,
                                   GError          **error)
{
  const char *value = outreach_provider_setting (settings, key);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("Account “%s” (%s) needs the setting “%s”; set it with "
                     "“outreach accounts add … --set %s=VALUE” or in Preferences"),
                   outreach_provider_get_account_name (self), outreach_provider_get_kind (self),
                   key, key);
      return NULL;
    }
  return value;
}

const char *
outreach_provider_require_secret (OutreachProvider *self,
                                  GHashTable       *secrets,
                                  const char       *key,
                                  GError          **error)
{
  const char *value = secrets != NULL ? g_hash_table_lookup (secrets, key) : NULL;

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("Account “%s” (%s) has no secret “%s”; store it in the keyring with "
                     "“outreach accounts add … --secret-env %s=VAR” or in Preferences, or set "
                     "the environment variable for it (see README)"),
                   outreach_provider_get_account_name (self), outreach_provider_get_kind (self),
                   key, key);
      return NULL;
    }
  return value;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * outreach_url_check:
 * @uri: (nullable): a parsed URL, %NULL when it did not parse
 *
 * The one rule for a URL Outreach sends to (a provider's, or an account's
 * field): https://, or http:// to loopback only, so credentials and donor
 * data never cross a network in the clear. Callers word the problem for
 * where the URL came from.
 */
OutreachUrlProblem
outreach_url_check (GUri *uri)
{
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return OUTREACH_URL_NOT_A_URL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return OUTREACH_URL_OK;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return host_is_loopback (g_uri_get_host (uri)) ? OUTREACH_URL_OK : OUTREACH_URL_INSECURE;
  return OUTREACH_URL_NOT_WEB;
}

/**
 * outreach_provider_check_url:
 *
 * A URL a provider may send to (see outreach_url_check()).
 */
gboolean
outreach_provider_check_url (const char *url,
                             const char *setting,
                             GError    **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  switch (outreach_url_check (uri))
    {
    case OUTREACH_URL_OK:
      return TRUE;

    case OUTREACH_URL_NOT_A_URL:
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("The setting “%s” is not a URL: “%s”; give one like https://example.org/path"),
                   setting, url);
      return FALSE;

    case OUTREACH_URL_INSECURE:
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_INSECURE,
                   _("The setting “%s” uses plain http:// to %s; use https:// (plain http is "
                     "allowed only to this computer)"),
                   setting, g_uri_get_host (uri));
      return FALSE;

    case OUTREACH_URL_NOT_WEB:
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("The setting “%s” must be an https:// URL, not “%s”"), setting, url);
      return FALSE;
    }
  g_assert_not_reached ();
}

/**
 * outreach_provider_base_url:
 *
 * The `base_url` setting (for regions and tests) or @default_url, checked,
 * without a trailing slash.
 */
char *
outreach_provider_base_url (OutreachProvider *self,
                            JsonObject       *settings,
                            const char       *default_url,
                            GError          **error)
{
  const char *value = outreach_provider_setting (settings, "base_url");
  g_autofree char *url = g_strdup (value != NULL && *value != '\0' ? value : default_url);
  gsize len;

  if (!outreach_provider_check_url (url, "base_url", error))
    return NULL;
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

/**
 * outreach_provider_retry_after_ms:
 *
 * How long the provider asked us to wait: `Retry-After` (delta seconds
 * or an HTTP date), else `X-RateLimit-Reset` (epoch seconds), else -1.
 */
gint64
outreach_provider_retry_after_ms (SoupMessage *request)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (request);
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  gint64 now_ms = g_get_real_time () / 1000;

  if (value != NULL)
    {
      char *end = NULL;
      gint64 seconds;

      while (g_ascii_isspace (*value))
        value++;
      seconds = g_ascii_strtoll (value, &end, 10);
      if (end != value && (*end == '\0' || g_ascii_isspace (*end)) && seconds >= 0)
        return seconds * 1000;

      {
        g_autoptr (GDateTime) date = soup_date_time_new_from_http_string (value);
        if (date != NULL)
          return MAX (0, g_date_time_to_unix (date) * 1000 - now_ms);
      }
    }

  value = soup_message_headers_get_one (headers, "X-RateLimit-Reset");
  if (value != NULL)
    {
      char *end = NULL;
      gint64 reset = g_ascii_strtoll (value, &end, 10);
      if (end != value && reset > 0)
        {
          /* epoch seconds; some servers send a delta instead */
          if (reset > 1000000000)
            return MAX (0, reset * 1000 - now_ms);
          return reset * 1000;
        }
    }

  return -1;
}

static char *
body_text (GBytes *body,
           gsize   max)
{
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *text = NULL;

  if (data == NULL || len == 0)
    return g_strdup ("");
  text = g_utf8_make_valid (data, MIN (len, max));
  g_strstrip (text);
  return g_steal_pointer (&text);
}

/**
 * outreach_provider_classify_status:
 * @provider_error: (nullable): the provider's own error text from the body
 *
 * The status-code policy: 2xx sent; 429 and 503 retry (the provider says
 * it did not take the request), honouring Retry-After; 401 and 403
 * refused (credentials); other 4xx failed; other 5xx uncertain (it may
 * have been taken).
 */
void
outreach_provider_classify_status (OutreachProvider *self,
                                   SoupMessage      *request,
                                   GBytes           *body,
                                   const char       *provider_error,
                                   OutreachDelivery *result)
{
  guint status = soup_message_get_status (request);
  g_autofree char *text = NULL;

  result->retry_after_ms = -1;
  if (status >= 200 && status < 300)
    {
      result->outcome = OUTREACH_DELIVERY_SENT;
      return;
    }

  if (provider_error != NULL && *provider_error != '\0')
    text = g_strdup (provider_error);
  else
    text = body_text (body, 300);
  result->error = g_strdup_printf ("HTTP %u %s%s%s", status,
                                   soup_message_get_reason_phrase (request) != NULL
                                     ? soup_message_get_reason_phrase (request) : "",
                                   *text != '\0' ? ": " : "", text);

  if (status == 429 || status == 503)
    {
      result->outcome = OUTREACH_DELIVERY_RETRY;
      result->retry_after_ms = outreach_provider_retry_after_ms (request);
    }
  else if (status == 401 || status == 403)
    result->outcome = OUTREACH_DELIVERY_REFUSED;
  else if (status >= 500)
    result->outcome = OUTREACH_DELIVERY_UNCERTAIN;
  else
    result->outcome = OUTREACH_DELIVERY_FAILED;
}

/**
 * outreach_provider_classify_transport:
 * @body_sent: whether the request body had been written when it failed
 *
 * A request that never reached the provider (refused connection, name not
 * resolved, or failed before its body went out) is safe to retry; one that
 * failed after the body went out (timeout, reset) may have been taken.
 */
void
outreach_provider_classify_transport (OutreachProvider *self,
                                      const GError     *error,
                                      gboolean          body_sent,
                                      OutreachDelivery *result)
{
  gboolean before = !body_sent ||
                    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
                    error->domain == G_RESOLVER_ERROR;

  result->retry_after_ms = -1;
  result->outcome = before ? OUTREACH_DELIVERY_RETRY : OUTREACH_DELIVERY_UNCERTAIN;
  result->error = g_strdup_printf (before ? _("Could not reach the provider: %s")
                                          : _("The connection failed after the message was sent: %s"),
                                   error->message);
}

/**
 * outreach_provider_excerpt:
 *
 * A redacted excerpt of a request and its response for the job's log:
 * no Authorization or token header, no secret anywhere.
 */
char *
outreach_provider_excerpt (OutreachProvider *self,
                           SoupMessage      *request,
                           GBytes           *request_body,
                           GBytes           *response_body)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *request_text = body_text (request_body, 600);
  g_autofree char *response_text = body_text (response_body, 600);
  g_autofree char *uri = g_uri_to_string_partial (soup_message_get_uri (request),
                                                  G_URI_HIDE_PASSWORD | G_URI_HIDE_AUTH_PARAMS);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_string_append_printf (text, "%s %s\n", soup_message_get_method (request), uri);
  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (request));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\n", name, value);
  g_string_append_printf (text, "\n%s\n\n", request_text);
  if (soup_message_get_status (request) != 0)
    {
      g_string_append_printf (text, "HTTP %u %s\n", soup_message_get_status (request),
                              soup_message_get_reason_phrase (request));
      soup_message_headers_iter_init (&iter, soup_message_get_response_headers (request));
      while (soup_message_headers_iter_next (&iter, &name, &value))
        g_string_append_printf (text, "%s: %s\n", name, value);
      g_string_append_printf (text, "\n%s", response_text);
    }

  return outreach_job_log_redact (text->str, outreach_provider_get_secrets (self));
}

void
outreach_provider_set_basic_auth (SoupMessage *request,
                                  const char  *user,
                                  const char  *password)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *value = g_strdup_printf ("Basic %s", encoded);

  soup_message_headers_replace (soup_message_get_request_headers (request), "Authorization", value);
}

void
outreach_provider_add_unsubscribe_headers (SoupMessageHeaders    *headers,
                                           const OutreachMessage *message)
{
  g_autofree char *url = NULL;
  g_autofree char *value = NULL;

  if (message->unsubscribe_url == NULL || *message->unsubscribe_url == '\0')
    return;
  url = outreach_message_header_value (message->unsubscribe_url);
  value = g_strdup_printf ("<%s>", url);
  soup_message_headers_replace (headers, "List-Unsubscribe", value);
  soup_message_headers_replace (headers, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
}

/**
 * outreach_json_escape_append:
 *
 * Appends @text as the inside of a JSON string (no quotes). Faster than a
 * JsonGenerator for the hot path of building one request per recipient.
 */
void
outreach_json_escape_append (GString    *out,
                             const char *text,
                             gssize      len)
{
  const char *p = text;
  const char *end = len < 0 ? text + strlen (text) : text + len;
  const char *run = p;

  for (; p < end; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;
      char buf[8];

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
          g_snprintf (buf, sizeof buf, "\\u%04x", c);
          escape = buf;
          break;
        }
      g_string_append_len (out, run, p - run);
      g_string_append (out, escape);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
}

/**
 * outreach_json_parse_bytes:
 *
 * Returns: (transfer full) (nullable): the JSON document in @body, or
 *   %NULL when it is not JSON (a provider's HTML error page, say)
 */
JsonNode *
outreach_json_parse_bytes (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* A string member, or NULL when missing or not a string. */
const char *
outreach_json_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* E.164: "+", a non-zero digit, up to 15 digits in all. */
gboolean
outreach_address_is_e164 (const char *address)
{
  gsize len;

  if (address == NULL || address[0] != '+' || address[1] < '1' || address[1] > '9')
    return FALSE;
  len = strlen (address + 1);
  if (len < 3 || len > 15)
    return FALSE;
  for (const char *p = address + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}
