/* test-runner-faults.c — SIGKILL a real `outreach jobs run` at random moments
 * and resume it: no message is accepted twice, the counters add up, and
 * each crash leaves at most concurrency + one claim batch uncertain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>

#include "outreach-test-util.h"
#include "outreach-store.h"

#define N_DONORS 1500
#define CONCURRENCY 4
#define CLAIM_BATCH 256

typedef struct
{
  char *dir;
  char *db_path;
  SoupServer *server;
  char *url;
  GHashTable *accepted;   /* X-Message-Id → 2xx answers */
  guint requests;
  guint kill_at;          /* SIGKILL the runner when this many requests arrived */
  GSubprocess *process;
  guint duplicates;
  guint fault_every;      /* answer 503 / 429 to every Nth request */
} Fixture;

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Fixture *f = data;
  const char *id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Message-Id");

  f->requests++;
  if (f->fault_every != 0 && f->requests % f->fault_every == 0)
    {
      guint status = (f->requests / f->fault_every) % 2 ? 503 : 429;
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      soup_server_message_set_status (msg, status, NULL);
    }
  else
    {
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (f->accepted, id));
      if (seen > 0)
        f->duplicates++;
      g_hash_table_insert (f->accepted, g_strdup (id), GUINT_TO_POINTER (seen + 1));
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"status\":\"queued\"}", 19);
    }

  if (f->process != NULL && f->kill_at != 0 && f->requests >= f->kill_at)
    {
      g_subprocess_send_signal (f->process, SIGKILL);
      f->kill_at = 0;
    }
}

/* On a connection of the test's own, as another process would. */
static void
sql (Fixture *f, const char *text)
{
  g_autoptr (OutreachStore) store = outreach_test_open_store (f->db_path);

  outreach_test_exec (store, text);
}

