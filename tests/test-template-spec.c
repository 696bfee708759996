/* test-template-spec.c — every test of the Mustache spec's required modules
 *
 * Reads the JSON files in tests/data/mustache-spec (a copy of the spec, MIT, with its
 * LICENSE) and adds one GTest case per spec test, so a failure names the
 * spec file and test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "outreach-template.h"

static const char *const spec_files[] = {
  "comments", "delimiters", "interpolation", "inverted", "partials", "sections",
};

typedef struct
{
  char *file;
  JsonObject *test;
} SpecCase;

static void
spec_case_free (gpointer data)
{
  SpecCase *spec = data;

  g_free (spec->file);
  json_object_unref (spec->test);
  g_free (spec);
}

static void
run_spec_case (gconstpointer data)
{
  const SpecCase *spec = data;
  const char *source = json_object_get_string_member (spec->test, "template");
  const char *expected = json_object_get_string_member (spec->test, "expected");
  JsonNode *root = json_object_get_member (spec->test, "data");
  g_autoptr (GHashTable) partials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new ("previous|");

  if (json_object_has_member (spec->test, "partials"))
    {
      JsonObject *object = json_object_get_object_member (spec->test, "partials");
      g_autoptr (GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        g_hash_table_insert (partials, l->data,
                             (gpointer) json_object_get_string_member (object, l->data));
    }

  /* The spec renders a missing partial as nothing; Outreach's own callers
   * get an error instead (see test-template.c). */
  template = outreach_template_new_full (source, OUTREACH_TEMPLATE_HTML, partials,
                                         OUTREACH_TEMPLATE_FLAGS_LENIENT_PARTIALS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);

  /* Rendering appends to what the buffer holds; twice shows that a
   * compiled template renders the same every time. */
  for (int round = 0; round < 2; round++)
    {
      g_string_assign (out, "previous|");
      g_assert_true (outreach_template_render_node (template, root, out, &error));
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (out->str, "previous|"));
      g_assert_cmpstr (out->str + strlen ("previous|"), ==, expected);
    }
}

static guint
count_spec_tests (GPtrArray *cases)
{
  return cases->len;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (spec_case_free);
  g_autoptr (GPtrArray) parsers = g_ptr_array_new_with_free_func (g_object_unref);

  g_test_init (&argc, &argv, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (spec_files); f++)
    {
      g_autofree char *name = g_strconcat (spec_files[f], ".json", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "mustache-spec", name, NULL);
      JsonParser *parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      JsonArray *tests;

      if (!json_parser_load_from_file (parser, path, &error))
        g_error ("cannot read %s: %s", path, error->message);
      g_ptr_array_add (parsers, parser);

      tests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "tests");
      for (guint i = 0; i < json_array_get_length (tests); i++)
        {
          SpecCase *spec = g_new0 (SpecCase, 1);
          JsonObject *test = json_array_get_object_element (tests, i);
          g_autofree char *test_name = g_strdup (json_object_get_string_member (test, "name"));
          g_autofree char *test_path = NULL;

          g_strdelimit (test_name, " /", '_');
          test_path = g_strdup_printf ("/outreach/template-spec/%s/%s", spec_files[f], test_name);
          spec->file = g_strdup (spec_files[f]);
          spec->test = json_object_ref (test);
          g_ptr_array_add (cases, spec);
          g_test_add_data_func (test_path, spec, run_spec_case);
        }
    }

  /* The issue asks for all 136: a spec file that lost tests must show. */
  g_assert_cmpuint (count_spec_tests (cases), ==, 136);

  return g_test_run ();
}
