/* outreach-jmap-provider.c — JMAP (RFC 8620 / 8621): Email/set + EmailSubmission/set
 *
 * Before the first message (in the job's thread): the Session from the
 * `url` setting (e.g. https://host/.well-known/jmap) gives apiUrl (may be
 * relative: resolved against the session URL) and the mail account; one
 * call then finds the Drafts and Sent mailboxes and the identity. Each
 * request creates up to 50 emails and their submissions; per-object
 * SetErrors decide each recipient (rateLimit is retried).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-jmap-provider"

#include "config.h"

#include "outreach-jmap-provider.h"

#include <glib/gi18n-lib.h>

struct _OutreachJmapProvider
{
  OutreachProvider parent_instance;

  char *session_url;
  char *username;
  char *password;
  char *api_url;
  char *account_id;
  char *drafts_id;
  char *sent_id;
  char *identity_id;
  guint max_objects;
};

G_DEFINE_FINAL_TYPE (OutreachJmapProvider, outreach_jmap_provider, OUTREACH_TYPE_PROVIDER)

static const char *const jmap_secret_keys[] = { "password", NULL };

static void
outreach_jmap_provider_finalize (GObject *object)
{
  OutreachJmapProvider *self = OUTREACH_JMAP_PROVIDER (object);

  g_free (self->session_url);
  g_free (self->username);
  g_free (self->password);
  g_free (self->api_url);
  g_free (self->account_id);
  g_free (self->drafts_id);
  g_free (self->sent_id);
  g_free (self->identity_id);
  G_OBJECT_CLASS (outreach_jmap_provider_parent_class)->finalize (object);
}

static gboolean
outreach_jmap_provider_configure (OutreachProvider *provider,
                                  JsonObject       *settings,
                                  GHashTable       *secrets,
                                  GError          **error)
{
  OutreachJmapProvider *self = OUTREACH_JMAP_PROVIDER (provider);
  const char *url = outreach_provider_require_setting (provider, settings, "url", error);
  const char *username;
  const char *password;

  if (url == NULL || !outreach_provider_check_url (url, "url", error))
    return FALSE;
  username = outreach_provider_require_setting (provider, settings, "username", error);
  if (username == NULL || outreach_provider_require_setting (provider, settings, "from", error) == NULL)
    return FALSE;
  password = outreach_provider_require_secret (provider, secrets, "password", error);
  if (password == NULL)
    return FALSE;
  self->session_url = g_strdup (url);
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  self->max_objects = 50;
  return TRUE;
}

static guint
outreach_jmap_provider_get_max_batch (OutreachProvider *provider)
{
  return OUTREACH_JMAP_PROVIDER (provider)->max_objects;
}

static JsonNode *
send_sync (OutreachJmapProvider *self,
           SoupSession          *session,
           SoupMessage          *request,
           const char           *what,
           GError              **error)
{
  g_autoptr (GBytes) body = NULL;
  JsonNode *root;

  outreach_provider_set_basic_auth (request, self->username, self->password);
  body = soup_session_send_and_read (session, request, NULL, error);
  if (body == NULL)
    return NULL;
  if (soup_message_get_status (request) != 200)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_FAILED,
                   _("The JMAP server of account “%s” answered HTTP %u to the %s request%s"),
                   outreach_provider_get_account_name (OUTREACH_PROVIDER (self)),
                   soup_message_get_status (request), what,
                   soup_message_get_status (request) == 401 ? _("; check the username and password") : "");
      return NULL;
    }
  root = outreach_json_parse_bytes (body);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_FAILED,
                   _("The JMAP server of account “%s” did not answer the %s request with JSON"),
                   outreach_provider_get_account_name (OUTREACH_PROVIDER (self)), what);
    }
  return root;
}

/* methodResponses[index][1], the arguments, when its name is @name. */
static JsonObject *
method_args (JsonObject *response,
             guint       index,
             const char *name)
{
  JsonArray *responses;
  JsonArray *entry;

  if (response == NULL || !json_object_has_member (response, "methodResponses"))
    return NULL;
  responses = json_object_get_array_member (response, "methodResponses");
  if (responses == NULL || index >= json_array_get_length (responses))
    return NULL;
  entry = json_array_get_array_element (responses, index);
  if (entry == NULL || json_array_get_length (entry) < 2 ||
      g_strcmp0 (json_array_get_string_element (entry, 0), name) != 0)
    return NULL;
  return json_array_get_object_element (entry, 1);
}

