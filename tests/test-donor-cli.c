/* test-donor-cli.c — `outreach donors import|list|export`, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "outreach-store.h"
#include "outreach-test-util.h"

static const char *const headless[] = { "DISPLAY", "WAYLAND_DISPLAY", NULL };

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = outreach_test_make_tmp_dir ();
  f->db = g_build_filename (f->dir, "outreach.db", NULL);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonArray *
list_json (Fixture    *f,
           JsonNode  **root)
{
  g_auto (OutreachTestRun) run = { 0 };

  outreach_test_run_cli (&run, headless, "--db", f->db, "donors", "list", "--json", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  *root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*root));
  return json_node_get_array (*root);
}

static void
test_preview_json (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *path = data_file ("duplicate-headers.csv");
  g_autofree char *bad = data_file ("bad-values.csv");
  g_auto (OutreachTestRun) run = { 0 };
  g_auto (OutreachTestRun) run_bad = { 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) root_bad = NULL;
  g_autoptr (JsonNode) list = NULL;
  JsonObject *object;
  JsonArray *columns;
  JsonObject *row;
  JsonObject *error;

  outreach_test_run_cli (&run, headless, "--db", f->db, "donors", "import", path, "--preview",
                         "--json", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  columns = json_object_get_array_member (object, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (columns, 0), ==, "Email");
  g_assert_cmpstr (json_array_get_string_element (columns, 2), ==, "Email (2)");
  row = json_array_get_object_element (json_object_get_array_member (object, "rows"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "Email"), ==, "ada@example.org");
  g_assert_cmpstr (json_object_get_string_member (row, "Name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (row, "Email (2)"), ==, "ada@work.example");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "errors")), ==, 0);

  outreach_test_run_cli (&run_bad, headless, "--db", f->db, "donors", "import", bad, "--preview",
                         "--json", NULL);
  g_assert_cmpint (run_bad.exit_status, ==, 0);
  root_bad = parse_json (run_bad.out);
  object = json_node_get_object (root_bad);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "rows")), ==, 7);
  row = json_array_get_object_element (json_object_get_array_member (object, "rows"), 1);
  /* Values as strings, as the file has them. */
  g_assert_cmpstr (json_object_get_string_member (row, "last_gift_amount"), ==, "twelve");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "errors")), ==, 5);
  error = json_array_get_object_element (json_object_get_array_member (object, "errors"), 0);
  g_assert_cmpint (json_object_get_int_member (error, "line"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "twelve"));

  /* Nothing was written. */
  g_assert_cmpuint (json_array_get_length (list_json (f, &list)), ==, 0);
}

static void
test_import_twice (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *path = data_file ("bad-values.csv");
  g_auto (OutreachTestRun) first = { 0 };
  g_auto (OutreachTestRun) second = { 0 };
  g_auto (OutreachTestRun) json = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *report;

  outreach_test_run_cli (&first, headless, "--db", f->db, "donors", "import", path, NULL);
  /* Some rows were skipped: the work finished with failures. */
  g_assert_cmpint (first.exit_status, ==, 1);
  g_assert_nonnull (strstr (first.out, "2 new, 0 updated, 0 unchanged, 5 skipped"));
  g_assert_nonnull (strstr (first.err, "bad-values.csv:3: column “last_gift_amount”"));

  outreach_test_run_cli (&second, headless, "--db", f->db, "donors", "import", path, NULL);
  g_assert_nonnull (strstr (second.out, "0 new, 0 updated, 2 unchanged, 5 skipped"));

  outreach_test_run_cli (&json, headless, "--db", f->db, "donors", "import", path, "--json", NULL);
  root = parse_json (json.out);
  report = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (report, "unchanged"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (report, "skipped"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "errors")), ==, 5);
}

