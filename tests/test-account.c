/* test-account.c — accounts: the fields each provider needs, the checks
 * with errors naming the field, saving (secrets only in a real
 * gnome-keyring-daemon on a private D-Bus, never in the database),
 * editing, renaming, removing, and the connection test against a loopback
 * SoupServer speaking SendGrid's API
 *
 * The program re-runs itself under its own `dbus-run-session`, so the
 * keyring daemon it starts goes away with that bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "outreach-account.h"
#include "outreach-provider.h"
#include "outreach-secret.h"
#include "outreach-test-util.h"

#define TEST_SECRET "SG.account-test-5e0c71d9a2"
#define OTHER_SECRET "SG.account-test-replaced-88b1"

static char *keyring_dir;

/* The message of the check of @key, or NULL when it passes. */
static char *
field_error (OutreachAccount *account,
             const char      *key)
{
  g_autoptr (GError) error = NULL;

  if (outreach_account_validate_field (account, key, &error))
    return NULL;
  g_assert_true (error->domain == OUTREACH_ACCOUNT_ERROR);
  /* an empty needed field is told apart from a wrong value */
  g_assert_cmpint (error->code, ==, strstr (error->message, "required") != NULL ? OUTREACH_ACCOUNT_ERROR_REQUIRED
                                                                                : OUTREACH_ACCOUNT_ERROR_INVALID);
  return g_strdup (error->message);
}

#define assert_field_error(account, key, expected)          \
  G_STMT_START {                                            \
    g_autofree char *m_ = field_error (account, key);       \
    g_assert_cmpstr (m_, ==, expected);                     \
  } G_STMT_END