static const char *
first_id (JsonObject *query_args)
{
  JsonArray *ids = query_args != NULL && json_object_has_member (query_args, "ids")
                     ? json_object_get_array_member (query_args, "ids") : NULL;
  return ids != NULL && json_array_get_length (ids) > 0 ? json_array_get_string_element (ids, 0) : NULL;
}

static void
add_using (JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "using");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "urn:ietf:params:jmap:core");
  json_builder_add_string_value (builder, "urn:ietf:params:jmap:mail");
  json_builder_add_string_value (builder, "urn:ietf:params:jmap:submission");
  json_builder_end_array (builder);
}

static void
add_mailbox_query (JsonBuilder *builder,
                   const char  *account_id,
                   const char  *role,
                   const char  *call_id)
{
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Mailbox/query");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accountId");
  json_builder_add_string_value (builder, account_id);
  json_builder_set_member_name (builder, "filter");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_add_string_value (builder, call_id);
  json_builder_end_array (builder);
}

static gboolean
outreach_jmap_provider_prepare (OutreachProvider *provider,
                                SoupSession      *session,
                                GError          **error)
{
  OutreachJmapProvider *self = OUTREACH_JMAP_PROVIDER (provider);
  g_autoptr (SoupMessage) request = soup_message_new ("GET", self->session_url);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GUri) base = NULL;
  JsonObject *session_object, *primary, *capabilities, *core;
  const char *api_url, *account_id;
  JsonObject *identities;

  if (request == NULL)
    return outreach_provider_check_url (self->session_url, "url", error);
  root = send_sync (self, session, request, _("session"), error);
  if (root == NULL)
    return FALSE;
  session_object = json_node_get_object (root);
  api_url = outreach_json_string (session_object, "apiUrl");
  primary = json_object_has_member (session_object, "primaryAccounts")
              ? json_object_get_object_member (session_object, "primaryAccounts") : NULL;
  account_id = outreach_json_string (primary, "urn:ietf:params:jmap:mail");
  if (api_url == NULL || account_id == NULL)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_FAILED,
                   _("The JMAP session of account “%s” has no apiUrl or no mail account"),
                   outreach_provider_get_account_name (provider));
      return FALSE;
    }
  /* Cyrus gives "/jmap/": resolve against where the session came from */
  base = g_uri_ref (soup_message_get_uri (request));
  {
    g_autoptr (GUri) resolved = g_uri_parse_relative (base, api_url, G_URI_FLAGS_NONE, error);
    if (resolved == NULL)
      return FALSE;
    self->api_url = g_uri_to_string (resolved);
  }
  if (!outreach_provider_check_url (self->api_url, "apiUrl", error))
    return FALSE;
  self->account_id = g_strdup (account_id);
  capabilities = json_object_has_member (session_object, "capabilities")
                   ? json_object_get_object_member (session_object, "capabilities") : NULL;
  core = capabilities != NULL && json_object_has_member (capabilities, "urn:ietf:params:jmap:core")
           ? json_object_get_object_member (capabilities, "urn:ietf:params:jmap:core") : NULL;
  if (core != NULL)
    {
      gint64 max_set = json_object_get_int_member_with_default (core, "maxObjectsInSet", 50);
      /* two objects per message (email + submission) */
      self->max_objects = (guint) CLAMP (max_set, 1, 50);
    }

  json_builder_begin_object (builder);
  add_using (builder);
  json_builder_set_member_name (builder, "methodCalls");
  json_builder_begin_array (builder);
  add_mailbox_query (builder, account_id, "drafts", "d");
  add_mailbox_query (builder, account_id, "sent", "s");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Identity/get");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accountId");
  json_builder_add_string_value (builder, account_id);
  json_builder_end_object (builder);
  json_builder_add_string_value (builder, "i");
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = outreach_provider_json_body (builder);

  g_clear_object (&request);
  request = soup_message_new ("POST", self->api_url);
  outreach_provider_set_body (request, "application/json", body);
  answer = send_sync (self, session, request, _("mailbox"), error);
  if (answer == NULL)
    return FALSE;
  self->drafts_id = g_strdup (first_id (method_args (json_node_get_object (answer), 0, "Mailbox/query")));
  self->sent_id = g_strdup (first_id (method_args (json_node_get_object (answer), 1, "Mailbox/query")));
  identities = method_args (json_node_get_object (answer), 2, "Identity/get");
  if (identities != NULL && json_object_has_member (identities, "list"))
    {
      JsonArray *list = json_object_get_array_member (identities, "list");
      const char *from = outreach_provider_get_from (provider);
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonObject *identity = json_array_get_object_element (list, i);
          if (self->identity_id == NULL ||
              g_ascii_strcasecmp (outreach_json_string (identity, "email") ? outreach_json_string (identity, "email") : "", from) == 0)
            {
              g_free (self->identity_id);
              self->identity_id = g_strdup (outreach_json_string (identity, "id"));
            }
        }
    }
  if (self->drafts_id == NULL || self->identity_id == NULL)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_FAILED,
                   _("The JMAP account of “%s” has no %s; the server must offer a Drafts mailbox "
                     "and a sending identity"),
                   outreach_provider_get_account_name (provider),
                   self->drafts_id == NULL ? _("Drafts mailbox") : _("identity"));
      return FALSE;
    }
  return TRUE;
}

