/* outreach-cli-settings.c — `outreach settings [KEY [VALUE]]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "outreach-settings.h"

int
outreach_cli_settings (OutreachCli *cli,
                       int          argc,
                       char       **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "settings", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  OutreachSetting setting;
  int exit_code;

  if (!outreach_cli_parse (context, "settings", &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 3)
    return outreach_cli_usage_error ("settings", _("unexpected argument “%s”"), argv[3]);
  if (argc >= 2 && !outreach_setting_from_key (argv[1], &setting))
    return outreach_cli_usage_error ("settings", _("“%s” is not a setting; “outreach settings” lists them"), argv[1]);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  if (argc == 1)
    {
      for (guint i = 0; i < OUTREACH_SETTING_COUNT; i++)
        {
          g_autofree char *value = outreach_settings_get_string (store, i, &error);
          if (value == NULL)
            return outreach_cli_fail_error (error);
          printf ("%s=%s\n", outreach_setting_to_key (i), value);
        }
      return OUTREACH_EXIT_OK;
    }
  if (argc == 2)
    {
      g_autofree char *value = outreach_settings_get_string (store, setting, &error);
      if (value == NULL)
        return outreach_cli_fail_error (error);
      printf ("%s\n", value);
      return OUTREACH_EXIT_OK;
    }
  if (!outreach_settings_set_string (store, setting, argv[2], &error))
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}
