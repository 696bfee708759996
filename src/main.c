/* main.c — `outreach COMMAND …` runs the command line; `outreach` alone, the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "outreach-application.h"
#include "outreach-cli.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr (OutreachApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Decided before anything touches GTK: a subcommand must run with no
   * display at all. */
  if (outreach_cli_handles (argc, argv))
    return outreach_cli_run (argc, argv);

  g_set_application_name (_("Outreach"));
  app = outreach_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
