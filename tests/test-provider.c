/* test-provider.c — every provider against a loopback SoupServer that checks
 * the exact request and answers with the provider's real bodies; the
 * mapping of every status code to sent / retry / uncertain / failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "outreach-provider.h"
#include "outreach-test-util.h"
#include "providers/outreach-sigv4.h"

typedef struct
{
  SoupServer *server;
  char *base;                 /* http://127.0.0.1:PORT */
  /* the last request */
  char *method;
  char *path;
  SoupMessageHeaders *headers;
  char *body;
  guint n_requests;
  /* what to answer: by path, else the default */
  GHashTable *answers;        /* path → Answer* */
  guint status;
  const char *response;
  const char *content_type;
  const char *extra_header;   /* "Name: value" */
} Fixture;

typedef struct
{
  guint status;
  const char *body;
} Answer;

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Fixture *f = data;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr (GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  Answer *answer = g_hash_table_lookup (f->answers, path);

  f->n_requests++;
  g_free (f->method);
  g_free (f->path);
  g_free (f->body);
  g_clear_pointer (&f->headers, soup_message_headers_unref);
  f->method = g_strdup (soup_server_message_get_method (msg));
  f->path = g_strdup (path);
  f->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  f->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (f->headers, name, value);

  if (answer != NULL)
    {
      soup_server_message_set_status (msg, answer->status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer->body, strlen (answer->body));
      return;
    }
  soup_server_message_set_status (msg, f->status, NULL);
  if (f->extra_header != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (f->extra_header, ": ", 2);
      soup_message_headers_append (soup_server_message_get_response_headers (msg), parts[0], parts[1]);
    }
  if (f->response != NULL)
    soup_server_message_set_response (msg, f->content_type != NULL ? f->content_type : "application/json",
                                      SOUP_MEMORY_COPY, f->response, strlen (f->response));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;
  g_autofree char *url = NULL;

  f->answers = g_hash_table_new (g_str_hash, g_str_equal);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  url = g_uri_to_string (uris->data);
  f->base = g_strndup (url, strlen (url) - 1); /* no trailing slash */
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->status = 200;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->server);
  g_hash_table_unref (f->answers);
  g_clear_pointer (&f->headers, soup_message_headers_unref);
  g_free (f->base);
  g_free (f->method);
  g_free (f->path);
  g_free (f->body);
}

static OutreachProvider *
make_provider (const char *kind, const char *settings_json, const char *secret_key, const char *secret)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (settings_json, &error);
  g_autoptr (GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  OutreachProvider *provider;

  g_assert_no_error (error);
  if (secret_key != NULL)
    g_hash_table_insert (secrets, (gpointer) secret_key, (gpointer) secret);
  provider = outreach_provider_new (kind, "Main", json_node_get_object (node), secrets, &error);
  g_assert_no_error (error);
  return provider;
}

static OutreachMessage *
make_message (int i, gboolean html)
{
  OutreachMessage *m = outreach_message_new ();

  m->recipient_id = i;
  m->donor_id = i;
  m->attempts = 1;
  m->address = g_strdup_printf ("ada%d@example.org", i);
  m->name = g_strdup_printf ("Ada %d", i);
  m->message_id = g_strdup_printf ("4f7c1c2e-0000-4000-8000-00000000000a-%d", i);
  m->job_uuid = "4f7c1c2e-0000-4000-8000-00000000000a";
  m->job_name = "Spring appeal";
  m->subject = g_string_new ("Thank you\r\nBcc: evil@example.org");
  m->text = g_string_new ("Dear Ada,\nthank you.");
  m->html = html ? g_string_new ("<p>Dear Ada</p>") : NULL;
  m->unsubscribe_url = g_strdup_printf ("https://example.org/u?d=%d", i);
  return m;
}

static void
sent_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GBytes **body = data;
  g_autoptr (GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* Builds, sends and parses; results[i] for messages[i]. */
static void
deliver (OutreachProvider *provider, OutreachMessage **messages, guint n, OutreachDelivery *results)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) request = outreach_provider_build_request (provider, messages, n, &error);
  g_autoptr (GBytes) body = NULL;

  g_assert_no_error (error);
  soup_session_send_and_read_async (session, request, G_PRIORITY_DEFAULT, NULL, sent_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  memset (results, 0, sizeof (OutreachDelivery) * n);
  outreach_provider_parse_response (provider, request, body, messages, n, results);
}

static OutreachDeliveryOutcome
outcome_for (Fixture *f, OutreachProvider *provider, gboolean html, guint status, const char *response)
{
  OutreachMessage *m = make_message (1, html);
  OutreachDelivery result;
  OutreachDeliveryOutcome outcome;

  if (g_str_equal (outreach_provider_get_kind (provider), "twilio"))
    {
      g_free (m->address);
      m->address = g_strdup ("+15558675310");
    }
  f->status = status;
  f->response = response;
  deliver (provider, &m, 1, &result);
  outcome = result.outcome;
  if (outcome != OUTREACH_DELIVERY_SENT)
    g_assert_nonnull (result.error);
  outreach_delivery_clear (&result);
  outreach_message_free (m);
  return outcome;
}

/* The policy of DESIGN.md "Runner", for every status providers.md lists. */
static void
assert_status_mapping (Fixture *f, OutreachProvider *provider, guint ok_status, const char *ok_body,
                       const char *error_body)
{
  static const struct { guint status; OutreachDeliveryOutcome outcome; } table[] = {
    { 400, OUTREACH_DELIVERY_FAILED }, { 401, OUTREACH_DELIVERY_REFUSED }, { 402, OUTREACH_DELIVERY_FAILED },
    { 403, OUTREACH_DELIVERY_REFUSED }, { 404, OUTREACH_DELIVERY_FAILED }, { 405, OUTREACH_DELIVERY_FAILED },
    { 406, OUTREACH_DELIVERY_FAILED }, { 413, OUTREACH_DELIVERY_FAILED }, { 415, OUTREACH_DELIVERY_FAILED },
    { 422, OUTREACH_DELIVERY_FAILED }, { 429, OUTREACH_DELIVERY_RETRY }, { 451, OUTREACH_DELIVERY_FAILED },
    { 500, OUTREACH_DELIVERY_UNCERTAIN }, { 502, OUTREACH_DELIVERY_UNCERTAIN },
    { 503, OUTREACH_DELIVERY_RETRY }, { 504, OUTREACH_DELIVERY_UNCERTAIN },
  };

  g_assert_cmpint (outcome_for (f, provider, TRUE, ok_status, ok_body), ==, OUTREACH_DELIVERY_SENT);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("status %u", table[i].status);
      g_assert_cmpint (outcome_for (f, provider, TRUE, table[i].status, error_body), ==, table[i].outcome);
    }
}

