/* outreach-cli-templates.c — `outreach templates`: the saved templates
 *
 *   outreach templates list [--json]
 *   outreach templates show NAME [--json]
 *   outreach templates add NAME --subject S --text FILE [--html FILE] [--replace]
 *   outreach templates remove NAME
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "outreach-template-library.h"

static void
add_json_template (JsonBuilder           *builder,
                   OutreachSavedTemplate *saved,
                   gboolean               bodies)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, saved->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, saved->name);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, saved->subject);
  if (bodies)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, saved->text_body);
      json_builder_set_member_name (builder, "html");
      if (saved->html_body != NULL)
        json_builder_add_string_value (builder, saved->html_body);
      else
        json_builder_add_null_value (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "has_html");
      json_builder_add_boolean_value (builder, saved->html_body != NULL);
    }
  json_builder_end_object (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);

  printf ("%s\n", text);
}

static int
templates_list (OutreachCli *cli,
                int          argc,
                char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "templates", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  if (!outreach_cli_parse (context, "templates", &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return outreach_cli_usage_error ("templates", _("unexpected argument “%s”"), argv[1]);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  list = outreach_template_library_list (store, &error);
  if (list == NULL)
    return outreach_cli_fail_error (error);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        add_json_template (builder, g_ptr_array_index (list, i), FALSE);
      json_builder_end_array (builder);
      print_json (builder);
      return OUTREACH_EXIT_OK;
    }

  if (list->len == 0)
    {
      g_printerr (_("No saved templates yet; save one with “outreach templates add NAME "
                    "--subject S --text FILE”\n"));
      return OUTREACH_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      OutreachSavedTemplate *saved = g_ptr_array_index (list, i);

      printf ("%s\t%s%s\n", saved->name, saved->subject,
              saved->html_body != NULL ? _("\t(with HTML)") : "");
    }
  return OUTREACH_EXIT_OK;
}

static int
templates_show (OutreachCli *cli,
                int          argc,
                char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "templates", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (OutreachSavedTemplate) saved = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  if (!outreach_cli_parse (context, "templates", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("templates", _("“templates show” needs one template name"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  saved = outreach_template_library_get (store, argv[1], &error);
  if (saved == NULL)
    return outreach_cli_fail_error (error);

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      add_json_template (builder, saved, TRUE);
      print_json (builder);
      return OUTREACH_EXIT_OK;
    }

  printf (_("Name: %s\nSubject: %s\n"), saved->name, saved->subject);
  printf (_("\n--- text body ---\n%s"), saved->text_body);
  if (saved->text_body[0] != '\0' && !g_str_has_suffix (saved->text_body, "\n"))
    printf ("\n");
  if (saved->html_body != NULL)
    {
      printf (_("\n--- HTML body ---\n%s"), saved->html_body);
      if (saved->html_body[0] != '\0' && !g_str_has_suffix (saved->html_body, "\n"))
        printf ("\n");
    }
  return OUTREACH_EXIT_OK;
}

static char *
read_template_file (const char  *path,
                    GError     **error)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  if (!g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not UTF-8 text; save it as UTF-8"), path);
      g_free (contents);
      return NULL;
    }
  return contents;
}

static int
templates_add (OutreachCli *cli,
               int          argc,
               char       **argv)
{
  g_autofree char *subject = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *html_path = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("The subject (a template)"), N_("S") },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &text_path, N_("The text body, from FILE"), N_("FILE") },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &html_path, N_("The HTML body, from FILE"), N_("FILE") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace a saved template of the same name"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "templates", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  gint64 id = 0;
  int exit_code;

  if (!outreach_cli_parse (context, "templates", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("templates", _("“templates add” needs one template name"));
  if (subject == NULL)
    return outreach_cli_usage_error ("templates", _("--subject is needed"));
  if (text_path == NULL)
    return outreach_cli_usage_error ("templates", _("--text FILE is needed"));

  text = read_template_file (text_path, &error);
  if (text == NULL)
    return outreach_cli_fail_error (error);
  if (html_path != NULL)
    {
      html = read_template_file (html_path, &error);
      if (html == NULL)
        return outreach_cli_fail_error (error);
    }

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  if (replace)
    {
      g_autoptr (OutreachSavedTemplate) existing = outreach_template_library_get (store, argv[1], NULL);

      if (existing != NULL)
        id = existing->id;
    }

  id = outreach_template_library_save (store, id, argv[1], subject, text, html, &error);
  if (id == 0)
    {
      /* name the file the error is in, so that an editor can jump there */
      if (g_error_matches (error, OUTREACH_TEMPLATE_LIBRARY_ERROR,
                           OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_TEMPLATE))
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, "%s: %s", argv[1], error->message);
      return outreach_cli_fail_error (error);
    }

  printf ("%" G_GINT64_FORMAT "\n", id);
  return OUTREACH_EXIT_OK;
}

static int
templates_remove (OutreachCli *cli,
                  int          argc,
                  char       **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "templates", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  if (!outreach_cli_parse (context, "templates", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("templates", _("“templates remove” needs one template name"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  if (!outreach_template_library_remove_by_name (store, argv[1], &error))
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}

int
outreach_cli_templates (OutreachCli *cli,
                        int          argc,
                        char       **argv)
{
  static const struct
  {
    const char *verb;
    OutreachCliCommandFunc run;
  } verbs[] = {
    { "list", templates_list },
    { "show", templates_show },
    { "add", templates_add },
    { "remove", templates_remove },
  };

  if (argc >= 2 && argv[1][0] != '-')
    {
      for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
        if (g_str_equal (argv[1], verbs[i].verb))
          {
            /* the verb takes the command's place in argv */
            argv[1] = argv[0];
            return verbs[i].run (cli, argc - 1, argv + 1);
          }
      return outreach_cli_usage_error ("templates", _("“%s” is not list, show, add or remove"), argv[1]);
    }

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "templates", NULL);
      int exit_code;

      outreach_cli_parse (context, "templates", &argc, &argv, &exit_code);
      return OUTREACH_EXIT_OK;
    }

  return outreach_cli_usage_error ("templates", _("say list, show, add or remove"));
}
