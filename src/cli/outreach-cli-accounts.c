/* outreach-cli-accounts.c — `outreach accounts add|edit|list|remove|test`
 *
 * Secrets never pass through argv: --secret-env names an environment
 * variable whose value goes to the keyring. The checks, the storage and
 * the connection test are OutreachAccount's, shared with Preferences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "outreach-account.h"
#include "outreach-provider.h"

/* Applies --set, --unset and --secret-env to @account; OUTREACH_EXIT_OK or
 * the exit code of the first mistake (already reported). */
static int
apply_options (OutreachAccount *account,
               char           **sets,
               char           **unsets,
               char           **secret_envs)
{
  const char *kind = outreach_account_get_kind (account);
  const char *const *kind_keys = outreach_provider_kind_secret_keys (kind);

  /* unset first, so --unset KEY --set KEY=VALUE ends with the value */
  for (guint i = 0; unsets != NULL && unsets[i] != NULL; i++)
    {
      if (g_strv_contains (kind_keys, unsets[i]) || g_str_equal (unsets[i], "secret_keys"))
        return outreach_cli_usage_error ("accounts", _("--unset takes a setting, and “%s” is not one"), unsets[i]);
      outreach_account_set_value (account, unsets[i], NULL);
    }

  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *key = NULL;
      g_autoptr (GError) error = NULL;

      if (eq == NULL || eq == sets[i])
        return outreach_cli_usage_error ("accounts", _("--set needs KEY=VALUE, not “%s”"), sets[i]);
      key = g_strndup (sets[i], eq - sets[i]);
      if (g_strv_contains (kind_keys, key))
        return outreach_cli_usage_error ("accounts", _("“%s” is a secret: give it with --secret-env %s=VAR, "
                                                       "never on the command line"), key, key);
      if (g_str_equal (key, "secret_keys"))
        return outreach_cli_usage_error ("accounts", _("“secret_keys” is kept by Outreach itself; it cannot be set"));
      outreach_account_set_value (account, key, eq + 1);
      /* the limits are checked as the command line is read, as they always were */
      if (g_str_equal (key, "rate") && !outreach_account_validate_field (account, key, NULL))
        return outreach_cli_usage_error ("accounts", _("rate is messages per second, 0 or more"));
      if (g_str_equal (key, "concurrency") && !outreach_account_validate_field (account, key, NULL))
        return outreach_cli_usage_error ("accounts", _("concurrency is 1 to 256"));
      if (g_str_equal (key, "retry_ambiguous") && !outreach_account_validate_field (account, key, &error))
        return outreach_cli_usage_error ("accounts", "%s", error->message);
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
          g_autofree char *list = g_strjoinv (", ", (char **) kind_keys);
          return outreach_cli_usage_error ("accounts", _("--secret-env needs KEY=VAR here; the secrets of %s are: %s"),
                                           kind, *list != '\0' ? list : _("none"));
        }
      if (value == NULL)
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("The environment variable %s is not set"), var);
      outreach_account_set_secret (account, key, value);
    }
  return OUTREACH_EXIT_OK;
}

/* Every field checked, the error naming the setting's key as given on the command line. */
static int
check_account (OutreachAccount *account)
{
  g_autoptr (GError) error = NULL;
  const OutreachAccountField *fields;
  guint n_fields;

  if (!outreach_account_validate_name (account, &error))
    return outreach_cli_fail_error (error);
  fields = outreach_account_kind_get_fields (outreach_account_get_kind (account), &n_fields);
  for (guint i = 0; i < n_fields; i++)
    if (!outreach_account_validate_field (account, fields[i].key, &error))
      return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Account “%s”, setting “%s”: %s"),
                                outreach_account_get_name (account), fields[i].key, error->message);
  if (!outreach_account_validate (account, &error))
    return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Account “%s”: %s"),
                              outreach_account_get_name (account), error->message);
  return OUTREACH_EXIT_OK;
}

/* An account that could not be loaded or removed; one the database does
 * not have is named, with where to see those it has. */
static int
fail_account (const GError *error,
              const char   *name)
{
  if (g_error_matches (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_NOT_FOUND))
    return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("There is no account “%s”; “outreach accounts list” shows them"), name);
  return outreach_cli_fail_error (error);
}

/* The account @name from the database (opened into @store), or NULL with
 * the exit code of what went wrong (already reported) in @exit_code. */
static OutreachAccount *
load_account (OutreachCli    *cli,
              const char     *name,
              OutreachStore **store,
              int            *exit_code)
{
  g_autoptr (GError) error = NULL;
  OutreachAccount *account;

  *store = outreach_cli_open_store (cli);
  if (*store == NULL)
    {
      *exit_code = OUTREACH_EXIT_COULD_NOT;
      return NULL;
    }
  account = outreach_account_load (*store, name, &error);
  if (account == NULL)
    *exit_code = fail_account (error, name);
  return account;
}

/* What add and edit end with: the options applied, every field checked,
 * the account saved. @store may be %NULL: add opens the database only
 * once the command line is known to be good. */
