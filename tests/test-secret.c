/* test-secret.c — credentials: environment first, else a real
 * gnome-keyring-daemon on a private D-Bus; never prompting; never in the
 * database, a log, argv or an error message
 *
 * The program re-runs itself under its own `dbus-run-session`, so the
 * keyring daemon it starts goes away with that bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <string.h>

#include "outreach-secret.h"
#include "outreach-store.h"
#include "outreach-test-util.h"

#define TEST_SECRET "sk-test-7f3a9c2e51d84b6f"

static char *keyring_dir;

static void
test_env_wins_without_keyring (void)
{
  const char *keys[] = { "api_key", NULL };
  const char *two[] = { "password", "signing_key", NULL };
  g_autofree char *bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr (GHashTable) secrets = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = outreach_secret_env_name ("Main shop", "api_key");

  g_assert_cmpstr (name, ==, "OUTREACH_SECRET_MAIN_SHOP_API_KEY");
  /* no bus at all: touching libsecret would fail */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/outreach-test-bus", TRUE);
  g_setenv ("OUTREACH_SECRET_MAIN_SHOP", TEST_SECRET, TRUE);
  secrets = outreach_secret_lookup_all ("Main shop", keys, keys, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (secrets, "api_key"), ==, TEST_SECRET);
  g_clear_pointer (&secrets, g_hash_table_unref);

  /* two secrets: only the _KEY form counts; the missing one needs the keyring */
  g_setenv ("OUTREACH_SECRET_MAIN_SHOP_PASSWORD", "pw-from-env", TRUE);
  secrets = outreach_secret_lookup_all ("Main shop", two, (const char *const []) { "password", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (secrets, "password"), ==, "pw-from-env");
  g_assert_false (g_hash_table_contains (secrets, "signing_key"));
  g_clear_pointer (&secrets, g_hash_table_unref);
  secrets = outreach_secret_lookup_all ("Main shop", two, two, &error);
  g_assert_null (secrets);
  g_assert_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_NO_KEYRING);
  g_assert_null (strstr (error->message, TEST_SECRET));

  g_unsetenv ("OUTREACH_SECRET_MAIN_SHOP");
  g_unsetenv ("OUTREACH_SECRET_MAIN_SHOP_PASSWORD");
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
}

static void
test_keyring_store_lookup_and_locked (void)
{
  const char *keys[] = { "api_key", NULL };
  g_autoptr (GHashTable) secrets = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SecretService) service = NULL;
  g_autoptr (SecretCollection) collection = NULL;
  GList *objects;

  g_assert_true (outreach_secret_store ("Keyring test", "api_key", TEST_SECRET, &error));
  g_assert_no_error (error);
  secrets = outreach_secret_lookup_all ("Keyring test", keys, keys, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (secrets, "api_key"), ==, TEST_SECRET);
  g_clear_pointer (&secrets, g_hash_table_unref);

  secrets = outreach_secret_lookup_all ("Nobody", keys, keys, &error);
  g_assert_null (secrets);
  g_assert_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_MISSING);
  g_clear_error (&error);

  /* a locked keyring is an error at once, never a prompt */
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);

  secrets = outreach_secret_lookup_all ("Keyring test", keys, keys, &error);
  g_assert_null (secrets);
  g_assert_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "OUTREACH_SECRET_KEYRING_TEST_API_KEY"));
  g_clear_error (&error);
  g_assert_false (outreach_secret_store ("Keyring test", "api_key", "other", &error));
  g_assert_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_LOCKED);
  g_clear_error (&error);
}

/* ---- the secret never leaks: DB file, log, stderr ---- */

static guint requests;
static char *seen_auth;

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  requests++;
  g_free (seen_auth);
  seen_auth = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"));
  /* refuse: the job fails and logs the exchange */
  soup_server_message_set_status (msg, 401, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"errors\":[{\"field\":null,\"message\":\"The provided authorization grant is invalid, expired, or revoked\"}]}", 101);
}

