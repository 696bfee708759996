/* test-runner.c — running jobs against a real loopback SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/wait.h>

#include "outreach-job.h"
#include "outreach-job-control.h"
#include "outreach-job-export.h"
#include "outreach-runner.h"
#include "outreach-test-util.h"
#include "outreach-token-bucket.h"
#include "providers/outreach-webhook-provider.h"

typedef struct
{
  char *dir;
  char *db_path;
  OutreachStore *store;
  SoupServer *server;
  char *url;
  GHashTable *seen;        /* X-Message-Id → count of 2xx answers */
  GPtrArray *bodies;       /* request bodies (char*) */
  GPtrArray *signatures;   /* webhook-signature values */
  GHashTable *attempts;    /* X-Message-Id → requests seen */
  /* what to answer: per attempt number (1-based) of a given address, else 200 */
  GHashTable *script;      /* "address#attempt" → status */
  guint requests;
  guint pause_after;       /* pause the job (from another connection) after this many requests */
  gint64 job_id;
  gboolean finished;
  OutreachJobStatus final_status;
  guint progress_signals;
  GArray *arrivals;        /* gint64 monotonic µs of each request */
  GArray *batch_sizes;     /* guint: recipients of each Mailgun / SendGrid request */
  gsize padding;           /* bytes of 'x' the job's HTML carries after the greeting */
} Fixture;

static char *ada7_name;  /* ada7's first name, when a test changed it */

/* The first name create_job's donors have, from their address. */
static char *
first_name_of (const char *address)
{
  g_autofree char *local = g_strndup (address, strcspn (address, "@"));

  if (ada7_name != NULL && g_str_equal (local, "ada7"))
    return g_strdup (ada7_name);
  return g_strdup_printf ("A%s", local + 1);
}

static void
check_rendered (Fixture *f, const char *address, const char *subject, const char *text, const char *html)
{
  g_autofree char *first = first_name_of (address);
  g_autofree char *want_subject = g_strdup_printf ("Thank you, %s", first);
  g_autofree char *want_text = g_strdup_printf ("Dear %s,\nthank you.", first);
  g_autofree char *want_html = g_strdup_printf ("<p>Dear %s</p>", first);

  g_assert_cmpstr (subject, ==, want_subject);
  g_assert_cmpstr (text, ==, want_text);
  g_assert_true (g_str_has_prefix (html, want_html));
  g_assert_cmpuint (strlen (html), ==, strlen (want_html) + f->padding);
}

/* Mailgun's Messages API: checks the exact batch, answers one id for it. */
static void
mailgun_fake (Fixture *f, SoupServerMessage *msg, GBytes *bytes)
{
  g_autofree char *form = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto (GStrv) pairs = g_strsplit (form, "&", -1);
  g_autoptr (GHashTable) fields = soup_form_decode (form);
  g_autoptr (GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *answer = NULL;
  guint n;

  g_assert_cmpstr (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"),
                   ==, "Basic YXBpOmtleS10ZXN0");  /* api:key-test */
  if (g_bytes_get_size (bytes) > 25 * 1000 * 1000)
    {
      soup_server_message_set_status (msg, 413, NULL);
      return;
    }
  for (guint i = 0; pairs[i] != NULL; i++)
    if (g_str_has_prefix (pairs[i], "to="))
      to = (g_ptr_array_add (to, g_uri_unescape_string (pairs[i] + 3, NULL)), to);
  n = to->len;
  g_array_append_val (f->batch_sizes, n);
  if (n == 1)
    {
      const char *id = g_hash_table_lookup (fields, "v:send_id");
      g_autofree char *address = g_strdup (strchr (to->pdata[0], '<') + 1);
      *strchr (address, '>') = '\0';
      check_rendered (f, address, g_hash_table_lookup (fields, "subject"), g_hash_table_lookup (fields, "text"),
                      g_hash_table_lookup (fields, "html"));
      g_assert_cmpstr (g_hash_table_lookup (fields, "h:X-Message-Id"), ==, id);
      g_hash_table_insert (f->seen, g_strdup (id), GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->seen, id)) + 1));
    }
  else
    {
      g_autoptr (JsonNode) root = json_from_string (g_hash_table_lookup (fields, "recipient-variables"), NULL);
      JsonObject *all = json_node_get_object (root);

      g_assert_cmpstr (g_hash_table_lookup (fields, "subject"), ==, "%recipient.subject%");
      g_assert_cmpstr (g_hash_table_lookup (fields, "text"), ==, "%recipient.text%");
      g_assert_cmpstr (g_hash_table_lookup (fields, "html"), ==, "%recipient.html%");
      g_assert_cmpstr (g_hash_table_lookup (fields, "v:send_id"), ==, "%recipient.send_id%");
      g_assert_cmpstr (g_hash_table_lookup (fields, "h:X-Message-Id"), ==, "%recipient.send_id%");
      g_assert_cmpstr (g_hash_table_lookup (fields, "h:List-Unsubscribe"), ==, "<%recipient.unsubscribe%>");
      g_assert_cmpstr (g_hash_table_lookup (fields, "h:List-Unsubscribe-Post"), ==, "List-Unsubscribe=One-Click");
      g_assert_cmpuint (json_object_get_size (all), ==, n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *address = g_strdup (strchr (to->pdata[i], '<') + 1);
          JsonObject *v;
          const char *id;

          *strchr (address, '>') = '\0';
          v = json_object_get_object_member (all, address);
          g_assert_nonnull (v);
          check_rendered (f, address, json_object_get_string_member (v, "subject"),
                          json_object_get_string_member (v, "text"), json_object_get_string_member (v, "html"));
          g_assert_true (g_str_has_prefix (json_object_get_string_member (v, "unsubscribe"), "https://example.org/u?d="));
          id = json_object_get_string_member (v, "send_id");
          g_hash_table_insert (f->seen, g_strdup (id), GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->seen, id)) + 1));
        }
    }
  answer = g_strdup_printf ("{\"id\":\"<batch-%u@mg.example.org>\",\"message\":\"Queued. Thank you.\"}", f->requests);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