static SoupMessage *
outreach_jmap_provider_build_request (OutreachProvider *provider,
                                      OutreachMessage **messages,
                                      guint             n,
                                      GError          **error)
{
  OutreachJmapProvider *self = OUTREACH_JMAP_PROVIDER (provider);
  g_autoptr (SoupMessage) request = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GBytes) body = NULL;

  if (self->api_url == NULL)
    {
      g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_FAILED,
                   _("The JMAP session was not set up"));
      return NULL;
    }
  request = soup_message_new ("POST", self->api_url);

  json_builder_begin_object (builder);
  add_using (builder);
  json_builder_set_member_name (builder, "methodCalls");
  json_builder_begin_array (builder);

  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Email/set");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accountId");
  json_builder_add_string_value (builder, self->account_id);
  json_builder_set_member_name (builder, "create");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      OutreachMessage *m = messages[i];
      g_autofree char *key = g_strdup_printf ("m%u", i);
      g_autofree char *subject = outreach_message_header_value (m->subject->str);
      g_autofree char *name = outreach_message_header_value (m->name);
      g_autofree char *from_name = outreach_message_header_value (outreach_provider_get_from_name (provider));

      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mailboxIds");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, self->drafts_id);
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "keywords");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "$draft");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "$seen");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, from_name);
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, outreach_provider_get_from (provider));
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "to");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, m->address);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      if (outreach_provider_get_reply_to (provider) != NULL)
        {
          json_builder_set_member_name (builder, "replyTo");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "email");
          json_builder_add_string_value (builder, outreach_provider_get_reply_to (provider));
          json_builder_end_object (builder);
          json_builder_end_array (builder);
        }
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, subject);
      json_builder_set_member_name (builder, "header:X-Message-Id:asText");
      json_builder_add_string_value (builder, m->message_id);
      if (m->unsubscribe_url != NULL)
        {
          g_autofree char *url = outreach_message_header_value (m->unsubscribe_url);
          json_builder_set_member_name (builder, "header:List-Unsubscribe:asURLs");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, url);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "header:List-Unsubscribe-Post:asText");
          json_builder_add_string_value (builder, "List-Unsubscribe=One-Click");
        }
      json_builder_set_member_name (builder, "bodyValues");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "t");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, m->text->str);
      json_builder_end_object (builder);
      if (m->html != NULL)
        {
          json_builder_set_member_name (builder, "h");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, m->html->str);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "textBody");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "partId");
      json_builder_add_string_value (builder, "t");
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "text/plain");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      if (m->html != NULL)
        {
          json_builder_set_member_name (builder, "htmlBody");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "partId");
          json_builder_add_string_value (builder, "h");
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "text/html");
          json_builder_end_object (builder);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_add_string_value (builder, "c1");
  json_builder_end_array (builder);

  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "EmailSubmission/set");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accountId");
  json_builder_add_string_value (builder, self->account_id);
  json_builder_set_member_name (builder, "create");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("s%u", i);
      g_autofree char *ref = g_strdup_printf ("#m%u", i);
      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "identityId");
      json_builder_add_string_value (builder, self->identity_id);
      json_builder_set_member_name (builder, "emailId");
      json_builder_add_string_value (builder, ref);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "onSuccessUpdateEmail");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("#s%u", i);
      g_autofree char *drafts = g_strdup_printf ("mailboxIds/%s", self->drafts_id);
      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, drafts);
      json_builder_add_null_value (builder);
      if (self->sent_id != NULL)
        {
          g_autofree char *sent = g_strdup_printf ("mailboxIds/%s", self->sent_id);
          json_builder_set_member_name (builder, sent);
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_set_member_name (builder, "keywords/$draft");
      json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_add_string_value (builder, "c2");
  json_builder_end_array (builder);

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  body = outreach_provider_json_body (builder);
  outreach_provider_set_basic_auth (request, self->username, self->password);
  if (n == 1)
    soup_message_headers_replace (soup_message_get_request_headers (request), "X-Message-Id", messages[0]->message_id);
  outreach_provider_set_body (request, "application/json", body);
  return g_steal_pointer (&request);
}