static GBytes *run_stderr;

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, NULL, &run_stderr, &error);
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static void
test_secret_never_leaks (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "outreach.db", NULL);
  g_autofree char *wal = g_build_filename (dir, "outreach.db-wal", NULL);
  g_autofree char *text = g_build_filename (dir, "text.txt", NULL);
  g_autofree char *set_url = NULL;
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GSubprocess) run = NULL;
  g_auto (OutreachTestRun) add = { 0 };
  g_auto (OutreachTestRun) create = { 0 };
  g_auto (OutreachTestRun) show = { 0 };
  g_auto (OutreachTestRun) lookup = { 0 };
  g_autofree char *run_err = NULL;
  g_autofree char *url = NULL;
  const char *env[] = { "MY_SENDGRID_KEY=" TEST_SECRET, NULL };
  GSList *uris;
  gboolean done = FALSE;
  g_autoptr (GBytes) stderr_bytes = NULL;

  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  set_url = g_strdup_printf ("base_url=%s", url);

  /* the secret comes from an environment variable into the keyring, never argv */
  outreach_test_run_cli (&add, env, "--db", db, "accounts", "add", "Grid", "--provider", "sendgrid",
                         "--set", "from=office@example.org", "--set", set_url, "--secret-env", "api_key=MY_SENDGRID_KEY", NULL);
  g_assert_cmpint (add.exit_status, ==, 0);
  {
    const char *argv[] = { "secret-tool", "lookup", "account", "Grid", "key", "api_key", NULL };
    outreach_test_run_argv (&lookup, NULL, argv);
    g_assert_cmpstr (lookup.out, ==, TEST_SECRET);
  }

  g_assert_true (g_file_set_contents (text, "Dear {{first_name}}", -1, NULL));
  {
    g_autoptr (OutreachStore) store = outreach_store_open (db, &error);
    g_assert_no_error (error);
    outreach_store_exec (store, "INSERT INTO donors (first_name, email, created_at, updated_at)"
                                " VALUES ('Ada', 'ada@example.org', 1, 1), ('Bo', 'bo@example.org', 1, 1),"
                                " ('Cy', 'cy@example.org', 1, 1), ('Di', 'di@example.org', 1, 1)", &error);
    g_assert_no_error (error);
  }
  outreach_test_run_cli (&create, NULL, "--db", db, "jobs", "create", "--name", "Leak test", "--account", "Grid",
                         "--all", "--subject", "Hi", "--text", text, NULL);
  g_assert_cmpint (create.exit_status, ==, 0);

  /* the job runs with the keyring's secret and is refused: it fails and logs the exchange */
  {
    const char *argv[] = { outreach_test_binary (), "--db", db, "jobs", "run", "1", NULL };
    run = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_async (run, NULL, NULL, wait_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    g_subprocess_wait (run, NULL, NULL);
    stderr_bytes = g_steal_pointer (&run_stderr);
  }
  g_assert_cmpint (g_subprocess_get_exit_status (run), ==, 3);
  g_assert_cmpuint (requests, >=, 1);
  g_assert_cmpstr (seen_auth, ==, "Bearer " TEST_SECRET);

  outreach_test_run_cli (&show, NULL, "--db", db, "jobs", "show", "1", NULL);
  g_assert_nonnull (strstr (show.out, "refused the credentials"));

  /* nowhere: not the database (file and WAL), not the log, not stderr, not argv */
  g_assert_false (outreach_test_file_contains (db, TEST_SECRET));
  g_assert_false (outreach_test_file_contains (wal, TEST_SECRET));
  g_assert_true (outreach_test_file_contains (db, "Authorization: [redacted]") || outreach_test_file_contains (wal, "Authorization: [redacted]"));
  g_assert_null (strstr (show.out, TEST_SECRET));
  g_assert_null (strstr (add.err, TEST_SECRET));
  run_err = g_strndup (g_bytes_get_data (stderr_bytes, NULL), g_bytes_get_size (stderr_bytes));
  g_assert_null (strstr (run_err, TEST_SECRET));

  outreach_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  int status;

  /* a private session bus of our own, so the keyring daemon dies with it */
  outreach_test_run_on_private_bus (argc, argv);

  g_test_init (&argc, &argv, NULL);
  keyring_dir = outreach_test_make_tmp_dir ();

  g_test_add_func ("/outreach/secret/env-wins-without-keyring", test_env_wins_without_keyring);
  /* (the environment test points D-Bus nowhere, so the keyring cannot help it) */
  outreach_test_start_keyring (keyring_dir);
  g_test_add_func ("/outreach/secret/never-leaks", test_secret_never_leaks);
  g_test_add_func ("/outreach/secret/keyring-store-lookup-and-locked", test_keyring_store_lookup_and_locked);
  status = g_test_run ();
  outreach_test_remove_tree (keyring_dir);
  return status;
}