/* SendGrid's Mail Send: checks the exact batch, answers 202 and one id. */
static void
sendgrid_fake (Fixture *f, SoupServerMessage *msg, GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr (JsonNode) root = json_from_string (text, NULL);
  JsonObject *body = json_node_get_object (root);
  JsonArray *ps = json_object_get_array_member (body, "personalizations");
  JsonArray *content = json_object_get_array_member (body, "content");
  g_autofree char *id = g_strdup_printf ("sg-batch-%u", f->requests);
  guint n = json_array_get_length (ps);

  g_assert_cmpstr (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"),
                   ==, "Bearer SG.key-test");
  g_array_append_val (f->batch_sizes, n);
  g_assert_cmpuint (n, <=, 1000);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (ps, i);
      JsonObject *headers = json_object_get_object_member (p, "headers");
      const char *address = json_object_get_string_member (json_array_get_object_element (
                                                             json_object_get_array_member (p, "to"), 0), "email");
      const char *send_id = json_object_get_string_member (json_object_get_object_member (p, "custom_args"), "send_id");

      g_assert_cmpstr (json_object_get_string_member (headers, "X-Message-Id"), ==, send_id);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "List-Unsubscribe"), "<https://example.org/u?d="));
      g_assert_cmpstr (json_object_get_string_member (headers, "List-Unsubscribe-Post"), ==, "List-Unsubscribe=One-Click");
      if (n == 1)
        {
          g_assert_false (json_object_has_member (p, "substitutions"));
          check_rendered (f, address, json_object_get_string_member (body, "subject"),
                          json_object_get_string_member (json_array_get_object_element (content, 0), "value"),
                          json_object_get_string_member (json_array_get_object_element (content, 1), "value"));
        }
      else
        {
          JsonObject *sub = json_object_get_object_member (p, "substitutions");
          gsize size = 0;
          GList *members = json_object_get_members (sub);

          for (GList *l = members; l != NULL; l = l->next)
            size += strlen (l->data) + strlen (json_object_get_string_member (sub, l->data));
          g_list_free (members);
          g_assert_cmpuint (size, <=, 10000);
          g_assert_cmpstr (json_object_get_string_member (body, "subject"), ==, "-outreach-subject-");
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "value"), ==, "-outreach-text-");
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 1), "value"), ==, "-outreach-html-");
          check_rendered (f, address, json_object_get_string_member (sub, "-outreach-subject-"),
                          json_object_get_string_member (sub, "-outreach-text-"),
                          json_object_get_string_member (sub, "-outreach-html-"));
        }
      g_hash_table_insert (f->seen, g_strdup (send_id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->seen, send_id)) + 1));
    }
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "X-Message-Id", id);
  soup_server_message_set_status (msg, 202, NULL);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  Fixture *f = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *id = soup_message_headers_get_one (headers, "X-Message-Id");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *address = NULL;
  guint attempt;
  g_autofree char *key = NULL;
  guint status = 200;

  f->requests++;
  if (f->arrivals != NULL)
    {
      gint64 now = g_get_monotonic_time ();
      g_array_append_val (f->arrivals, now);
    }
  if (g_str_has_prefix (path, "/email"))
    {
      /* Postmark's batch: every element OK except ada2's, an inactive recipient */
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr (JsonNode) root = json_from_string (text, NULL);
      g_autoptr (JsonArray) array = NULL;
      gboolean single = JSON_NODE_HOLDS_OBJECT (root);  /* /email: one message, one answer */
      g_autoptr (GString) answer = g_string_new (single ? "" : "[");

      if (single)
        {
          array = json_array_new ();
          json_array_add_object_element (array, json_object_ref (json_node_get_object (root)));
        }
      else
        array = json_array_ref (json_node_get_array (root));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *to = json_object_get_string_member (json_array_get_object_element (array, i), "To");
          if (i > 0)
            g_string_append_c (answer, ',');
          if (strstr (to, "<ada2@") != NULL)
            g_string_append (answer, "{\"ErrorCode\":406,\"Message\":\"You tried to send to a recipient that has been marked as inactive.\"}");
          else
            g_string_append_printf (answer, "{\"ErrorCode\":0,\"Message\":\"OK\",\"MessageID\":\"pm-%u\"}", f->requests * 1000 + i);
        }
      if (!single)
        g_string_append_c (answer, ']');
      g_ptr_array_add (f->bodies, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer->str, answer->len);
      return;
    }
  if (g_str_equal (path, "/v3/mg.example.org/messages"))
    {
      mailgun_fake (f, msg, bytes);
      return;
    }
  if (g_str_equal (path, "/v3/mail/send"))
    {
      sendgrid_fake (f, msg, bytes);
      return;
    }
  g_assert_nonnull (id);
  attempt = GPOINTER_TO_UINT (g_hash_table_lookup (f->attempts, id)) + 1;
  g_hash_table_insert (f->attempts, g_strdup (id), GUINT_TO_POINTER (attempt));
  g_ptr_array_add (f->bodies, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
  if (soup_message_headers_get_one (headers, "webhook-signature") != NULL)
    g_ptr_array_add (f->signatures, g_strdup (soup_message_headers_get_one (headers, "webhook-signature")));

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  address = json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "recipients"), 0), "email");
  key = g_strdup_printf ("%s#%u", address, attempt);
  if (g_hash_table_contains (f->script, key))
    status = GPOINTER_TO_UINT (g_hash_table_lookup (f->script, key));

  if (status == 999)
    {
      /* the body went out, then the connection drops: no answer at all */
      GIOStream *stream = soup_server_message_steal_connection (msg);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }
  if (status == 429 || status == 503)
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After", "1");
  soup_server_message_set_status (msg, status, NULL);
  if (status >= 200 && status < 300)
    {
      g_hash_table_insert (f->seen, g_strdup (id), GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->seen, id)) + 1));
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, "{\"status\":\"queued\"}", 19);
    }
  else
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      "{\"error\":\"nope\"}", 16);

  if (f->pause_after != 0 && f->requests == f->pause_after)
    {
      /* another connection, as the CLI would be */
      g_autoptr (GError) error = NULL;
      g_autoptr (OutreachStore) other = outreach_store_open (f->db_path, &error);
      g_assert_no_error (error);
      g_assert_true (outreach_job_pause (other, f->job_id, &error));
      g_assert_no_error (error);
    }
}