static char *
form_value (const char *form, const char *key)
{
  g_autoptr (GHashTable) fields = soup_form_decode (form);
  return g_strdup (g_hash_table_lookup (fields, key));
}

static guint
form_count (const char *form, const char *key)
{
  g_auto (GStrv) pairs = g_strsplit (form, "&", -1);
  g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *prefix = g_strdup_printf ("%s=", escaped);
  guint count = 0;

  for (guint i = 0; pairs[i] != NULL; i++)
    count += g_str_has_prefix (pairs[i], prefix);
  return count;
}

static JsonObject *
body_object (Fixture *f, JsonNode **keep)
{
  g_autoptr (GError) error = NULL;

  *keep = json_from_string (f->body, &error);
  g_assert_no_error (error);
  return json_node_get_object (*keep);
}

/* ---- Mailgun ---- */

static void
test_mailgun (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"domain\":\"mg.example.org\",\"from\":\"office@example.org\","
                                               "\"from_name\":\"Shelter\",\"base_url\":\"%s\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("mailgun", settings, "api_key", "key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
  OutreachMessage *m[3] = { make_message (1, TRUE), make_message (2, TRUE), make_message (3, TRUE) };
  OutreachDelivery results[3];
  g_autofree char *auth = NULL;
  g_autofree char *value = NULL;
  g_autoptr (JsonNode) variables = NULL;

  f->response = "{\"id\":\"<20111114174239.25659.5817@samples.mailgun.org>\",\"message\":\"Queued. Thank you.\"}";
  deliver (provider, m, 1, results);
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->path, ==, "/v3/mg.example.org/messages");
  auth = g_strdup_printf ("Basic %s", "YXBpOmtleS0zYXg2eG5qcDI5amQ2ZmRzNGdjMzczc2d2anh0ZW9sMA==");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Authorization"), ==, auth);
  g_assert_cmpstr (soup_message_headers_get_content_type (f->headers, NULL), ==, "application/x-www-form-urlencoded");
  value = form_value (f->body, "from");
  g_assert_cmpstr (value, ==, "\"Shelter\" <office@example.org>");
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "subject");
  g_assert_cmpstr (value, ==, "Thank you  Bcc: evil@example.org");  /* no header injection */
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "h:List-Unsubscribe");
  g_assert_cmpstr (value, ==, "<https://example.org/u?d=1>");
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "h:List-Unsubscribe-Post");
  g_assert_cmpstr (value, ==, "List-Unsubscribe=One-Click");
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "v:send_id");
  g_assert_cmpstr (value, ==, m[0]->message_id);
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "html");
  g_assert_cmpstr (value, ==, "<p>Dear Ada</p>");
  g_clear_pointer (&value, g_free);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_SENT);
  g_assert_cmpstr (results[0].provider_id, ==, "<20111114174239.25659.5817@samples.mailgun.org>");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "X-Message-Id"), ==, m[0]->message_id);
  outreach_delivery_clear (&results[0]);

  /* a batch: one call, three `to`, recipient-variables with each send id */
  g_assert_true (outreach_provider_can_batch (provider, m[0], m[1]));
  deliver (provider, m, 3, results);
  g_assert_cmpuint (form_count (f->body, "to"), ==, 3);
  value = form_value (f->body, "recipient-variables");
  variables = json_from_string (value, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_node_get_object (variables), "ada2@example.org"), "send_id"), ==, m[1]->message_id);
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "v:send_id");
  g_assert_cmpstr (value, ==, "%recipient.send_id%");
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (results[i].outcome, ==, OUTREACH_DELIVERY_SENT);
      g_assert_cmpstr (results[i].provider_id, ==, "<20111114174239.25659.5817@samples.mailgun.org>");
      outreach_delivery_clear (&results[i]);
    }

  /* personalised: each recipient's own subject, text and HTML travel in
   * their recipient variables, the form refers to them */
  for (guint i = 0; i < 3; i++)
    {
      g_string_printf (m[i]->subject, "Thank you, Ada %u\r\n", i + 1);
      g_string_printf (m[i]->text, "Dear Ada %u,\nthank you.", i + 1);
      g_string_printf (m[i]->html, "<p>Dear Ada %u</p>", i + 1);
    }
  g_assert_true (outreach_provider_can_batch (provider, m[0], m[2]));
  {
    guint before = f->n_requests;
    JsonObject *all;

    deliver (provider, m, 3, results);
    g_assert_cmpuint (f->n_requests, ==, before + 1);
    g_assert_cmpuint (form_count (f->body, "to"), ==, 3);
    g_assert_cmpuint (form_count (f->body, "subject"), ==, 1);
    g_assert_cmpuint (form_count (f->body, "text"), ==, 1);
    g_assert_cmpuint (form_count (f->body, "html"), ==, 1);
    value = form_value (f->body, "subject");
    g_assert_cmpstr (value, ==, "%recipient.subject%");
    g_clear_pointer (&value, g_free);
    value = form_value (f->body, "text");
    g_assert_cmpstr (value, ==, "%recipient.text%");
    g_clear_pointer (&value, g_free);
    value = form_value (f->body, "html");
    g_assert_cmpstr (value, ==, "%recipient.html%");
    g_clear_pointer (&value, g_free);
    value = form_value (f->body, "h:X-Message-Id");
    g_assert_cmpstr (value, ==, "%recipient.send_id%");
    g_clear_pointer (&value, g_free);
    value = form_value (f->body, "h:List-Unsubscribe");
    g_assert_cmpstr (value, ==, "<%recipient.unsubscribe%>");
    g_clear_pointer (&value, g_free);
    value = form_value (f->body, "recipient-variables");
    g_clear_pointer (&variables, json_node_unref);
    variables = json_from_string (value, NULL);
    g_clear_pointer (&value, g_free);
    all = json_node_get_object (variables);
    g_assert_cmpuint (json_object_get_size (all), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *v = json_object_get_object_member (all, m[i]->address);
        g_autofree char *subject = g_strdup_printf ("Thank you, Ada %u  ", i + 1);
        g_autofree char *text = g_strdup_printf ("Dear Ada %u,\nthank you.", i + 1);
        g_autofree char *html = g_strdup_printf ("<p>Dear Ada %u</p>", i + 1);
        g_autofree char *unsubscribe = g_strdup_printf ("https://example.org/u?d=%u", i + 1);

        g_assert_nonnull (v);
        g_assert_cmpuint (json_object_get_size (v), ==, 5);
        g_assert_cmpstr (json_object_get_string_member (v, "subject"), ==, subject);
        g_assert_cmpstr (json_object_get_string_member (v, "text"), ==, text);
        g_assert_cmpstr (json_object_get_string_member (v, "html"), ==, html);
        g_assert_cmpstr (json_object_get_string_member (v, "send_id"), ==, m[i]->message_id);
        g_assert_cmpstr (json_object_get_string_member (v, "unsubscribe"), ==, unsubscribe);
        g_assert_cmpint (results[i].outcome, ==, OUTREACH_DELIVERY_SENT);
        g_assert_cmpstr (results[i].provider_id, ==, "<20111114174239.25659.5817@samples.mailgun.org>");
        outreach_delivery_clear (&results[i]);
      }
  }

  /* Mailgun's 25 MB: a batch over it is sent in parts, a message over it fails */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SoupMessage) request = NULL;
    gsize big = 13 * 1000 * 1000;

    for (guint i = 0; i < 2; i++)
      {
        g_string_set_size (m[i]->html, big);
        memset (m[i]->html->str, 'x', big);
      }
    request = outreach_provider_build_request (provider, m, 2, &error);
    g_assert_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_TOO_LARGE);
    g_assert_null (request);
    g_clear_error (&error);
    request = outreach_provider_build_request (provider, m, 1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (request);
    g_clear_object (&request);
    g_string_set_size (m[0]->html, 26 * 1000 * 1000);
    memset (m[0]->html->str, 'x', m[0]->html->len);
    request = outreach_provider_build_request (provider, m, 1, &error);
    g_assert_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_MESSAGE);
    g_assert_nonnull (strstr (error->message, "ada1@example.org"));
    g_assert_null (request);
  }

  assert_status_mapping (f, provider, 200, f->response, "{\"message\":\"'to' parameter is not a valid address\"}");
  {
    OutreachMessage *one = make_message (1, TRUE);
    OutreachDelivery r;
    f->status = 400;
    f->response = "{\"message\":\"'to' parameter is not a valid address\"}";
    deliver (provider, &one, 1, &r);
    g_assert_nonnull (strstr (r.error, "not a valid address"));
    outreach_delivery_clear (&r);
    outreach_message_free (one);
  }
  for (guint i = 0; i < 3; i++)
    outreach_message_free (m[i]);
}

