/* outreach-provider.h — the one interface every delivery provider implements
 *
 * A provider turns rendered messages (one, or a batch where the API has a
 * batch endpoint) into a SoupMessage, and the response into one result per
 * message. It does no I/O of its own: the runner sends the request, so
 * every provider can be tested against a loopback SoupServer. The folder
 * provider is the exception that needs no HTTP: it writes files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "outreach-message.h"

G_BEGIN_DECLS

#define OUTREACH_PROVIDER_ERROR (outreach_provider_error_quark ())

typedef enum
{
  OUTREACH_PROVIDER_ERROR_UNKNOWN_KIND,
  OUTREACH_PROVIDER_ERROR_SETTING,   /* a setting is missing or wrong (the message names it) */
  OUTREACH_PROVIDER_ERROR_INSECURE,  /* plain http:// to a host that is not loopback */
  OUTREACH_PROVIDER_ERROR_MESSAGE,   /* the message cannot go through this provider */
  OUTREACH_PROVIDER_ERROR_FAILED,
  OUTREACH_PROVIDER_ERROR_TOO_LARGE, /* the batch is over the provider's size limit: send it in parts */
} OutreachProviderError;

typedef enum
{
  OUTREACH_DELIVERY_SENT,       /* accepted by the provider */
  OUTREACH_DELIVERY_RETRY,      /* not taken (429, 503, refused…): safe to send again */
  OUTREACH_DELIVERY_UNCERTAIN,  /* may or may not have gone out */
  OUTREACH_DELIVERY_FAILED,     /* permanent for this message */
  OUTREACH_DELIVERY_REFUSED,    /* credentials refused (401/403): the job cannot go on */
} OutreachDeliveryOutcome;

typedef struct
{
  OutreachDeliveryOutcome outcome;
  char *provider_id;      /* the provider's id for the message, when sent */
  char *error;            /* for people: the provider's own error text */
  gint64 retry_after_ms;  /* RETRY: the provider's wait, or -1 for our backoff */
  char *excerpt;          /* redacted request/response for the log, or NULL */
} OutreachDelivery;

void outreach_delivery_clear (OutreachDelivery *self);

#define OUTREACH_TYPE_PROVIDER (outreach_provider_get_type ())
G_DECLARE_DERIVABLE_TYPE (OutreachProvider, outreach_provider, OUTREACH, PROVIDER, GObject)

struct _OutreachProviderClass
{
  GObjectClass parent_class;

  /* The secret keys this kind needs, NULL-terminated (e.g. "api_key"). */
  const char *const *secret_keys;

  /* Reads its settings (and secrets); FALSE with an error naming the setting. */
  gboolean     (*configure)      (OutreachProvider  *self,
                                  JsonObject        *settings,
                                  GHashTable        *secrets,
                                  GError           **error);
  /* The most messages one request may carry (1 = no batching). */
  guint        (*get_max_batch)  (OutreachProvider  *self);
  /* Whether @address is one this provider can send to (e-mail vs phone). */
  gboolean     (*accepts_address)(OutreachProvider  *self,
                                  const char        *address);
  /* HTTP providers: the request for @n messages. */
  SoupMessage *(*build_request)  (OutreachProvider  *self,
                                  OutreachMessage  **messages,
                                  guint              n,
                                  GError           **error);
  /* HTTP providers: one result per message for a response that arrived
   * (the default maps the status code; see outreach_provider_classify_status). */
  void         (*parse_response) (OutreachProvider  *self,
                                  SoupMessage       *request,
                                  GBytes            *body,
                                  OutreachMessage  **messages,
                                  guint              n,
                                  OutreachDelivery  *results);
  /* Local providers (folder): delivers one message synchronously. */
  void         (*deliver_local)  (OutreachProvider  *self,
                                  OutreachMessage   *message,
                                  OutreachDelivery  *result);
  /* Whether @candidate can go in one request with @first (batch
   * endpoints that share the content between recipients); default TRUE. */
  gboolean     (*can_batch)      (OutreachProvider      *self,
                                  const OutreachMessage *first,
                                  const OutreachMessage *candidate);
  /* Synchronous set-up in the job's thread before the first request
   * (JMAP session discovery); may be NULL. */
  gboolean     (*prepare)        (OutreachProvider  *self,
                                  SoupSession       *session,
                                  GError           **error);
  /* A harmless authenticated request for "Test connection", or NULL. */
  SoupMessage *(*build_test_request) (OutreachProvider *self,
                                      GError          **error);
};

GQuark            outreach_provider_error_quark   (void);

const char *const *outreach_provider_kinds        (void);
OutreachProvider *outreach_provider_new           (const char        *kind,
                                                   const char        *account_name,
                                                   JsonObject        *settings,
                                                   GHashTable        *secrets,
                                                   GError           **error);
