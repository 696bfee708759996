/* test-cli-jobs.c — `outreach jobs …`, `accounts …` and `settings` as a
 * person or cron runs them: the real binary on a real database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <unistd.h>

#include "outreach-store.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  char *db;
  char *mail;
  char *text;
} Fixture;

/* On a connection of the test's own, as another process would. */
static void
sql (Fixture *f, const char *text)
{
  g_autoptr (OutreachStore) store = outreach_test_open_store (f->db);

  outreach_test_exec (store, text);
}

static gint64
query_int (Fixture *f, const char *text)
{
  g_autoptr (OutreachStore) store = outreach_test_open_store (f->db);

  return outreach_test_query_int (store, text);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *account = NULL;

  f->dir = outreach_test_make_tmp_dir ();
  f->db = g_build_filename (f->dir, "outreach.db", NULL);
  f->mail = g_build_filename (f->dir, "mail", NULL);
  f->text = g_build_filename (f->dir, "letter.txt", NULL);
  g_assert_true (g_file_set_contents (f->text, "Dear {{first_name}},\nthank you.\n", -1, NULL));
  sql (f, "INSERT INTO donors (first_name, last_name, email, tags, created_at, updated_at) VALUES"
          " ('Ada', 'Lovelace', 'ada@example.org', 'spring;board', 1, 1),"
          " ('Bo', 'Diddley', 'bo@example.org', 'spring', 1, 1),"
          " ('Cy', 'Twombly', 'cy@example.org', 'autumn', 1, 1)");
  account = g_strdup_printf ("UPDATE accounts SET settings = json_object ('path', '%s', 'from', 'office@example.org')"
                             " WHERE name = 'Folder'", f->mail);
  sql (f, account);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->mail);
  g_free (f->text);
}

static gint64
create (Fixture *f, const char *name, const char *extra1, const char *extra2, const char *extra3)
{
  g_auto (OutreachTestRun) run = { 0 };
  char *end = NULL;
  gint64 id;

  outreach_test_run_cli (&run, NULL, "--db", f->db, "jobs", "create", "--name", name, "--account", "Folder",
                         "--subject", "Thank you, {{first_name}}", "--text", f->text,
                         extra1 != NULL ? extra1 : "--all", extra2, extra3, NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  id = g_ascii_strtoll (run.out, &end, 10);
  g_assert_cmpstr (end, ==, "\n");  /* the id alone */
  return id;
}

static void
test_create_run_show (Fixture *f, gconstpointer data)
{
  g_auto (OutreachTestRun) run = { 0 };
  g_auto (OutreachTestRun) show = { 0 };
  g_auto (OutreachTestRun) list = { 0 };
  g_auto (OutreachTestRun) again = { 0 };
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *eml = g_build_filename (f->mail, "Spring", "000002-bo@example.org.eml", NULL);
  g_autofree char *id_text = NULL;
  JsonObject *job;
  gint64 id;

  id = create (f, "Spring", "--tag", "SPRING", NULL);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  outreach_test_run_cli (&run, NULL, "--db", f->db, "jobs", "run", id_text, NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.err, "completed: 2 sent"));
  g_assert_true (g_file_test (eml, G_FILE_TEST_IS_REGULAR));

  outreach_test_run_cli (&show, NULL, "--db", f->db, "jobs", "show", id_text, "--json", NULL);
  g_assert_cmpint (show.exit_status, ==, 0);
  node = json_from_string (show.out, NULL);
  job = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (job, "account"), ==, "Folder");
  g_assert_cmpint (json_object_get_int_member (job, "total"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (job, "sent"), ==, 2);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (job, "finished_at"), "Z"));
  g_assert_true (json_object_get_null_member (job, "error"));
  g_assert_cmpuint (strlen (json_object_get_string_member (job, "uuid")), ==, 36);

  outreach_test_run_cli (&list, NULL, "--db", f->db, "jobs", "list", "--json", "--status", "completed", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (list.out, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);

  /* a finished job is not run again: exit 3 with the reason */
  outreach_test_run_cli (&again, NULL, "--db", f->db, "jobs", "run", id_text, NULL);
  g_assert_cmpint (again.exit_status, ==, 3);
  g_assert_nonnull (strstr (again.err, "completed"));
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_auto (OutreachTestRun) run = { 0 };
  g_auto (OutreachTestRun) csv = { 0 };
  g_auto (OutreachTestRun) zip = { 0 };
  g_autofree char *csv_path = g_build_filename (f->dir, "results.csv", NULL);
  g_autofree char *zip_path = g_build_filename (f->dir, "results.zip", NULL);
  g_autofree char *contents = NULL;
  struct archive *reader;
  struct archive_entry *entry;
  guint emls = 0;
  gboolean has_csv = FALSE;

  create (f, "Export", NULL, NULL, NULL);
  sql (f, "INSERT INTO suppressions (address, reason, created_at) VALUES ('cy@example.org', 'bounced', 1)");
  outreach_test_run_cli (&run, NULL, "--db", f->db, "jobs", "run", "1", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);

  outreach_test_run_cli (&csv, NULL, "--db", f->db, "jobs", "export", "1", csv_path, NULL);
  g_assert_cmpint (csv.exit_status, ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "donor_id,address,state,attempts,provider_message_id,error,updated_at,"
                                             "created_at,first_attempt_at,sent_at\n"));
  g_assert_nonnull (strstr (contents, "\n1,ada@example.org,sent,1,"));
  /* suppressed after the job was created: skipped, with the reason */
  g_assert_nonnull (strstr (contents, "\n3,cy@example.org,skipped,0,,The address is on the suppression list (bounced),"));

  outreach_test_run_cli (&zip, NULL, "--db", f->db, "jobs", "export", "1", zip_path, NULL);
  g_assert_cmpint (zip.exit_status, ==, 0);
  reader = archive_read_new ();
  archive_read_support_format_zip (reader);
  g_assert_cmpint (archive_read_open_filename (reader, zip_path, 10240), ==, ARCHIVE_OK);
  while (archive_read_next_header (reader, &entry) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);
      if (g_str_equal (name, "results.csv"))
        has_csv = TRUE;
      else if (g_str_has_suffix (name, ".eml"))
        {
          char buf[8192];
          la_ssize_t n = archive_read_data (reader, buf, sizeof buf - 1);
          g_assert_cmpint (n, >, 0);
          buf[n] = '\0';
          g_assert_nonnull (strstr (buf, "Subject: Thank you, "));
          emls++;
        }
    }
  archive_read_free (reader);
  g_assert_true (has_csv);
  g_assert_cmpuint (emls, ==, 2);
}

