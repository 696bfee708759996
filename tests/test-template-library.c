/* test-template-library.c — saved templates in the store, and the
 * `outreach templates` and `outreach render` commands a person types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "outreach-template-library.h"
#include "outreach-test-util.h"

static const char *const headless[] = { "DISPLAY", "WAYLAND_DISPLAY", "GDK_BACKEND=none", NULL };

typedef struct
{
  char *dir;
  char *db;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = outreach_test_new_store (&fixture->dir, &fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  outreach_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_mkdir_with_parents (parent, 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_crud (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (OutreachSavedTemplate) saved = NULL;
  g_autoptr (OutreachSavedTemplate) copy = NULL;
  g_autoptr (GHashTable) partials = NULL;
  gint64 footer, letter, duplicate, again;

  footer = outreach_template_library_save (fixture->store, 0, "footer", "", "-- \n{{org_name}}",
                                           "<p>{{org_name}}</p>", &error);
  g_assert_no_error (error);
  g_assert_cmpint (footer, >, 0);
  letter = outreach_template_library_save (fixture->store, 0, "Thank you", "Thanks, {{first_name}}",
                                           "Dear {{first_name}},\n{{> footer}}", NULL, &error);
  g_assert_no_error (error);

  /* edit: a new name and body */
  g_assert_cmpint (outreach_template_library_save (fixture->store, letter, "Thank you 2025",
                                                   "Thanks!", "Hi {{first_name}}\n{{> footer}}",
                                                   NULL, &error), ==, letter);
  g_assert_no_error (error);
  saved = outreach_template_library_get (fixture->store, "Thank you 2025", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->subject, ==, "Thanks!");
  g_assert_cmpstr (saved->text_body, ==, "Hi {{first_name}}\n{{> footer}}");
  g_assert_null (saved->html_body);

  /* duplicate */
  duplicate = outreach_template_library_duplicate (fixture->store, letter, &error);
  g_assert_no_error (error);
  again = outreach_template_library_duplicate (fixture->store, letter, &error);
  g_assert_no_error (error);
  copy = outreach_template_library_get_by_id (fixture->store, again, &error);
  g_assert_cmpstr (copy->name, ==, "Thank you 2025 (copy 2)");
  g_assert_cmpstr (copy->text_body, ==, saved->text_body);

  list = outreach_template_library_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpstr (((OutreachSavedTemplate *) g_ptr_array_index (list, 0))->name, ==, "footer");
  g_assert_cmpstr (((OutreachSavedTemplate *) g_ptr_array_index (list, 3))->name, ==, "Thank you 2025 (copy)");

  /* partials: the HTML body for HTML, else the text body */
  partials = outreach_template_library_partials (fixture->store, OUTREACH_TEMPLATE_HTML, &error);
  g_assert_cmpstr (g_hash_table_lookup (partials, "footer"), ==, "<p>{{org_name}}</p>");
  g_assert_cmpstr (g_hash_table_lookup (partials, "Thank you 2025"), ==, "Hi {{first_name}}\n{{> footer}}");

  /* delete */
  g_assert_true (outreach_template_library_remove (fixture->store, duplicate, &error));
  g_assert_false (outreach_template_library_remove (fixture->store, duplicate, &error));
  g_assert_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = outreach_template_library_list (fixture->store, &error);
  g_assert_cmpuint (list->len, ==, 3);
}