/* ---- SendGrid ---- */

static void
test_sendgrid (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"from\":\"office@example.org\",\"from_name\":\"Shelter\","
                                               "\"reply_to\":\"help@example.org\",\"base_url\":\"%s\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("sendgrid", settings, "api_key", "SG.test-key");
  OutreachMessage *m[2] = { make_message (1, TRUE), make_message (2, TRUE) };
  OutreachDelivery results[2];
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *body, *p, *headers;
  JsonArray *content;

  f->status = 202;
  f->response = NULL;
  f->extra_header = "X-Message-Id: 14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0";
  deliver (provider, m, 2, results);
  g_assert_cmpstr (f->path, ==, "/v3/mail/send");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Authorization"), ==, "Bearer SG.test-key");
  body = body_object (f, &keep);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "personalizations")), ==, 2);
  p = json_array_get_object_element (json_object_get_array_member (body, "personalizations"), 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (p, "to"), 0), "email"),
                   ==, "ada2@example.org");
  headers = json_object_get_object_member (p, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "List-Unsubscribe"), ==, "<https://example.org/u?d=2>");
  g_assert_cmpstr (json_object_get_string_member (headers, "List-Unsubscribe-Post"), ==, "List-Unsubscribe=One-Click");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Message-Id"), ==, m[1]->message_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "custom_args"), "send_id"), ==, m[1]->message_id);
  content = json_object_get_array_member (body, "content");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "type"), ==, "text/plain");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 1), "type"), ==, "text/html");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "from"), "name"), ==, "Shelter");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "reply_to"), "email"), ==, "help@example.org");
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (results[i].outcome, ==, OUTREACH_DELIVERY_SENT);
      g_assert_cmpstr (results[i].provider_id, ==, "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0");
      outreach_delivery_clear (&results[i]);
    }

  /* personalised: placeholders in subject and content, each
   * personalization's substitutions carry that recipient's values */
  {
    OutreachMessage *three[3] = { make_message (1, TRUE), make_message (2, TRUE), make_message (3, TRUE) };
    OutreachDelivery results3[3];
    g_autoptr (JsonNode) keep3 = NULL;
    JsonArray *ps;

    for (guint i = 0; i < 3; i++)
      {
        g_string_printf (three[i]->subject, "Thank you, Ada %u\r\n", i + 1);
        g_string_printf (three[i]->text, "Dear Ada %u,\nthank you.", i + 1);
        g_string_printf (three[i]->html, "<p>Dear Ada %u</p>", i + 1);
      }
    g_assert_true (outreach_provider_can_batch (provider, three[0], three[1]));
    deliver (provider, three, 3, results3);
    body = body_object (f, &keep3);
    g_assert_cmpstr (json_object_get_string_member (body, "subject"), ==, "-outreach-subject-");
    content = json_object_get_array_member (body, "content");
    g_assert_cmpuint (json_array_get_length (content), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "value"), ==, "-outreach-text-");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 1), "value"), ==, "-outreach-html-");
    ps = json_object_get_array_member (body, "personalizations");
    g_assert_cmpuint (json_array_get_length (ps), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *pi = json_array_get_object_element (ps, i);
        JsonObject *sub = json_object_get_object_member (pi, "substitutions");
        g_autofree char *subject = g_strdup_printf ("Thank you, Ada %u  ", i + 1);
        g_autofree char *text = g_strdup_printf ("Dear Ada %u,\nthank you.", i + 1);
        g_autofree char *html = g_strdup_printf ("<p>Dear Ada %u</p>", i + 1);
        g_autofree char *unsubscribe = g_strdup_printf ("<https://example.org/u?d=%u>", i + 1);

        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (pi, "to"), 0), "email"),
                         ==, three[i]->address);
        g_assert_false (json_object_has_member (pi, "subject"));
        g_assert_cmpuint (json_object_get_size (sub), ==, 3);
        g_assert_cmpstr (json_object_get_string_member (sub, "-outreach-subject-"), ==, subject);
        g_assert_cmpstr (json_object_get_string_member (sub, "-outreach-text-"), ==, text);
        g_assert_cmpstr (json_object_get_string_member (sub, "-outreach-html-"), ==, html);
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pi, "custom_args"), "send_id"),
                         ==, three[i]->message_id);
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pi, "headers"), "List-Unsubscribe"),
                         ==, unsubscribe);
        g_assert_cmpint (results3[i].outcome, ==, OUTREACH_DELIVERY_SENT);
        g_assert_cmpstr (results3[i].provider_id, ==, "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0");
        outreach_delivery_clear (&results3[i]);
      }

    /* over 10,000 bytes of substitutions: alone, with the content itself */
    g_string_set_size (three[2]->text, 10001);
    memset (three[2]->text->str, 'y', 10001);
    g_assert_false (outreach_provider_can_batch (provider, three[0], three[2]));
    g_assert_false (outreach_provider_can_batch (provider, three[2], three[0]));
    g_clear_pointer (&keep3, json_node_unref);
    deliver (provider, &three[2], 1, results3);
    body = body_object (f, &keep3);
    g_assert_cmpstr (json_object_get_string_member (body, "subject"), ==, "Thank you, Ada 3  ");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                       json_object_get_array_member (body, "content"), 0), "value"), ==, three[2]->text->str);
    g_assert_false (json_object_has_member (json_array_get_object_element (
                      json_object_get_array_member (body, "personalizations"), 0), "substitutions"));
    outreach_delivery_clear (&results3[0]);
    for (guint i = 0; i < 3; i++)
      outreach_message_free (three[i]);
  }

  /* 429 waits until X-RateLimit-Reset */
  {
    OutreachMessage *one = make_message (3, TRUE);
    OutreachDelivery r;
    g_autofree char *reset = g_strdup_printf ("X-RateLimit-Reset: %" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC + 30);
    f->status = 429;
    f->extra_header = reset;
    f->response = "{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}";
    deliver (provider, &one, 1, &r);
    g_assert_cmpint (r.outcome, ==, OUTREACH_DELIVERY_RETRY);
    g_assert_cmpint (r.retry_after_ms, >, 25000);
    g_assert_cmpint (r.retry_after_ms, <=, 31000);
    g_assert_nonnull (strstr (r.error, "too many requests"));
    outreach_delivery_clear (&r);
    outreach_message_free (one);
  }
  f->extra_header = "X-Message-Id: abc";
  assert_status_mapping (f, provider, 202, NULL,
                         "{\"errors\":[{\"message\":\"The from address does not match a verified Sender Identity.\",\"field\":\"from\",\"help\":null}]}");
  for (guint i = 0; i < 2; i++)
    outreach_message_free (m[i]);
}

