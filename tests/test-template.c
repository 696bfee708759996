/* test-template.c — what a person writing a message notices: escaping,
 * subjects on one line, errors they can act on, no crash on silly input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "outreach-template.h"
#include "fuzz/fuzz-templates-one.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
render (const char           *source,
        OutreachTemplateKind  kind,
        const char           *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplate) template = outreach_template_new (source, kind, NULL, &error);
  g_autoptr (JsonObject) fields = parse_object (json);

  g_assert_no_error (error);
  return outreach_template_render_to_string (template, fields);
}

static void
test_escaping (void)
{
  const char *json = "{\"name\": \"Tom & Jerry <\\\"Co\\\"> O'Neil\"}";
  g_autofree char *html = render ("<p>{{name}}|{{{name}}}|{{&name}}</p>", OUTREACH_TEMPLATE_HTML, json);
  g_autofree char *text = render ("{{name}}|{{{name}}}|{{&name}}", OUTREACH_TEMPLATE_TEXT, json);
  g_autofree char *subject = render ("{{name}}", OUTREACH_TEMPLATE_SUBJECT, json);

  g_assert_cmpstr (html, ==,
                   "<p>Tom &amp; Jerry &lt;&quot;Co&quot;&gt; O&#39;Neil|"
                   "Tom & Jerry <\"Co\"> O'Neil|Tom & Jerry <\"Co\"> O'Neil</p>");
  g_assert_cmpstr (text, ==,
                   "Tom & Jerry <\"Co\"> O'Neil|Tom & Jerry <\"Co\"> O'Neil|Tom & Jerry <\"Co\"> O'Neil");
  g_assert_cmpstr (subject, ==, "Tom & Jerry <\"Co\"> O'Neil");
}

static void
test_subject_one_line (void)
{
  const char *json = "{\"name\": \"Eve\\r\\nBcc: all@example.org\", \"list\": [\"a\", \"b\"]}";
  g_autofree char *subject = render ("Hello {{name}}\r\n{{#list}}\n{{.}}\n{{/list}}!",
                                     OUTREACH_TEMPLATE_SUBJECT, json);
  g_autofree char *text = render ("Hello {{name}}", OUTREACH_TEMPLATE_TEXT, json);

  g_assert_null (strchr (subject, '\r'));
  g_assert_null (strchr (subject, '\n'));
  g_assert_cmpstr (subject, ==, "Hello Eve  Bcc: all@example.org  a b !");
  /* a text body keeps its line breaks */
  g_assert_cmpstr (text, ==, "Hello Eve\r\nBcc: all@example.org");
}

static void
test_appends (void)
{
  g_autoptr (OutreachTemplate) template = outreach_template_new ("Dear {{first_name}},",
                                                                 OUTREACH_TEMPLATE_TEXT, NULL, NULL);
  g_autoptr (JsonObject) fields = parse_object ("{\"first_name\": \"Zoë\"}");
  g_autoptr (GString) out = g_string_new ("To: zoe@example.org\n");

  outreach_template_render (template, fields, out);
  g_assert_cmpstr (out->str, ==, "To: zoe@example.org\nDear Zoë,");
  outreach_template_render (template, NULL, out);
  g_assert_cmpstr (out->str, ==, "To: zoe@example.org\nDear Zoë,Dear ,");
}

static void
test_values (void)
{
  const char *json = "{\"n\": 85, \"d\": 1.21, \"t\": true, \"f\": false, \"z\": null, "
                     "\"tags\": [\"board\", \"gala\"], \"e\": \"\", \"zero\": 0}";
  g_autofree char *out = render ("{{n}} {{d}} {{t}} {{f}} [{{z}}] {{tags}} "
                                 "{{#e}}E{{/e}}{{^e}}no-e{{/e}} {{#zero}}Z{{/zero}}",
                                 OUTREACH_TEMPLATE_TEXT, json);

  g_assert_cmpstr (out, ==, "85 1.21 true false [] board,gala no-e ");
}