static void
test_refuses (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;

  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "a", "", "x", NULL, &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "a", "", "y", NULL, &error), ==, 0);
  g_assert_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, " b", "", "y", NULL, &error), ==, 0);
  g_assert_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_NAME);
  g_clear_error (&error);

  /* a broken template never gets saved; the error names the part and the place */
  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "b", "Hi", "Dear\n{{#x}}", NULL,
                                                   &error), ==, 0);
  g_assert_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_TEMPLATE);
  g_assert_true (g_str_has_prefix (error->message, "text body 2:1: unclosed section"));
  g_clear_error (&error);
  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "b", "Hi {{x", "", NULL, &error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "subject 1:4: unclosed tag"));
  g_clear_error (&error);
  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "b", "", "", "{{> nope}}", &error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "HTML body 1:1: unknown partial “nope”"));
  g_clear_error (&error);

  list = outreach_template_library_list (fixture->store, &error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_cli_templates (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *text = write_file (fixture, "letter.txt", "Dear {{first_name}},\nthank you.\n");
  g_autofree char *html = write_file (fixture, "letter.html", "<p>Dear {{first_name}}</p>\n");
  g_autofree char *bad = write_file (fixture, "bad.txt", "Dear {{first_name\n");
  g_auto (OutreachTestRun) empty = { 0 };
  g_auto (OutreachTestRun) add = { 0 };
  g_auto (OutreachTestRun) again = { 0 };
  g_auto (OutreachTestRun) replace = { 0 };
  g_auto (OutreachTestRun) broken = { 0 };
  g_auto (OutreachTestRun) list = { 0 };
  g_auto (OutreachTestRun) show = { 0 };
  g_auto (OutreachTestRun) show_json = { 0 };
  g_auto (OutreachTestRun) remove = { 0 };
  g_auto (OutreachTestRun) missing = { 0 };
  g_auto (OutreachTestRun) usage = { 0 };

  g_clear_object (&fixture->store);

  outreach_test_run_cli (&empty, headless, "--db", fixture->db, "templates", "list", NULL);
  g_assert_cmpint (empty.exit_status, ==, 0);
  g_assert_cmpstr (empty.out, ==, "");
  g_assert_nonnull (strstr (empty.err, "templates add"));

  outreach_test_run_cli (&add, headless, "--db", fixture->db, "templates", "add", "Thank you",
                         "--subject", "Thanks, {{first_name}}!", "--text", text, "--html", html, NULL);
  g_assert_cmpint (add.exit_status, ==, 0);
  g_assert_cmpstr (add.out, ==, "1\n");

  outreach_test_run_cli (&again, headless, "--db", fixture->db, "templates", "add", "Thank you",
                         "--subject", "x", "--text", text, NULL);
  g_assert_cmpint (again.exit_status, ==, 3);
  g_assert_nonnull (strstr (again.err, "already exists"));

  outreach_test_run_cli (&replace, headless, "--db", fixture->db, "templates", "add", "Thank you",
                         "--subject", "Thanks again, {{first_name}}!", "--text", text, "--html", html,
                         "--replace", NULL);
  g_assert_cmpint (replace.exit_status, ==, 0);
  g_assert_cmpstr (replace.out, ==, "1\n");

  outreach_test_run_cli (&broken, headless, "--db", fixture->db, "templates", "add", "Broken",
                         "--subject", "x", "--text", bad, NULL);
  g_assert_cmpint (broken.exit_status, ==, 3);
  g_assert_cmpstr (broken.err, ==, "outreach: Broken: text body 1:6: unclosed tag: “{{” has no matching “}}”\n");

  outreach_test_run_cli (&list, headless, "--db", fixture->db, "templates", "list", NULL);
  g_assert_cmpint (list.exit_status, ==, 0);
  g_assert_cmpstr (list.out, ==, "Thank you\tThanks again, {{first_name}}!\t(with HTML)\n");

  outreach_test_run_cli (&show, headless, "--db", fixture->db, "templates", "show", "Thank you", NULL);
  g_assert_cmpint (show.exit_status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Subject: Thanks again, {{first_name}}!\n"));
  g_assert_nonnull (strstr (show.out, "Dear {{first_name}},\nthank you.\n"));
  g_assert_nonnull (strstr (show.out, "<p>Dear {{first_name}}</p>\n"));

  outreach_test_run_cli (&show_json, headless, "--db", fixture->db, "templates", "show", "Thank you",
                         "--json", NULL);
  g_assert_cmpint (show_json.exit_status, ==, 0);
  g_assert_nonnull (strstr (show_json.out, "\"text\" : \"Dear {{first_name}},\\nthank you.\\n\""));

  outreach_test_run_cli (&remove, headless, "--db", fixture->db, "templates", "remove", "Thank you", NULL);
  g_assert_cmpint (remove.exit_status, ==, 0);
  outreach_test_run_cli (&missing, headless, "--db", fixture->db, "templates", "remove", "Thank you", NULL);
  g_assert_cmpint (missing.exit_status, ==, 3);
  g_assert_nonnull (strstr (missing.err, "no saved template named “Thank you”"));

  outreach_test_run_cli (&usage, headless, "--db", fixture->db, "templates", "frob", NULL);
  g_assert_cmpint (usage.exit_status, ==, 2);
}

static void
test_cli_render (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *letter = write_file (fixture, "letter.mustache",
                                        "Dear {{first_name}},\n{{#tags}}- {{.}}\n{{/tags}}{{> footer}}");
  g_autofree char *donor = write_file (fixture, "donor.json",
                                       "{\"first_name\": \"Zoë <3\", \"tags\": [\"board\", \"gala\"],"
                                       " \"org_name\": \"River & Co\"}");
  g_autofree char *footer = write_file (fixture, "partials/footer.mustache", "-- \n{{org_name}}\n");
  g_autofree char *broken = write_file (fixture, "broken/footer.mustache", "{{#org_name}}\n");
  g_autofree char *bad = write_file (fixture, "bad.mustache", "Dear {{first_name}},\n\n  {{#tags}}\n");
  g_autofree char *not_object = write_file (fixture, "list.json", "[1, 2]");
  g_autofree char *partials_dir = g_build_filename (fixture->dir, "partials", NULL);
  g_autofree char *broken_dir = g_build_filename (fixture->dir, "broken", NULL);
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autofree char *deep_path = NULL;
  g_auto (OutreachTestRun) text = { 0 };
  g_auto (OutreachTestRun) html = { 0 };
  g_auto (OutreachTestRun) no_data = { 0 };
  g_auto (OutreachTestRun) unknown = { 0 };
  g_auto (OutreachTestRun) bad_template = { 0 };
  g_auto (OutreachTestRun) bad_partial = { 0 };
  g_auto (OutreachTestRun) bad_data = { 0 };
  g_auto (OutreachTestRun) deep_data = { 0 };
  g_auto (OutreachTestRun) usage = { 0 };
  g_autofree char *expected_error = NULL;

  outreach_test_run_cli (&text, headless, "render", letter, donor, "--partials", partials_dir, NULL);
  g_assert_cmpint (text.exit_status, ==, 0);
  g_assert_cmpstr (text.out, ==, "Dear Zoë <3,\n- board\n- gala\n-- \nRiver & Co\n");

  outreach_test_run_cli (&html, headless, "render", "--html", letter, donor, "--partials", partials_dir, NULL);
  g_assert_cmpint (html.exit_status, ==, 0);
  g_assert_cmpstr (html.out, ==, "Dear Zoë &lt;3,\n- board\n- gala\n-- \nRiver &amp; Co\n");

  outreach_test_run_cli (&no_data, headless, "render", letter, "--partials", partials_dir, NULL);
  g_assert_cmpint (no_data.exit_status, ==, 0);
  g_assert_cmpstr (no_data.out, ==, "Dear ,\n-- \n\n");

  /* FILE:LINE:COL: message, exit 3 */
  outreach_test_run_cli (&unknown, headless, "render", letter, donor, NULL);
  g_assert_cmpint (unknown.exit_status, ==, 3);
  expected_error = g_strdup_printf ("%s:3:10: unknown partial “footer”: save a template named “footer” "
                                    "or correct the name\n", letter);
  g_assert_cmpstr (unknown.err, ==, expected_error);
  g_assert_cmpstr (unknown.out, ==, "");

  outreach_test_run_cli (&bad_template, headless, "render", bad, donor, NULL);
  g_assert_cmpint (bad_template.exit_status, ==, 3);
  g_clear_pointer (&expected_error, g_free);
  expected_error = g_strdup_printf ("%s:3:3: unclosed section: “tags” is never closed; "
                                    "add “{{/tags}}” where it ends\n", bad);
  g_assert_cmpstr (bad_template.err, ==, expected_error);

  outreach_test_run_cli (&bad_partial, headless, "render", letter, donor, "--partials", broken_dir, NULL);
  g_assert_cmpint (bad_partial.exit_status, ==, 3);
  g_assert_true (g_str_has_prefix (bad_partial.err, broken));
  g_assert_nonnull (strstr (bad_partial.err, "footer.mustache:1:1: unclosed section"));

  outreach_test_run_cli (&bad_data, headless, "render", letter, not_object, NULL);
  g_assert_cmpint (bad_data.exit_status, ==, 3);
  g_assert_nonnull (strstr (bad_data.err, "must be one JSON object"));

  /* data nested far too deep is refused, not a crash */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_path = write_file (fixture, "deep.json", deep->str);
  outreach_test_run_cli (&deep_data, headless, "render", letter, deep_path, NULL);
  g_assert_cmpint (deep_data.exit_status, ==, 3);
  g_assert_nonnull (strstr (deep_data.err, "nests more than"));

  outreach_test_run_cli (&usage, headless, "render", NULL);
  g_assert_cmpint (usage.exit_status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/template-library/crud", Fixture, NULL, fixture_set_up, test_crud, fixture_tear_down);
  g_test_add ("/outreach/template-library/refuses", Fixture, NULL, fixture_set_up, test_refuses, fixture_tear_down);
  g_test_add ("/outreach/template-library/cli-templates", Fixture, NULL, fixture_set_up, test_cli_templates, fixture_tear_down);
  g_test_add ("/outreach/template-library/cli-render", Fixture, NULL, fixture_set_up, test_cli_render, fixture_tear_down);

  return g_test_run ();
}