/* ---- Postmark ---- */

static void
test_postmark (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"from\":\"office@example.org\",\"message_stream\":\"broadcast\","
                                               "\"base_url\":\"%s\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("postmark", settings, "server_token", "POSTMARK_API_TEST");
  OutreachMessage *m[3] = { make_message (1, TRUE), make_message (2, TRUE), make_message (3, FALSE) };
  OutreachDelivery results[3];
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *first;
  JsonArray *headers;

  /* a batch with a partial failure: HTTP 200, one element with ErrorCode 406 */
  f->response = "[{\"ErrorCode\":0,\"Message\":\"OK\",\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\",\"SubmittedAt\":\"2010-11-26T12:01:05.1794748-05:00\",\"To\":\"ada1@example.org\"},"
                "{\"ErrorCode\":406,\"Message\":\"You tried to send to a recipient that has been marked as inactive.\"},"
                "{\"ErrorCode\":0,\"Message\":\"OK\",\"MessageID\":\"e2ecbbfc-fe12-463d-b933-9fe22915106d\",\"SubmittedAt\":\"2010-11-26T12:01:05.1794748-05:00\",\"To\":\"ada3@example.org\"}]";
  deliver (provider, m, 3, results);
  g_assert_cmpstr (f->path, ==, "/email/batch");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "X-Postmark-Server-Token"), ==, "POSTMARK_API_TEST");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Accept"), ==, "application/json");
  {
    g_autoptr (GError) error = NULL;
    JsonArray *array;
    keep = json_from_string (f->body, &error);
    g_assert_no_error (error);
    array = json_node_get_array (keep);
    g_assert_cmpuint (json_array_get_length (array), ==, 3);
    first = json_array_get_object_element (array, 0);
  }
  g_assert_cmpstr (json_object_get_string_member (first, "To"), ==, "\"Ada 1\" <ada1@example.org>");
  g_assert_cmpstr (json_object_get_string_member (first, "MessageStream"), ==, "broadcast");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "Metadata"), "send_id"), ==, m[0]->message_id);
  headers = json_object_get_array_member (first, "Headers");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (headers, 1), "Name"), ==, "List-Unsubscribe");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (headers, 1), "Value"), ==, "<https://example.org/u?d=1>");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (headers, 2), "Value"), ==, "List-Unsubscribe=One-Click");
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_SENT);
  g_assert_cmpstr (results[0].provider_id, ==, "b7bc2f4a-e38e-4336-af7d-e6c392c2f817");
  g_assert_cmpint (results[1].outcome, ==, OUTREACH_DELIVERY_FAILED);
  g_assert_nonnull (strstr (results[1].error, "inactive"));
  g_assert_cmpint (results[2].outcome, ==, OUTREACH_DELIVERY_SENT);
  for (guint i = 0; i < 3; i++)
    outreach_delivery_clear (&results[i]);

  /* one message goes to /email; 422 with its ErrorCode is permanent */
  f->status = 422;
  f->response = "{\"ErrorCode\":300,\"Message\":\"Invalid email request\"}";
  deliver (provider, m, 1, results);
  g_assert_cmpstr (f->path, ==, "/email");
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_FAILED);
  g_assert_nonnull (strstr (results[0].error, "ErrorCode 300: Invalid email request"));
  outreach_delivery_clear (&results[0]);

  assert_status_mapping (f, provider, 200,
                         "{\"To\":\"ada1@example.org\",\"SubmittedAt\":\"2014-02-17T07:25:01.4178645-05:00\",\"MessageID\":\"0a129aee-e1cd-480d-b08d-4f48548ff48d\",\"ErrorCode\":0,\"Message\":\"OK\"}",
                         "{\"ErrorCode\":100,\"Message\":\"Maintenance\"}");
  for (guint i = 0; i < 3; i++)
    outreach_message_free (m[i]);
}

