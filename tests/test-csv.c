/* test-csv.c — every CSV shape a spreadsheet or CRM produces, and every bad one
 *
 * Each file is imported for real into a SQLite file in a temp dir; the
 * tests check the donors that land there, or the error a user reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "outreach-donor-import.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->store = outreach_test_new_store (&f->dir, NULL);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  sqlite3_stmt *stmt = outreach_store_prepare (f->store, "PRAGMA integrity_check", NULL);

  /* Whatever was imported obeys every constraint of the schema (the
   * importer validates rows itself and has SQLite skip CHECKs). */
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_reset (stmt);
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static OutreachDonorImport *
import_path (Fixture    *f,
             const char *path,
             GError    **error)
{
  OutreachDonorImport *import = outreach_donor_import_new (path);

  outreach_donor_import_run (import, f->store, NULL, NULL, NULL, error);
  return import;
}

static gint64
count_donors (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  gint64 count = -1;

  g_assert_true (outreach_store_count_rows (f->store, "donors", &count, &error));
  g_assert_no_error (error);
  return count;
}

/* One column of the donor with this e-mail (or phone), as text. */
static char *
donor_value (Fixture    *f,
             const char *key,
             const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT quote (%s) FROM donors WHERE email = ?1 "
                                          "COLLATE NOCASE OR phone = ?1", column);
  sqlite3_stmt *stmt = outreach_store_prepare (f->store, sql, NULL);
  char *value = NULL;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static const OutreachImportIssue *
issue_at (OutreachDonorImport *import,
          guint                i)
{
  GPtrArray *issues = outreach_donor_import_get_issues (import);

  g_assert_cmpuint (i, <, issues->len);
  return g_ptr_array_index (issues, i);
}