static void
add_donors (Fixture *f, int n)
{
  outreach_test_exec (f->store, "BEGIN");
  for (int i = 1; i <= n; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO donors (first_name, last_name, email, tags, created_at, updated_at)"
        " VALUES ('Ada%d', 'Donor', 'ada%d@example.org', 'spring', 1, 1)", i, i);
      outreach_test_exec (f->store, sql);
    }
  outreach_test_exec (f->store, "COMMIT");
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  f->store = outreach_test_new_store (&f->dir, &f->db_path);

  f->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->script = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->bodies = g_ptr_array_new_with_free_func (g_free);
  f->signatures = g_ptr_array_new_with_free_func (g_free);
  f->batch_sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  f->server = soup_server_new ("server-header", "test", NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO accounts (name, kind, settings, concurrency, created_at, updated_at)"
      " VALUES ('Hook', 'webhook', '{\"url\":\"%shook\",\"from\":\"office@example.org\"}', 4, 1, 1)", f->url);
    outreach_test_exec (f->store, sql);
  }
  outreach_test_exec (f->store, "UPDATE settings SET value = 'https://example.org/u?d={{donor_id}}' WHERE key = 'unsubscribe_url'");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  g_hash_table_unref (f->seen);
  g_hash_table_unref (f->attempts);
  g_hash_table_unref (f->script);
  g_ptr_array_unref (f->bodies);
  g_ptr_array_unref (f->signatures);
  g_clear_pointer (&f->arrivals, g_array_unref);
  g_clear_pointer (&f->batch_sizes, g_array_unref);
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->url);
}

static int max_attempts;

static gint64
create_job (Fixture *f, const char *account)
{
  g_autoptr (GError) error = NULL;
  OutreachJobSpec spec = { 0 };
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM accounts WHERE name = '%s'", account);
  g_autofree char *padded_html = NULL;
  gint64 id;

  spec.name = "Spring appeal";
  spec.account_id = outreach_test_query_int (f->store, sql);
  spec.select = OUTREACH_JOB_SELECT_ALL;
  spec.subject = "Thank you, {{first_name}}";
  spec.text = "Dear {{first_name}},\nthank you.";
  if (f->padding > 0)
    {
      g_autoptr (GString) html = g_string_new ("<p>Dear {{first_name}}</p>");
      for (gsize i = 0; i < f->padding; i++)
        g_string_append_c (html, 'x');
      spec.html = padded_html = g_string_free (g_steal_pointer (&html), FALSE);
    }
  else
    spec.html = "<p>Dear {{first_name}}</p>";
  spec.max_attempts = max_attempts;
  id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  f->job_id = id;
  return id;
}

static void
progress_cb (OutreachRunner *runner, gint64 job_id, const OutreachJobProgress *p, Fixture *f)
{
  g_assert_cmpint (p->total, ==, p->pending + p->sent + p->failed + p->skipped + p->uncertain + p->cancelled + p->rejected);
  f->progress_signals++;
}

static void
finished_cb (OutreachRunner *runner, gint64 job_id, OutreachJobStatus status, const char *error, Fixture *f)
{
  f->finished = TRUE;
  f->final_status = status;
}

static OutreachJobStatus
run_job (Fixture *f, gint64 id)
{
  g_autoptr (OutreachRunner) runner = outreach_runner_new (f->store);

  f->finished = FALSE;
  g_signal_connect (runner, "progress", G_CALLBACK (progress_cb), f);
  g_signal_connect (runner, "job-finished", G_CALLBACK (finished_cb), f);
  outreach_runner_run_job_async (runner, id, NULL, NULL, NULL);
  while (!f->finished)
    g_main_context_iteration (NULL, TRUE);
  /* let the task's completion run */
  while (outreach_runner_get_n_running (runner) > 0)
    g_main_context_iteration (NULL, TRUE);
  return f->final_status;
}

static void
assert_counters_match (Fixture *f)
{
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs j WHERE"
                                 " total != (SELECT count(*) FROM job_recipients WHERE job_id = j.id)"
                                 " OR sent != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'sent')"
                                 " OR failed != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'failed')"
                                 " OR uncertain != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'uncertain')"
                                 " OR skipped != (SELECT count(*) FROM job_recipients WHERE job_id = j.id AND state = 'skipped')"),
                   ==, 0);
}

static void
test_webhook_delivers_once (Fixture *f, gconstpointer data)
{
  gint64 id;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *body, *recipient;

  add_donors (f, 40);
  /* suppressed, do-not-contact and a duplicate address (case differs) */
  outreach_test_exec (f->store, "INSERT INTO suppressions (address, reason, created_at) VALUES ('ADA3@example.org', 'unsubscribed', 1)");
  outreach_test_exec (f->store, "UPDATE donors SET do_not_contact = 1 WHERE email = 'ada4@example.org'");
  outreach_test_exec (f->store, "INSERT INTO donors (first_name, email, created_at, updated_at) VALUES ('Twin', 'Ada5@Example.org', 1, 1)");
  outreach_test_exec (f->store, "UPDATE accounts SET settings = json_set (settings, '$.from_name', 'Shelter') WHERE name = 'Hook'");

  id = create_job (f, "Hook");
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT total FROM jobs"), ==, 40);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT skipped FROM jobs"), ==, 2);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE last_error LIKE '%suppression%unsubscribed%'"), ==, 1);

  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 38);
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 38);
  g_assert_cmpuint (f->requests, ==, 38);
  g_assert_cmpint (f->progress_signals, >=, 1);
  assert_counters_match (f);

  /* listmonk's postback shape, personalised */
  g_assert_true (json_parser_load_from_data (parser, f->bodies->pdata[0], -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "subject"), ==, "Thank you, Ada1");
  g_assert_cmpstr (json_object_get_string_member (body, "content_type"), ==, "html");
  g_assert_cmpstr (json_object_get_string_member (body, "body"), ==, "<p>Dear Ada1</p>");
  recipient = json_array_get_object_element (json_object_get_array_member (body, "recipients"), 0);
  g_assert_cmpstr (json_object_get_string_member (recipient, "email"), ==, "ada1@example.org");
  g_assert_cmpstr (json_object_get_string_member (recipient, "name"), ==, "Ada1 Donor");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "campaign"), "from_email"),
                   ==, "Shelter <office@example.org>");
  g_assert_nonnull (strstr (f->bodies->pdata[0], "https://example.org/u?d="));
}