/* ---- SES and SigV4 ---- */

static void
test_sigv4_vectors (void)
{
  static const guint8 form[] = "Param1=value1";
  static const char ses_body[] = "{\"FromEmailAddress\":\"sender@example.com\",\"Destination\":{\"ToAddresses\":[\"ada@example.org\"]},"
                                 "\"Content\":{\"Simple\":{\"Subject\":{\"Data\":\"Hi\"},\"Body\":{\"Text\":{\"Data\":\"Hello\"}}}}}";
  const OutreachSigv4Header vanilla[] = { { "Host", "example.amazonaws.com" }, { "X-Amz-Date", "20150830T123600Z" } };
  const OutreachSigv4Header form_headers[] = { { "Content-Type", "application/x-www-form-urlencoded" },
                                               { "Host", "example.amazonaws.com" }, { "X-Amz-Date", "20150830T123600Z" } };
  const OutreachSigv4Header ses_headers[] = { { "Content-Type", "application/json" },
                                              { "Host", "email.us-east-1.amazonaws.com" }, { "X-Amz-Date", "20150830T123600Z" } };
  const char *akid = "AKIDEXAMPLE", *secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  g_autofree char *payload = NULL;

  {
    g_auto (OutreachSigv4Result) r = { 0 };
    outreach_sigv4_sign ("GET", "/", "", vanilla, 2, NULL, 0, "us-east-1", "service", akid, secret, "20150830T123600Z", &r);
    g_assert_cmpstr (r.signature, ==, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    g_assert_cmpstr (r.authorization, ==, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                                          "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }
  {
    g_auto (OutreachSigv4Result) r = { 0 };
    outreach_sigv4_sign ("POST", "/", "", vanilla, 2, NULL, 0, "us-east-1", "service", akid, secret, "20150830T123600Z", &r);
    g_assert_cmpstr (r.signature, ==, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }
  {
    g_auto (OutreachSigv4Result) r = { 0 };
    outreach_sigv4_sign ("POST", "/", "", form_headers, 3, form, sizeof form - 1, "us-east-1", "service", akid, secret,
                         "20150830T123600Z", &r);
    g_assert_cmpstr (r.canonical_request_hash, ==, "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
    g_assert_cmpstr (r.signature, ==, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  }
  {
    g_auto (OutreachSigv4Result) r = { 0 };
    payload = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ses_body, -1);
    g_assert_cmpstr (payload, ==, "08306724236e69c4f3c06346be7a524e6d62560368ccf92adabf055e6ae330fd");
    outreach_sigv4_sign ("POST", "/v2/email/outbound-emails", "", ses_headers, 3, (const guint8 *) ses_body,
                         strlen (ses_body), "us-east-1", "ses", akid, secret, "20150830T123600Z", &r);
    g_assert_cmpstr (r.canonical_request_hash, ==, "d2ecbaaf20356bb8af44fd63dda5509d8cc1bb7faa2d4f4da02e07323e29dc80");
    g_assert_cmpstr (r.signature, ==, "a687f348437c312e60ac7ce558298581df92920512f2e5d0aa58878e30ae935c");
  }
}

static void
test_ses (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"region\":\"eu-west-1\",\"access_key_id\":\"AKIDEXAMPLE\","
                                               "\"from\":\"office@example.org\",\"configuration_set\":\"donor-mail\","
                                               "\"base_url\":\"%s\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("ses", settings, "secret_access_key",
                                                         "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  OutreachMessage *m = make_message (1, TRUE);
  OutreachDelivery result;
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *body, *simple;
  const char *auth, *date;
  g_autofree char *host = NULL;

  f->response = "{\"MessageId\":\"010201863d7a3b8b-5a5e0b1a-47e0-4d4b-8c5e-5d6f3f1f0b9e-000000\"}";
  deliver (provider, &m, 1, &result);
  g_assert_cmpstr (f->path, ==, "/v2/email/outbound-emails");
  g_assert_cmpint (result.outcome, ==, OUTREACH_DELIVERY_SENT);
  g_assert_cmpstr (result.provider_id, ==, "010201863d7a3b8b-5a5e0b1a-47e0-4d4b-8c5e-5d6f3f1f0b9e-000000");
  outreach_delivery_clear (&result);

  /* the signature covers exactly the bytes and the Host the server saw */
  auth = soup_message_headers_get_one (f->headers, "Authorization");
  date = soup_message_headers_get_one (f->headers, "X-Amz-Date");
  g_assert_nonnull (date);
  g_assert_true (g_str_has_prefix (auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
  g_assert_nonnull (strstr (auth, "/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="));
  host = g_strdup (soup_message_headers_get_one (f->headers, "Host"));
  {
    const OutreachSigv4Header headers[] = { { "content-type", "application/json" }, { "host", host }, { "x-amz-date", date } };
    g_auto (OutreachSigv4Result) r = { 0 };
    outreach_sigv4_sign ("POST", "/v2/email/outbound-emails", "", headers, 3, (const guint8 *) f->body, strlen (f->body),
                         "eu-west-1", "ses", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date, &r);
    g_assert_nonnull (strstr (auth, r.signature));
  }
  body = body_object (f, &keep);
  g_assert_cmpstr (json_object_get_string_member (body, "ConfigurationSetName"), ==, "donor-mail");
  simple = json_object_get_object_member (json_object_get_object_member (body, "Content"), "Simple");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (simple, "Subject"), "Data"), ==,
                   "Thank you  Bcc: evil@example.org");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (simple, "Headers"), 1), "Value"),
                   ==, "<https://example.org/u?d=1>");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (body, "EmailTags"), 0), "Value"),
                   ==, m->message_id);

  /* throttling comes as a 400 with x-amzn-ErrorType: it was not taken */
  f->status = 400;
  f->extra_header = "x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/";
  f->response = "{\"message\":\"Maximum sending rate exceeded.\"}";
  deliver (provider, &m, 1, &result);
  g_assert_cmpint (result.outcome, ==, OUTREACH_DELIVERY_RETRY);
  g_assert_nonnull (strstr (result.error, "ThrottlingException: Maximum sending rate exceeded."));
  outreach_delivery_clear (&result);
  f->extra_header = "x-amzn-ErrorType: MessageRejected";
  deliver (provider, &m, 1, &result);
  g_assert_cmpint (result.outcome, ==, OUTREACH_DELIVERY_FAILED);
  outreach_delivery_clear (&result);

  f->extra_header = NULL;
  assert_status_mapping (f, provider, 200, "{\"MessageId\":\"x\"}", "{\"message\":\"Email address is not verified.\"}");
  outreach_message_free (m);
}

