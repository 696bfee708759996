/* outreach-cli-render.c — `outreach render`: try a template on some data
 *
 *   outreach render [--html] TEMPLATE [DATA.json] [--partials DIR]
 *
 * Prints the rendering on stdout. A template error prints
 * "FILE:LINE:COLUMN: message" (the partial's file when the error is in a
 * partial) and exits 3, so editors and scripts can jump to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "outreach-template.h"

/* json-glib's parser recurses once per level: data nested absurdly deep
 * would overflow the stack before any error could be given. */
#define MAX_JSON_DEPTH 512

static gboolean
json_depth_ok (const char *text,
               gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

static GHashTable *
read_partials (const char  *dir,
               GHashTable  *paths,
               GError     **error)
{
  g_autoptr (GHashTable) partials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, error);
  const char *name;

  if (handle == NULL)
    return NULL;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = NULL;
      char *contents = NULL;

      if (!g_str_has_suffix (name, ".mustache"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;
      g_hash_table_insert (partials, g_strndup (name, strlen (name) - strlen (".mustache")), contents);
      g_hash_table_insert (paths, g_strndup (name, strlen (name) - strlen (".mustache")),
                           g_steal_pointer (&path));
    }

  return g_steal_pointer (&partials);
}

int
outreach_cli_render (OutreachCli *cli,
                     int          argc,
                     char       **argv)
{
  gboolean html = FALSE;
  gboolean subject = FALSE;
  g_autofree char *partials_dir = NULL;
  const GOptionEntry entries[] = {
    { "html", 0, 0, G_OPTION_ARG_NONE, &html,
      N_("Render an HTML body: {{field}} is HTML-escaped"), NULL },
    { "subject", 0, 0, G_OPTION_ARG_NONE, &subject,
      N_("Render a subject: line breaks become spaces"), NULL },
    { "partials", 0, 0, G_OPTION_ARG_FILENAME, &partials_dir,
      N_("Read partials {{> NAME}} from DIR/NAME.mustache"), N_("DIR") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "render", entries);
  g_autoptr (GHashTable) partials = NULL;
  g_autoptr (GHashTable) partial_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_auto (OutreachTemplateLocation) where = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *source = NULL;
  g_autoptr (GString) out = NULL;
  JsonObject *fields = NULL;
  const char *template_path;
  int exit_code;

  if (!outreach_cli_parse (context, "render", &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return outreach_cli_usage_error ("render", _("a template file is needed"));
  if (argc > 3)
    return outreach_cli_usage_error ("render", _("unexpected argument “%s”"), argv[3]);
  if (html && subject)
    return outreach_cli_usage_error ("render", _("--html and --subject cannot go together"));
  template_path = argv[1];

  if (!g_file_get_contents (template_path, &source, NULL, &error))
    return outreach_cli_fail_error (error);
  if (!g_utf8_validate (source, -1, NULL))
    return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT,
                              _("%s: the template is not UTF-8 text; save it as UTF-8"),
                              template_path);

  if (partials_dir != NULL)
    {
      partials = read_partials (partials_dir, partial_paths, &error);
      if (partials == NULL)
        return outreach_cli_fail_error (error);
    }

  if (argc == 3)
    {
      g_autofree char *json = NULL;
      gsize json_len;
      JsonNode *root;

      if (!g_file_get_contents (argv[2], &json, &json_len, &error))
        return outreach_cli_fail_error (error);
      if (!json_depth_ok (json, json_len))
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT,
                                  _("%s: the data nests more than %d levels deep"),
                                  argv[2], MAX_JSON_DEPTH);
      parser = json_parser_new_immutable ();
      if (!json_parser_load_from_data (parser, json, json_len, &error))
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, "%s:%s", argv[2],
                                  g_str_has_prefix (error->message, "<data>:")
                                    ? error->message + strlen ("<data>:") : error->message);
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT,
                                  _("%s: the data must be one JSON object, like {\"first_name\": \"Ada\"}"),
                                  argv[2]);
      fields = json_node_get_object (root);
    }

  template = outreach_template_new_full (source,
                                         html ? OUTREACH_TEMPLATE_HTML
                                              : subject ? OUTREACH_TEMPLATE_SUBJECT
                                                        : OUTREACH_TEMPLATE_TEXT,
                                         partials, OUTREACH_TEMPLATE_FLAGS_NONE, &where, &error);
  if (template == NULL)
    {
      const char *file = template_path;

      if (where.partial != NULL)
        file = g_hash_table_lookup (partial_paths, where.partial);
      g_printerr ("%s:%u:%u: %s\n", file != NULL ? file : where.partial,
                  where.line, where.column, where.message);
      return OUTREACH_EXIT_COULD_NOT;
    }

  out = g_string_sized_new (strlen (source) * 2);
  if (fields != NULL)
    outreach_template_render (template, fields, out);
  else
    outreach_template_render (template, NULL, out);
  fwrite (out->str, 1, out->len, stdout);
  if (fflush (stdout) != 0)
    return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("could not write the rendering"));

  return OUTREACH_EXIT_OK;
}