static void
test_review (Fixture *f, gconstpointer data)
{
  g_auto (OutreachTestRun) first = { 0 };
  g_auto (OutreachTestRun) approve = { 0 };
  g_auto (OutreachTestRun) reject = { 0 };
  g_auto (OutreachTestRun) resume = { 0 };
  g_auto (OutreachTestRun) second = { 0 };
  g_auto (OutreachTestRun) usage = { 0 };

  create (f, "Reviewed", "--all", "--review", NULL);
  /* nothing approved: nothing goes, the job waits for review (exit 3, left paused) */
  outreach_test_run_cli (&first, NULL, "--db", f->db, "jobs", "run", "1", NULL);
  g_assert_cmpint (first.exit_status, ==, 3);
  g_assert_nonnull (strstr (first.err, "await review"));
  g_assert_false (g_file_test (f->mail, G_FILE_TEST_EXISTS));

  /* the draft can be read before it is approved */
  {
    g_auto (OutreachTestRun) draft = { 0 };
    outreach_test_run_cli (&draft, NULL, "--db", f->db, "jobs", "show", "1", "--recipient", "bo@example.org", NULL);
    g_assert_cmpint (draft.exit_status, ==, 0);
    g_assert_nonnull (strstr (draft.out, "To: Bo Diddley <bo@example.org>"));
    g_assert_nonnull (strstr (draft.out, "Subject: Thank you, Bo"));
    g_assert_nonnull (strstr (draft.out, "Dear Bo,\nthank you."));
  }
  outreach_test_run_cli (&usage, NULL, "--db", f->db, "jobs", "approve", "1", NULL);
  g_assert_cmpint (usage.exit_status, ==, 2);
  outreach_test_run_cli (&approve, NULL, "--db", f->db, "jobs", "approve", "1", "--recipient", "1",
                         "--recipient", "CY@example.org", NULL);
  g_assert_cmpint (approve.exit_status, ==, 0);
  g_assert_cmpstr (approve.out, ==, "2\n");
  outreach_test_run_cli (&reject, NULL, "--db", f->db, "jobs", "reject", "1", "--recipient", "bo@example.org", NULL);
  g_assert_cmpint (reject.exit_status, ==, 0);
  outreach_test_run_cli (&resume, NULL, "--db", f->db, "jobs", "resume", "1", NULL);
  g_assert_cmpint (resume.exit_status, ==, 0);
  outreach_test_run_cli (&second, NULL, "--db", f->db, "jobs", "run", "1", NULL);
  g_assert_cmpint (second.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT sent FROM jobs"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT rejected FROM jobs"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM jobs WHERE status = 'completed'"), ==, 1);
}

static void
test_run_due_priority_schedule_keep (Fixture *f, gconstpointer data)
{
  g_auto (OutreachTestRun) due = { 0 };
  g_auto (OutreachTestRun) settings = { 0 };
  g_auto (OutreachTestRun) read = { 0 };
  gint64 low, high, later;

  low = create (f, "Low", "--all", "--priority", "low");
  later = create (f, "Later", "--all", "--schedule", "2999-01-01T09:00:00Z");
  high = create (f, "High", "--all", "--priority", "high");
  outreach_test_run_cli (&settings, NULL, "--db", f->db, "settings", "parallel_jobs", "1", NULL);
  g_assert_cmpint (settings.exit_status, ==, 0);
  outreach_test_run_cli (&read, NULL, "--db", f->db, "settings", "parallel_jobs", NULL);
  g_assert_cmpstr (read.out, ==, "1\n");

  outreach_test_run_cli (&due, NULL, "--db", f->db, "jobs", "run-due", NULL);
  g_assert_cmpint (due.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM jobs WHERE status = 'completed'"), ==, 2);
  {
    g_autofree char *q = g_strdup_printf ("SELECT status = 'queued' FROM jobs WHERE id = %" G_GINT64_FORMAT, later);
    g_assert_cmpint (query_int (f, q), ==, 1);
  }
  /* high priority first, one at a time */
  {
    g_autofree char *q = g_strdup_printf ("SELECT (SELECT min (id) FROM job_events WHERE job_id = %" G_GINT64_FORMAT
                                          " AND kind = 'started') < (SELECT min (id) FROM job_events WHERE job_id = %"
                                          G_GINT64_FORMAT " AND kind = 'started')", high, low);
    g_assert_cmpint (query_int (f, q), ==, 1);
    g_free (q);
    q = g_strdup_printf ("SELECT (SELECT min (id) FROM job_events WHERE job_id = %" G_GINT64_FORMAT
                         " AND kind = 'completed') < (SELECT min (id) FROM job_events WHERE job_id = %"
                         G_GINT64_FORMAT " AND kind = 'started')", high, low);
    g_assert_cmpint (query_int (f, q), ==, 1);
  }

  /* history: --keep 1 purges the older finished job */
  {
    g_auto (OutreachTestRun) keep = { 0 };
    sql (f, "UPDATE jobs SET scheduled_at = NULL");
    outreach_test_run_cli (&keep, NULL, "--db", f->db, "jobs", "run-due", "--keep", "1", NULL);
    g_assert_cmpint (keep.exit_status, ==, 0);
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM jobs"), ==, 1);
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM job_recipients WHERE job_id NOT IN (SELECT id FROM jobs)"), ==, 0);
  }
}

static void
test_control_and_lease (Fixture *f, gconstpointer data)
{
  g_auto (OutreachTestRun) pause = { 0 };
  g_auto (OutreachTestRun) held = { 0 };
  g_auto (OutreachTestRun) del = { 0 };
  g_auto (OutreachTestRun) cancel = { 0 };
  g_auto (OutreachTestRun) retry = { 0 };
  g_auto (OutreachTestRun) del2 = { 0 };
  g_auto (OutreachTestRun) bad = { 0 };
  g_autofree char *lease = g_strdup_printf ("UPDATE jobs SET status = 'running', lease_owner = '%s:%d',"
                                            " lease_expires = 0", g_get_host_name (), (int) getppid ());

  create (f, "Held", NULL, NULL, NULL);
  outreach_test_run_cli (&pause, NULL, "--db", f->db, "jobs", "pause", "1", NULL);
  g_assert_cmpint (pause.exit_status, ==, 0);

  /* a live process holds the lease: refused, naming it */
  sql (f, lease);
  outreach_test_run_cli (&held, NULL, "--db", f->db, "jobs", "run", "1", NULL);
  g_assert_cmpint (held.exit_status, ==, 3);
  g_assert_nonnull (strstr (held.err, g_get_host_name ()));
  outreach_test_run_cli (&del, NULL, "--db", f->db, "jobs", "delete", "1", NULL);
  g_assert_cmpint (del.exit_status, ==, 3);

  outreach_test_run_cli (&cancel, NULL, "--db", f->db, "jobs", "cancel", "1", NULL);
  g_assert_cmpint (cancel.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT cancelled FROM jobs"), ==, 3);
  outreach_test_run_cli (&retry, NULL, "--db", f->db, "jobs", "retry", "1", "--all", NULL);
  g_assert_cmpint (retry.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT pending FROM jobs WHERE status = 'queued'"), ==, 3);
  outreach_test_run_cli (&del2, NULL, "--db", f->db, "jobs", "delete", "1", NULL);
  g_assert_cmpint (del2.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM job_recipients"), ==, 0);

  outreach_test_run_cli (&bad, NULL, "--db", f->db, "jobs", "pause", "nope", NULL);
  g_assert_cmpint (bad.exit_status, ==, 2);
}

static void
test_accounts (Fixture *f, gconstpointer data)
{
  g_auto (OutreachTestRun) add = { 0 };
  g_auto (OutreachTestRun) list = { 0 };
  g_auto (OutreachTestRun) secret_in_argv = { 0 };
  g_auto (OutreachTestRun) insecure = { 0 };
  g_auto (OutreachTestRun) test = { 0 };
  g_auto (OutreachTestRun) remove = { 0 };
  g_auto (OutreachTestRun) folder_test = { 0 };

  outreach_test_run_cli (&add, NULL, "--db", f->db, "accounts", "add", "Hook", "--provider", "webhook",
                         "--set", "url=http://127.0.0.1:9/hook", "--set", "rate=5", "--set", "concurrency=8", NULL);
  g_assert_cmpint (add.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT concurrency FROM accounts WHERE name = 'Hook'"), ==, 8);
  g_assert_cmpint (query_int (f, "SELECT rate FROM accounts WHERE name = 'Hook'"), ==, 5);
  outreach_test_run_cli (&list, NULL, "--db", f->db, "accounts", "list", NULL);
  g_assert_nonnull (strstr (list.out, "Hook"));
  g_assert_nonnull (strstr (list.out, "Folder"));

  /* a secret on the command line is refused */
  outreach_test_run_cli (&secret_in_argv, NULL, "--db", f->db, "accounts", "add", "Grid", "--provider", "sendgrid",
                         "--set", "api_key=SG.nope", NULL);
  g_assert_cmpint (secret_in_argv.exit_status, ==, 2);
  g_assert_null (strstr (secret_in_argv.err, "SG.nope"));
  /* plain http only to this computer */
  outreach_test_run_cli (&insecure, NULL, "--db", f->db, "accounts", "add", "Far", "--provider", "webhook",
                         "--set", "url=http://hooks.example.org/x", NULL);
  g_assert_cmpint (insecure.exit_status, ==, 3);
  g_assert_nonnull (strstr (insecure.err, "https"));

  /* nothing listens on port 9: a clear failure */
  outreach_test_run_cli (&test, NULL, "--db", f->db, "accounts", "test", "Hook", NULL);
  g_assert_cmpint (test.exit_status, ==, 3);
  g_assert_nonnull (strstr (test.err, "Hook"));
  outreach_test_run_cli (&folder_test, NULL, "--db", f->db, "accounts", "test", "Folder", NULL);
  g_assert_cmpint (folder_test.exit_status, ==, 0);

  outreach_test_run_cli (&remove, NULL, "--db", f->db, "accounts", "remove", "Hook", NULL);
  g_assert_cmpint (remove.exit_status, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM accounts WHERE name = 'Hook'"), ==, 0);
}

/* A webhook job with one permanent failure: exit 1. */
static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gboolean bo = g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "bo@example.org") != NULL;

  soup_server_message_set_status (msg, bo ? 422 : 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static void
test_exit_one_with_failures (Fixture *f, gconstpointer data)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *url = NULL;
  g_autofree char *account = NULL;
  gboolean done = FALSE;
  GSList *uris;

  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  account = g_strdup_printf ("INSERT INTO accounts (name, kind, settings, created_at, updated_at)"
                             " VALUES ('Hook', 'webhook', json_object ('url', '%s'), 1, 1)", url);
  sql (f, account);
  {
    g_auto (OutreachTestRun) run = { 0 };
    outreach_test_run_cli (&run, NULL, "--db", f->db, "jobs", "create", "--name", "Hooked", "--account", "Hook",
                           "--all", "--subject", "Hi", "--text", f->text, NULL);
    g_assert_cmpint (run.exit_status, ==, 0);
  }
  {
    const char *argv[] = { outreach_test_binary (), "--db", f->db, "jobs", "run", "1", NULL };
    process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
    g_assert_no_error (error);
  }
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT failed FROM jobs"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT sent FROM jobs"), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/outreach/cli-jobs/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("create-run-show", test_create_run_show);
  ADD ("export", test_export);
  ADD ("review", test_review);
  ADD ("run-due-priority-schedule-keep", test_run_due_priority_schedule_keep);
  ADD ("control-and-lease", test_control_and_lease);
  ADD ("accounts", test_accounts);
  ADD ("exit-one-with-failures", test_exit_one_with_failures);
#undef ADD

  return g_test_run ();
}