/* ---- JMAP ---- */

static void
prepare_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  GError *error = NULL;

  if (outreach_provider_prepare (OUTREACH_PROVIDER (source), session, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
test_jmap (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"url\":\"%s/.well-known/jmap\",\"username\":\"donor1\","
                                               "\"from\":\"donor1@example.test\",\"from_name\":\"Friends\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("jmap", settings, "password", "pw");
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  OutreachMessage *m[3] = { make_message (1, TRUE), make_message (2, TRUE), make_message (3, TRUE) };
  OutreachDelivery results[3];
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *body;
  JsonArray *calls;
  JsonObject *draft;
  Answer session = { 200, "{\"capabilities\":{\"urn:ietf:params:jmap:core\":{\"maxObjectsInSet\":4096,\"maxCallsInRequest\":50},"
                          "\"urn:ietf:params:jmap:mail\":{},\"urn:ietf:params:jmap:submission\":{}},"
                          "\"accounts\":{\"donor1\":{\"name\":\"donor1\"}},\"primaryAccounts\":{\"urn:ietf:params:jmap:mail\":\"donor1\"},"
                          "\"username\":\"donor1\",\"apiUrl\":\"/jmap/\",\"state\":\"0\"}" };
  Answer api = { 200, "{\"methodResponses\":[[\"Mailbox/query\",{\"accountId\":\"donor1\",\"ids\":[\"Pdrafts\"]},\"d\"],"
                      "[\"Mailbox/query\",{\"accountId\":\"donor1\",\"ids\":[\"Psent\"]},\"s\"],"
                      "[\"Identity/get\",{\"accountId\":\"donor1\",\"list\":[{\"id\":\"donor1\",\"email\":\"donor1@example.test\"}]},\"i\"]],"
                      "\"sessionState\":\"0\"}" };

  g_hash_table_insert (f->answers, "/.well-known/jmap", &session);
  g_hash_table_insert (f->answers, "/jmap/", &api);
  task = g_task_new (provider, NULL, NULL, NULL);
  g_task_run_in_thread (task, prepare_thread);
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_task_propagate_boolean (task, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Authorization"), ==, "Basic ZG9ub3IxOnB3");

  /* three messages: one created and submitted, one rate-limited, one refused */
  api.body = "{\"methodResponses\":["
             "[\"Email/set\",{\"accountId\":\"donor1\",\"created\":{\"m0\":{\"id\":\"M1\",\"blobId\":\"B1\",\"threadId\":\"T1\",\"size\":900},"
             "\"m2\":{\"id\":\"M3\"}},\"notCreated\":{\"m1\":{\"type\":\"rateLimit\",\"description\":\"slow down\"}}},\"c1\"],"
             "[\"EmailSubmission/set\",{\"accountId\":\"donor1\",\"created\":{\"s0\":{\"id\":\"S1\",\"undoStatus\":\"final\"}},"
             "\"notCreated\":{\"s1\":{\"type\":\"invalidProperties\"},\"s2\":{\"type\":\"forbiddenToSend\",\"description\":\"quota\"}}},\"c2\"],"
             "[\"Email/set\",{\"accountId\":\"donor1\",\"updated\":{\"M1\":null}},\"c2\"]],\"sessionState\":\"0\"}";
  deliver (provider, m, 3, results);
  g_assert_cmpstr (f->path, ==, "/jmap/");
  body = body_object (f, &keep);
  calls = json_object_get_array_member (body, "methodCalls");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (calls, 0), 0), ==, "Email/set");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (calls, 1), 0), ==, "EmailSubmission/set");
  draft = json_object_get_object_member (json_object_get_object_member (
            json_array_get_object_element (json_array_get_array_element (calls, 0), 1), "create"), "m1");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (draft, "mailboxIds"), "Pdrafts"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (draft, "header:List-Unsubscribe:asURLs"), 0),
                   ==, "https://example.org/u?d=2");
  g_assert_cmpstr (json_object_get_string_member (draft, "header:List-Unsubscribe-Post:asText"), ==, "List-Unsubscribe=One-Click");
  g_assert_cmpstr (json_object_get_string_member (draft, "header:X-Message-Id:asText"), ==, m[1]->message_id);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_SENT);
  g_assert_cmpstr (results[0].provider_id, ==, "S1");
  g_assert_cmpint (results[1].outcome, ==, OUTREACH_DELIVERY_RETRY);
  g_assert_cmpint (results[2].outcome, ==, OUTREACH_DELIVERY_FAILED);
  g_assert_nonnull (strstr (results[2].error, "forbiddenToSend"));
  for (guint i = 0; i < 3; i++)
    outreach_delivery_clear (&results[i]);

  /* method error serverUnavailable: retry all; 401: refused */
  api.body = "{\"methodResponses\":[[\"error\",{\"type\":\"serverUnavailable\"},\"c1\"],[\"error\",{\"type\":\"serverUnavailable\"},\"c2\"]]}";
  deliver (provider, m, 1, results);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_RETRY);
  outreach_delivery_clear (&results[0]);
  api.status = 401;
  api.body = "{}";
  deliver (provider, m, 1, results);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_REFUSED);
  outreach_delivery_clear (&results[0]);
  api.status = 400;
  api.body = "{\"type\":\"urn:ietf:params:jmap:error:limit\",\"limit\":\"maxConcurrentRequests\",\"status\":400}";
  deliver (provider, m, 1, results);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_RETRY);
  outreach_delivery_clear (&results[0]);
  api.status = 503;
  deliver (provider, m, 1, results);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_RETRY);
  outreach_delivery_clear (&results[0]);
  api.status = 500;
  deliver (provider, m, 1, results);
  g_assert_cmpint (results[0].outcome, ==, OUTREACH_DELIVERY_UNCERTAIN);
  outreach_delivery_clear (&results[0]);
  for (guint i = 0; i < 3; i++)
    outreach_message_free (m[i]);
}