static void
test_retry_policy (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 6);
  g_hash_table_insert (f->script, g_strdup ("ada1@example.org#1"), GUINT_TO_POINTER (429));
  g_hash_table_insert (f->script, g_strdup ("ada2@example.org#1"), GUINT_TO_POINTER (503));
  g_hash_table_insert (f->script, g_strdup ("ada3@example.org#1"), GUINT_TO_POINTER (500));
  g_hash_table_insert (f->script, g_strdup ("ada4@example.org#1"), GUINT_TO_POINTER (400));
  g_hash_table_insert (f->script, g_strdup ("ada5@example.org#1"), GUINT_TO_POINTER (404));
  id = create_job (f, "Hook");

  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  /* 429 and 503 are retried after Retry-After and then sent, attempt 2 */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT attempts FROM job_recipients WHERE address = 'ada1@example.org' AND state = 'sent'"), ==, 2);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT attempts FROM job_recipients WHERE address = 'ada2@example.org' AND state = 'sent'"), ==, 2);
  /* a 500 may have been taken: uncertain, never resent */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada3@example.org' AND state = 'uncertain'"), ==, 1);
  /* other 4xx are permanent, with the provider's text */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada4@example.org' AND state = 'failed'"
                                 " AND last_error LIKE 'HTTP 400%nope%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada5@example.org' AND state = 'failed'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 3);
  g_assert_cmpuint (f->requests, ==, 8);
  /* the log has the retries with their reason, and a redacted excerpt */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_events WHERE kind = 'retry' AND message LIKE '%HTTP 429%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_events WHERE excerpt LIKE 'POST %hook%HTTP 400%'"), >=, 1);
  assert_counters_match (f);
}

static void
test_refused_credentials_fail_job (Fixture *f, gconstpointer data)
{
  gint64 id;
  g_autofree char *error = NULL;

  add_donors (f, 30);
  for (int i = 1; i <= 30; i++)
    g_hash_table_insert (f->script, g_strdup_printf ("ada%d@example.org#1", i), GUINT_TO_POINTER (401));
  outreach_test_exec (f->store, "UPDATE accounts SET concurrency = 1");
  id = create_job (f, "Hook");

  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_FAILED);
  /* refused requests were not sent: everything is still pending */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs"), ==, 30);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs WHERE error LIKE '%refused the credentials%Hook%'"), ==, 1);
  g_assert_cmpuint (f->requests, ==, 3);
  assert_counters_match (f);
}

static void
test_pause_from_other_connection (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 600);
  f->pause_after = 50;
  id = create_job (f, "Hook");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_PAUSED);
  /* in-flight requests were recorded; nothing is left claimed */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE state = 'claimed'"), ==, 0);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, f->requests);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), <, 600);

  /* resume: the rest goes, nobody twice; progress comes coalesced (at
   * most 5 a second, plus the first and the last) */
  f->pause_after = 0;
  f->progress_signals = 0;
  {
    gint64 start = g_get_monotonic_time ();
    g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
    g_assert_cmpuint (f->progress_signals, >=, 2);
    g_assert_cmpuint (f->progress_signals, <=, 3 + 5 * (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  }
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 600);
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 600);
  g_assert_cmpuint (f->requests, ==, 600);
  assert_counters_match (f);
}

static void
test_signature (Fixture *f, gconstpointer data)
{
  g_autofree char *sig = outreach_webhook_signature ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                                     "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                                     "{\"test\": 2432232314}", 20);

  /* the Standard Webhooks reference example */
  g_assert_cmpstr (sig, ==, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

static void
test_folder_writes_eml (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (f->dir, "mail", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE accounts SET settings = json_object ('path', '%s',"
                                          " 'from', 'office@example.org') WHERE name = 'Folder'", folder);
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  gint64 id;

  add_donors (f, 3);
  outreach_test_exec (f->store, sql);
  id = create_job (f, "Folder");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 3);

  file = g_build_filename (folder, "Spring appeal", "000002-ada2@example.org.eml", NULL);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Subject: Thank you, Ada2"));
  g_assert_nonnull (strstr (contents, "X-Message-Id: "));
  g_assert_nonnull (strstr (contents, "List-Unsubscribe: <https://example.org/u?d="));
  g_assert_nonnull (strstr (contents, "multipart/alternative"));
}

static void
test_postmark_batches (Fixture *f, gconstpointer data)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO accounts (name, kind, settings, concurrency, created_at, updated_at)"
                                          " VALUES ('Mark', 'postmark', json_object ('from', 'office@example.org',"
                                          " 'base_url', '%s'), 2, 1, 1)", f->url);
  const char *env = "OUTREACH_SECRET_MARK";
  gint64 id;

  add_donors (f, 700);
  outreach_test_exec (f->store, sql);
  g_setenv (env, "POSTMARK_API_TEST", TRUE);
  id = create_job (f, "Mark");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_unsetenv (env);
  /* 700 messages in batches (at most 500, and a claim batch is 256): far
   * fewer requests than messages, and real batches among them */
  g_assert_cmpuint (f->requests, >=, 2);
  g_assert_cmpuint (f->requests, <=, 50);
  {
    guint largest = 0;
    for (guint i = 0; i < f->bodies->len; i++)
      {
        g_autoptr (JsonNode) node = json_from_string (f->bodies->pdata[i], NULL);
        guint n = JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node)) : 1;
        largest = MAX (largest, n);
        g_assert_cmpuint (n, <=, 500);
      }
    g_assert_cmpuint (largest, >=, 32);
  }
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 699);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada2@example.org'"
                                 " AND state = 'failed' AND last_error LIKE '%inactive%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(DISTINCT provider_message_id) FROM job_recipients WHERE state = 'sent'"), ==, 699);
  assert_counters_match (f);
}