static void
assert_value (Fixture    *f,
              const char *key,
              const char *column,
              const char *expected)
{
  g_autofree char *value = donor_value (f, key, column);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_empty_file (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *path = data_file ("empty.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_error (error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "empty.csv"));
  g_assert_nonnull (strstr (error->message, "no header row"));
  g_assert_cmpint (count_donors (f), ==, 0);
}

static void
test_header_only (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *path = data_file ("header-only.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_rows (import), ==, 0);
  g_assert_cmpuint (outreach_donor_import_get_n_columns (import), ==, 3);
  g_assert_cmpint (outreach_donor_import_get_column_field (import, 0), ==,
                   OUTREACH_DONOR_FIELD_EMAIL);
  g_assert_cmpint (count_donors (f), ==, 0);
}

static void
test_field_count (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *path = data_file ("field-count.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 2);
  g_assert_cmpuint (outreach_donor_import_get_n_skipped (import), ==, 2);
  g_assert_cmpuint (issue_at (import, 0)->line, ==, 3);
  g_assert_nonnull (strstr (issue_at (import, 0)->message, "has 2 fields but the header has 3"));
  g_assert_cmpuint (issue_at (import, 1)->line, ==, 4);
  g_assert_nonnull (strstr (issue_at (import, 1)->message, "has 4 fields but the header has 3"));
  /* Trailing empty fields (a spreadsheet's stray commas) are harmless. */
  assert_value (f, "d@example.org", "city", "'Rome'");
  g_assert_cmpint (count_donors (f), ==, 2);
}

static void
test_unterminated_quote (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *path = data_file ("unterminated-quote.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_error (error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_UNTERMINATED);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "closing quote"));
  /* The good row before it is not imported either: all or nothing. */
  g_assert_cmpint (count_donors (f), ==, 0);
}

static void
test_nul_byte (Fixture      *f,
               gconstpointer data)
{
  static const char contents[] = "email,name\na@example.org,Ada\nb@example.org,B\0b\n";
  g_autofree char *path = write_file (f, "nul.csv", contents, sizeof contents - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_error (error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_cmpint (count_donors (f), ==, 0);
}

static void
test_utf16 (Fixture      *f,
            gconstpointer data)
{
  static const char contents[] = "\xff\xfe" "e\0m\0a\0i\0l\0\n\0";
  g_autofree char *path = write_file (f, "utf16.csv", contents, sizeof contents - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_error (error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, "UTF-16"));
}

static void
test_invalid_utf8 (Fixture      *f,
                   gconstpointer data)
{
  /* Valid UTF-8 on line 2, then a Latin-1 byte on line 3: mixed. */
  static const char mixed[] = "email,name\nzoe@example.org,Zo\xc3\xab\nrene@example.org,Ren\xe9\n";
  /* 0x81 is neither UTF-8 nor Windows-1252. */
  static const char undefined[] = "email,name\na@example.org,A\nb@example.org,B\x81\n";
  g_autofree char *mixed_path = write_file (f, "mixed.csv", mixed, -1);
  g_autofree char *undefined_path = write_file (f, "undefined.csv", undefined, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, mixed_path, &error);
  g_autoptr (OutreachDonorImport) import2 = import_path (f, undefined_path, &error2);

  g_assert_error (error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_error (error2, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error2->message, "line 3"));
  g_assert_nonnull (strstr (error2->message, "--encoding"));
  g_assert_cmpint (count_donors (f), ==, 0);
}

static void
test_windows_1252 (Fixture      *f,
                   gconstpointer data)
{
  static const char contents[] =
    "First Name,Last Name,Email,Notes\r\n"
    "Ren\xe9,Dupr\xe9,rene@example.fr,\x93Merci\x94 \x80" "50\r\n"
    "Zo\xeb,M\xfcller,zoe@example.de,\r\n";
  g_autofree char *path = write_file (f, "cp1252.csv", contents, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 2);
  assert_value (f, "rene@example.fr", "first_name || ' ' || last_name", "'René Dupré'");
  assert_value (f, "rene@example.fr", "extra ->> 'Notes'", "'“Merci” €50'");
  assert_value (f, "zoe@example.de", "last_name", "'Müller'");
}

static void
test_big_field (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GString) contents = g_string_new ("email,notes\na@example.org,short\nb@example.org,\"");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = NULL;

  for (guint i = 0; i < 10 * 1024 * 1024 / 8; i++)
    g_string_append (contents, "ten MB, ");
  g_string_append (contents, "\"\nc@example.org,after\n");
  path = write_file (f, "big.csv", contents->str, contents->len);
  import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 2);
  g_assert_cmpuint (outreach_donor_import_get_n_skipped (import), ==, 1);
  g_assert_cmpuint (issue_at (import, 0)->line, ==, 3);
  g_assert_nonnull (strstr (issue_at (import, 0)->message, "“notes”"));
  g_assert_nonnull (strstr (issue_at (import, 0)->message, "1 MB"));
  assert_value (f, "c@example.org", "extra ->> 'notes'", "'after'");
}

static void
test_duplicate_headers (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *path = data_file ("duplicate-headers.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (outreach_donor_import_get_column (import, 0), ==, "Email");
  g_assert_cmpstr (outreach_donor_import_get_column (import, 2), ==, "Email (2)");
  g_assert_cmpint (outreach_donor_import_get_column_field (import, 0), ==,
                   OUTREACH_DONOR_FIELD_EMAIL);
  g_assert_cmpint (outreach_donor_import_get_column_field (import, 2), ==,
                   OUTREACH_DONOR_FIELD_EXTRA);
  assert_value (f, "ada@example.org", "extra", "'{\"Name\":\"Ada\",\"Email (2)\":\"ada@work.example\"}'");
}

static void
test_european_excel (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *path = data_file ("european-excel.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (outreach_donor_import_get_delimiter (import), ==, ';');
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 2);
  /* The BOM is not part of the first header, so "Vorname" is recognised. */
  assert_value (f, "juergen@example.de", "first_name", "'Jürgen'");
  assert_value (f, "juergen@example.de", "postal_code", "'10115'");
  assert_value (f, "juergen@example.de", "last_gift_amount", "123456");
  assert_value (f, "juergen@example.de", "tags", "'Großspender;Newsletter'");
  assert_value (f, "zoe@example.de", "last_gift_amount", "2500");
  assert_value (f, "zoe@example.de", "city", "'München'");
}

static void
test_phone_only (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *path = data_file ("phone-only.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);
  g_autoptr (OutreachDonorImport) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 3);
  g_assert_cmpuint (outreach_donor_import_get_n_skipped (import), ==, 1);
  g_assert_cmpuint (issue_at (import, 0)->line, ==, 5);
  g_assert_nonnull (strstr (issue_at (import, 0)->message, "country code"));
  assert_value (f, "+15035550100", "phone", "'+15035550100'");
  assert_value (f, "+49301234567", "email", "NULL");

  /* Upserted by phone the second time. */
  again = import_path (f, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (again), ==, 0);
  g_assert_cmpuint (outreach_donor_import_get_n_unchanged (again), ==, 3);
  g_assert_cmpint (count_donors (f), ==, 3);
}

static void
test_rfc4180 (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *path = data_file ("rfc4180.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 3);
  assert_value (f, "a@example.org", "street", "'1 Main St, Apt 2'");
  assert_value (f, "a@example.org", "extra ->> 'Notes'", "'She said \"hi\"'");
  assert_value (f, "b@example.org", "street", "'2 Elm\r\nSecond line'");
  assert_value (f, "d@example.org", "extra ->> 'Notes'", "'last line without newline'");
  /* Line numbers count the lines inside quotes and the blank line. */
  g_assert_cmpuint (outreach_donor_import_get_n_skipped (import), ==, 1);
  g_assert_cmpuint (issue_at (import, 0)->line, ==, 6);
  g_assert_nonnull (strstr (issue_at (import, 0)->message, "c at example.org"));
}

static void
test_crm_export (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *path = data_file ("crm-export.tsv");
  g_autoptr (OutreachDonorImport) import = outreach_donor_import_new (path);
  g_autoptr (GError) error = NULL;

  outreach_donor_import_set_date_format (import, OUTREACH_DATE_FORMAT_DMY);
  g_assert_true (outreach_donor_import_run (import, f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outreach_donor_import_get_delimiter (import), ==, '\t');
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 2);
  assert_value (f, "ada@example.org", "external_id", "'X1'");
  assert_value (f, "ada@example.org", "email", "'ADA@example.org'");
  assert_value (f, "ada@example.org", "phone", "'+442079460958'");
  assert_value (f, "ada@example.org", "do_not_contact", "1");
  assert_value (f, "ada@example.org", "last_gift_date", "'2024-04-03'");
  assert_value (f, "ada@example.org", "last_gift_amount", "123456");
  assert_value (f, "ada@example.org", "extra", "'{\"Favourite Program\":\"Arts\"}'");
  assert_value (f, "grace@example.org", "last_gift_amount", "1250");
  assert_value (f, "grace@example.org", "last_gift_date", "'2023-12-31'");
  assert_value (f, "grace@example.org", "do_not_contact", "0");
}

static void
test_dates_need_a_format (Fixture      *f,
                          gconstpointer data)
{
  g_autofree char *path = data_file ("crm-export.tsv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_skipped (import), ==, 2);
  g_assert_nonnull (strstr (issue_at (import, 0)->message, "--date-format"));
}

static void
test_bad_values (Fixture      *f,
                 gconstpointer data)
{
  static const struct { guint64 line; const char *words; } expected[] = {
    { 3, "“twelve” is not an amount" },
    { 4, "“2024-02-31” is not a valid date" },
    { 5, "“maybe” is not yes or no" },
    { 6, "“no-at.example.org” is not an e-mail address" },
    { 7, "neither an e-mail address nor a phone number" },
  };
  g_autofree char *path = data_file ("bad-values.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (import), ==, 2);
  g_assert_cmpuint (outreach_donor_import_get_n_skipped (import), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpuint (issue_at (import, i)->line, ==, expected[i].line);
      g_assert_nonnull (strstr (issue_at (import, i)->message, expected[i].words));
    }
  /* An IDN domain and a UTF-8 local part are addresses. */
  assert_value (f, "josé@bücher.example", "last_gift_amount", "100000");
  assert_value (f, "josé@bücher.example", "do_not_contact", "1");
}

static void
test_no_address_column (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *path = write_file (f, "names.csv", "First Name,Last Name\nAda,Lovelace\n", -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) import = import_path (f, path, &error);

  g_assert_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_NO_ADDRESS);
  g_assert_nonnull (strstr (error->message, "“First Name”, “Last Name”"));
}

static void
test_explicit_mapping (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *path = write_file (f, "odd.csv", "Contact,Who\nada@example.org,Ada\n", -1);
  g_autoptr (OutreachDonorImport) import = outreach_donor_import_new (path);
  g_autoptr (OutreachDonorImport) unknown = outreach_donor_import_new (path);
  g_autoptr (GError) error = NULL;

  outreach_donor_import_map (import, "Contact", OUTREACH_DONOR_FIELD_EMAIL);
  outreach_donor_import_map (import, "Who", OUTREACH_DONOR_FIELD_FIRST_NAME);
  g_assert_true (outreach_donor_import_run (import, f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_value (f, "ada@example.org", "first_name", "'Ada'");

  outreach_donor_import_map (unknown, "Mail", OUTREACH_DONOR_FIELD_EMAIL);
  g_assert_false (outreach_donor_import_run (unknown, f->store, NULL, NULL, NULL, &error));
  g_assert_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "“Mail”"));
}

static void
test_upsert (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *first = write_file (f, "first.csv",
                                       "email,first_name,city\n"
                                       "ada@example.org,Ada,London\n"
                                       "grace@example.org,Grace,Arlington\n", -1);
  g_autofree char *changed = write_file (f, "changed.csv",
                                         "Email,City\n"
                                         "ADA@EXAMPLE.ORG,Paris\n"
                                         "grace@example.org,Arlington\n"
                                         "linus@example.org,Helsinki\n", -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) one = import_path (f, first, &error);
  g_autoptr (OutreachDonorImport) two = NULL;
  g_autoptr (OutreachDonorImport) three = NULL;
  g_autofree char *updated_at = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (one), ==, 2);

  two = import_path (f, first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (two), ==, 0);
  g_assert_cmpuint (outreach_donor_import_get_n_updated (two), ==, 0);
  g_assert_cmpuint (outreach_donor_import_get_n_unchanged (two), ==, 2);

  three = import_path (f, changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (three), ==, 1);
  g_assert_cmpuint (outreach_donor_import_get_n_updated (three), ==, 1);
  g_assert_cmpuint (outreach_donor_import_get_n_unchanged (three), ==, 1);
  g_assert_cmpint (count_donors (f), ==, 3);
  assert_value (f, "ada@example.org", "city", "'Paris'");
  /* A column the file does not have is left alone. */
  assert_value (f, "ada@example.org", "first_name", "'Ada'");
}

static void
test_external_id_adopts_email_match (Fixture      *f,
                                     gconstpointer data)
{
  g_autofree char *by_email = write_file (f, "a.csv", "email,city\nada@example.org,London\n", -1);
  g_autofree char *with_id = write_file (f, "b.csv", "id,email,city\nC-1,ada@example.org,Paris\n", -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) one = import_path (f, by_email, &error);
  g_autoptr (OutreachDonorImport) two = NULL;

  g_assert_no_error (error);
  two = import_path (f, with_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_updated (two), ==, 1);
  g_assert_cmpint (count_donors (f), ==, 1);
  assert_value (f, "ada@example.org", "external_id", "'C-1'");
}

static void
test_bulk_counts (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (GString) csv = g_string_new ("id,email,city\n");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachDonorImport) one = NULL;
  g_autoptr (OutreachDonorImport) two = NULL;

  /* 40 rows keyed by id (written 16 to a statement), one id twice with
   * another city: the second is an update of the first. */
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (csv, "X%u,d%u@example.org,%s\n", i == 30 ? 5 : i, i == 30 ? 5 : i,
                            i == 30 ? "Paris" : "London");
  path = write_file (f, "bulk.csv", csv->str, csv->len);

  one = import_path (f, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (one), ==, 39);
  g_assert_cmpuint (outreach_donor_import_get_n_updated (one), ==, 1);
  g_assert_cmpuint (outreach_donor_import_get_n_unchanged (one), ==, 0);
  assert_value (f, "d5@example.org", "city", "'Paris'");
  g_assert_cmpint (count_donors (f), ==, 39);

  /* Again: row 6 (X5, London) now changes Paris back, row 31 changes it again. */
  two = import_path (f, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_new (two), ==, 0);
  g_assert_cmpuint (outreach_donor_import_get_n_updated (two), ==, 2);
  g_assert_cmpuint (outreach_donor_import_get_n_unchanged (two), ==, 38);
  g_assert_cmpint (count_donors (f), ==, 39);
}

static void
cancel_progress_cb (double   fraction,
                    guint64  rows,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel_leaves_nothing (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (GString) contents = g_string_new ("id,email\n");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (OutreachDonorImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *small = write_file (f, "small.csv", "email\nada@example.org\n", -1);
  g_autoptr (OutreachDonorImport) first = import_path (f, small, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (contents, "ID%u,donor%u@example.org\n", i, i);
  path = write_file (f, "many.csv", contents->str, contents->len);

  import = outreach_donor_import_new (path);
  g_assert_false (outreach_donor_import_run (import, f->store, cancel_progress_cb, cancellable,
                                             cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count_donors (f), ==, 1);
}

static void
test_preview_writes_nothing (Fixture      *f,
                             gconstpointer data)
{
  g_autofree char *path = data_file ("bad-values.csv");
  g_autoptr (OutreachDonorImport) import = outreach_donor_import_new (path);
  g_autoptr (GError) error = NULL;
  GPtrArray *samples;

  g_assert_true (outreach_donor_import_preview (import, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outreach_donor_import_get_n_rows (import), ==, 7);
  g_assert_cmpuint (outreach_donor_import_get_issues (import)->len, ==, 5);
  samples = outreach_donor_import_get_sample_rows (import);
  g_assert_cmpuint (samples->len, ==, 5);
  g_assert_cmpstr (((char **) g_ptr_array_index (samples, 1))[2], ==, "twelve");
  g_assert_cmpint (count_donors (f), ==, 0);
}

static void
test_value_parsers (void)
{
  static const struct { const char *text; gint64 cents; } amounts[] = {
    { "1,234.56", 123456 }, { "1234,56", 123456 }, { "1.234,56", 123456 }, { "$250", 25000 },
    { "€ 12,5", 1250 }, { "12.50 USD", 1250 }, { "1,234", 123400 }, { "1.234.567", 123456700 },
    { "0.99", 99 },
  };
  static const char *const bad_amounts[] = { "twelve", "-5", "1.234", "1.2345", "" };
  static const char *const good_emails[] = {
    "ada@example.org", "o'brien+tag@mail.example.co.uk", "josé@bücher.example",
    "x@xn--bcher-kva.example",
  };
  static const char *const bad_emails[] = {
    "ada", "a@b", "a@@example.org", ".a@example.org", "a..b@example.org", "a b@example.org",
    "a@-example.org", "a@example.123", "\"quoted\"@example.org",
  };
  g_autofree char *date = NULL;
  g_autofree char *mdy = NULL;
  g_autofree char *tags = NULL;
  gboolean flag;
  gint64 cents;

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (outreach_donor_parse_amount (amounts[i].text, &cents, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cents, ==, amounts[i].cents);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_amounts); i++)
    g_assert_false (outreach_donor_parse_amount (bad_amounts[i], &cents, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (good_emails); i++)
    {
      g_autofree char *email = NULL;
      g_assert_true (outreach_donor_parse_email (good_emails[i], &email, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_autofree char *email = NULL;
      g_assert_false (outreach_donor_parse_email (bad_emails[i], &email, NULL));
    }

  g_assert_true (outreach_donor_parse_date ("2024-03-01T10:00:00Z", OUTREACH_DATE_FORMAT_ISO,
                                            &date, NULL));
  g_assert_cmpstr (date, ==, "2024-03-01");
  g_assert_true (outreach_donor_parse_date ("3/1/2024", OUTREACH_DATE_FORMAT_MDY, &mdy, NULL));
  g_assert_cmpstr (mdy, ==, "2024-03-01");

  for (const char *const *yes = (const char *const[]) { "yes", "TRUE", "1", "x", "Y", NULL };
       *yes != NULL; yes++)
    {
      g_assert_true (outreach_donor_parse_flag (*yes, &flag, NULL));
      g_assert_true (flag);
    }
  for (const char *const *no = (const char *const[]) { "no", "False", "0", "", NULL };
       *no != NULL; no++)
    {
      g_assert_true (outreach_donor_parse_flag (*no, &flag, NULL));
      g_assert_false (flag);
    }

  tags = outreach_donor_normalize_tags (" monthly , board|monthly;;gala ");
  g_assert_cmpstr (tags, ==, "monthly;board;gala");
}

static void
test_header_guesses (void)
{
  static const struct { const char *header; OutreachDonorField field; } guesses[] = {
    { "First Name", OUTREACH_DONOR_FIELD_FIRST_NAME }, { "first_name", OUTREACH_DONOR_FIELD_FIRST_NAME },
    { "Given name", OUTREACH_DONOR_FIELD_FIRST_NAME }, { "E-mail", OUTREACH_DONOR_FIELD_EMAIL },
    { "Email Address", OUTREACH_DONOR_FIELD_EMAIL }, { "Zip", OUTREACH_DONOR_FIELD_POSTAL_CODE },
    { "Postal Code", OUTREACH_DONOR_FIELD_POSTAL_CODE },
    { "Do Not Email", OUTREACH_DONOR_FIELD_DO_NOT_CONTACT },
    { "Mobile Phone", OUTREACH_DONOR_FIELD_PHONE }, { "Favourite Program", OUTREACH_DONOR_FIELD_EXTRA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (guesses); i++)
    g_assert_cmpint (outreach_donor_field_guess (guesses[i].header), ==, guesses[i].field);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/outreach/csv/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("empty-file", test_empty_file);
  ADD ("header-only", test_header_only);
  ADD ("field-count", test_field_count);
  ADD ("unterminated-quote", test_unterminated_quote);
  ADD ("nul-byte", test_nul_byte);
  ADD ("utf16", test_utf16);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("windows-1252", test_windows_1252);
  ADD ("big-field", test_big_field);
  ADD ("duplicate-headers", test_duplicate_headers);
  ADD ("european-excel", test_european_excel);
  ADD ("phone-only", test_phone_only);
  ADD ("rfc4180", test_rfc4180);
  ADD ("crm-export", test_crm_export);
  ADD ("dates-need-a-format", test_dates_need_a_format);
  ADD ("bad-values", test_bad_values);
  ADD ("no-address-column", test_no_address_column);
  ADD ("explicit-mapping", test_explicit_mapping);
  ADD ("upsert", test_upsert);
  ADD ("external-id-adopts-email-match", test_external_id_adopts_email_match);
  ADD ("cancel-leaves-nothing", test_cancel_leaves_nothing);
  ADD ("bulk-counts", test_bulk_counts);
  ADD ("preview-writes-nothing", test_preview_writes_nothing);
  g_test_add_func ("/outreach/csv/value-parsers", test_value_parsers);
  g_test_add_func ("/outreach/csv/header-guesses", test_header_guesses);

  return g_test_run ();
}