/* ---- Twilio ---- */

static void
test_twilio (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"account_sid\":\"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\","
                                               "\"from_number\":\"+15557122661\",\"base_url\":\"%s\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("twilio", settings, "auth_token", "your_auth_token");
  OutreachMessage *m = make_message (1, FALSE);
  OutreachDelivery result;
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  SoupMessage *request;

  g_free (m->address);
  m->address = g_strdup ("+15558675310");
  f->status = 201;
  f->response = "{\"account_sid\":\"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\",\"body\":\"Dear Ada\",\"from\":\"+15557122661\","
                "\"num_segments\":\"1\",\"sid\":\"SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\",\"status\":\"queued\",\"to\":\"+15558675310\"}";
  deliver (provider, &m, 1, &result);
  g_assert_cmpstr (f->path, ==, "/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json");
  value = form_value (f->body, "To");
  g_assert_cmpstr (value, ==, "+15558675310");
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "From");
  g_assert_cmpstr (value, ==, "+15557122661");
  g_clear_pointer (&value, g_free);
  value = form_value (f->body, "Body");
  g_assert_cmpstr (value, ==, "Dear Ada,\nthank you.");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (f->headers, "Authorization"), "Basic "));
  g_assert_cmpint (result.outcome, ==, OUTREACH_DELIVERY_SENT);
  g_assert_cmpstr (result.provider_id, ==, "SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
  outreach_delivery_clear (&result);

  /* 21610: the recipient replied STOP — permanent */
  f->status = 400;
  f->response = "{\"code\":21610,\"message\":\"Attempt to send to unsubscribed recipient\","
                "\"more_info\":\"https://www.twilio.com/docs/errors/21610\",\"status\":400}";
  deliver (provider, &m, 1, &result);
  g_assert_cmpint (result.outcome, ==, OUTREACH_DELIVERY_FAILED);
  g_assert_nonnull (strstr (result.error, "21610 Attempt to send to unsubscribed recipient"));
  outreach_delivery_clear (&result);

  /* not E.164, or longer than 1,600 characters: refused before any request */
  g_free (m->address);
  m->address = g_strdup ("555-1234");
  request = outreach_provider_build_request (provider, &m, 1, &error);
  g_assert_null (request);
  g_assert_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_MESSAGE);
  g_clear_error (&error);
  g_free (m->address);
  m->address = g_strdup ("+15558675310");
  g_string_assign (m->text, "");
  for (int i = 0; i < 1601; i++)
    g_string_append (m->text, "é");
  request = outreach_provider_build_request (provider, &m, 1, &error);
  g_assert_null (request);
  g_assert_nonnull (strstr (error->message, "1601"));
  g_clear_error (&error);
  g_string_truncate (m->text, 1600 * 2);
  request = outreach_provider_build_request (provider, &m, 1, &error);
  g_assert_no_error (error);
  g_object_unref (request);
  g_string_assign (m->text, "Dear Ada");

  f->response = "{\"code\":20429,\"message\":\"Too Many Requests\",\"more_info\":\"https://www.twilio.com/docs/errors/20429\",\"status\":429}";
  assert_status_mapping (f, provider, 201, "{\"sid\":\"SM1\",\"status\":\"queued\"}",
                         "{\"code\":20500,\"message\":\"Internal Server Error\",\"more_info\":\"https://www.twilio.com/docs/errors/20500\",\"status\":500}");
  outreach_message_free (m);
}

/* ---- Webhook and common rules ---- */