static void
test_field_names (void)
{
  g_autoptr (GHashTable) partials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (GError) error = NULL;
  const char *expected[] = { "address", "first_name", "is_monthly", "org_name", "tags", NULL };

  g_hash_table_insert (partials, "footer", "{{org_name}} {{address.city}}");
  template = outreach_template_new ("{{first_name}} {{#tags}}{{.}}{{/tags}}{{^is_monthly}}x{{/is_monthly}}"
                                    "{{! a comment }}{{> footer}}{{first_name}}",
                                    OUTREACH_TEMPLATE_TEXT, partials, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (outreach_template_get_field_names (template), expected);
  g_assert_true (outreach_template_uses_field (template, "org_name"));
  g_assert_false (outreach_template_uses_field (template, "last_name"));
}

typedef struct
{
  const char *source;
  int code;
  const char *message;  /* the start of it: where, then what */
  guint line;
  guint column;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "Dear {{first_name,\nthanks", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "1:6: unclosed tag: “{{” has no matching “}}”", 1, 6 },
  { "Hi\n  {{{first_name}}", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "2:3: unclosed tag: “{{{” has no matching “}}}”", 2, 3 },
  { "Hi\n{{#tags}}\n- {{.}}\n", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "2:1: unclosed section: “tags” is never closed; add “{{/tags}}” where it ends", 2, 1 },
  { "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "3:1: mismatched closing tag: “{{/a}}” closes the section “b” opened at 2:1", 3, 1 },
  { "Zoë {{/a}}", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "1:5: “{{/a}}” closes a section that was never opened", 1, 5 },
  { "x\ny {{=<% %>}}", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "2:3: bad delimiter change: “{{=” has no matching “=}}”", 2, 3 },
  { "{{= <% =}}", OUTREACH_TEMPLATE_ERROR_SYNTAX, "1:1: bad delimiter change", 1, 1 },
  { "{{=<% %>=}}\n<%a b%>", OUTREACH_TEMPLATE_ERROR_SYNTAX,
    "2:1: “a b” is not a field name", 2, 1 },
  { "a {{}}", OUTREACH_TEMPLATE_ERROR_SYNTAX, "1:3: empty tag", 1, 3 },
  { "a {{a..b}}", OUTREACH_TEMPLATE_ERROR_SYNTAX, "1:3: “a..b” is not a field name", 1, 3 },
  { "\n\n   {{> footer}}", OUTREACH_TEMPLATE_ERROR_UNKNOWN_PARTIAL,
    "3:4: unknown partial “footer”", 3, 4 },
  { "{{>}}", OUTREACH_TEMPLATE_ERROR_SYNTAX, "1:1: a partial tag needs a name", 1, 1 },
  /* found by the fuzzer: the sigil is also the closing delimiter */
  { "{{=Y ^=}}Y^^", OUTREACH_TEMPLATE_ERROR_SYNTAX, "1:10: empty tag", 1, 10 },
  { "{{=Y ^=}}Y^", OUTREACH_TEMPLATE_ERROR_SYNTAX, "1:10: unclosed tag: “Y” has no matching “^”", 1, 10 },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr (GError) error = NULL;
      g_auto (OutreachTemplateLocation) where = { 0 };
      g_autoptr (OutreachTemplate) template = NULL;

      g_test_message ("template %u: %s", i, c->source);
      template = outreach_template_new_full (c->source, OUTREACH_TEMPLATE_HTML, NULL,
                                             OUTREACH_TEMPLATE_FLAGS_NONE, &where, &error);
      g_assert_null (template);
      g_assert_error (error, OUTREACH_TEMPLATE_ERROR, c->code);
      if (!g_str_has_prefix (error->message, c->message))
        g_error ("“%s” does not start with “%s”", error->message, c->message);
      g_assert_null (where.partial);
      g_assert_cmpuint (where.line, ==, c->line);
      g_assert_cmpuint (where.column, ==, c->column);
      g_assert_true (g_str_has_suffix (error->message, where.message));
    }
}