static void
save_ok (OutreachAccount *account,
         OutreachStore   *store)
{
  g_autoptr (GError) error = NULL;
  gboolean saved = outreach_account_save (account, store, OUTREACH_ACCOUNT_SAVE_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (saved);
}

static void
test_fields_match_providers (void)
{
  const char *const *kinds = outreach_provider_kinds ();

  for (guint k = 0; kinds[k] != NULL; k++)
    {
      const char *const *secret_keys = outreach_provider_kind_secret_keys (kinds[k]);
      guint n_fields = 0, n_secrets = 0;
      const OutreachAccountField *fields = outreach_account_kind_get_fields (kinds[k], &n_fields);

      g_test_message ("%s", kinds[k]);
      g_assert_nonnull (fields);
      g_assert_cmpstr (outreach_account_kind_get_label (kinds[k]), !=, kinds[k]);
      for (guint i = 0; i < n_fields; i++)
        {
          gboolean secret = (fields[i].flags & OUTREACH_ACCOUNT_FIELD_SECRET) != 0;

          /* secret exactly when the provider says so */
          g_assert_cmpint (secret, ==, g_strv_contains (secret_keys, fields[i].key));
          /* and every other field is a setting the provider takes */
          if (!secret)
            {
              g_autoptr (JsonObject) settings = json_object_new ();
              g_autoptr (OutreachProvider) provider = NULL;
              g_autoptr (GError) error = NULL;

              json_object_set_string_member (settings, fields[i].key, "x");
              provider = outreach_provider_new (kinds[k], "Probe", settings, NULL, &error);
              g_assert_true (provider != NULL || strstr (error->message, "unknown setting") == NULL);
            }
          n_secrets += secret;
          g_assert_nonnull (outreach_account_field_get_label (&fields[i]));
        }
      /* every secret the provider reads has a field */
      g_assert_cmpuint (n_secrets, ==, g_strv_length ((char **) secret_keys));
    }
}

static void
test_validation (void)
{
  g_autoptr (OutreachAccount) hook = outreach_account_new ("webhook");
  g_autoptr (OutreachAccount) gun = outreach_account_new ("mailgun");
  g_autoptr (OutreachAccount) sms = outreach_account_new ("twilio");
  g_autoptr (OutreachAccount) ses = outreach_account_new ("ses");
  g_autoptr (OutreachAccount) folder = outreach_account_new ("folder");
  g_autoptr (OutreachAccount) grid = outreach_account_new ("sendgrid");
  g_autoptr (GError) error = NULL;

  /* the name */
  g_assert_false (outreach_account_validate_name (hook, &error));
  g_assert_cmpstr (error->message, ==, "A name is required, e.g. Main or Newsletter");
  g_clear_error (&error);
  outreach_account_set_name (hook, " Relay");
  g_assert_false (outreach_account_validate_name (hook, &error));
  g_assert_cmpstr (error->message, ==, "The name must not start or end with a space");
  g_clear_error (&error);
  outreach_account_set_name (hook, "Relay");
  g_assert_true (outreach_account_validate_name (hook, NULL));

  /* URLs: http(s) only, plain http only to this computer */
  assert_field_error (hook, "url", "Webhook URL is required");
  outreach_account_set_value (hook, "url", "ftp://hooks.example.org/x");
  assert_field_error (hook, "url", "Webhook URL must be a web address starting with https://, not “ftp://hooks.example.org/x”");
  outreach_account_set_value (hook, "url", "hooks.example.org");
  assert_field_error (hook, "url", "Webhook URL must be a web address starting with https://, not “hooks.example.org”");
  outreach_account_set_value (hook, "url", "http://hooks.example.org/x");
  assert_field_error (hook, "url", "Webhook URL uses plain http:// to hooks.example.org; use https:// "
                                   "(plain http is allowed only to this computer)");
  outreach_account_set_value (hook, "url", "http://127.0.0.1:8080/x");
  assert_field_error (hook, "url", NULL);
  outreach_account_set_value (hook, "url", "https://hooks.example.org/x");
  assert_field_error (hook, "url", NULL);

  /* Basic authentication takes a password with the user name */
  assert_field_error (hook, "password", NULL);
  outreach_account_set_value (hook, "username", "outreach");
  assert_field_error (hook, "password", "Password is required with a user name");
  outreach_account_set_secret (hook, "password", "hunter2");
  assert_field_error (hook, "password", NULL);
  outreach_account_set_secret (hook, "signing_key", "two\nlines");
  assert_field_error (hook, "signing_key", "Signing key must be a single line");
  outreach_account_set_secret (hook, "signing_key", NULL);

  /* e-mail addresses, single lines */
  outreach_account_set_value (hook, "from", "not an address");
  assert_field_error (hook, "from", "Sender address must be an e-mail address such as name@example.org, not “not an address”");
  /* the rule donors' addresses are read by (no "..", a domain with a dot) */
  outreach_account_set_value (hook, "from", "office..desk@example.org");
  assert_field_error (hook, "from", "Sender address must be an e-mail address such as name@example.org, not “office..desk@example.org”");
  outreach_account_set_value (hook, "from", "office@example.org");
  assert_field_error (hook, "from", NULL);
  outreach_account_set_value (hook, "from_name", "Friends\r\nBcc: all@example.org");
  assert_field_error (hook, "from_name", "Sender name must be a single line");
  outreach_account_set_value (hook, "from_name", "Friends of the River");
  outreach_account_set_value (hook, "reply_to", "office@");
  assert_field_error (hook, "reply_to", "Reply-to address must be an e-mail address such as name@example.org, not “office@”");
  outreach_account_set_value (hook, "reply_to", NULL);

  /* limits */
  outreach_account_set_value (hook, "rate", "-1");
  assert_field_error (hook, "rate", "Messages per second must be a number of messages per second, 0 or more, not “-1”");
  outreach_account_set_value (hook, "rate", "2.5");
  assert_field_error (hook, "rate", NULL);
  outreach_account_set_value (hook, "concurrency", "300");
  assert_field_error (hook, "concurrency", "Requests at the same time must be a whole number from 1 to 256, not “300”");
  outreach_account_set_value (hook, "concurrency", "8");
  outreach_account_set_value (hook, "retry_ambiguous", "maybe");
  assert_field_error (hook, "retry_ambiguous", "Resend after an unclear error must be yes or no, not “maybe”");
  outreach_account_set_value (hook, "retry_ambiguous", "yes");
  g_assert_true (outreach_account_validate (hook, NULL));

  /* a setting the kind does not have */
  outreach_account_set_value (hook, "colour", "red");
  g_assert_false (outreach_account_validate (hook, &error));
  g_assert_cmpstr (error->message, ==, "A Webhook account has no setting “colour”; its own settings are: url, username");
  g_clear_error (&error);

  /* required fields, choices; the first problem in the form's order */
  outreach_account_set_name (gun, "Gun");
  assert_field_error (gun, "domain", "Sending domain is required");
  assert_field_error (gun, "api_key", "API key is required");
  assert_field_error (gun, "from", "Sender address is required");
  g_assert_false (outreach_account_validate (gun, &error));
  g_assert_cmpstr (error->message, ==, "Sending domain is required");
  g_clear_error (&error);
  outreach_account_set_value (gun, "region", "mars");
  assert_field_error (gun, "region", "Region must be one of us, eu, not “mars”");
  outreach_account_set_value (gun, "region", "eu");
  assert_field_error (gun, "region", NULL);

  /* SMS: an E.164 number or a messaging service */
  outreach_account_set_name (sms, "Texts");
  assert_field_error (sms, "from_number", "A sender number or a messaging service SID is required");
  outreach_account_set_value (sms, "from_number", "555 1234");
  assert_field_error (sms, "from_number", "Sender number must be a phone number in international form such as "
                                          "+15558675310, not “555 1234”");
  outreach_account_set_value (sms, "from_number", NULL);
  outreach_account_set_value (sms, "messaging_service_sid", "MG123");
  assert_field_error (sms, "from_number", NULL);

  outreach_account_set_value (ses, "region", "eu west 1");
  assert_field_error (ses, "region", "AWS region must be an AWS region such as eu-west-1, not “eu west 1”");
  outreach_account_set_value (folder, "path", "Outbox");
  assert_field_error (folder, "path", "Folder must be a full folder path such as /home/you/Outbox, not “Outbox”");

  /* a secret in the environment counts as given */
  outreach_account_set_name (grid, "Env grid");
  assert_field_error (grid, "api_key", "API key is required");
  g_setenv ("OUTREACH_SECRET_ENV_GRID", "from-env", TRUE);
  assert_field_error (grid, "api_key", NULL);
  g_unsetenv ("OUTREACH_SECRET_ENV_GRID");
}

static void
test_save_edit_remove (void)
{
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "outreach.db", NULL);
  g_autofree char *wal = g_build_filename (dir, "outreach.db-wal", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (db, &error);
  g_autoptr (OutreachAccount) account = outreach_account_new ("sendgrid");
  g_autoptr (OutreachAccount) loaded = NULL;
  g_autoptr (OutreachAccount) again = NULL;
  g_autoptr (OutreachAccount) twin = NULL;
  g_autofree char *value = NULL, *moved = NULL, *old = NULL, *replaced = NULL;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  outreach_account_set_name (account, "Grid");
  outreach_account_set_value (account, "from", "office@example.org");
  outreach_account_set_value (account, "rate", "10");
  outreach_account_set_secret (account, "api_key", TEST_SECRET);
  save_ok (account, store);
  g_assert_cmpint (outreach_account_get_id (account), >, 1);

  /* the secret is in the keyring, and only there */
  value = outreach_test_keyring_value ("Grid", "api_key");
  g_assert_cmpstr (value, ==, TEST_SECRET);
  g_assert_false (outreach_test_file_contains (db, TEST_SECRET));
  g_assert_false (outreach_test_file_contains (wal, TEST_SECRET));
  stmt = outreach_store_prepare (store, "SELECT settings, rate FROM accounts WHERE name = 'Grid'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                   "{\"from\":\"office@example.org\",\"secret_keys\":[\"api_key\"]}");
  g_assert_cmpfloat (sqlite3_column_double (stmt, 1), ==, 10);
  sqlite3_reset (stmt);

  /* another new account may not take the name; `accounts add` may replace it */
  twin = outreach_account_new ("webhook");
  outreach_account_set_name (twin, "grid");
  outreach_account_set_value (twin, "url", "https://hooks.example.org/x");
  g_assert_false (outreach_account_save (twin, store, OUTREACH_ACCOUNT_SAVE_DEFAULT, &error));
  g_assert_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "There is already an account named “grid”; choose another name");
  g_clear_error (&error);

  /* editing keeps the stored secret unless a new one is typed */
  loaded = outreach_account_load (store, "GRID", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (outreach_account_get_name (loaded), ==, "Grid");
  g_assert_cmpstr (outreach_account_get_value (loaded, "from"), ==, "office@example.org");
  g_assert_cmpstr (outreach_account_get_value (loaded, "rate"), ==, "10");
  g_assert_cmpstr (outreach_account_get_value (loaded, "concurrency"), ==, "4");
  g_assert_true (outreach_account_has_stored_secret (loaded, "api_key"));
  outreach_account_set_value (loaded, "from_name", "Friends of the River");
  save_ok (loaded, store);
  g_clear_pointer (&value, g_free);
  value = outreach_test_keyring_value ("Grid", "api_key");
  g_assert_cmpstr (value, ==, TEST_SECRET);

  /* a rename takes the keyring entries along */
  outreach_account_set_name (loaded, "Main grid");
  save_ok (loaded, store);
  moved = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_cmpstr (moved, ==, TEST_SECRET);
  old = outreach_test_keyring_value ("Grid", "api_key");
  g_assert_null (old);

  /* a typed secret replaces the stored one */
  again = outreach_account_load (store, "Main grid", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (outreach_account_get_value (again, "from_name"), ==, "Friends of the River");
  outreach_account_set_secret (again, "api_key", OTHER_SECRET);
  save_ok (again, store);
  replaced = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_cmpstr (replaced, ==, OTHER_SECRET);
  g_assert_false (outreach_test_file_contains (db, OTHER_SECRET));
  g_assert_false (outreach_test_file_contains (wal, OTHER_SECRET));

  /* removing takes the secrets too */
  g_assert_cmpint (outreach_account_count_jobs (store, "Main grid"), ==, 0);
  g_assert_true (outreach_account_remove (store, "Main grid", &error));
  g_assert_no_error (error);
  g_clear_pointer (&replaced, g_free);
  replaced = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_null (replaced);
  g_assert_null (outreach_account_load (store, "Main grid", &error));
  g_assert_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (outreach_account_remove (store, "Main grid", &error));
  g_assert_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_NOT_FOUND);

  outreach_test_remove_tree (dir);
}

/* ---- the connection test against a SendGrid of our own ---- */

static char *seen_auth;
static char *seen_path;
static guint answer_status;

static void
sendgrid_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  g_free (seen_auth);
  g_free (seen_path);
  seen_auth = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"));
  seen_path = g_strdup (path);
  soup_server_message_set_status (msg, answer_status, NULL);
  const char *body = answer_status == 200 ? "{\"scopes\":[\"mail.send\"]}"
                                          : "{\"errors\":[{\"field\":null,\"message\":\"authorization required\"}]}";

  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr (GError) error = NULL;
  OutreachAccountTestResult **out = data;

  *out = outreach_account_test_finish (OUTREACH_ACCOUNT (source), result, &error);
  g_assert_no_error (error);
}

static OutreachAccountTestResult *
run_test (OutreachAccount *account)
{
  OutreachAccountTestResult *result = NULL;

  outreach_account_test_async (account, NULL, tested_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

static void
test_connection (void)
{
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "outreach.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (db, &error);
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (OutreachAccount) account = outreach_account_new ("sendgrid");
  g_autoptr (OutreachAccount) loaded = NULL;
  g_autoptr (OutreachAccount) folder = NULL;
  g_autoptr (OutreachAccountTestResult) unsaved = NULL;
  g_autoptr (OutreachAccountTestResult) saved = NULL;
  g_autoptr (OutreachAccountTestResult) refused = NULL;
  g_autoptr (OutreachAccountTestResult) local = NULL;
  g_autofree char *url = NULL, *text = NULL;
  GSList *uris;

  g_assert_no_error (error);
  soup_server_add_handler (server, NULL, sendgrid_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* before saving: the typed secret */
  outreach_account_set_name (account, "Tested");
  outreach_account_set_value (account, "from", "office@example.org");
  outreach_account_set_value (account, "base_url", url);
  outreach_account_set_secret (account, "api_key", TEST_SECRET);
  answer_status = 200;
  unsaved = run_test (account);
  g_assert_cmpint (unsaved->outcome, ==, OUTREACH_ACCOUNT_TEST_ACCEPTED);
  g_assert_cmpstr (seen_auth, ==, "Bearer " TEST_SECRET);
  g_assert_cmpstr (seen_path, ==, "/v3/scopes");
  text = outreach_account_test_result_describe (unsaved);
  g_assert_cmpstr (text, ==, "The provider accepted the credentials (HTTP 200)");
  g_assert_true (outreach_account_test_result_ok (unsaved));

  /* saved: the secret comes from the keyring */
  save_ok (account, store);
  g_clear_pointer (&seen_auth, g_free);
  loaded = outreach_account_load (store, "Tested", &error);
  g_assert_no_error (error);
  saved = run_test (loaded);
  g_assert_cmpint (saved->outcome, ==, OUTREACH_ACCOUNT_TEST_ACCEPTED);
  g_assert_cmpstr (seen_auth, ==, "Bearer " TEST_SECRET);

  /* refused: the provider's own words */
  answer_status = 401;
  refused = run_test (loaded);
  g_assert_cmpint (refused->outcome, ==, OUTREACH_ACCOUNT_TEST_REFUSED);
  g_assert_cmpuint (refused->http_status, ==, 401);
  g_assert_nonnull (strstr (refused->detail, "authorization required"));
  g_assert_false (outreach_account_test_result_ok (refused));

  folder = outreach_account_load (store, "Folder", &error);
  g_assert_no_error (error);
  local = run_test (folder);
  g_assert_cmpint (local->outcome, ==, OUTREACH_ACCOUNT_TEST_LOCAL);

  outreach_test_remove_tree (dir);
}

/* `outreach accounts add|edit|remove` go through the same checks and storage */
static void
test_cli (void)
{
  g_autofree char *dir = outreach_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "outreach.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (OutreachAccount) edited = NULL;
  g_auto (OutreachTestRun) add = { 0 };
  g_auto (OutreachTestRun) bad = { 0 };
  g_auto (OutreachTestRun) edit = { 0 };
  g_auto (OutreachTestRun) missing = { 0 };
  g_auto (OutreachTestRun) remove = { 0 };
  g_autofree char *moved = NULL, *gone = NULL;
  const char *env[] = { "GRID_KEY=" TEST_SECRET, NULL };

  outreach_test_run_cli (&add, env, "--db", db, "accounts", "add", "Cli grid", "--provider", "sendgrid",
                         "--set", "from=office@example.org", "--secret-env", "api_key=GRID_KEY", NULL);
  g_assert_cmpint (add.exit_status, ==, 0);

  /* a bad value names the setting and changes nothing */
  outreach_test_run_cli (&bad, NULL, "--db", db, "accounts", "edit", "Cli grid", "--set", "reply_to=nobody", NULL);
  g_assert_cmpint (bad.exit_status, ==, 3);
  g_assert_nonnull (strstr (bad.err, "setting “reply_to”: Reply-to address must be an e-mail address"));

  outreach_test_run_cli (&edit, NULL, "--db", db, "accounts", "edit", "Cli grid", "--name", "Renamed grid",
                         "--set", "from_name=Friends", "--unset", "from", "--set", "from=post@example.org", NULL);
  g_assert_cmpstr (edit.err, ==, "");
  g_assert_cmpint (edit.exit_status, ==, 0);
  store = outreach_store_open (db, &error);
  g_assert_no_error (error);
  edited = outreach_account_load (store, "Renamed grid", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (outreach_account_get_value (edited, "from_name"), ==, "Friends");
  g_assert_cmpstr (outreach_account_get_value (edited, "from"), ==, "post@example.org");
  g_assert_true (outreach_account_has_stored_secret (edited, "api_key"));
  moved = outreach_test_keyring_value ("Renamed grid", "api_key");
  g_assert_cmpstr (moved, ==, TEST_SECRET);
  gone = outreach_test_keyring_value ("Cli grid", "api_key");
  g_assert_null (gone);

  outreach_test_run_cli (&missing, NULL, "--db", db, "accounts", "edit", "Nobody", NULL);
  g_assert_cmpint (missing.exit_status, ==, 3);
  g_assert_nonnull (strstr (missing.err, "There is no account “Nobody”"));

  outreach_test_run_cli (&remove, NULL, "--db", db, "accounts", "remove", "Renamed grid", NULL);
  g_assert_cmpint (remove.exit_status, ==, 0);
  g_clear_pointer (&moved, g_free);
  moved = outreach_test_keyring_value ("Renamed grid", "api_key");
  g_assert_null (moved);

  outreach_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* a private session bus of our own, so the keyring daemon dies with it */
  outreach_test_run_on_private_bus (argc, argv);

  g_test_init (&argc, &argv, NULL);
  keyring_dir = outreach_test_make_tmp_dir ();
  outreach_test_start_keyring (keyring_dir);

  g_test_add_func ("/outreach/account/fields-match-providers", test_fields_match_providers);
  g_test_add_func ("/outreach/account/validation", test_validation);
  g_test_add_func ("/outreach/account/save-edit-remove", test_save_edit_remove);
  g_test_add_func ("/outreach/account/test-connection", test_connection);
  g_test_add_func ("/outreach/account/cli", test_cli);
  status = g_test_run ();
  outreach_test_remove_tree (keyring_dir);
  g_free (seen_auth);
  g_free (seen_path);
  return status;
}