static void
test_webhook_mapping (Fixture *f, gconstpointer data)
{
  g_autofree char *settings = g_strdup_printf ("{\"url\":\"%s/hook\",\"username\":\"outreach\"}", f->base);
  g_autoptr (OutreachProvider) provider = make_provider ("webhook", settings, "password", "hunter22");
  OutreachMessage *m = make_message (1, TRUE);
  OutreachDelivery result;

  f->response = "{}";
  deliver (provider, &m, 1, &result);
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "Authorization"), ==, "Basic b3V0cmVhY2g6aHVudGVyMjI=");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "X-Message-Id"), ==, m->message_id);
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "webhook-id"), ==, m->message_id);
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "List-Unsubscribe"), ==, "<https://example.org/u?d=1>");
  g_assert_cmpstr (soup_message_headers_get_one (f->headers, "List-Unsubscribe-Post"), ==, "List-Unsubscribe=One-Click");
  outreach_delivery_clear (&result);

  /* Retry-After as an HTTP date */
  {
    g_autoptr (GDateTime) later = g_date_time_add_seconds (g_date_time_new_now_utc (), 20);
    g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
    g_autofree char *header = g_strdup_printf ("Retry-After: %s", date);
    f->status = 503;
    f->extra_header = header;
    deliver (provider, &m, 1, &result);
    g_assert_cmpint (result.outcome, ==, OUTREACH_DELIVERY_RETRY);
    g_assert_cmpint (result.retry_after_ms, >, 15000);
    g_assert_cmpint (result.retry_after_ms, <=, 21000);
    outreach_delivery_clear (&result);
    f->extra_header = NULL;
  }
  assert_status_mapping (f, provider, 204, NULL, "{\"error\":\"no\"}");
  outreach_message_free (m);
}

/* `accounts test`: a harmless authenticated request for each kind */
static void
test_connection_requests (Fixture *f, gconstpointer data)
{
  static const struct { const char *kind, *settings, *key, *secret, *method, *path, *auth_prefix; } kinds[] = {
    { "mailgun", "{\"domain\":\"mg.example.org\",\"from\":\"a@example.org\",\"base_url\":\"%s\"}", "api_key", "k1",
      "GET", "/v3/domains/mg.example.org", "Basic " },
    { "sendgrid", "{\"from\":\"a@example.org\",\"base_url\":\"%s\"}", "api_key", "k2", "GET", "/v3/scopes", "Bearer k2" },
    { "postmark", "{\"from\":\"a@example.org\",\"base_url\":\"%s\"}", "server_token", "k3", "GET", "/server", NULL },
    { "ses", "{\"region\":\"us-east-1\",\"access_key_id\":\"AKID\",\"from\":\"a@example.org\",\"base_url\":\"%s\"}",
      "secret_access_key", "k4", "GET", "/v2/email/account", "AWS4-HMAC-SHA256 Credential=AKID/" },
    { "jmap", "{\"url\":\"%s/.well-known/jmap\",\"username\":\"u\",\"from\":\"a@example.org\"}", "password", "k5",
      "GET", "/.well-known/jmap", "Basic " },
    { "twilio", "{\"account_sid\":\"AC1\",\"from_number\":\"+15557122661\",\"base_url\":\"%s\"}", "auth_token", "k6",
      "GET", "/2010-04-01/Accounts/AC1.json", "Basic " },
    { "webhook", "{\"url\":\"%s/hook\"}", NULL, NULL, "POST", "/hook", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *settings = g_strdup_printf (kinds[i].settings, f->base);
      g_autoptr (OutreachProvider) provider = make_provider (kinds[i].kind, settings, kinds[i].key, kinds[i].secret);
      g_autoptr (GError) error = NULL;
      g_autoptr (SoupMessage) request = outreach_provider_build_test_request (provider, &error);
      g_autoptr (SoupSession) session = soup_session_new ();
      g_autoptr (GBytes) body = NULL;

      g_test_message ("%s", kinds[i].kind);
      g_assert_no_error (error);
      g_assert_nonnull (request);
      f->status = 200;
      f->response = "{}";
      soup_session_send_and_read_async (session, request, G_PRIORITY_DEFAULT, NULL, sent_cb, &body);
      while (body == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpstr (f->method, ==, kinds[i].method);
      g_assert_cmpstr (f->path, ==, kinds[i].path);
      if (kinds[i].auth_prefix != NULL)
        g_assert_true (g_str_has_prefix (soup_message_headers_get_one (f->headers, "Authorization"), kinds[i].auth_prefix));
      if (g_str_equal (kinds[i].kind, "postmark"))
        g_assert_cmpstr (soup_message_headers_get_one (f->headers, "X-Postmark-Server-Token"), ==, "k3");
    }
}

static void
test_settings_checked (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string ("{\"url\":\"http://hooks.example.org/x\"}", NULL);
  g_autoptr (JsonNode) unknown = json_from_string ("{\"url\":\"https://hooks.example.org/x\",\"colour\":\"red\"}", NULL);
  g_autoptr (JsonNode) empty = json_from_string ("{\"from\":\"a@example.org\"}", NULL);
  OutreachProvider *provider;

  /* plain http only to loopback */
  provider = outreach_provider_new ("webhook", "Hook", json_node_get_object (node), NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_INSECURE);
  g_clear_error (&error);
  provider = outreach_provider_new ("webhook", "Hook", json_node_get_object (unknown), NULL, &error);
  g_assert_null (provider);
  g_assert_nonnull (strstr (error->message, "colour"));
  g_clear_error (&error);
  /* a missing secret is named, never shown */
  provider = outreach_provider_new ("sendgrid", "Main", json_node_get_object (empty), NULL, &error);
  g_assert_null (provider);
  g_assert_nonnull (strstr (error->message, "api_key"));
  g_clear_error (&error);
  provider = outreach_provider_new ("pigeon", "Main", NULL, NULL, &error);
  g_assert_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_UNKNOWN_KIND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/outreach/provider/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("mailgun", test_mailgun);
  ADD ("sendgrid", test_sendgrid);
  ADD ("postmark", test_postmark);
  ADD ("ses", test_ses);
  ADD ("jmap", test_jmap);
  ADD ("twilio", test_twilio);
  ADD ("webhook", test_webhook_mapping);
  ADD ("connection-requests", test_connection_requests);
#undef ADD
  g_test_add_func ("/outreach/provider/sigv4-vectors", test_sigv4_vectors);
  g_test_add_func ("/outreach/provider/settings-checked", test_settings_checked);

  return g_test_run ();
}
