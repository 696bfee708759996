/* outreach-cli-donors.c — `outreach donors import|list|export`
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
#include <unistd.h>

#include "outreach-donor-import.h"
#include "outreach-donor-query.h"

static void
print_json_node (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
}

static void
print_json_string (const char *value)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  print_json_node (node);
}

static void
print_issues_json (OutreachDonorImport *import)
{
  GPtrArray *issues = outreach_donor_import_get_issues (import);

  fputs ("\"errors\":[", stdout);
  for (guint i = 0; i < issues->len; i++)
    {
      OutreachImportIssue *issue = g_ptr_array_index (issues, i);

      printf ("%s{\"line\":%" G_GUINT64_FORMAT ",\"message\":", i > 0 ? "," : "", issue->line);
      print_json_string (issue->message);
      fputs ("}", stdout);
    }
  fputs ("]", stdout);
}

typedef struct
{
  OutreachDonorImport *import;
  gboolean json;
  guint64 n_rows;
} PreviewPrint;

/* Rows are printed as they are read: a preview of a million rows must
 * not hold them all. */
static void
preview_row_cb (guint64            line,
                const char *const *values,
                guint              n_values,
                const char        *issue,
                gpointer           user_data)
{
  PreviewPrint *print = user_data;

  if (!print->json)
    return;

  fputs (print->n_rows++ > 0 ? ",{" : "{", stdout);
  for (guint i = 0; i < n_values; i++)
    {
      if (i > 0)
        fputc (',', stdout);
      print_json_string (outreach_donor_import_get_column (print->import, i));
      fputc (':', stdout);
      print_json_string (values[i]);
    }
  fputc ('}', stdout);
}

static int
run_preview (OutreachDonorImport *import,
             gboolean             json)
{
  g_autoptr (GError) error = NULL;
  PreviewPrint print = { import, json, 0 };
  guint n_columns;

  /* The columns are known only once the header is read; in JSON they
   * come first, so the header is read once on its own. */
  if (json)
    {
      if (!outreach_donor_import_preview (import, NULL, NULL, NULL, &error))
        return outreach_cli_fail_error (error);
      n_columns = outreach_donor_import_get_n_columns (import);
      fputs ("{\"columns\":[", stdout);
      for (guint i = 0; i < n_columns; i++)
        {
          if (i > 0)
            fputc (',', stdout);
          print_json_string (outreach_donor_import_get_column (import, i));
        }
      fputs ("],\"rows\":[", stdout);
      if (!outreach_donor_import_preview (import, preview_row_cb, &print, NULL, &error))
        return outreach_cli_fail_error (error);
      fputs ("],", stdout);
      print_issues_json (import);
      fputs ("}\n", stdout);
      return OUTREACH_EXIT_OK;
    }

  if (!outreach_donor_import_preview (import, NULL, NULL, NULL, &error))
    return outreach_cli_fail_error (error);

  n_columns = outreach_donor_import_get_n_columns (import);
  printf (_("%s: %u columns, %" G_GUINT64_FORMAT " rows (nothing written)\n"),
          outreach_donor_import_get_path (import), n_columns,
          outreach_donor_import_get_n_rows (import));
  for (guint i = 0; i < n_columns; i++)
    printf ("  %-28s → %s\n", outreach_donor_import_get_column (import, i),
            outreach_donor_field_to_string (outreach_donor_import_get_column_field (import, i)));
  {
    GPtrArray *issues = outreach_donor_import_get_issues (import);

    for (guint i = 0; i < issues->len; i++)
      {
        OutreachImportIssue *issue = g_ptr_array_index (issues, i);
        printf (_("  line %" G_GUINT64_FORMAT ": %s\n"), issue->line, issue->message);
      }
  }
  printf (_("%" G_GUINT64_FORMAT " rows would be skipped\n"),
          outreach_donor_import_get_n_skipped (import));
  return OUTREACH_EXIT_OK;
}

static void
progress_cb (double   fraction,
             guint64  rows,
             gpointer user_data)
{
  g_printerr (_("progress: %" G_GUINT64_FORMAT " rows read (%.0f%%)\n"), rows, fraction * 100);
}