static void
count_finished_cb (OutreachRunner *runner, gint64 job_id, OutreachJobStatus status, const char *error, guint *count)
{
  g_assert_cmpint (status, ==, OUTREACH_JOB_STATUS_COMPLETED);
  /* parallel_jobs = 1: never two at once */
  g_assert_cmpuint (outreach_runner_get_n_running (runner), <=, 1);
  (*count)++;
}

static void
test_auto_start_schedule (Fixture *f, gconstpointer data)
{
  g_autoptr (OutreachRunner) runner = outreach_runner_new (f->store);
  g_autofree char *schedule = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 first, second;
  guint finished = 0;

  add_donors (f, 5);
  outreach_test_exec (f->store, "UPDATE settings SET value = '1' WHERE key = 'parallel_jobs'");
  outreach_test_exec (f->store, "UPDATE settings SET value = '2' WHERE key = 'history_keep'");
  outreach_test_exec (f->store, "INSERT INTO jobs (uuid, name, status, created_at, updated_at, finished_at)"
           " VALUES ('00000000-0000-4000-8000-0000000000aa', 'Old', 'completed', 1, 1, 1)");
  first = create_job (f, "Hook");
  second = create_job (f, "Hook");
  schedule = g_strdup_printf ("UPDATE jobs SET scheduled_at = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT,
                              now + 2, second);
  outreach_test_exec (f->store, schedule);

  g_signal_connect (runner, "job-finished", G_CALLBACK (count_finished_cb), &finished);
  outreach_runner_set_auto_start (runner, TRUE);
  while (finished < 2 || outreach_runner_get_n_running (runner) > 0)
    g_main_context_iteration (NULL, TRUE);
  outreach_runner_set_auto_start (runner, FALSE);

  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs WHERE status = 'completed'"), ==, 2);
  /* history_keep is honoured as jobs end: an old finished job went */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs WHERE name = 'Old'"), ==, 0);
  /* the scheduled one did not start before its time */
  {
    g_autofree char *q = g_strdup_printf ("SELECT started_at >= scheduled_at FROM jobs WHERE id = %" G_GINT64_FORMAT, second);
    g_assert_cmpint (outreach_test_query_int (f->store, q), ==, 1);
  }
  (void) first;
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 10);
}

static void
test_token_bucket (void)
{
  g_autoptr (OutreachTokenBucket) bucket = outreach_token_bucket_new (10);
  g_autoptr (OutreachTokenBucket) unlimited = outreach_token_bucket_new (0);
  g_autoptr (OutreachTokenBucket) shared = outreach_token_bucket_for_account (77, 5);
  g_autoptr (OutreachTokenBucket) same = outreach_token_bucket_for_account (77, 5);
  gint64 t = 1000 * G_USEC_PER_SEC;
  guint taken = 0;

  /* a burst of one second's worth, then one per 100 ms */
  for (int i = 0; i < 20; i++)
    taken += outreach_token_bucket_take (bucket, 1, t) == 0;
  g_assert_cmpuint (taken, ==, 10);
  g_assert_cmpint (outreach_token_bucket_take (bucket, 1, t), >, 0);
  g_assert_cmpint (outreach_token_bucket_take (bucket, 1, t), <=, 100 * 1000 + 1);
  g_assert_cmpint (outreach_token_bucket_take (bucket, 1, t + 100 * 1000), ==, 0);
  g_assert_cmpint (outreach_token_bucket_take (bucket, 1, t + 100 * 1000), >, 0);

  /* a 429 halves a limited account's rate for a while */
  outreach_token_bucket_slow_down (bucket, G_USEC_PER_SEC, t);
  g_assert_cmpfloat (outreach_token_bucket_get_rate (bucket), ==, 5);
  outreach_token_bucket_take (bucket, 1, t + 31 * G_USEC_PER_SEC);
  g_assert_cmpfloat (outreach_token_bucket_get_rate (bucket), ==, 10);

  /* no limit is no limit… */
  for (int i = 0; i < 1000; i++)
    g_assert_cmpint (outreach_token_bucket_take (unlimited, 1, t + i * 1000), ==, 0);
  g_assert_cmpfloat (outreach_token_bucket_get_rate (unlimited), ==, 0);
  /* …until a 429: then half the rate of the last second (1,000 → 500 a
   * second, no burst); further 429s do not halve it again (a provider may
   * answer a share of requests with 429 whatever the rate) */
  t += G_USEC_PER_SEC;
  outreach_token_bucket_slow_down (unlimited, G_USEC_PER_SEC, t);
  outreach_token_bucket_slow_down (unlimited, G_USEC_PER_SEC, t + 1000);
  g_assert_cmpfloat (outreach_token_bucket_get_rate (unlimited), ==, 500);
  g_assert_cmpint (outreach_token_bucket_take (unlimited, 1, t), >, 0);
  taken = 0;
  for (gint64 us = t; us < t + G_USEC_PER_SEC; us += 100)
    taken += outreach_token_bucket_take (unlimited, 1, us) == 0;
  g_assert_cmpuint (taken, <=, 500);
  g_assert_cmpuint (taken, >=, 490);
  /* it recovers: doubled after 5 s, back to the rate it had, so no limit */
  g_assert_cmpint (outreach_token_bucket_take (unlimited, 1, t + 5 * G_USEC_PER_SEC + 1), ==, 0);
  g_assert_cmpfloat (outreach_token_bucket_get_rate (unlimited), ==, 0);
  /* a 429 a moment after sending started: the rate, not the few sent */
  for (int i = 0; i < 20; i++)
    outreach_token_bucket_take (unlimited, 1, t + 10 * G_USEC_PER_SEC + i * 1000);
  outreach_token_bucket_slow_down (unlimited, 0, t + 10 * G_USEC_PER_SEC + 20 * 1000);
  g_assert_cmpfloat (outreach_token_bucket_get_rate (unlimited), ==, 500);

  /* one bucket per account in the process: two jobs share it */
  g_assert_true (shared == same);
}