static void
test_list (Fixture      *f,
           gconstpointer data)
{
  g_autofree char *path = data_file ("crm-export.tsv");
  g_auto (OutreachTestRun) import = { 0 };
  g_auto (OutreachTestRun) search = { 0 };
  g_auto (OutreachTestRun) tag = { 0 };
  g_auto (OutreachTestRun) limit = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonArray *donors;
  JsonObject *ada;

  outreach_test_run_cli (&import, headless, "--db", f->db, "donors", "import", path,
                         "--date-format", "DMY", "--map", "Favourite Program=tags", NULL);
  g_assert_cmpint (import.exit_status, ==, 0);

  donors = list_json (f, &root);
  g_assert_cmpuint (json_array_get_length (donors), ==, 2);
  ada = json_array_get_object_element (donors, 0);
  g_assert_cmpint (json_object_get_int_member (ada, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (ada, "external_id"), ==, "X1");
  g_assert_cmpstr (json_object_get_string_member (ada, "first_name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (ada, "last_name"), ==, "Lovelace");
  g_assert_cmpstr (json_object_get_string_member (ada, "email"), ==, "ADA@example.org");
  g_assert_cmpstr (json_object_get_string_member (ada, "phone"), ==, "+442079460958");
  g_assert_cmpstr (json_object_get_string_member (ada, "postal_code"), ==, "12345");
  g_assert_cmpstr (json_object_get_string_member (ada, "last_gift_amount"), ==, "1234.56");
  g_assert_cmpstr (json_object_get_string_member (ada, "last_gift_date"), ==, "2024-04-03");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (ada, "tags"), 0),
                   ==, "Arts");
  g_assert_true (json_object_get_boolean_member (ada, "do_not_contact"));
  g_assert_false (json_object_get_boolean_member (ada, "suppressed"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (ada, "extra")));
  g_assert_true (json_object_has_member (ada, "street"));
  g_assert_true (json_object_has_member (ada, "city"));
  g_assert_true (json_object_has_member (ada, "region"));
  g_assert_true (json_object_has_member (ada, "country"));

  outreach_test_run_cli (&search, headless, "--db", f->db, "donors", "list", "--search", "hopp",
                         NULL);
  g_assert_cmpint (search.exit_status, ==, 0);
  g_assert_nonnull (strstr (search.out, "grace@example.org"));
  g_assert_null (strstr (search.out, "ADA@example.org"));

  outreach_test_run_cli (&tag, headless, "--db", f->db, "donors", "list", "--tag", "Science",
                         NULL);
  g_assert_nonnull (strstr (tag.out, "grace@example.org"));
  g_assert_null (strstr (tag.out, "ADA@example.org"));

  outreach_test_run_cli (&limit, headless, "--db", f->db, "donors", "list", "--limit", "1", NULL);
  g_assert_cmpint (limit.exit_status, ==, 0);
  g_assert_nonnull (strstr (limit.out, "ADA@example.org"));
  g_assert_null (strstr (limit.out, "grace@example.org"));
}

static void
test_export_round_trip (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *path = data_file ("crm-export.tsv");
  g_autofree char *exported = g_build_filename (f->dir, "export.csv", NULL);
  g_autofree char *other_db = g_build_filename (f->dir, "other.db", NULL);
  g_auto (OutreachTestRun) import = { 0 };
  g_auto (OutreachTestRun) export = { 0 };
  g_auto (OutreachTestRun) again = { 0 };
  g_auto (OutreachTestRun) fresh = { 0 };
  g_auto (OutreachTestRun) list_a = { 0 };
  g_auto (OutreachTestRun) list_b = { 0 };

  outreach_test_run_cli (&import, headless, "--db", f->db, "donors", "import", path,
                         "--date-format", "DMY", NULL);
  g_assert_cmpint (import.exit_status, ==, 0);
  outreach_test_run_cli (&export, headless, "--db", f->db, "donors", "export", exported, NULL);
  g_assert_cmpint (export.exit_status, ==, 0);
  g_assert_nonnull (strstr (export.out, "2 donors exported"));

  /* Into the same database: the same donors, nothing changes. */
  outreach_test_run_cli (&again, headless, "--db", f->db, "donors", "import", exported, NULL);
  g_assert_cmpint (again.exit_status, ==, 0);
  g_assert_nonnull (strstr (again.out, "0 new, 0 updated, 2 unchanged, 0 skipped"));

  /* Into a new one: the same list. */
  outreach_test_run_cli (&fresh, headless, "--db", other_db, "donors", "import", exported, NULL);
  g_assert_cmpint (fresh.exit_status, ==, 0);
  outreach_test_run_cli (&list_a, headless, "--db", f->db, "donors", "list", "--json", NULL);
  outreach_test_run_cli (&list_b, headless, "--db", other_db, "donors", "list", "--json", NULL);
  g_assert_cmpstr (list_a.out, ==, list_b.out);
  g_assert_nonnull (strstr (list_b.out, "\"Favourite Program\":\"Arts\""));
}

static void
test_usage_errors (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *path = data_file ("crm-export.tsv");
  g_autofree char *missing = g_build_filename (f->dir, "missing.csv", NULL);
  g_auto (OutreachTestRun) delimiter = { 0 };
  g_auto (OutreachTestRun) map = { 0 };
  g_auto (OutreachTestRun) verb = { 0 };
  g_auto (OutreachTestRun) nofile = { 0 };
  g_auto (OutreachTestRun) nomap = { 0 };

  outreach_test_run_cli (&delimiter, headless, "--db", f->db, "donors", "import", path,
                         "--delimiter", "x", NULL);
  g_assert_cmpint (delimiter.exit_status, ==, 2);
  outreach_test_run_cli (&map, headless, "--db", f->db, "donors", "import", path,
                         "--map", "Zip=shoe_size", NULL);
  g_assert_cmpint (map.exit_status, ==, 2);
  g_assert_nonnull (strstr (map.err, "shoe_size"));
  outreach_test_run_cli (&verb, headless, "--db", f->db, "donors", "frob", NULL);
  g_assert_cmpint (verb.exit_status, ==, 2);

  outreach_test_run_cli (&nofile, headless, "--db", f->db, "donors", "import", missing, NULL);
  g_assert_cmpint (nofile.exit_status, ==, 3);
  g_assert_nonnull (strstr (nofile.err, "missing.csv"));
  g_assert_cmpuint (strlen (nofile.err), ==, strcspn (nofile.err, "\n") + 1);

  outreach_test_run_cli (&nomap, headless, "--db", f->db, "donors", "import", path,
                         "--map", "Nope=email", NULL);
  g_assert_cmpint (nomap.exit_status, ==, 3);
  g_assert_nonnull (strstr (nomap.err, "“Nope”"));
}

/* 200 000 donors: enough that an import is still writing when killed. */
static void
make_big_file (const char *path)
{
  g_autoptr (GString) contents = g_string_new ("donor_id,first_name,last_name,email,city,tags\r\n");
  g_autoptr (GError) error = NULL;

  for (guint i = 1; i <= 200000; i++)
    g_string_append_printf (contents, "D%07u,Zoë,Müller,zoe.muller.%u@example.org,Zürich,"
                            "\"monthly,board\"\r\n", i, i);
  g_file_set_contents (path, contents->str, contents->len, &error);
  g_assert_no_error (error);
}

/* Kills a real import process part way through; the database must be
 * exactly as before, and sound. */
static void
kill_import_midway (const char *db,
                    const char *csv,
                    gint64      expected_count)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = NULL;
  g_autofree char *line = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  process = g_subprocess_launcher_spawn (launcher, &error, outreach_test_binary (), "--db", db,
                                         "donors", "import", csv, "--progress", NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

  /* Rows are being written: kill it now, with no chance to clean up. */
  line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "progress:"));
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (process));

  store = outreach_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (outreach_store_count_rows (store, "donors", &count, &error));
  g_assert_cmpint (count, ==, expected_count);
  stmt = outreach_store_prepare (store, "PRAGMA integrity_check", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_reset (stmt);
  /* The indexes an import into an empty table drops are all there. */
  stmt = outreach_store_prepare (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                        "AND name IN ('donors_email', 'donors_phone')", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_reset (stmt);
}

static void
test_kill_midway (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *small = data_file ("phone-only.csv");
  g_autofree char *big = g_build_filename (f->dir, "big.csv", NULL);
  g_autofree char *empty_db = g_build_filename (f->dir, "empty.db", NULL);
  g_auto (OutreachTestRun) first = { 0 };

  make_big_file (big);

  outreach_test_run_cli (&first, headless, "--db", f->db, "donors", "import", small, NULL);
  g_assert_cmpint (first.exit_status, ==, 1);
  kill_import_midway (f->db, big, 3);

  /* Into an empty table, the bulk path (indexes dropped until the end). */
  kill_import_midway (empty_db, big, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/outreach/donor-cli/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("preview-json", test_preview_json);
  ADD ("import-twice", test_import_twice);
  ADD ("list", test_list);
  ADD ("export-round-trip", test_export_round_trip);
  ADD ("usage-errors", test_usage_errors);
  ADD ("kill-midway", test_kill_midway);

  return g_test_run ();
}