/* The SetError of object @key in a /set answer, or NULL. */
static JsonObject *
set_error (JsonObject *args,
           const char *key)
{
  JsonObject *not_created = args != NULL && json_object_has_member (args, "notCreated") &&
                            JSON_NODE_HOLDS_OBJECT (json_object_get_member (args, "notCreated"))
                              ? json_object_get_object_member (args, "notCreated") : NULL;
  return not_created != NULL && json_object_has_member (not_created, key)
           ? json_object_get_object_member (not_created, key) : NULL;
}

static const char *
created_id (JsonObject *args,
            const char *key)
{
  JsonObject *created = args != NULL && json_object_has_member (args, "created") &&
                        JSON_NODE_HOLDS_OBJECT (json_object_get_member (args, "created"))
                          ? json_object_get_object_member (args, "created") : NULL;
  JsonObject *object = created != NULL && json_object_has_member (created, key)
                         ? json_object_get_object_member (created, key) : NULL;
  return outreach_json_string (object, "id");
}

static void
set_error_result (JsonObject       *error_object,
                  OutreachDelivery *result)
{
  const char *type = outreach_json_string (error_object, "type");
  const char *description = outreach_json_string (error_object, "description");

  result->retry_after_ms = -1;
  result->outcome = g_strcmp0 (type, "rateLimit") == 0 ? OUTREACH_DELIVERY_RETRY
                    : g_strcmp0 (type, "forbidden") == 0 || g_strcmp0 (type, "forbiddenToSend") == 0
                      ? OUTREACH_DELIVERY_FAILED : OUTREACH_DELIVERY_FAILED;
  result->error = g_strdup_printf ("JMAP %s%s%s", type != NULL ? type : "error",
                                   description != NULL ? ": " : "", description != NULL ? description : "");
}