const char *const *outreach_provider_kind_secret_keys (const char    *kind);
gboolean          outreach_provider_kind_known    (const char        *kind);
const char *const *outreach_provider_kind_setting_keys (const char   *kind);

const char       *outreach_provider_get_kind      (OutreachProvider  *self);
const char       *outreach_provider_get_account_name (OutreachProvider *self);
gboolean          outreach_provider_is_local      (OutreachProvider  *self);
guint             outreach_provider_get_max_batch (OutreachProvider  *self);
gboolean          outreach_provider_accepts_address (OutreachProvider *self,
                                                     const char       *address);
SoupMessage      *outreach_provider_build_request (OutreachProvider  *self,
                                                   OutreachMessage  **messages,
                                                   guint              n,
                                                   GError           **error);
void              outreach_provider_parse_response (OutreachProvider *self,
                                                    SoupMessage      *request,
                                                    GBytes           *body,
                                                    OutreachMessage **messages,
                                                    guint             n,
                                                    OutreachDelivery *results);
void              outreach_provider_deliver_local (OutreachProvider  *self,
                                                   OutreachMessage   *message,
                                                   OutreachDelivery  *result);
gboolean          outreach_provider_can_batch     (OutreachProvider      *self,
                                                   const OutreachMessage *first,
                                                   const OutreachMessage *candidate);
gboolean          outreach_provider_prepare       (OutreachProvider  *self,
                                                   SoupSession       *session,
                                                   GError           **error);
void              outreach_provider_set_body      (SoupMessage       *request,
                                                   const char        *content_type,
                                                   GBytes            *body);
GBytes           *outreach_provider_json_body     (JsonBuilder       *builder);
void              outreach_form_append            (GString           *form,
                                                   const char        *key,
                                                   const char        *value);
gboolean          outreach_message_same_content   (const OutreachMessage *a,
                                                   const OutreachMessage *b);
SoupMessage      *outreach_provider_build_test_request (OutreachProvider *self,
                                                        GError          **error);
void              outreach_provider_classify_transport (OutreachProvider *self,
                                                        const GError     *error,
                                                        gboolean          body_sent,
                                                        OutreachDelivery *result);

/* For the providers' implementations. */
const char       *outreach_provider_get_from      (OutreachProvider  *self);
const char       *outreach_provider_get_from_name (OutreachProvider  *self);
const char       *outreach_provider_get_reply_to  (OutreachProvider  *self);
const char *const *outreach_provider_get_secrets  (OutreachProvider  *self);
char             *outreach_provider_base_url      (OutreachProvider  *self,
                                                   JsonObject        *settings,
                                                   const char        *default_url,
                                                   GError           **error);
gboolean          outreach_provider_check_url     (const char        *url,
                                                   const char        *setting,
                                                   GError           **error);
const char       *outreach_provider_setting       (JsonObject        *settings,
                                                   const char        *key);
const char       *outreach_provider_require_setting (OutreachProvider *self,
                                                     JsonObject      *settings,
                                                     const char      *key,
                                                     GError         **error);
const char       *outreach_provider_require_secret (OutreachProvider *self,
                                                    GHashTable      *secrets,
                                                    const char      *key,
                                                    GError         **error);
void              outreach_provider_classify_status (OutreachProvider *self,
                                                     SoupMessage      *request,
                                                     GBytes           *body,
                                                     const char       *provider_error,
                                                     OutreachDelivery *result);
gint64            outreach_provider_retry_after_ms (SoupMessage      *request);
char             *outreach_provider_excerpt       (OutreachProvider  *self,
                                                   SoupMessage       *request,
                                                   GBytes            *request_body,
                                                   GBytes            *response_body);
void              outreach_provider_set_basic_auth (SoupMessage      *request,
                                                    const char       *user,
                                                    const char       *password);
void              outreach_provider_add_unsubscribe_headers (SoupMessageHeaders    *headers,
                                                             const OutreachMessage *message);
void              outreach_json_escape_append     (GString           *out,
                                                   const char        *text,
                                                   gssize             len);
JsonNode         *outreach_json_parse_bytes       (GBytes            *body);
const char       *outreach_json_string            (JsonObject        *object,
                                                   const char        *member);
gboolean          outreach_address_is_e164        (const char        *address);

typedef enum
{
  OUTREACH_URL_OK,
  OUTREACH_URL_NOT_A_URL,  /* it did not parse, or has no host */
  OUTREACH_URL_NOT_WEB,    /* a scheme other than https:// or http:// */
  OUTREACH_URL_INSECURE,   /* plain http:// to another computer */
} OutreachUrlProblem;

OutreachUrlProblem outreach_url_check             (GUri              *uri);

G_END_DECLS