static void
test_error_in_partial (void)
{
  g_autoptr (GHashTable) partials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  g_auto (OutreachTemplateLocation) where = { 0 };
  g_autoptr (OutreachTemplate) template = NULL;

  g_hash_table_insert (partials, "footer", "Bye\n{{> signature}}");
  g_hash_table_insert (partials, "signature", "{{sender_name}\n");
  template = outreach_template_new_full ("Hi\n{{> footer}}", OUTREACH_TEMPLATE_TEXT, partials,
                                         OUTREACH_TEMPLATE_FLAGS_NONE, &where, &error);
  g_assert_null (template);
  g_assert_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "partial “signature” 1:1: unclosed tag"));
  g_assert_cmpstr (where.partial, ==, "signature");
  g_assert_cmpuint (where.line, ==, 1);

  /* unknown partial inside a partial names the partial it is in */
  g_clear_error (&error);
  g_hash_table_remove (partials, "signature");
  template = outreach_template_new ("Hi\n{{> footer}}", OUTREACH_TEMPLATE_TEXT, partials, &error);
  g_assert_null (template);
  g_assert_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_UNKNOWN_PARTIAL);
  g_assert_true (g_str_has_prefix (error->message, "partial “footer” 2:1: unknown partial “signature”"));
}

static void
test_deep_nesting (void)
{
  const guint depth = 100000;
  g_autoptr (GString) source = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (OutreachTemplate) ok = NULL;

  for (guint i = 0; i < depth; i++)
    g_string_append (source, "{{#a}}");
  for (guint i = 0; i < depth; i++)
    g_string_append (source, "{{/a}}");

  template = outreach_template_new (source->str, OUTREACH_TEMPLATE_TEXT, NULL, &error);
  g_assert_null (template);
  g_assert_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_TOO_DEEP);
  g_assert_true (g_str_has_prefix (error->message, "1:601: sections are nested more than 100 deep"));

  /* up to the limit is fine */
  g_clear_error (&error);
  g_string_truncate (source, 0);
  for (guint i = 0; i < OUTREACH_TEMPLATE_MAX_DEPTH; i++)
    g_string_append (source, "{{#a}}");
  g_string_append (source, "deep");
  for (guint i = 0; i < OUTREACH_TEMPLATE_MAX_DEPTH; i++)
    g_string_append (source, "{{/a}}");
  ok = outreach_template_new (source->str, OUTREACH_TEMPLATE_TEXT, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr (JsonObject) fields = parse_object ("{\"a\": true}");
    g_autofree char *out = outreach_template_render_to_string (ok, fields);
    g_assert_cmpstr (out, ==, "deep");
  }
}

static void
test_partial_recursion (void)
{
  g_autoptr (GHashTable) partials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (OutreachTemplate) forever = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (JsonObject) fields = parse_object ("{\"a\": true}");
  g_autoptr (JsonParser) parser = json_parser_new ();
  GString *json = g_string_new (NULL);
  guint levels = 2000;  /* json-glib's own parser recurses: keep it well inside its stack */

  /* a partial that includes itself without end stops with an error */
  g_hash_table_insert (partials, "loop", "x{{> loop}}");
  forever = outreach_template_new ("{{> loop}}", OUTREACH_TEMPLATE_TEXT, partials, &error);
  g_assert_no_error (error);
  g_assert_false (outreach_template_render_node (forever, NULL, out, &error));
  g_assert_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_TOO_DEEP);
  g_assert_cmpuint (out->len, >, 0);
  g_assert_cmpuint (out->len, <=, 2 * OUTREACH_TEMPLATE_MAX_DEPTH);
  g_clear_error (&error);

  /* data nested deeper than the limit through a recursive partial: stops, no crash */
  for (guint i = 0; i < levels; i++)
    g_string_append (json, "{\"n\":");
  g_string_append (json, "1");
  for (guint i = 0; i < levels; i++)
    g_string_append (json, "}");
  g_hash_table_insert (partials, "node", "<{{#n}}{{> node}}{{/n}}>");
  template = outreach_template_new ("{{> node}}", OUTREACH_TEMPLATE_TEXT, partials, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, json->str, -1, NULL));
  g_string_truncate (out, 0);
  g_assert_false (outreach_template_render_node (template, json_parser_get_root (parser),
                                                 out, &error));
  g_assert_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_TOO_DEEP);
  g_assert_true (g_str_has_prefix (out->str, "<<<<"));
  g_string_free (json, TRUE);
}