static int
apply_check_save (OutreachCli             *cli,
                  OutreachStore           *store,
                  OutreachAccount         *account,
                  char                   **sets,
                  char                   **unsets,
                  char                   **secret_envs,
                  OutreachAccountSaveFlags flags)
{
  g_autoptr (OutreachStore) opened = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  exit_code = apply_options (account, sets, unsets, secret_envs);
  if (exit_code != OUTREACH_EXIT_OK)
    return exit_code;
  exit_code = check_account (account);
  if (exit_code != OUTREACH_EXIT_OK)
    return exit_code;
  if (store == NULL)
    {
      store = opened = outreach_cli_open_store (cli);
      if (store == NULL)
        return OUTREACH_EXIT_COULD_NOT;
    }
  if (!outreach_account_save (account, store, flags, &error))
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}

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
  g_autoptr (OutreachAccount) account = NULL;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || kind == NULL)
    {
      return outreach_cli_usage_error ("accounts", _("accounts add needs a NAME and --provider KIND"));
    }
  if (!outreach_provider_kind_known (kind))
    {
      return outreach_cli_usage_error ("accounts", _("“%s” is not a provider kind; use one of %s"), kind,
                                       "folder, webhook, mailgun, sendgrid, postmark, ses, jmap, twilio");
    }
  account = outreach_account_new (kind);
  outreach_account_set_name (account, argv[1]);
  /* adding a name that exists replaces that account, as it always has */
  return apply_check_save (cli, NULL, account, sets, NULL, secret_envs, OUTREACH_ACCOUNT_SAVE_REPLACE);
}

static int
accounts_edit (OutreachCli *cli, int argc, char **argv)
{
  g_autofree char *new_name = NULL;
  g_auto (GStrv) sets = NULL;
  g_auto (GStrv) unsets = NULL;
  g_auto (GStrv) secret_envs = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &new_name, N_("A new name for the account"), N_("NAME") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("A setting"), N_("KEY=VALUE") },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unsets, N_("Remove a setting"), N_("KEY") },
    { "secret-env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &secret_envs, N_("Store the value of environment variable VAR as secret KEY in the keyring"), N_("[KEY=]VAR") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (OutreachAccount) account = NULL;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("accounts", _("accounts edit needs a NAME"));
  account = load_account (cli, argv[1], &store, &exit_code);
  if (account == NULL)
    return exit_code;
  if (new_name != NULL)
    outreach_account_set_name (account, new_name);
  return apply_check_save (cli, store, account, sets, unsets, secret_envs, OUTREACH_ACCOUNT_SAVE_DEFAULT);
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
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("accounts", _("accounts remove needs a NAME"));
  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  if (!outreach_account_remove (store, argv[1], &error))
    return fail_account (error, argv[1]);
  return OUTREACH_EXIT_OK;
}

static int
accounts_test (OutreachCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "accounts", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachAccount) account = NULL;
  g_autoptr (OutreachAccountTestResult) result = NULL;
  const char *kind;
  int exit_code;

  if (!outreach_cli_parse (context, "accounts", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("accounts", _("accounts test needs a NAME"));
  account = load_account (cli, argv[1], &store, &exit_code);
  if (account == NULL)
    return exit_code;
  kind = outreach_account_get_kind (account);

  result = outreach_account_test (account, NULL, &error);
  if (result == NULL)
    return outreach_cli_fail_error (error);
  switch (result->outcome)
    {
    case OUTREACH_ACCOUNT_TEST_LOCAL:
      printf (_("Account “%s” (%s) is ready: it needs no connection\n"), argv[1], kind);
      return OUTREACH_EXIT_OK;
    case OUTREACH_ACCOUNT_TEST_UNTESTABLE:
      printf (_("Account “%s” (%s): the settings are complete; this provider has no harmless test call\n"), argv[1], kind);
      return OUTREACH_EXIT_OK;
    case OUTREACH_ACCOUNT_TEST_ACCEPTED:
      printf (_("Account “%s” (%s): the provider accepted the credentials (HTTP %u)\n"), argv[1], kind,
              result->http_status);
      return OUTREACH_EXIT_OK;
    case OUTREACH_ACCOUNT_TEST_UNREACHABLE:
      return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Could not reach the provider of account “%s”: %s"),
                                argv[1], result->detail);
    case OUTREACH_ACCOUNT_TEST_REFUSED:
      return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("The provider of account “%s” answered: %s"),
                                argv[1], result->detail);
    }
  g_assert_not_reached ();
}

int
outreach_cli_accounts (OutreachCli *cli,
                       int          argc,
                       char       **argv)
{
  const char *verb = argc > 1 ? argv[1] : NULL;

  if (verb == NULL)
    return outreach_cli_usage_error ("accounts", _("use accounts add, edit, list, remove or test"));
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
  if (g_str_equal (verb, "edit"))
    return accounts_edit (cli, argc, argv);
  if (g_str_equal (verb, "list"))
    return accounts_list (cli, argc, argv);
  if (g_str_equal (verb, "remove"))
    return accounts_remove (cli, argc, argv);
  if (g_str_equal (verb, "test"))
    return accounts_test (cli, argc, argv);
  return outreach_cli_usage_error ("accounts", _("“%s” is not an accounts command; use add, edit, list, remove or test"), verb);
}