static void
test_rate_limit (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 25);
  outreach_test_exec (f->store, "UPDATE accounts SET rate = 10, concurrency = 8 WHERE name = 'Hook'");
  f->arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  id = create_job (f, "Hook");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpuint (f->arrivals->len, ==, 25);
  /* at 10 per second with a burst of 10, any 21 consecutive requests need
   * 11 fresh tokens, so they span at least 1.1 s: never more than allowed */
  for (guint i = 0; i + 20 < f->arrivals->len; i++)
    g_assert_cmpint (g_array_index (f->arrivals, gint64, i + 20) - g_array_index (f->arrivals, gint64, i),
                     >=, 900 * 1000);
}

static void
test_suppressed_after_creation (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 5);
  id = create_job (f, "Hook");
  /* ada4 unsubscribes after the job was created: still never sent to */
  outreach_test_exec (f->store, "INSERT INTO suppressions (address, reason, created_at) VALUES ('Ada4@Example.org', 'unsubscribed', 1)");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 4);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada4@example.org'"
                                 " AND state = 'skipped' AND last_error LIKE '%suppression list (unsubscribed)%'"), ==, 1);
  g_assert_cmpuint (f->requests, ==, 4);
  assert_counters_match (f);
}

static void
test_leftover_claimed_become_uncertain (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 3);
  id = create_job (f, "Hook");
  /* a runner that could not finish its bookkeeping left one claimed */
  outreach_test_exec (f->store, "UPDATE job_recipients SET state = 'claimed', attempts = 1 WHERE address = 'ada2@example.org'");
  outreach_test_exec (f->store, "UPDATE jobs SET status = 'paused'");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada2@example.org'"
                                 " AND state = 'uncertain'"), ==, 1);
  g_assert_cmpuint (f->requests, ==, 2);
  assert_counters_match (f);
}

static void
test_retry_limits (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 4);
  /* ada1: 503 every time → failed after the attempt limit, with the provider's text */
  for (int i = 1; i <= 3; i++)
    g_hash_table_insert (f->script, g_strdup_printf ("ada1@example.org#%d", i), GUINT_TO_POINTER (503));
  /* ada2: a 500, but the account opts in to retrying ambiguous errors */
  g_hash_table_insert (f->script, g_strdup ("ada2@example.org#1"), GUINT_TO_POINTER (500));
  /* ada3: the connection drops after the body went out */
  for (int i = 1; i <= 3; i++)
    g_hash_table_insert (f->script, g_strdup_printf ("ada3@example.org#%d", i), GUINT_TO_POINTER (999));
  outreach_test_exec (f->store, "UPDATE accounts SET retry_ambiguous = 1");
  max_attempts = 2;
  id = create_job (f, "Hook");
  max_attempts = 0;

  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada1@example.org'"
                                 " AND state = 'failed' AND attempts = 2 AND last_error LIKE 'Gave up after 2 attempts: HTTP 503%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada2@example.org'"
                                 " AND state = 'sent' AND attempts = 2"), ==, 1);
  /* with the opt-in a dropped connection is retried too, up to the limit */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada3@example.org'"
                                 " AND state = 'failed'"), ==, 1);
  assert_counters_match (f);
}

static void
test_dropped_connection_is_uncertain (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 3);
  for (int i = 1; i <= 3; i++)
    g_hash_table_insert (f->script, g_strdup_printf ("ada2@example.org#%d", i), GUINT_TO_POINTER (999));
  id = create_job (f, "Hook");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  /* it may have been taken: uncertain, and never sent again by us */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE address = 'ada2@example.org'"
                                 " AND state = 'uncertain' AND attempts = 1"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 2);
}

static void
test_refused_connection_is_retried (Fixture *f, gconstpointer data)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *sql = NULL;
  gint64 id;

  /* a port that was free a moment ago: nothing listens there */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  sql = g_strdup_printf ("UPDATE accounts SET settings = json_set (settings, '$.url', 'http://127.0.0.1:%u/hook')",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  outreach_test_exec (f->store, sql);
  add_donors (f, 2);
  max_attempts = 2;
  id = create_job (f, "Hook");
  max_attempts = 0;

  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE state = 'failed' AND attempts = 2"
                                 " AND last_error LIKE 'Gave up after 2 attempts: Could not reach the provider%'"), ==, 2);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_events WHERE kind = 'retry'"), ==, 2);
}

static guint16
free_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  guint16 port;

  /* a port that was free a moment ago: nothing listens there */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_errors_in_row_fail_job (Fixture *f, gconstpointer data)
{
  g_autofree char *down = g_strdup_printf ("UPDATE accounts SET settings = json_set (settings, '$.url',"
                                           " 'http://127.0.0.1:%u/hook')", free_port ());
  g_autofree char *up = g_strdup_printf ("UPDATE accounts SET settings = json_set (settings, '$.url', '%shook')", f->url);
  g_autoptr (GError) error = NULL;
  gint64 id;

  /* the provider cannot be reached: rather than burn every recipient's
   * attempts and "complete" with all of them failed, the job fails */
  outreach_test_exec (f->store, down);
  add_donors (f, 120);
  id = create_job (f, "Hook");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_FAILED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs WHERE error LIKE 'Stopped after 50 requests in a row"
                                 " to account “Hook” failed (Could not reach the provider%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs"), ==, 120);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT failed + sent + uncertain FROM jobs"), ==, 0);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE attempts = 0"), >=, 120 - 50 - 8);
  assert_counters_match (f);

  /* the cause is fixed; resuming goes on where it stopped, nobody twice */
  outreach_test_exec (f->store, up);
  g_assert_true (outreach_job_resume (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 120);
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 120);
  g_assert_cmpuint (f->requests, ==, 120);
  assert_counters_match (f);
}

static void
test_5xx_in_row_fail_job (Fixture *f, gconstpointer data)
{
  gint64 id;

  /* every request gets a 503: retried per recipient, but 50 in a row
   * with no success stop the job */
  add_donors (f, 80);
  for (int i = 1; i <= 80; i++)
    for (int a = 1; a <= 8; a++)
      g_hash_table_insert (f->script, g_strdup_printf ("ada%d@example.org#%d", i, a), GUINT_TO_POINTER (503));
  id = create_job (f, "Hook");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_FAILED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs WHERE error LIKE 'Stopped after 50 requests in a row%HTTP 503%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs"), ==, 80);
  g_assert_cmpuint (f->requests, <, 80);
  assert_counters_match (f);
}

