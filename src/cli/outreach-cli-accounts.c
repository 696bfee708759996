/* outreach-cli-accounts.c — `outreach accounts add|list|remove|test`
 *
 * Secrets never pass through argv: --secret-env names an environment
 * variable whose value goes to the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>

#include "outreach-provider.h"
#include "outreach-secret.h"

static int
accounts_add (OutreachCli *cli, int argc, char **argv)
{
  g_autofree char *kind = NULL;
  g_auto (GStrv) sets = NULL;
  g_auto (GStrv) secret_envs = NULL;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &kind, N_("folder, webhook, mailgun, sendgrid, postmark, ses, jmap or twilio"), N_("KIND") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("A setting"), N_("KEY=VALUE") },
    { "secret-env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &secret_envs, N_("Store the value of environment variable VAR as secret KEY in the keyring"), N_("[KEY=]VAR") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) settings = json_object_new ();
  g_autoptr (GHashTable) secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (OutreachProvider) provider = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *settings_json = NULL;
  g_autoptr (JsonArray) keyring_keys = json_array_new ();
  double rate = 0;
  int concurrency = 4, retry_ambiguous = 0;
  const char *const *kind_keys;
  sqlite3_stmt *stmt;
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || kind == NULL)
    {
      return outreach_cli_usage_error ("accounts", _("accounts add needs a NAME and --provider KIND"));
    }
  name = argv[1];
  if (!outreach_provider_kind_known (kind))
    {
      return outreach_cli_usage_error ("accounts", _("“%s” is not a provider kind; use one of %s"), kind,
                                       "folder, webhook, mailgun, sendgrid, postmark, ses, jmap, twilio");
    }
  kind_keys = outreach_provider_kind_secret_keys (kind);

  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *key = NULL;
      char *end = NULL;

      if (eq == NULL || eq == sets[i])
        {
          return outreach_cli_usage_error ("accounts", _("--set needs KEY=VALUE, not “%s”"), sets[i]);
        }
      key = g_strndup (sets[i], eq - sets[i]);
      if (g_strv_contains (kind_keys, key))
        {
          return outreach_cli_usage_error ("accounts", _("“%s” is a secret: give it with --secret-env %s=VAR, "
                                                         "never on the command line"), key, key);
        }
      if (g_str_equal (key, "rate"))
        {
          rate = g_ascii_strtod (eq + 1, &end);
          if (end == eq + 1 || *end != '\0' || rate < 0)
            {
              return outreach_cli_usage_error ("accounts", _("rate is messages per second, 0 or more"));
            }
        }
      else if (g_str_equal (key, "concurrency"))
        {
          concurrency = (int) g_ascii_strtoll (eq + 1, &end, 10);
          if (end == eq + 1 || *end != '\0' || concurrency < 1 || concurrency > 256)
            {
              return outreach_cli_usage_error ("accounts", _("concurrency is 1 to 256"));
            }
        }
      else if (g_str_equal (key, "retry_ambiguous"))
        retry_ambiguous = g_str_equal (eq + 1, "1") || g_str_equal (eq + 1, "true") || g_str_equal (eq + 1, "yes");
      else
        json_object_set_string_member (settings, key, eq + 1);
    }

  for (guint i = 0; secret_envs != NULL && secret_envs[i] != NULL; i++)
    {
      const char *eq = strchr (secret_envs[i], '=');
      g_autofree char *key = eq != NULL ? g_strndup (secret_envs[i], eq - secret_envs[i])
                                        : g_strdup (kind_keys[0] != NULL && kind_keys[1] == NULL ? kind_keys[0] : "");
      const char *var = eq != NULL ? eq + 1 : secret_envs[i];
      const char *value = g_getenv (var);

      if (*key == '\0' || !g_strv_contains (kind_keys, key))
        {
          return outreach_cli_usage_error ("accounts", _("--secret-env needs KEY=VAR here; the secrets of %s are: %s"),
                                           kind, kind_keys[0] != NULL ? g_strjoinv (", ", (char **) kind_keys) : _("none"));
        }
      if (value == NULL)
        {
          return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("The environment variable %s is not set"), var);
        }
      g_hash_table_insert (secrets, g_strdup (key), g_strdup (value));
    }

  /* The provider checks the settings (URL, required keys) before anything is stored. */
  {
    GHashTableIter iter;
    gpointer key;
    g_autoptr (GHashTable) env_secrets = outreach_secret_lookup_all (name, kind_keys, NULL, NULL);
    g_autoptr (GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);

    if (env_secrets != NULL)
      {
        g_hash_table_iter_init (&iter, env_secrets);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          g_hash_table_insert (all, key, g_hash_table_lookup (env_secrets, key));
      }
    g_hash_table_iter_init (&iter, secrets);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_hash_table_insert (all, key, g_hash_table_lookup (secrets, key));
    provider = outreach_provider_new (kind, name, settings, all, &error);
    if (provider == NULL)
      {
        return outreach_cli_fail_error (error);
      }
  }

  {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init (&iter, secrets);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        if (!outreach_secret_store (name, key, value, &error))
          {
            return outreach_cli_fail_error (error);
          }
        json_array_add_string_element (keyring_keys, key);
      }
  }
  json_object_set_array_member (settings, "secret_keys", json_array_ref (keyring_keys));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  root = json_node_init_object (json_node_alloc (), settings);
  json_generator_set_root (generator, root);
  settings_json = json_generator_to_data (generator, NULL);
  stmt = outreach_store_prepare (store,
                                 "INSERT INTO accounts (name, kind, settings, rate, concurrency, retry_ambiguous,"
                                 " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
                                 " ON CONFLICT (name) DO UPDATE SET kind = ?2, settings = ?3, rate = ?4,"
                                 " concurrency = ?5, retry_ambiguous = ?6, updated_at = ?7",
                                 &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, settings_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 4, rate);
  sqlite3_bind_int (stmt, 5, concurrency);
  sqlite3_bind_int (stmt, 6, retry_ambiguous);
  sqlite3_bind_int64 (stmt, 7, now);
  if (!outreach_store_step_done (store, stmt, &error))
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}

