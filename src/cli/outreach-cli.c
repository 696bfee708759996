/* outreach-cli.c — dispatch `outreach [--db PATH] COMMAND …` to a subcommand
 *
 * Nothing here initialises GTK: a subcommand runs on a machine with no
 * display, from cron or a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli.h"
#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

static const OutreachCliCommand commands[] = {
  { "info", "", N_("Show the database path, schema version and row counts"), outreach_cli_info },
  { "donors", "import|list|export …", N_("Import, list or export donors"), outreach_cli_donors },
  { "suppress", "add|remove ADDRESS [--reason R] | list",
    N_("Keep addresses that must never be sent to"), outreach_cli_suppress },
  { "settings", "[KEY [VALUE]]", N_("List, read or set a stored setting"), outreach_cli_settings },
  { "accounts", "add NAME --provider KIND [--set KEY=VALUE]… [--secret-env [KEY=]VAR]… | edit NAME [--name NEW] [--set KEY=VALUE]… [--unset KEY]… [--secret-env [KEY=]VAR]… | list | remove NAME | test NAME",
    N_("Add, edit, list, remove or test delivery accounts"), outreach_cli_accounts },
  { "jobs", "create|list|show|run|run-due|pause|resume|cancel|retry|approve|reject|export|delete …",
    N_("Create, run and control communication jobs"), outreach_cli_jobs },
  { "render", "[--html|--subject] TEMPLATE [DATA.json] [--partials DIR]",
    N_("Render a template with the fields in a JSON file"), outreach_cli_render },
  { "templates", "list | show NAME | add NAME --subject S --text FILE [--html FILE] | remove NAME",
    N_("List, show, save or remove saved templates"), outreach_cli_templates },
};

static const OutreachCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];

  return NULL;
}

/**
 * outreach_cli_handles:
 *
 * Whether this command line is for the CLI: any argument at all, except
 * the one GApplication's D-Bus activation passes.
 */
gboolean
outreach_cli_handles (int    argc,
                      char **argv)
{
  if (argc < 2)
    return FALSE;

  return g_strcmp0 (argv[1], "--gapplication-service") != 0;
}

static void
print_help (FILE *out)
{
  fprintf (out, _("Usage:\n  outreach                      start the app\n"
                  "  outreach [--db PATH] COMMAND [ARGS…]\n\n"));
  fprintf (out, _("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-28s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "  %-28s %s\n", "help COMMAND", _("Show what a command does and its options"));
  fprintf (out, _("\nOptions:\n"
                  "  --db PATH                    use this database (default: $OUTREACH_DB, or\n"
                  "                               $XDG_DATA_HOME/outreach/outreach.db)\n"
                  "  --version                    print the version\n"
                  "  --help                       print this help\n\n"
                  "Exit status: 0 success, 1 finished with failures, 2 usage error,\n"
                  "3 could not do it.\n"));
}

static int
unknown_command (const char *name)
{
  g_printerr (_("outreach: “%s” is not a command; run “outreach --help” for the list\n"), name);
  return OUTREACH_EXIT_USAGE;
}

static int
run_help (OutreachCli *cli,
          int          argc,
          char       **argv)
{
  const OutreachCliCommand *command;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 2)
    {
      print_help (stdout);
      return OUTREACH_EXIT_OK;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    return unknown_command (argv[1]);

  /* The command's own option parser prints its help and exits. */
  help_argv[0] = (char *) command->name;
  return command->run (cli, 2, help_argv);
}

int
outreach_cli_run (int    argc,
                  char **argv)
{
  OutreachCli cli = { NULL };
  const OutreachCliCommand *command;
  int i = 1;
  int status;

  /* Global options before the command. */
  for (; i < argc && argv[i][0] == '-'; i++)
    {
      if (g_str_equal (argv[i], "--version"))
        {
          printf ("outreach %s\n", PACKAGE_VERSION);
          return OUTREACH_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_help (stdout);
          return OUTREACH_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--db"))
        {
          if (i + 1 >= argc || argv[i + 1][0] == '\0')
            return outreach_cli_usage_error (NULL, _("--db needs a file path"));
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          if (argv[i][5] == '\0')
            return outreach_cli_usage_error (NULL, _("--db needs a file path"));
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[i] + 5);
        }
      else
        {
          g_free (cli.db_path);
          return outreach_cli_usage_error (NULL, _("unknown option “%s”"), argv[i]);
        }
    }

  if (i >= argc)
    {
      g_free (cli.db_path);
      return outreach_cli_usage_error (NULL, _("a command is needed after the options"));
    }

  if (g_str_equal (argv[i], "help"))
    status = run_help (&cli, argc - i, argv + i);
  else if ((command = find_command (argv[i])) != NULL)
    status = command->run (&cli, argc - i, argv + i);
  else
    status = unknown_command (argv[i]);

  g_free (cli.db_path);
  return status;
}

/**
 * outreach_cli_open_store:
 *
 * Opens the database the command line names. On failure prints the
 * one-line reason and returns %NULL; the caller exits with 3.
 */
OutreachStore *
outreach_cli_open_store (OutreachCli *cli)
{
  g_autofree char *path = cli->db_path != NULL ? g_strdup (cli->db_path)
                                               : outreach_store_default_path ();
  g_autoptr (GError) error = NULL;
  OutreachStore *store = outreach_store_open (path, &error);

  if (store == NULL)
    outreach_cli_fail_error (error);

  return store;
}

int
outreach_cli_usage_error (const char *command,
                          const char *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    g_printerr (_("outreach %s: %s (see “outreach help %s”)\n"), command, message, command);
  else
    g_printerr (_("outreach: %s (see “outreach --help”)\n"), message);

  return OUTREACH_EXIT_USAGE;
}

int
outreach_cli_fail (OutreachExit code,
                   const char  *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line: a message with a newline in it would break scripts that
   * read the first line of stderr. */
  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("outreach: %s\n", message);
  return code;
}

int
outreach_cli_fail_error (const GError *error)
{
  return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, "%s", error->message);
}

/**
 * outreach_cli_option_context:
 * @command: the subcommand's name, for the usage line
 * @entries: (nullable): its options; `--db` is added to every command
 *
 * Returns: (transfer full): a parser for the subcommand
 */
GOptionContext *
outreach_cli_option_context (OutreachCli        *cli,
                             const char         *command,
                             const GOptionEntry *entries)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", command,
                                                find_command (command) != NULL
                                                  ? find_command (command)->synopsis : "");
  GOptionContext *context = g_option_context_new (parameter);
  const GOptionEntry db_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &cli->db_path,
      N_("Use this database file"), N_("PATH") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (find_command (command) != NULL)
    g_option_context_set_summary (context, _(find_command (command)->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, db_entries, GETTEXT_PACKAGE);

  return context;
}

/**
 * outreach_cli_parse:
 * @exit_code: (out): set to 2 when parsing fails
 *
 * Parses a subcommand's arguments; `--help` prints its help and exits.
 */
gboolean
outreach_cli_parse (GOptionContext *context,
                    const char     *command,
                    int            *argc,
                    char         ***argv,
                    int            *exit_code)
{
  g_autoptr (GError) error = NULL;

  g_set_prgname ("outreach");
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = outreach_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}