/* Sections over a list nested in each other multiply: 10 items, 12 deep
 * would be 10^12 renders of the innermost text. It stops, with an error. */
static void
test_exponential (void)
{
  g_autoptr (GString) source = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  for (int i = 0; i < 12; i++)
    g_string_append (source, "{{#list}}");
  g_string_append (source, "x");
  for (int i = 0; i < 12; i++)
    g_string_append (source, "{{/list}}");
  template = outreach_template_new (source->str, OUTREACH_TEMPLATE_TEXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, "{\"list\": [0,1,2,3,4,5,6,7,8,9]}", -1, NULL));

  g_assert_false (outreach_template_render_node (template, json_parser_get_root (parser), out, &error));
  g_assert_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_TOO_LARGE);
  g_assert_cmpuint (out->len, <=, OUTREACH_TEMPLATE_MAX_STEPS);
  g_assert_cmpuint (out->len, >, 0);
}

typedef struct
{
  OutreachTemplate *template;
  JsonObject *fields;
  const char *expected;
} ThreadData;

static gpointer
render_many_thread (gpointer data)
{
  ThreadData *td = data;
  g_autoptr (GString) out = g_string_new (NULL);

  for (int i = 0; i < 20000; i++)
    {
      g_string_truncate (out, 0);
      outreach_template_render (td->template, td->fields, out);
      if (!g_str_equal (out->str, td->expected))
        return GINT_TO_POINTER (1);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (JsonObject) fields = parse_object ("{\"first_name\": \"Zoë\", \"tags\": [\"a\", \"b\"], "
                                                "\"org\": {\"name\": \"River & Co\"}}");
  ThreadData td;
  GThread *threads[4];

  template = outreach_template_new ("Dear {{first_name}}, {{#tags}}[{{.}}]{{/tags}} {{org.name}}",
                                    OUTREACH_TEMPLATE_HTML, NULL, NULL);
  td.template = template;
  td.fields = fields;
  td.expected = "Dear Zoë, [a][b] River &amp; Co";
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("render", render_many_thread, &td);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_null (g_thread_join (threads[i]));
}

/* Every input the fuzzer ever crashed on, through the same harness. */
static void
test_fuzz_replay (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "template-fuzz", NULL);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint replayed = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_str_equal (name, "README"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_test_message ("replaying %s", name);
      fuzz_templates_one ((const guint8 *) contents, length);
      replayed++;
    }
  g_assert_cmpuint (replayed, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outreach/template/escaping", test_escaping);
  g_test_add_func ("/outreach/template/subject-one-line", test_subject_one_line);
  g_test_add_func ("/outreach/template/appends", test_appends);
  g_test_add_func ("/outreach/template/values", test_values);
  g_test_add_func ("/outreach/template/field-names", test_field_names);
  g_test_add_func ("/outreach/template/errors", test_errors);
  g_test_add_func ("/outreach/template/error-in-partial", test_error_in_partial);
  g_test_add_func ("/outreach/template/deep-nesting", test_deep_nesting);
  g_test_add_func ("/outreach/template/partial-recursion", test_partial_recursion);
  g_test_add_func ("/outreach/template/exponential", test_exponential);
  g_test_add_func ("/outreach/template/threads", test_threads);
  g_test_add_func ("/outreach/template/fuzz-replay", test_fuzz_replay);

  return g_test_run ();
}