static void
outreach_jmap_provider_parse_response (OutreachProvider *provider,
                                       SoupMessage      *request,
                                       GBytes           *body,
                                       OutreachMessage **messages,
                                       guint             n,
                                       OutreachDelivery *results)
{
  g_autoptr (JsonNode) root = outreach_json_parse_bytes (body);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  guint status = soup_message_get_status (request);
  JsonObject *emails, *submissions, *method_error;

  if (status != 200 || object == NULL)
    {
      /* a request-level problem (RFC 7807): "limit" on concurrency clears by waiting */
      const char *type = outreach_json_string (object, "type");
      const char *limit = outreach_json_string (object, "limit");
      for (guint i = 0; i < n; i++)
        {
          outreach_provider_classify_status (provider, request, body, type, &results[i]);
          if (status == 400 && g_strcmp0 (limit, "maxConcurrentRequests") == 0)
            results[i].outcome = OUTREACH_DELIVERY_RETRY;
          else if (status == 200 && object == NULL)
            {
              results[i].outcome = OUTREACH_DELIVERY_UNCERTAIN;
              results[i].error = g_strdup (_("The JMAP server's answer is not JSON"));
            }
        }
      return;
    }

  emails = method_args (object, 0, "Email/set");
  submissions = method_args (object, 1, "EmailSubmission/set");
  method_error = method_args (object, 0, "error");
  if (method_error == NULL)
    method_error = method_args (object, 1, "error");
  if (emails == NULL || submissions == NULL)
    {
      const char *type = outreach_json_string (method_error, "type");
      for (guint i = 0; i < n; i++)
        {
          results[i].retry_after_ms = -1;
          /* serverUnavailable: nothing was done, try later */
          results[i].outcome = g_strcmp0 (type, "serverUnavailable") == 0 ? OUTREACH_DELIVERY_RETRY
                               : emails != NULL ? OUTREACH_DELIVERY_UNCERTAIN : OUTREACH_DELIVERY_FAILED;
          results[i].error = g_strdup_printf ("JMAP %s", type != NULL ? type : _("answer without Email/set"));
        }
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email_key = g_strdup_printf ("m%u", i);
      g_autofree char *submission_key = g_strdup_printf ("s%u", i);
      JsonObject *email_error = set_error (emails, email_key);
      JsonObject *submission_error = set_error (submissions, submission_key);
      const char *submission_id = created_id (submissions, submission_key);

      if (email_error != NULL)
        set_error_result (email_error, &results[i]);
      else if (submission_error != NULL)
        set_error_result (submission_error, &results[i]);
      else if (submission_id != NULL)
        {
          results[i].outcome = OUTREACH_DELIVERY_SENT;
          results[i].provider_id = g_strdup (submission_id);
        }
      else
        {
          results[i].outcome = OUTREACH_DELIVERY_UNCERTAIN;
          results[i].error = g_strdup (_("The JMAP server did not say whether the message was submitted"));
        }
    }
}

static SoupMessage *
outreach_jmap_provider_build_test_request (OutreachProvider *provider,
                                           GError          **error)
{
  OutreachJmapProvider *self = OUTREACH_JMAP_PROVIDER (provider);
  SoupMessage *request = soup_message_new ("GET", self->session_url);

  outreach_provider_set_basic_auth (request, self->username, self->password);
  return request;
}

static void
outreach_jmap_provider_class_init (OutreachJmapProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_jmap_provider_finalize;
  provider_class->secret_keys = jmap_secret_keys;
  provider_class->configure = outreach_jmap_provider_configure;
  provider_class->get_max_batch = outreach_jmap_provider_get_max_batch;
  provider_class->prepare = outreach_jmap_provider_prepare;
  provider_class->build_request = outreach_jmap_provider_build_request;
  provider_class->parse_response = outreach_jmap_provider_parse_response;
  provider_class->build_test_request = outreach_jmap_provider_build_test_request;
}

static void
outreach_jmap_provider_init (OutreachJmapProvider *self)
{
}