static gint64
query_int (Fixture *f, const char *text)
{
  g_autoptr (OutreachStore) store = outreach_test_open_store (f->db_path);

  return outreach_test_query_int (store, text);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *donors = NULL;
  GSList *uris;

  f->dir = outreach_test_make_tmp_dir ();
  f->db_path = g_build_filename (f->dir, "outreach.db", NULL);
  f->accepted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  donors = g_strdup_printf ("WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d)"
                            " INSERT INTO donors (first_name, email, created_at, updated_at)"
                            " SELECT 'D' || i, 'd' || i || '@example.org', 1, 1 FROM seq", N_DONORS);
  sql (f, donors);
  account = g_strdup_printf ("INSERT INTO accounts (name, kind, settings, concurrency, created_at, updated_at)"
                             " VALUES ('Hook', 'webhook', '{\"url\":\"%ssend\"}', %d, 1, 1)", f->url, CONCURRENCY);
  sql (f, account);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->server);
  g_hash_table_unref (f->accepted);
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->url);
}

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Runs `outreach jobs run 1`; returns its exit status, or -SIGNAL. */
static int
run_outreach (Fixture *f, const char *const *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  gboolean done = FALSE;
  int status;

  g_ptr_array_add (argv, (gpointer) outreach_test_binary ());
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  f->process = g_subprocess_newv ((const char *const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (f->process, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  status = g_subprocess_get_if_exited (f->process) ? g_subprocess_get_exit_status (f->process)
                                                   : -g_subprocess_get_term_sig (f->process);
  g_clear_object (&f->process);
  return status;
}

static void
create_job (Fixture *f)
{
  g_autofree char *text = g_build_filename (f->dir, "text.mustache", NULL);
  const char *args[] = { "jobs", "create", "--name", "Crash test", "--account", "Hook", "--all",
                         "--subject", "Hi {{first_name}}", "--text", text, NULL };

  g_assert_true (g_file_set_contents (text, "Dear {{first_name}}, thank you.", -1, NULL));
  g_assert_cmpint (run_outreach (f, args), ==, 0);
}

static void
assert_consistent (Fixture *f)
{
  g_assert_cmpint (query_int (f, "SELECT total = sent + failed + skipped + uncertain + cancelled + rejected + pending FROM jobs"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT total FROM jobs"), ==, query_int (f, "SELECT count(*) FROM job_recipients"));
  g_assert_cmpint (query_int (f, "SELECT sent FROM jobs"), ==, query_int (f, "SELECT count(*) FROM job_recipients WHERE state = 'sent'"));
  g_assert_cmpint (query_int (f, "SELECT uncertain FROM jobs"), ==, query_int (f, "SELECT count(*) FROM job_recipients WHERE state = 'uncertain'"));
}

static void
test_sigkill_and_resume (Fixture *f, gconstpointer data)
{
  const char *run[] = { "jobs", "run", "1", NULL };
  guint kills = 0;
  int status;

  create_job (f);

  for (int round = 0; round < 4; round++)
    {
      gint64 uncertain_before = query_int (f, "SELECT uncertain FROM jobs");
      f->kill_at = f->requests + (guint) g_test_rand_int_range (20, 300);
      status = run_outreach (f, run);
      if (status != -SIGKILL)
        break; /* it finished before the moment came */
      kills++;

      /* the next start recovers: claimed → uncertain, at most concurrency + a claim batch */
      {
        const char *show[] = { "jobs", "show", "1", NULL };
        g_assert_cmpint (run_outreach (f, show), ==, 0);
      }
      g_assert_cmpint (query_int (f, "SELECT count(*) FROM job_recipients WHERE state = 'claimed'"), <=, CONCURRENCY + CLAIM_BATCH);
      {
        const char *pause[] = { "jobs", "pause", "1", NULL };  /* recovers the dead runner's job */
        run_outreach (f, pause);
      }
      g_assert_cmpint (query_int (f, "SELECT count(*) FROM job_recipients WHERE state = 'claimed'"), ==, 0);
      g_assert_cmpint (query_int (f, "SELECT uncertain FROM jobs") - uncertain_before, <=, CONCURRENCY + CLAIM_BATCH);
      g_assert_cmpint (query_int (f, "SELECT count(*) FROM jobs WHERE status = 'paused' AND error LIKE '%uncertain%'"), ==, 1);
      assert_consistent (f);
    }
  g_assert_cmpuint (kills, >=, 1);

  /* to the end: exit 1 (finished, with uncertain recipients) or 0 */
  status = run_outreach (f, run);
  g_assert_true (status == 0 || status == 1);
  g_assert_cmpuint (f->duplicates, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT pending FROM jobs"), ==, 0);
  /* every sent one arrived; an uncertain one may or may not have */
  g_assert_cmpint (query_int (f, "SELECT sent FROM jobs"), <=, g_hash_table_size (f->accepted));
  g_assert_cmpint (g_hash_table_size (f->accepted), <=, query_int (f, "SELECT sent + uncertain FROM jobs"));
  g_assert_cmpint (query_int (f, "SELECT sent + uncertain FROM jobs"), ==, N_DONORS);
  assert_consistent (f);
}

static void
test_faults_deliver_exactly_once (Fixture *f, gconstpointer data)
{
  const char *run[] = { "jobs", "run", "1", NULL };

  /* every 7th request is refused with 503 or 429 and Retry-After: 1 */
  f->fault_every = 7;
  create_job (f);
  g_assert_cmpint (run_outreach (f, run), ==, 0);
  g_assert_cmpuint (f->duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (f->accepted), ==, N_DONORS);
  g_assert_cmpint (query_int (f, "SELECT sent FROM jobs"), ==, N_DONORS);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM jobs WHERE status = 'completed'"), ==, 1);
  assert_consistent (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/runner-faults/sigkill-and-resume", Fixture, NULL, fixture_set_up,
              test_sigkill_and_resume, fixture_tear_down);
  g_test_add ("/outreach/runner-faults/faults-deliver-exactly-once", Fixture, NULL, fixture_set_up,
              test_faults_deliver_exactly_once, fixture_tear_down);
  return g_test_run ();
}
