/* outreach-twilio-provider.c — Twilio Programmable Messaging (SMS)
 *
 * One message per call, to an E.164 number, body at most 1,600
 * characters (the text body; SMS has no subject or HTML). Twilio has no
 * custom headers: the stable id stays with us, keyed by the returned sid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-twilio-provider"

#include "config.h"

#include "outreach-twilio-provider.h"

#include <glib/gi18n-lib.h>

#define MAX_BODY_CHARS 1600

struct _OutreachTwilioProvider
{
  OutreachProvider parent_instance;

  char *base;
  char *account_sid;
  char *auth_token;
  char *from_number;
  char *messaging_service_sid;
};

G_DEFINE_FINAL_TYPE (OutreachTwilioProvider, outreach_twilio_provider, OUTREACH_TYPE_PROVIDER)

static const char *const twilio_secret_keys[] = { "auth_token", NULL };

static void
outreach_twilio_provider_finalize (GObject *object)
{
  OutreachTwilioProvider *self = OUTREACH_TWILIO_PROVIDER (object);

  g_free (self->base);
  g_free (self->account_sid);
  g_free (self->auth_token);
  g_free (self->from_number);
  g_free (self->messaging_service_sid);
  G_OBJECT_CLASS (outreach_twilio_provider_parent_class)->finalize (object);
}

static gboolean
outreach_twilio_provider_configure (OutreachProvider *provider,
                                    JsonObject       *settings,
                                    GHashTable       *secrets,
                                    GError          **error)
{
  OutreachTwilioProvider *self = OUTREACH_TWILIO_PROVIDER (provider);
  const char *sid = outreach_provider_require_setting (provider, settings, "account_sid", error);
  const char *from = outreach_provider_setting (settings, "from_number");
  const char *service = outreach_provider_setting (settings, "messaging_service_sid");
  const char *token;

  if (sid == NULL)
    return FALSE;
  if ((from == NULL || *from == '\0') && (service == NULL || *service == '\0'))
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("Account “%s” (twilio) needs “from_number” or “messaging_service_sid”"),
                   outreach_provider_get_account_name (provider));
      return FALSE;
    }
  if (from != NULL && *from != '\0' && !outreach_address_is_e164 (from))
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                   _("Account “%s” (twilio): “from_number” must be an E.164 number such as +15558675310, not “%s”"),
                   outreach_provider_get_account_name (provider), from);
      return FALSE;
    }
  token = outreach_provider_require_secret (provider, secrets, "auth_token", error);
  if (token == NULL)
    return FALSE;
  self->base = outreach_provider_base_url (provider, settings, "https://api.twilio.com", error);
  if (self->base == NULL)
    return FALSE;
  self->account_sid = g_strdup (sid);
  self->auth_token = g_strdup (token);
  self->from_number = g_strdup (from);
  self->messaging_service_sid = g_strdup (service);
  return TRUE;
}

static gboolean
outreach_twilio_provider_accepts_address (OutreachProvider *provider,
                                          const char       *address)
{
  return outreach_address_is_e164 (address);
}

static SoupMessage *
outreach_twilio_provider_build_request (OutreachProvider *provider,
                                        OutreachMessage **messages,
                                        guint             n,
                                        GError          **error)
{
  OutreachTwilioProvider *self = OUTREACH_TWILIO_PROVIDER (provider);
  OutreachMessage *m = messages[0];
  g_autofree char *sid = g_uri_escape_string (self->account_sid, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/2010-04-01/Accounts/%s/Messages.json", self->base, sid);
  g_autoptr (SoupMessage) request = NULL;
  g_autoptr (GString) form = g_string_new (NULL);
  g_autoptr (GBytes) body = NULL;
  glong chars = g_utf8_strlen (m->text->str, m->text->len);
  gsize len;

  if (!outreach_address_is_e164 (m->address))
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_MESSAGE,
                   _("“%s” is not a phone number in E.164 form (+ and up to 15 digits)"), m->address);
      return NULL;
    }
  if (chars > MAX_BODY_CHARS)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_MESSAGE,
                   _("The text is %ld characters long; an SMS may have at most %d"), chars, MAX_BODY_CHARS);
      return NULL;
    }

  request = soup_message_new ("POST", url);
  outreach_form_append (form, "To", m->address);
  if (self->messaging_service_sid != NULL && *self->messaging_service_sid != '\0')
    outreach_form_append (form, "MessagingServiceSid", self->messaging_service_sid);
  else
    outreach_form_append (form, "From", self->from_number);
  outreach_form_append (form, "Body", m->text->str);
  len = form->len;
  body = g_bytes_new_take (g_string_free (g_steal_pointer (&form), FALSE), len);
  outreach_provider_set_basic_auth (request, self->account_sid, self->auth_token);
  soup_message_headers_replace (soup_message_get_request_headers (request), "X-Message-Id", m->message_id);
  outreach_provider_set_body (request, "application/x-www-form-urlencoded", body);
  return g_steal_pointer (&request);
}

static void
outreach_twilio_provider_parse_response (OutreachProvider *provider,
                                         SoupMessage      *request,
                                         GBytes           *body,
                                         OutreachMessage **messages,
                                         guint             n,
                                         OutreachDelivery *results)
{
  g_autoptr (JsonNode) root = outreach_json_parse_bytes (body);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *message = outreach_json_string (object, "message");
  g_autofree char *text = NULL;

  if (message != NULL && object != NULL && json_object_has_member (object, "code"))
    text = g_strdup_printf ("%" G_GINT64_FORMAT " %s", json_object_get_int_member (object, "code"), message);
  outreach_provider_classify_status (provider, request, body, text != NULL ? text : message, &results[0]);
  if (results[0].outcome == OUTREACH_DELIVERY_SENT)
    results[0].provider_id = g_strdup (outreach_json_string (object, "sid"));
}

static SoupMessage *
outreach_twilio_provider_build_test_request (OutreachProvider *provider,
                                             GError          **error)
{
  OutreachTwilioProvider *self = OUTREACH_TWILIO_PROVIDER (provider);
  g_autofree char *sid = g_uri_escape_string (self->account_sid, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/2010-04-01/Accounts/%s.json", self->base, sid);
  SoupMessage *request = soup_message_new ("GET", url);

  outreach_provider_set_basic_auth (request, self->account_sid, self->auth_token);
  return request;
}

static void
outreach_twilio_provider_class_init (OutreachTwilioProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_twilio_provider_finalize;
  provider_class->secret_keys = twilio_secret_keys;
  provider_class->configure = outreach_twilio_provider_configure;
  provider_class->accepts_address = outreach_twilio_provider_accepts_address;
  provider_class->build_request = outreach_twilio_provider_build_request;
  provider_class->parse_response = outreach_twilio_provider_parse_response;
  provider_class->build_test_request = outreach_twilio_provider_build_test_request;
}

static void
outreach_twilio_provider_init (OutreachTwilioProvider *self)
{
}