static int
accounts_list (OutreachCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  stmt = outreach_store_prepare (store, "SELECT name, kind, rate, concurrency, settings FROM accounts ORDER BY name", &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  printf ("%-20s %-9s %8s %5s  %s\n", _("NAME"), _("KIND"), _("RATE"), _("CONC"), _("SETTINGS"));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    printf ("%-20s %-9s %8g %5d  %s\n", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
            sqlite3_column_double (stmt, 2), sqlite3_column_int (stmt, 3), sqlite3_column_text (stmt, 4));
  sqlite3_reset (stmt);
  return OUTREACH_EXIT_OK;
}

static int
accounts_remove (OutreachCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *settings = NULL;
  sqlite3_stmt *stmt;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("accounts", _("accounts remove needs a NAME"));
  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  stmt = outreach_store_prepare (store, "SELECT json_array_length (settings, '$.secret_keys') FROM accounts WHERE name = ?", &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  sqlite3_bind_text (stmt, 1, argv[1], -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("There is no account “%s”; “outreach accounts list” shows them"), argv[1]);
    }
  exit_code = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  /* Only touch the keyring when something was stored there. */
  if (exit_code > 0 && !outreach_secret_clear (argv[1], &error))
    return outreach_cli_fail_error (error);

  stmt = outreach_store_prepare (store, "DELETE FROM accounts WHERE name = ?", &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  sqlite3_bind_text (stmt, 1, argv[1], -1, SQLITE_TRANSIENT);
  if (!outreach_store_step_done (store, stmt, &error))
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}

static int
accounts_test (OutreachCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (OutreachProvider) provider = NULL;
  g_autoptr (GHashTable) secrets = NULL;
  g_autoptr (GPtrArray) keyring_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (SoupMessage) request = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *kind = NULL, *settings_json = NULL;
  JsonObject *settings;
  sqlite3_stmt *stmt;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("accounts", _("accounts test needs a NAME"));
  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  stmt = outreach_store_prepare (store, "SELECT kind, settings FROM accounts WHERE name = ?", &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  sqlite3_bind_text (stmt, 1, argv[1], -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("There is no account “%s”; “outreach accounts list” shows them"), argv[1]);
    }
  kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  settings_json = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);

  if (!json_parser_load_from_data (parser, settings_json, -1, &error))
    return outreach_cli_fail_error (error);
  settings = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (settings, "secret_keys"))
    {
      JsonArray *keys = json_object_get_array_member (settings, "secret_keys");
      for (guint i = 0; i < json_array_get_length (keys); i++)
        g_ptr_array_add (keyring_keys, g_strdup (json_array_get_string_element (keys, i)));
      json_object_remove_member (settings, "secret_keys");
    }
  g_ptr_array_add (keyring_keys, NULL);

  secrets = outreach_secret_lookup_all (argv[1], outreach_provider_kind_secret_keys (kind),
                                        (const char *const *) keyring_keys->pdata, &error);
  if (secrets == NULL)
    return outreach_cli_fail_error (error);
  provider = outreach_provider_new (kind, argv[1], settings, secrets, &error);
  if (provider == NULL)
    return outreach_cli_fail_error (error);

  if (outreach_provider_is_local (provider))
    {
      printf (_("Account “%s” (%s) is ready: it needs no connection\n"), argv[1], kind);
      return OUTREACH_EXIT_OK;
    }
  request = outreach_provider_build_test_request (provider, &error);
  if (request == NULL)
    {
      if (error != NULL)
        return outreach_cli_fail_error (error);
      printf (_("Account “%s” (%s): the settings are complete; this provider has no harmless test call\n"), argv[1], kind);
      return OUTREACH_EXIT_OK;
    }

  session = soup_session_new_with_options ("timeout", 30, "user-agent", "Outreach/" PACKAGE_VERSION, NULL);
  body = soup_session_send_and_read (session, request, NULL, &error);
  if (body == NULL)
    return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Could not reach the provider of account “%s”: %s"),
                              argv[1], error->message);
  if (soup_message_get_status (request) >= 200 && soup_message_get_status (request) < 300)
    {
      printf (_("Account “%s” (%s): the provider accepted the credentials (HTTP %u)\n"), argv[1], kind,
              soup_message_get_status (request));
      return OUTREACH_EXIT_OK;
    }
  {
    OutreachDelivery d = { 0 };
    outreach_provider_classify_status (provider, request, body, NULL, &d);
    exit_code = outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("The provider of account “%s” answered: %s"),
                                   argv[1], d.error);
    outreach_delivery_clear (&d);
    return exit_code;
  }
}

int
outreach_cli_accounts (OutreachCli *cli,
                       int          argc,
                       char       **argv)
{
  const char *verb = argc > 1 ? argv[1] : NULL;

  if (verb == NULL)
    return outreach_cli_usage_error ("accounts", _("use accounts add, list, remove or test"));
  if (g_str_equal (verb, "--help") || g_str_equal (verb, "-h"))
    {
      g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", NULL);
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      printf ("%s", help);
      return OUTREACH_EXIT_OK;
    }
  argc--;
  argv++;
  if (g_str_equal (verb, "add"))
    return accounts_add (cli, argc, argv);
  if (g_str_equal (verb, "list"))
    return accounts_list (cli, argc, argv);
  if (g_str_equal (verb, "remove"))
    return accounts_remove (cli, argc, argv);
  if (g_str_equal (verb, "test"))
    return accounts_test (cli, argc, argv);
  return outreach_cli_usage_error ("accounts", _("“%s” is not an accounts command; use add, list, remove or test"), verb);
}