static void
test_missing_account_fails_job (Fixture *f, gconstpointer data)
{
  gint64 id;

  add_donors (f, 3);
  id = create_job (f, "Hook");
  outreach_test_exec (f->store, "DELETE FROM accounts WHERE name = 'Hook'");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_FAILED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM jobs WHERE error LIKE '%account no longer exists%Change account%'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT pending FROM jobs"), ==, 3);
  g_assert_cmpuint (f->requests, ==, 0);
  assert_counters_match (f);
}

/* Requests a second in the arrivals from @from (index) up to @until (µs,
 * monotonic) — first to last arrival. */
static double
arrival_rate (GArray *arrivals, guint from, gint64 until)
{
  guint last = from;

  while (last + 1 < arrivals->len && g_array_index (arrivals, gint64, last + 1) <= until)
    last++;
  g_assert_cmpuint (last, >=, from + 20);
  return (double) (last - from) * G_USEC_PER_SEC /
         (double) (g_array_index (arrivals, gint64, last) - g_array_index (arrivals, gint64, from));
}

static void
test_429_slows_unlimited_account (Fixture *f, gconstpointer data)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO accounts (id, name, kind, settings, concurrency, created_at, updated_at)"
                                          " VALUES (4242, 'Busy', 'webhook', json_object ('url', '%shook',"
                                          " 'from', 'office@example.org'), 4, 1, 1)", f->url);
  guint at = G_MAXUINT;
  gint64 at_us;
  double before, after;
  gint64 id;

  /* an account with no rate limit: the 300th request gets a 429, and the
   * account must then send at most about half as fast as before */
  outreach_test_exec (f->store, sql);
  add_donors (f, 600);
  g_hash_table_insert (f->script, g_strdup ("ada300@example.org#1"), GUINT_TO_POINTER (429));
  f->arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  id = create_job (f, "Busy");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 600);
  g_assert_cmpuint (f->arrivals->len, ==, 601);

  for (guint i = 0; i < f->bodies->len && at == G_MAXUINT; i++)
    if (strstr (f->bodies->pdata[i], "\"ada300@example.org\"") != NULL)
      at = i;
  g_assert_cmpuint (at, >=, 100);
  at_us = g_array_index (f->arrivals, gint64, at);
  /* before: the second up to the 429 (from the 20th request, once the
   * job is under way); after: the second that follows, leaving out the
   * few requests that were already on their way (concurrency 4) */
  {
    guint from = 20;
    while (g_array_index (f->arrivals, gint64, from) < at_us - G_USEC_PER_SEC)
      from++;
    before = arrival_rate (f->arrivals, from, at_us);
  }
  after = arrival_rate (f->arrivals, at + 4, at_us + G_USEC_PER_SEC);
  g_test_message ("%.0f requests/s before the 429, %.0f after", before, after);
  g_assert_cmpfloat (after, <=, before * 0.7);
  assert_counters_match (f);
}

static void
add_http_account (Fixture *f, const char *name, const char *kind, const char *extra)
{
  g_autofree char *base = g_strndup (f->url, strlen (f->url) - 1);  /* no trailing slash */
  g_autofree char *sql = g_strdup_printf ("INSERT INTO accounts (name, kind, settings, concurrency, created_at, updated_at)"
                                          " VALUES ('%s', '%s', json_object ('from', 'office@example.org',"
                                          " 'base_url', '%s'%s), 4, 1, 1)", name, kind, base, extra);
  outreach_test_exec (f->store, sql);
}

/* Every recipient stores the id of the request that carried them, and
 * each request's recipients share it. */
static void
assert_batch_ids (Fixture *f, guint n_recipients)
{
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients WHERE state = 'sent'"
                                 " AND provider_message_id IS NOT NULL"), ==, n_recipients);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count(DISTINCT provider_message_id) FROM job_recipients"), ==, f->requests);
  for (guint i = 0; i < f->batch_sizes->len; i++)
    {
      g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM job_recipients WHERE provider_message_id"
                                            " IN ('<batch-%u@mg.example.org>', 'sg-batch-%u')", i + 1, i + 1);
      g_assert_cmpint (outreach_test_query_int (f->store, q), ==, g_array_index (f->batch_sizes, guint, i));
    }
}

static void
test_mailgun_personal_batches (Fixture *f, gconstpointer data)
{
  gint64 id;
  guint largest = 0;

  add_donors (f, 1200);
  add_http_account (f, "Gun", "mailgun", ", 'domain', 'mg.example.org'");
  g_setenv ("OUTREACH_SECRET_GUN", "key-test", TRUE);
  id = create_job (f, "Gun");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_unsetenv ("OUTREACH_SECRET_GUN");

  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 1200);
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 1200);
  for (guint i = 0; i < f->batch_sizes->len; i++)
    largest = MAX (largest, g_array_index (f->batch_sizes, guint, i));
  /* real batches of personal messages, far fewer requests than recipients */
  g_assert_cmpuint (largest, >=, 32);
  g_assert_cmpuint (largest, <=, 1000);
  g_assert_cmpuint (f->requests, <=, 100);
  assert_batch_ids (f, 1200);
  assert_counters_match (f);
}

static void
test_mailgun_batch_size_limit (Fixture *f, gconstpointer data)
{
  gint64 id;

  /* 100 messages of 1 MB each: no request may pass 25 MB (the fake
   * answers 413 as Mailgun does), so batches are split to fit */
  f->padding = 1000 * 1000;
  add_donors (f, 100);
  add_http_account (f, "Gun", "mailgun", ", 'domain', 'mg.example.org'");
  g_setenv ("OUTREACH_SECRET_GUN", "key-test", TRUE);
  id = create_job (f, "Gun");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_unsetenv ("OUTREACH_SECRET_GUN");

  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 100);
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 100);
  g_assert_cmpuint (f->requests, <=, 50);
  for (guint i = 0; i < f->batch_sizes->len; i++)
    {
      g_test_message ("request %u: %u recipients", i + 1, g_array_index (f->batch_sizes, guint, i));
      g_assert_cmpuint (g_array_index (f->batch_sizes, guint, i), <=, 24);
    }
  assert_batch_ids (f, 100);
  assert_counters_match (f);
}

