/* outreach-cli-info.c — `outreach info`: which database, which schema, how many rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

static const char *const tables[] = {
  "donors", "suppressions", "accounts", "templates", "jobs", "job_recipients", "job_events",
};

int
outreach_cli_info (OutreachCli *cli,
                   int          argc,
                   char       **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "info", NULL);
  g_autoptr (OutreachStore) store = NULL;
  int exit_code;

  if (!outreach_cli_parse (context, "info", &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return outreach_cli_usage_error ("info", _("unexpected argument “%s”"), argv[1]);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  printf ("%-16s %s\n", _("Database:"), outreach_store_get_path (store));
  printf ("%-16s %d\n", _("Schema version:"), outreach_store_get_schema_version (store));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 count;

      if (!outreach_store_count_rows (store, tables[i], &count, &error))
        return outreach_cli_fail_error (error);
      printf ("%-16s %" G_GINT64_FORMAT "\n", tables[i], count);
    }

  return OUTREACH_EXIT_OK;
}
