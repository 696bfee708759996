/* fuzz-templates-one.h — one fuzz input through the template compiler and renderer
 *
 * Shared by the libFuzzer target (fuzz-templates.c) and test-template.c,
 * which replays every input the fuzzer ever found a crash with
 * (tests/data/template-fuzz/) so each stays fixed.
 *
 * The input is the template, then optionally a NUL and a partial's source
 * (named "p"; also reachable as "self", which includes itself).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

#include "outreach-template.h"

static JsonObject *
fuzz_templates_fields (void)
{
  static const char json[] =
    "{\"a\": true, \"b\": false, \"n\": 0, \"x\": 1.5, \"s\": \"<&\\\"'>\\r\\n\", \"e\": \"\","
    " \"list\": [1, \"two\", {\"a\": \"in\"}, [], null], \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}},"
    " \"first_name\": \"Zoë\", \"null\": null}";
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    g_error ("fuzz fields do not parse");
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
fuzz_templates_one (const guint8 *data,
                    gsize         size)
{
  static JsonObject *fields;
  const guint8 *nul = memchr (data, '\0', size);
  g_autofree char *input = g_strndup ((const char *) data, nul != NULL ? (gsize) (nul - data) : size);
  g_autoptr (GHashTable) partials = g_hash_table_new (g_str_hash, g_str_equal);

  if (fields == NULL)
    fields = fuzz_templates_fields ();

  {
    /* after the first NUL: the partial (up to a second NUL) */
    g_autofree char *partial = nul != NULL ? g_strndup ((const char *) nul + 1, size - (nul + 1 - data))
                                           : g_strdup ("");

    g_hash_table_insert (partials, (gpointer) "p", partial);
    g_hash_table_insert (partials, (gpointer) "self", (gpointer) "[{{> self}}]");

    /* each kind once; the text body also with the spec's lenient partials */
    for (int kind = OUTREACH_TEMPLATE_TEXT; kind <= OUTREACH_TEMPLATE_SUBJECT; kind++)
      {
        int lenient = kind == OUTREACH_TEMPLATE_TEXT;

        {
          g_auto (OutreachTemplateLocation) where = { 0 };
          g_autoptr (GError) error = NULL;
          g_autoptr (OutreachTemplate) template = NULL;
          g_autoptr (GString) out = g_string_new (NULL);

          template = outreach_template_new_full (input, kind, partials,
                                                 lenient ? OUTREACH_TEMPLATE_FLAGS_LENIENT_PARTIALS
                                                         : OUTREACH_TEMPLATE_FLAGS_NONE,
                                                 &where, &error);
          if (template == NULL)
            {
              /* every error says where it is */
              g_assert (error != NULL && where.line >= 1 && where.column >= 1);
              g_assert (where.message != NULL);
              continue;
            }
          g_assert (error == NULL);
          outreach_template_render (template, fields, out);
          outreach_template_render (template, NULL, out);
          if (kind == OUTREACH_TEMPLATE_SUBJECT)
            g_assert (strpbrk (out->str, "\r\n") == NULL);
          g_assert (strlen (out->str) <= out->len);
          (void) outreach_template_get_field_names (template);
          (void) g_strfreev (outreach_template_get_unguarded_fields (template));
        }
      }
  }
}