static void
test_sendgrid_personal_batches (Fixture *f, gconstpointer data)
{
  gint64 id;
  guint largest = 0;

  add_donors (f, 600);
  /* ada7's name makes her message larger than a personalization's
   * 10,000 bytes of substitutions: she goes in a request of her own */
  {
    g_autoptr (GString) long_name = g_string_new ("Ada7");
    while (long_name->len < 6000)
      g_string_append (long_name, "-Ada7");
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE donors SET first_name = '%s' WHERE email = 'ada7@example.org'",
                                              long_name->str);
      outreach_test_exec (f->store, sql);
      ada7_name = g_strdup (long_name->str);
    }
  }
  add_http_account (f, "Grid", "sendgrid", "");
  g_setenv ("OUTREACH_SECRET_GRID", "SG.key-test", TRUE);
  id = create_job (f, "Grid");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);
  g_unsetenv ("OUTREACH_SECRET_GRID");

  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT sent FROM jobs"), ==, 600);
  g_assert_cmpuint (g_hash_table_size (f->seen), ==, 600);
  for (guint i = 0; i < f->batch_sizes->len; i++)
    largest = MAX (largest, g_array_index (f->batch_sizes, guint, i));
  g_assert_cmpuint (largest, >=, 32);
  g_assert_cmpuint (f->requests, <=, 60);
  /* ada7 alone */
  {
    g_autofree char *q = NULL;
    gint64 alone = outreach_test_query_int (f->store, "SELECT count(*) FROM job_recipients r WHERE address = 'ada7@example.org'"
                                 " AND (SELECT count(*) FROM job_recipients o"
                                 "      WHERE o.provider_message_id = r.provider_message_id) = 1");
    g_assert_cmpint (alone, ==, 1);
    (void) q;
  }
  assert_batch_ids (f, 600);
  assert_counters_match (f);
  g_clear_pointer (&ada7_name, g_free);
}

static gint64
parse_time (const char *text)
{
  g_autoptr (GDateTime) time = NULL;

  g_assert_true (g_str_has_suffix (text, "Z"));
  time = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

static void
test_export_times (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "results.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 created, id;
  guint rows = 0;

  add_donors (f, 3);
  /* ada1 waits a second (503, Retry-After: 1) before she is sent; ada3 is
   * suppressed after the job was created: never attempted */
  g_hash_table_insert (f->script, g_strdup ("ada1@example.org#1"), GUINT_TO_POINTER (503));
  id = create_job (f, "Hook");
  outreach_test_exec (f->store, "UPDATE jobs SET created_at = created_at - 60");
  outreach_test_exec (f->store, "INSERT INTO suppressions (address, reason, created_at) VALUES ('ada3@example.org', 'manual', 1)");
  created = outreach_test_query_int (f->store, "SELECT created_at FROM jobs");
  g_assert_cmpint (run_job (f, id), ==, OUTREACH_JOB_STATUS_COMPLETED);

  g_assert_true (outreach_job_export (f->store, id, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "donor_id,address,state,attempts,provider_message_id,error,"
                                 "updated_at,created_at,first_attempt_at,sent_at");
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);
      gint64 updated, first, sent;

      g_assert_cmpuint (g_strv_length (cells), ==, 10);
      rows++;
      updated = parse_time (cells[6]);
      g_assert_cmpint (parse_time (cells[7]), ==, created);
      if (g_str_equal (cells[1], "ada3@example.org"))
        {
          g_assert_cmpstr (cells[2], ==, "skipped");
          g_assert_cmpstr (cells[8], ==, "");  /* never attempted, never sent */
          g_assert_cmpstr (cells[9], ==, "");
          continue;
        }
      g_assert_cmpstr (cells[2], ==, "sent");
      first = parse_time (cells[8]);
      sent = parse_time (cells[9]);
      g_assert_cmpint (sent, ==, updated);
      g_assert_cmpint (created, <, first);
      g_assert_cmpint (first, <=, sent);
      g_assert_cmpint (sent, <=, g_get_real_time () / G_USEC_PER_SEC);
      if (g_str_equal (cells[1], "ada1@example.org"))
        {
          /* the first attempt stays the first: the second came a second later */
          g_assert_cmpstr (cells[3], ==, "2");
          g_assert_cmpint (sent - first, >=, 1);
        }
    }
  g_assert_cmpuint (rows, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/outreach/runner/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("webhook-delivers-once", test_webhook_delivers_once);
  ADD ("retry-policy", test_retry_policy);
  ADD ("refused-credentials-fail-job", test_refused_credentials_fail_job);
  ADD ("pause-from-other-connection", test_pause_from_other_connection);
  ADD ("webhook-signature", test_signature);
  ADD ("folder-writes-eml", test_folder_writes_eml);
  ADD ("postmark-batches", test_postmark_batches);
  ADD ("auto-start-schedule", test_auto_start_schedule);
  ADD ("rate-limit", test_rate_limit);
  ADD ("retry-limits", test_retry_limits);
  ADD ("leftover-claimed-become-uncertain", test_leftover_claimed_become_uncertain);
  ADD ("suppressed-after-creation", test_suppressed_after_creation);
  ADD ("dropped-connection-is-uncertain", test_dropped_connection_is_uncertain);
  ADD ("refused-connection-is-retried", test_refused_connection_is_retried);
  ADD ("errors-in-row-fail-job", test_errors_in_row_fail_job);
  ADD ("5xx-in-row-fail-job", test_5xx_in_row_fail_job);
  ADD ("missing-account-fails-job", test_missing_account_fails_job);
  ADD ("429-slows-unlimited-account", test_429_slows_unlimited_account);
  ADD ("mailgun-personal-batches", test_mailgun_personal_batches);
  ADD ("mailgun-batch-size-limit", test_mailgun_batch_size_limit);
  ADD ("sendgrid-personal-batches", test_sendgrid_personal_batches);
  ADD ("export-times", test_export_times);
  g_test_add_func ("/outreach/runner/token-bucket", test_token_bucket);
#undef ADD

  return g_test_run ();
}