static int
donors_import (OutreachCli *cli,
               int          argc,
               char       **argv)
{
  gboolean preview = FALSE;
  gboolean json = FALSE;
  gboolean progress = FALSE;
  g_auto (GStrv) maps = NULL;
  g_autofree char *delimiter = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *date_format = NULL;
  const GOptionEntry entries[] = {
    { "preview", 0, 0, G_OPTION_ARG_NONE, &preview,
      N_("Check the file and show what would be imported, without writing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Fill FIELD from the column HEADER (FIELD: a donor field, extra or ignore)"),
      N_("HEADER=FIELD") },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &delimiter,
      N_("The delimiter: , ; or tab (default: guessed)"), N_("C") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("utf-8 or windows-1252 (default: utf-8, else windows-1252)"), N_("E") },
    { "date-format", 0, 0, G_OPTION_ARG_STRING, &date_format,
      N_("How non-ISO dates are written: DMY, MDY or YMD"), N_("F") },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress,
      N_("Print progress lines on standard error"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "donors", entries);
  g_autoptr (OutreachDonorImport) import = NULL;
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;

  g_option_context_set_summary (context, _("Import donors from a CSV file"));
  if (!outreach_cli_parse (context, "donors", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("donors", _("donors import needs one FILE"));

  import = outreach_donor_import_new (argv[1]);

  if (delimiter != NULL)
    {
      if (g_str_equal (delimiter, ",") || g_str_equal (delimiter, ";"))
        outreach_donor_import_set_delimiter (import, delimiter[0]);
      else if (g_ascii_strcasecmp (delimiter, "tab") == 0 || g_str_equal (delimiter, "\t") ||
               g_str_equal (delimiter, "\\t"))
        outreach_donor_import_set_delimiter (import, '\t');
      else
        return outreach_cli_usage_error ("donors", _("--delimiter must be , ; or tab, not “%s”"),
                                         delimiter);
    }
  if (encoding != NULL)
    {
      OutreachCsvEncoding value;

      if (!outreach_csv_encoding_from_string (encoding, &value))
        return outreach_cli_usage_error ("donors",
                                         _("--encoding must be utf-8 or windows-1252, not “%s”"),
                                         encoding);
      outreach_donor_import_set_encoding (import, value);
    }
  if (date_format != NULL)
    {
      OutreachDateFormat value;

      if (!outreach_date_format_from_string (date_format, &value))
        return outreach_cli_usage_error ("donors",
                                         _("--date-format must be DMY, MDY or YMD, not “%s”"),
                                         date_format);
      outreach_donor_import_set_date_format (import, value);
    }
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      const char *eq = strrchr (maps[i], '=');
      g_autofree char *header = NULL;
      OutreachDonorField field;

      if (eq == NULL || eq == maps[i])
        return outreach_cli_usage_error ("donors", _("--map needs HEADER=FIELD, not “%s”"),
                                         maps[i]);
      header = g_strstrip (g_strndup (maps[i], eq - maps[i]));
      if (!outreach_donor_field_from_string (eq + 1, &field))
        return outreach_cli_usage_error ("donors",
                                         _("--map: “%s” is not a donor field; use one of "
                                           "external_id, first_name, last_name, email, phone, "
                                           "street, city, region, postal_code, country, "
                                           "last_gift_amount, last_gift_date, tags, "
                                           "do_not_contact, extra, ignore"),
                                         eq + 1);
      outreach_donor_import_map (import, header, field);
    }

  if (preview)
    return run_preview (import, json);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  if (!outreach_donor_import_run (import, store, progress ? progress_cb : NULL, NULL, NULL,
                                  &error))
    return outreach_cli_fail_error (error);

  if (json)
    {
      printf ("{\"new\":%" G_GUINT64_FORMAT ",\"updated\":%" G_GUINT64_FORMAT
              ",\"unchanged\":%" G_GUINT64_FORMAT ",\"skipped\":%" G_GUINT64_FORMAT ",",
              outreach_donor_import_get_n_new (import),
              outreach_donor_import_get_n_updated (import),
              outreach_donor_import_get_n_unchanged (import),
              outreach_donor_import_get_n_skipped (import));
      print_issues_json (import);
      fputs ("}\n", stdout);
    }
  else
    {
      GPtrArray *issues = outreach_donor_import_get_issues (import);

      for (guint i = 0; i < issues->len; i++)
        {
          OutreachImportIssue *issue = g_ptr_array_index (issues, i);
          g_printerr ("%s:%" G_GUINT64_FORMAT ": %s\n", argv[1], issue->line, issue->message);
        }
      printf (_("%s: %" G_GUINT64_FORMAT " new, %" G_GUINT64_FORMAT " updated, %"
                G_GUINT64_FORMAT " unchanged, %" G_GUINT64_FORMAT " skipped\n"),
              argv[1], outreach_donor_import_get_n_new (import),
              outreach_donor_import_get_n_updated (import),
              outreach_donor_import_get_n_unchanged (import),
              outreach_donor_import_get_n_skipped (import));
    }

  return outreach_donor_import_get_n_skipped (import) > 0 ? OUTREACH_EXIT_FAILURES
                                                          : OUTREACH_EXIT_OK;
}

typedef struct
{
  gboolean json;
  guint64 n;
} ListPrint;

static gboolean
list_donor_cb (OutreachDonor *donor,
               gpointer       user_data)
{
  ListPrint *print = user_data;

  if (print->json)
    {
      g_autoptr (JsonNode) node = outreach_donor_to_json (donor);

      fputs (print->n > 0 ? ",\n" : "\n", stdout);
      print_json_node (node);
    }
  else
    {
      g_autofree char *name = outreach_donor_dup_display_name (donor);
      const char *address = outreach_donor_get_email (donor) != NULL
                              ? outreach_donor_get_email (donor)
                              : outreach_donor_get_phone (donor);
      const char *status = outreach_donor_get_suppressed (donor)        ? _("suppressed")
                           : outreach_donor_get_do_not_contact (donor) ? _("do-not-contact")
                                                                        : "";

      printf ("%-8" G_GINT64_FORMAT " %-28s %-36s %-16s %-24s %s\n",
              outreach_donor_get_id (donor), name, address,
              outreach_donor_get_city (donor), outreach_donor_get_tags (donor), status);
    }
  print->n++;
  return TRUE;
}

static int
donors_list (OutreachCli *cli,
             int          argc,
             char       **argv)
{
  g_autofree char *search = NULL;
  g_autofree char *tag = NULL;
  gboolean json = FALSE;
  gint64 limit = -1;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only donors whose name, e-mail, city or tags contain TEXT"), N_("TEXT") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, N_("Only donors with this tag"), N_("TAG") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &limit, N_("At most N donors"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "donors", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  ListPrint print = { 0 };
  int exit_code;

  g_option_context_set_summary (context, _("List donors"));
  if (!outreach_cli_parse (context, "donors", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 1)
    return outreach_cli_usage_error ("donors", _("unexpected argument “%s”"), argv[1]);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  print.json = json;
  if (json)
    fputs ("[", stdout);
  if (!outreach_donor_query_foreach (store, search, tag, limit, list_donor_cb, &print, NULL,
                                     &error))
    {
      if (json)
        fputs ("]\n", stdout);
      return outreach_cli_fail_error (error);
    }
  if (json)
    fputs (print.n > 0 ? "\n]\n" : "]\n", stdout);
  return OUTREACH_EXIT_OK;
}

static int
donors_export (OutreachCli *cli,
               int          argc,
               char       **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "donors", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  gint64 n = 0;
  int exit_code;

  g_option_context_set_summary (context, _("Export every donor to a CSV file"));
  if (!outreach_cli_parse (context, "donors", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return outreach_cli_usage_error ("donors", _("donors export needs one FILE"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  if (!outreach_donor_export (store, argv[1], &n, &error))
    return outreach_cli_fail_error (error);

  printf (_("%s: %" G_GINT64_FORMAT " donors exported\n"), argv[1], n);
  return OUTREACH_EXIT_OK;
}

int
outreach_cli_donors (OutreachCli *cli,
                     int          argc,
                     char       **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return donors_import (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return donors_list (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return donors_export (cli, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_("Usage:\n"
                "  outreach donors import FILE [--preview] [--json] [--map HEADER=FIELD]...\n"
                "                  [--delimiter C] [--encoding E] [--date-format F]\n"
                "  outreach donors list [--search TEXT] [--tag TAG] [--json] [--limit N]\n"
                "  outreach donors export FILE\n\n"
                "Run “outreach donors VERB --help” for a verb's options.\n"));
      return OUTREACH_EXIT_OK;
    }
  if (argc < 2)
    return outreach_cli_usage_error ("donors", _("a verb is needed: import, list or export"));
  return outreach_cli_usage_error ("donors", _("“%s” is not a verb of donors; use import, "
                                               "list or export"), argv[1]);
}
