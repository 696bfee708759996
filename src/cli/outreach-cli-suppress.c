/* outreach-cli-suppress.c — `outreach suppress add|remove ADDRESS | list`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "outreach-suppression.h"

int
outreach_cli_suppress (OutreachCli *cli,
                       int          argc,
                       char       **argv)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why: unsubscribed, bounced, complained or manual (default)"), N_("R") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "suppress", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  const char *verb;
  int exit_code;

  if (!outreach_cli_parse (context, "suppress", &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return outreach_cli_usage_error ("suppress", _("a verb is needed: add, remove or list"));
  verb = argv[1];

  if (g_str_equal (verb, "list"))
    {
      g_autoptr (GListModel) list = NULL;

      if (argc != 2)
        return outreach_cli_usage_error ("suppress", _("unexpected argument “%s”"), argv[2]);
      store = outreach_cli_open_store (cli);
      if (store == NULL)
        return OUTREACH_EXIT_COULD_NOT;
      list = outreach_suppression_list (store, &error);
      if (list == NULL)
        return outreach_cli_fail_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr (OutreachSuppression) item = g_list_model_get_item (list, i);
          g_autoptr (GDateTime) when =
            g_date_time_new_from_unix_utc (outreach_suppression_get_created_at (item));
          g_autofree char *date = g_date_time_format_iso8601 (when);

          printf ("%-40s %-13s %s\n", outreach_suppression_get_address (item),
                  outreach_suppression_get_reason (item), date);
        }
      return OUTREACH_EXIT_OK;
    }

  if (!g_str_equal (verb, "add") && !g_str_equal (verb, "remove"))
    return outreach_cli_usage_error ("suppress", _("“%s” is not a verb of suppress; use add, "
                                                   "remove or list"), verb);
  if (argc != 3)
    return outreach_cli_usage_error ("suppress", _("suppress %s needs one ADDRESS"), verb);
  if (reason != NULL && g_str_equal (verb, "remove"))
    return outreach_cli_usage_error ("suppress", _("--reason goes with add, not remove"));
  if (reason != NULL && !outreach_suppression_reason_is_valid (reason))
    return outreach_cli_usage_error ("suppress", _("--reason must be unsubscribed, bounced, "
                                                   "complained or manual, not “%s”"), reason);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  if (g_str_equal (verb, "add") ? !outreach_suppression_add (store, argv[2], reason, &error)
                                : !outreach_suppression_remove (store, argv[2], &error))
    return outreach_cli_fail_error (error);

  return OUTREACH_EXIT_OK;
}
