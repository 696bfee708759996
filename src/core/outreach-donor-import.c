/* outreach-donor-import.c — bringing a CSV file of donors into the store
 *
 * One pass over the file, in one transaction: each row is validated,
 * then upserted by external id, else e-mail (case-insensitive), else
 * phone. A row whose values have not changed is not written, so
 * importing the same file twice changes nothing. A failed or cancelled
 * import rolls back: the database is exactly as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#include "config.h"

#include "outreach-donor-import.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_FIELD_BYTES (1024 * 1024)
#define MAX_ISSUES_KEPT 1000
#define SAMPLE_ROWS 5
#define PROGRESS_EVERY 5000
#define MULTI_ROWS 16

struct _OutreachDonorImport
{
  GObject parent_instance;

  char *path;
  char delimiter;
  OutreachCsvEncoding encoding;
  OutreachDateFormat date_format;
  GHashTable *overrides; /* header text → OutreachDonorField */

  /* From the header row */
  char **columns;
  guint n_columns;
  OutreachDonorField *fields; /* per column */
  int column_of[OUTREACH_DONOR_N_FIELDS]; /* -1 when the field has no column */
  gboolean has_extra;
  GPtrArray *samples; /* GStrv, the first rows as the file has them */

  /* Report */
  guint64 n_rows;
  guint64 n_new;
  guint64 n_updated;
  guint64 n_unchanged;
  guint64 n_skipped;
  GPtrArray *issues; /* OutreachImportIssue */
};

G_DEFINE_FINAL_TYPE (OutreachDonorImport, outreach_donor_import, G_TYPE_OBJECT)

/* One row, ready to bind: text points into the CSV record or @owned. */
typedef struct
{
  const char *text[OUTREACH_DONOR_N_FIELDS];
  gint64 amount;
  gboolean has_amount;
  gboolean do_not_contact;
  GPtrArray *owned;
  GString *extra;
} DonorRow;

static void
issue_free (gpointer data)
{
  OutreachImportIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

static void
outreach_donor_import_finalize (GObject *object)
{
  OutreachDonorImport *self = OUTREACH_DONOR_IMPORT (object);

  g_free (self->path);
  g_hash_table_unref (self->overrides);
  g_strfreev (self->columns);
  g_free (self->fields);
  g_ptr_array_unref (self->samples);
  g_ptr_array_unref (self->issues);

  G_OBJECT_CLASS (outreach_donor_import_parent_class)->finalize (object);
}

static void
outreach_donor_import_class_init (OutreachDonorImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_donor_import_finalize;
}

static void
outreach_donor_import_init (OutreachDonorImport *self)
{
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->issues = g_ptr_array_new_with_free_func (issue_free);
}

OutreachDonorImport *
outreach_donor_import_new (const char *path)
{
  OutreachDonorImport *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (OUTREACH_TYPE_DONOR_IMPORT, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
outreach_donor_import_get_path (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), NULL);
  return self->path;
}

void
outreach_donor_import_set_delimiter (OutreachDonorImport *self,
                                     char                 delimiter)
{
  g_return_if_fail (OUTREACH_IS_DONOR_IMPORT (self));
  self->delimiter = delimiter;
}

void
outreach_donor_import_set_encoding (OutreachDonorImport *self,
                                    OutreachCsvEncoding  encoding)
{
  g_return_if_fail (OUTREACH_IS_DONOR_IMPORT (self));
  self->encoding = encoding;
}

void
outreach_donor_import_set_date_format (OutreachDonorImport *self,
                                       OutreachDateFormat   format)
{
  g_return_if_fail (OUTREACH_IS_DONOR_IMPORT (self));
  self->date_format = format;
}

/**
 * outreach_donor_import_map:
 * @header: a column's header text (as the preview lists it, e.g. "Email (2)")
 *
 * Makes that column fill @field, whatever the automatic mapping says.
 */
void
outreach_donor_import_map (OutreachDonorImport *self,
                           const char          *header,
                           OutreachDonorField   field)
{
  g_return_if_fail (OUTREACH_IS_DONOR_IMPORT (self));
  g_return_if_fail (header != NULL);

  g_hash_table_insert (self->overrides, g_strdup (header), GINT_TO_POINTER (field));
}

static void
reset_report (OutreachDonorImport *self)
{
  self->n_rows = self->n_new = self->n_updated = self->n_unchanged = self->n_skipped = 0;
  g_ptr_array_set_size (self->issues, 0);
  g_ptr_array_set_size (self->samples, 0);
}

static void
add_issue (OutreachDonorImport *self,
           guint64              line,
           char                *message)
{
  OutreachImportIssue *issue;

  self->n_skipped++;
  if (self->issues->len >= MAX_ISSUES_KEPT)
    {
      g_free (message);
      return;
    }
  issue = g_new0 (OutreachImportIssue, 1);
  issue->line = line;
  issue->message = message;
  g_ptr_array_add (self->issues, issue);
}

/* Reads the header row: unique column names, then each column's field —
 * an explicit mapping first, then the automatic one, each field filled
 * by one column only (the first that claims it). */
static gboolean
read_header (OutreachDonorImport     *self,
             const OutreachCsvRecord *record,
             GError                 **error)
{
  g_autoptr (GHashTable) unknown = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  g_strfreev (self->columns);
  g_free (self->fields);
  self->columns = outreach_donor_unique_headers ((const char *const *) record->fields,
                                                 record->n_fields);
  self->n_columns = record->n_fields;
  self->fields = g_new (OutreachDonorField, self->n_columns);
  self->has_extra = FALSE;
  for (guint f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    self->column_of[f] = -1;

  g_hash_table_iter_init (&iter, self->overrides);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (unknown, key);

  /* Explicit mappings claim their fields first. */
  for (guint i = 0; i < self->n_columns; i++)
    {
      gpointer value;

      self->fields[i] = OUTREACH_DONOR_FIELD_EXTRA - 100; /* not decided yet */
      if (g_hash_table_lookup_extended (self->overrides, self->columns[i], NULL, &value))
        {
          OutreachDonorField field = GPOINTER_TO_INT (value);

          g_hash_table_remove (unknown, self->columns[i]);
          if (field >= 0 && self->column_of[field] >= 0)
            {
              g_set_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_MAPPING,
                           _("%s: the columns “%s” and “%s” are both mapped to %s; map "
                             "only one of them"),
                           self->path, self->columns[self->column_of[field]], self->columns[i],
                           outreach_donor_field_to_string (field));
              return FALSE;
            }
          self->fields[i] = field;
          if (field >= 0)
            self->column_of[field] = i;
        }
    }

  if (g_hash_table_size (unknown) > 0)
    {
      g_autofree char *list = NULL;
      GHashTableIter it;

      g_hash_table_iter_init (&it, unknown);
      g_hash_table_iter_next (&it, &key, NULL);
      list = g_strjoinv ("”, “", self->columns);
      g_set_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_MAPPING,
                   _("%s has no column “%s” to map; its columns are “%s”"),
                   self->path, (const char *) key, list);
      return FALSE;
    }

  for (guint i = 0; i < self->n_columns; i++)
    {
      OutreachDonorField field;

      if (self->fields[i] != OUTREACH_DONOR_FIELD_EXTRA - 100)
        continue;
      field = outreach_donor_field_guess (self->columns[i]);
      if (field >= 0 && self->column_of[field] >= 0)
        field = OUTREACH_DONOR_FIELD_EXTRA;
      self->fields[i] = field;
      if (field >= 0)
        self->column_of[field] = i;
    }

  for (guint i = 0; i < self->n_columns; i++)
    if (self->fields[i] == OUTREACH_DONOR_FIELD_EXTRA)
      self->has_extra = TRUE;

  if (self->column_of[OUTREACH_DONOR_FIELD_EMAIL] < 0 &&
      self->column_of[OUTREACH_DONOR_FIELD_PHONE] < 0)
    {
      g_autofree char *list = g_strjoinv ("”, “", self->columns);

      g_set_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_NO_ADDRESS,
                   _("%s has neither an e-mail nor a phone column (its columns are “%s”); "
                     "map one with --map \"HEADER=email\" or --map \"HEADER=phone\""),
                   self->path, list);
      return FALSE;
    }

  return TRUE;
}

static void
json_append_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = *s;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
donor_row_clear (DonorRow *row)
{
  g_clear_pointer (&row->owned, g_ptr_array_unref);
  if (row->extra != NULL)
    g_string_free (row->extra, TRUE);
  row->extra = NULL;
}

static const char *
keep (DonorRow *row,
      char     *owned)
{
  if (row->owned == NULL)
    row->owned = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (row->owned, owned);
  return owned;
}

/* Validates one data row into @row. Returns the reason the row must be
 * skipped (to free), or %NULL. Trims the record's fields in place. */
static char *
parse_row (OutreachDonorImport     *self,
           const OutreachCsvRecord *record,
           DonorRow                *row)
{
  guint n = MIN (record->n_fields, self->n_columns);

  memset (row, 0, sizeof *row);

  if (record->n_fields > self->n_columns)
    {
      for (guint i = self->n_columns; i < record->n_fields; i++)
        if (record->fields[i][0] != '\0' && strspn (record->fields[i], " \t") != record->lengths[i])
          return g_strdup_printf (_("the row has %u fields but the header has %u; a value "
                                    "holding the delimiter must be in quotes"),
                                  record->n_fields, self->n_columns);
    }
  else if (record->n_fields < self->n_columns)
    return g_strdup_printf (_("the row has %u fields but the header has %u; check for a "
                              "missing delimiter or quote"),
                            record->n_fields, self->n_columns);

  for (guint i = 0; i < n; i++)
    {
      OutreachDonorField field = self->fields[i];
      g_autoptr (GError) error = NULL;
      char *value = record->fields[i];

      if (record->lengths[i] > MAX_FIELD_BYTES)
        return g_strdup_printf (_("column “%s”: the value is %" G_GSIZE_FORMAT " bytes long; "
                                  "the limit is 1 MB"),
                                self->columns[i], record->lengths[i]);

      g_strstrip (value);

      if (field == OUTREACH_DONOR_FIELD_IGNORE)
        continue;
      if (field == OUTREACH_DONOR_FIELD_EXTRA)
        {
          if (row->extra == NULL)
            row->extra = g_string_new ("{");
          else
            g_string_append_c (row->extra, ',');
          json_append_string (row->extra, self->columns[i]);
          g_string_append_c (row->extra, ':');
          json_append_string (row->extra, value);
          continue;
        }

      if (*value == '\0')
        {
          row->text[field] = field >= OUTREACH_DONOR_FIELD_FIRST_NAME &&
                             field <= OUTREACH_DONOR_FIELD_COUNTRY &&
                             field != OUTREACH_DONOR_FIELD_EMAIL &&
                             field != OUTREACH_DONOR_FIELD_PHONE ? "" : NULL;
          if (field == OUTREACH_DONOR_FIELD_TAGS)
            row->text[field] = "";
          continue;
        }

      switch (field)
        {
        case OUTREACH_DONOR_FIELD_EMAIL:
          {
            char *email = NULL;
            if (!outreach_donor_parse_email (value, &email, &error))
              break;
            row->text[field] = keep (row, email);
          }
          break;
        case OUTREACH_DONOR_FIELD_PHONE:
          {
            char *phone = NULL;
            if (!outreach_donor_parse_phone (value, &phone, &error))
              break;
            row->text[field] = keep (row, phone);
          }
          break;
        case OUTREACH_DONOR_FIELD_LAST_GIFT_AMOUNT:
          if (outreach_donor_parse_amount (value, &row->amount, &error))
            row->has_amount = TRUE;
          break;
        case OUTREACH_DONOR_FIELD_LAST_GIFT_DATE:
          {
            char *date = NULL;
            if (!outreach_donor_parse_date (value, self->date_format, &date, &error))
              break;
            row->text[field] = keep (row, date);
          }
          break;
        case OUTREACH_DONOR_FIELD_DO_NOT_CONTACT:
          outreach_donor_parse_flag (value, &row->do_not_contact, &error);
          break;
        case OUTREACH_DONOR_FIELD_TAGS:
          if (strpbrk (value, ",|") != NULL || strstr (value, ";;") != NULL ||
              value[0] == ';' || strstr (value, " ;") != NULL || strstr (value, "; ") != NULL)
            row->text[field] = keep (row, outreach_donor_normalize_tags (value));
          else
            row->text[field] = value;
          break;
        case OUTREACH_DONOR_FIELD_EXTERNAL_ID:
        default:
          row->text[field] = value;
          break;
        }

      if (error != NULL)
        {
          donor_row_clear (row);
          return g_strdup_printf (_("column “%s”: %s"), self->columns[i], error->message);
        }
    }

  if (row->extra != NULL)
    g_string_append_c (row->extra, '}');

  if (row->text[OUTREACH_DONOR_FIELD_EMAIL] == NULL && row->text[OUTREACH_DONOR_FIELD_PHONE] == NULL)
    {
      donor_row_clear (row);
      return g_strdup (_("the row has neither an e-mail address nor a phone number"));
    }

  return NULL;
}

static gboolean
record_is_blank (const OutreachCsvRecord *record)
{
  for (guint i = 0; i < record->n_fields; i++)
    if (strspn (record->fields[i], " \t") != record->lengths[i])
      return FALSE;
  return TRUE;
}

/* ---- Preview ------------------------------------------------------------ */

typedef struct
{
  OutreachDonorImport *self;
  gboolean header_done;
  OutreachDonorImportRowFunc func;
  gpointer user_data;
  guint max_samples;
  GError *header_error;
} PreviewState;

static void
keep_sample (OutreachDonorImport     *self,
             const OutreachCsvRecord *record,
             guint                    max_samples)
{
  char **values;

  if (self->samples->len >= max_samples)
    return;
  values = g_new0 (char *, self->n_columns + 1);
  for (guint i = 0; i < self->n_columns; i++)
    values[i] = g_strdup (i < record->n_fields ? record->fields[i] : "");
  g_ptr_array_add (self->samples, values);
}

static gboolean
preview_record_cb (const OutreachCsvRecord *record,
                   gpointer                 user_data,
                   GError                 **error)
{
  PreviewState *state = user_data;
  OutreachDonorImport *self = state->self;
  g_autofree char *issue = NULL;
  g_autofree char **raw = NULL;
  DonorRow row;

  if (!state->header_done)
    {
      g_autoptr (GError) header_error = NULL;

      state->header_done = TRUE;
      if (read_header (self, record, &header_error))
        return TRUE;
      /* Without an address column the rows cannot be checked, but their
       * samples still help the user say which column holds the address. */
      if (!g_error_matches (header_error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_NO_ADDRESS))
        {
          g_propagate_error (error, g_steal_pointer (&header_error));
          return FALSE;
        }
      state->header_error = g_steal_pointer (&header_error);
      return TRUE;
    }
  if (record_is_blank (record))
    return TRUE;
  if (state->header_error != NULL)
    {
      self->n_rows++;
      keep_sample (self, record, state->max_samples);
      return self->samples->len < state->max_samples;
    }

  self->n_rows++;
  /* The preview shows values as the file has them, before trimming. */
  raw = g_new0 (char *, self->n_columns + 1);
  for (guint i = 0; i < self->n_columns; i++)
    raw[i] = i < record->n_fields ? g_strdup (record->fields[i]) : g_strdup ("");
  keep_sample (self, record, state->max_samples);

  issue = parse_row (self, record, &row);
  if (issue != NULL)
    add_issue (self, record->line, g_strdup (issue));
  else
    donor_row_clear (&row);

  if (state->func != NULL)
    state->func (record->line, (const char *const *) raw, self->n_columns, issue,
                 state->user_data);
  for (guint i = 0; i < self->n_columns; i++)
    g_free (raw[i]);
  return TRUE;
}

static gboolean
preview_internal (OutreachDonorImport       *self,
                  OutreachDonorImportRowFunc func,
                  gpointer                   user_data,
                  guint                      max_samples,
                  GCancellable              *cancellable,
                  GError                   **error)
{
  g_autoptr (OutreachCsvReader) reader = outreach_csv_reader_new (self->path, self->delimiter,
                                                                  self->encoding);
  PreviewState state = { self, FALSE, func, user_data, max_samples, NULL };
  g_autoptr (GError) read_error = NULL;

  reset_report (self);
  if (!outreach_csv_reader_read (reader, preview_record_cb, &state, cancellable, &read_error) &&
      state.header_error == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }
  if (state.header_error != NULL)
    {
      g_propagate_error (error, state.header_error);
      return FALSE;
    }
  self->delimiter = outreach_csv_reader_get_delimiter (reader);
  return TRUE;
}

/**
 * outreach_donor_import_preview:
 * @func: (nullable): called with every data row
 *
 * Reads and validates the whole file without writing anything: the
 * columns and their fields, the first rows, and every row's problem.
 */
gboolean
outreach_donor_import_preview (OutreachDonorImport       *self,
                               OutreachDonorImportRowFunc func,
                               gpointer                   user_data,
                               GCancellable              *cancellable,
                               GError                   **error)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), FALSE);

  return preview_internal (self, func, user_data, SAMPLE_ROWS, cancellable, error);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OutreachDonorImport *self = source_object;
  GError *error = NULL;

  if (preview_internal (self, NULL, NULL, GPOINTER_TO_UINT (task_data), cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * outreach_donor_import_preview_async:
 * @max_rows: how many sample rows to keep for display
 *
 * Runs outreach_donor_import_preview() in a thread. Do not touch @self
 * until it finishes.
 */
void
outreach_donor_import_preview_async (OutreachDonorImport *self,
                                     guint                max_rows,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (OUTREACH_IS_DONOR_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, outreach_donor_import_preview_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (max_rows), NULL);
  g_task_run_in_thread (task, preview_thread);
}

gboolean
outreach_donor_import_preview_finish (OutreachDonorImport *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Import ------------------------------------------------------------- */

typedef struct
{
  OutreachDonorImport *self;
  OutreachStore *store;
  OutreachCsvReader *reader;
  gint64 now;

  char *upsert_sql;  /* insert, or update the donor with this external id */
  char *update_sql;  /* update the donor found by e-mail or phone */
  /* Prepared here rather than through the store's cache, whose lookup
   * hashes the whole (long) SQL text on every row. */
  sqlite3_stmt *upsert;
  sqlite3_stmt *update;
  /* MULTI_ROWS rows in one INSERT … ON CONFLICT: a third faster than one
   * statement per row, for rows keyed by external id (the bulk case). */
  char *multi_sql;
  sqlite3_stmt *multi;
  gint64 max_rowid;  /* the table's largest id: a new row gets the next */
  int n_params;      /* ?1 external_id ?2 email ?3 phone, then the mapped fields */
  int param_of[OUTREACH_DONOR_N_FIELDS];
  int extra_param;
  int now_param;
  int id_param;

  /* Donors without an external id exist (before or from this import):
   * a row with an external id may then be one of them, found by e-mail. */
  gboolean loose_donors;
  /* The e-mail and phone indexes were dropped for a bulk load into an
   * empty table, and must be rebuilt before a lookup and at the end. */
  gboolean indexes_dropped[2]; /* e-mail, phone */

  OutreachDonorImportProgressFunc progress;
  gpointer progress_data;
} ImportState;

/* The e-mail and phone indexes of 001-initial.sql, rebuilt after a bulk
 * load; keep them in step with the schema. */
static const char *const index_sql[2] = {
  "CREATE INDEX donors_email ON donors (email COLLATE NOCASE) WHERE email IS NOT NULL",
  "CREATE INDEX donors_phone ON donors (phone) WHERE phone IS NOT NULL",
};
static const char *const drop_index_sql[2] = {
  "DROP INDEX IF EXISTS donors_email",
  "DROP INDEX IF EXISTS donors_phone",
};

static gboolean
ensure_indexes (ImportState *state,
                GError     **error)
{
  for (int k = 0; k < 2; k++)
    {
      if (!state->indexes_dropped[k])
        continue;
      state->indexes_dropped[k] = FALSE;
      if (!outreach_store_exec (state->store, index_sql[k], error))
        return FALSE;
    }
  return TRUE;
}

/* The SQL depends on which fields the file has: a field it does not
 * have is left as it is on update. */
static void
build_sql (ImportState *state)
{
  OutreachDonorImport *self = state->self;
  g_autoptr (GString) cols = g_string_new ("external_id, email, phone");
  g_autoptr (GString) values = g_string_new ("?1, ?2, ?3");
  g_autoptr (GString) set = g_string_new ("email = coalesce (excluded.email, email), "
                                          "phone = coalesce (excluded.phone, phone)");
  g_autoptr (GString) old_row = g_string_new ("email, phone");
  g_autoptr (GString) new_row = g_string_new ("coalesce (excluded.email, email), "
                                              "coalesce (excluded.phone, phone)");
  g_autoptr (GString) uset = g_string_new ("external_id = coalesce (?1, external_id), "
                                           "email = coalesce (?2, email), "
                                           "phone = coalesce (?3, phone)");
  g_autoptr (GString) unew = g_string_new ("coalesce (?1, external_id), coalesce (?2, email), "
                                           "coalesce (?3, phone)");
  int p = 3;

  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    state->param_of[f] = -1;
  state->param_of[OUTREACH_DONOR_FIELD_EXTERNAL_ID] = 1;
  state->param_of[OUTREACH_DONOR_FIELD_EMAIL] = 2;
  state->param_of[OUTREACH_DONOR_FIELD_PHONE] = 3;

  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    {
      const char *name = outreach_donor_field_to_string (f);

      if (state->param_of[f] > 0 || self->column_of[f] < 0)
        continue;
      state->param_of[f] = ++p;
      g_string_append_printf (cols, ", %s", name);
      g_string_append_printf (values, ", ?%d", p);
      g_string_append_printf (set, ", %s = excluded.%s", name, name);
      g_string_append_printf (old_row, ", %s", name);
      g_string_append_printf (new_row, ", excluded.%s", name);
      g_string_append_printf (uset, ", %s = ?%d", name, p);
      g_string_append_printf (unew, ", ?%d", p);
    }

  state->extra_param = -1;
  if (self->has_extra)
    {
      state->extra_param = ++p;
      g_string_append (cols, ", extra");
      g_string_append_printf (values, ", ?%d", p);
      g_string_append (set, ", extra = json_patch (extra, excluded.extra)");
      g_string_append (old_row, ", extra");
      g_string_append (new_row, ", json_patch (extra, excluded.extra)");
      g_string_append_printf (uset, ", extra = json_patch (extra, ?%d)", p);
      g_string_append_printf (unew, ", json_patch (extra, ?%d)", p);
    }
  state->now_param = ++p;
  state->id_param = ++p;
  state->n_params = p;

  state->upsert_sql = g_strdup_printf (
    "INSERT INTO donors (%s, created_at, updated_at) VALUES (%s, ?%d, ?%d) "
    "ON CONFLICT (external_id) DO UPDATE SET %s, updated_at = excluded.updated_at "
    "WHERE (%s) IS NOT (%s)",
    cols->str, values->str, state->now_param, state->now_param, set->str, old_row->str,
    new_row->str);
  {
    g_autoptr (GString) rows = g_string_new (NULL);

    for (int r = 0; r < MULTI_ROWS; r++)
      {
        int offset = r * state->now_param;

        g_string_append (rows, r > 0 ? ", (" : "(");
        for (int j = 1; j < state->now_param; j++)
          g_string_append_printf (rows, "?%d, ", j + offset);
        g_string_append_printf (rows, "?%d, ?%d)", state->now_param + offset,
                                state->now_param + offset);
      }
    state->multi_sql = g_strdup_printf (
      "INSERT INTO donors (%s, created_at, updated_at) VALUES %s "
      "ON CONFLICT (external_id) DO UPDATE SET %s, updated_at = excluded.updated_at "
      "WHERE (%s) IS NOT (%s)",
      cols->str, rows->str, set->str, old_row->str, new_row->str);
  }
  state->update_sql = g_strdup_printf (
    "UPDATE donors SET %s, updated_at = ?%d WHERE id = ?%d AND "
    "(external_id, %s) IS NOT (%s)",
    uset->str, state->now_param, state->id_param, old_row->str, unew->str);
}

static void
bind_row (ImportState    *state,
          sqlite3_stmt   *stmt,
          const DonorRow *row,
          int             offset)
{
  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    {
      int p = state->param_of[f];

      if (p < 0)
        continue;
      p += offset;
      if (f == OUTREACH_DONOR_FIELD_LAST_GIFT_AMOUNT)
        {
          if (row->has_amount)
            sqlite3_bind_int64 (stmt, p, row->amount);
          else
            sqlite3_bind_null (stmt, p);
        }
      else if (f == OUTREACH_DONOR_FIELD_DO_NOT_CONTACT)
        sqlite3_bind_int (stmt, p, row->do_not_contact);
      else if (row->text[f] != NULL)
        sqlite3_bind_text (stmt, p, row->text[f], -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, p);
    }
  if (state->extra_param > 0)
    sqlite3_bind_text (stmt, state->extra_param + offset,
                       row->extra != NULL ? row->extra->str : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, state->now_param + offset, state->now);
}

/* Returns the id of the donor a row without a matching external id is,
 * by e-mail then phone, or 0. */
static gboolean
find_donor (ImportState    *state,
            const DonorRow *row,
            gboolean        loose_only,
            gint64         *id,
            GError        **error)
{
  static const char *const sql[2][2] = {
    { "SELECT id FROM donors WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
      "SELECT id FROM donors WHERE phone = ?1 ORDER BY id LIMIT 1" },
    { "SELECT id FROM donors WHERE email = ?1 COLLATE NOCASE AND external_id IS NULL "
      "ORDER BY id LIMIT 1",
      "SELECT id FROM donors WHERE phone = ?1 AND external_id IS NULL ORDER BY id LIMIT 1" },
  };
  const char *keys[2] = { row->text[OUTREACH_DONOR_FIELD_EMAIL],
                          row->text[OUTREACH_DONOR_FIELD_PHONE] };

  *id = 0;
  if (!ensure_indexes (state, error))
    return FALSE;

  for (int k = 0; k < 2; k++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (keys[k] == NULL)
        continue;
      stmt = outreach_store_prepare (state->store, sql[loose_only][k], error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, keys[k], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return outreach_store_set_error (state->store, rc, _("look up a donor"), error);
      if (*id != 0)
        return TRUE;
    }
  return TRUE;
}

static gboolean
external_id_exists (ImportState *state,
                    const char  *external_id,
                    gboolean    *exists,
                    GError     **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (state->store,
                                               "SELECT 1 FROM donors WHERE external_id = ?1",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return outreach_store_set_error (state->store, rc, _("look up a donor"), error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
write_row (ImportState    *state,
           const DonorRow *row,
           GError        **error)
{
  OutreachDonorImport *self = state->self;
  sqlite3 *db = outreach_store_get_db (state->store);
  const char *external_id = row->text[OUTREACH_DONOR_FIELD_EXTERNAL_ID];
  gint64 id = 0;
  sqlite3_stmt *stmt;
  sqlite3_int64 changes_before;
  int rc;

  if (external_id == NULL)
    {
      if (!find_donor (state, row, FALSE, &id, error))
        return FALSE;
      state->loose_donors = TRUE;
    }
  else if (state->loose_donors)
    {
      gboolean exists = FALSE;

      if (!external_id_exists (state, external_id, &exists, error))
        return FALSE;
      if (!exists && !find_donor (state, row, TRUE, &id, error))
        return FALSE;
    }

  stmt = id != 0 ? state->update : state->upsert;
  bind_row (state, stmt, row, 0);
  if (id != 0)
    sqlite3_bind_int64 (stmt, state->id_param, id);

  changes_before = sqlite3_total_changes64 (db);
  /* An upsert that updates leaves last_insert_rowid alone; zero tells a
   * new row (rowid ≥ 1) from that. */
  sqlite3_set_last_insert_rowid (db, 0);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return outreach_store_set_error (state->store, rc, _("save a donor"), error);

  if (sqlite3_total_changes64 (db) == changes_before)
    self->n_unchanged++;
  else if (id == 0 && sqlite3_last_insert_rowid (db) != 0)
    {
      self->n_new++;
      state->max_rowid = MAX (state->max_rowid, sqlite3_last_insert_rowid (db));
    }
  else
    self->n_updated++;

  return TRUE;
}

static gboolean
prepare (ImportState   *state,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  int rc = sqlite3_prepare_v3 (outreach_store_get_db (state->store), sql, -1,
                               SQLITE_PREPARE_PERSISTENT, stmt, NULL);

  if (rc != SQLITE_OK)
    return outreach_store_set_error (state->store, rc, _("prepare the import"), error);
  return TRUE;
}

/* The file is read and validated in a thread of its own while this one
 * writes: the two halves cost about the same, so a large import takes
 * about half as long. Rows travel in batches, copied into one buffer
 * each; a few batches circulate, which bounds the memory used. */

#define BATCH_ROWS 2000
#define N_BATCHES 6

typedef struct
{
  gsize text[OUTREACH_DONOR_N_FIELDS]; /* offset + 1 in arena; 0 = NULL */
  gsize extra;                         /* offset + 1 in arena; 0 = none */
  gint64 amount;
  gboolean has_amount;
  gboolean do_not_contact;
  guint64 line;
} BatchRow;

typedef struct
{
  GString *arena;
  GArray *rows;
  double fraction;
  guint64 rows_read;
  gboolean last;
  GError *error; /* why reading stopped, on the last batch */
} Batch;

typedef struct
{
  OutreachDonorImport *self;
  OutreachCsvReader *reader;
  GCancellable *cancellable;
  GAsyncQueue *free_batches;
  GAsyncQueue *full_batches;
  Batch *batch;        /* being filled by the reader thread */
  gboolean header_ok;  /* written by the reader before its first push */
  gboolean header_done;
  int stop;            /* atomic: the writer failed, stop reading */
} Pipeline;

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->arena = g_string_sized_new (BATCH_ROWS * 160);
  batch->rows = g_array_sized_new (FALSE, FALSE, sizeof (BatchRow), BATCH_ROWS);
  return batch;
}

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  g_string_free (batch->arena, TRUE);
  g_array_unref (batch->rows);
  g_clear_error (&batch->error);
  g_free (batch);
}

static gsize
batch_add_string (Batch      *batch,
                  const char *text)
{
  gsize offset;

  if (text == NULL)
    return 0;
  offset = batch->arena->len;
  g_string_append (batch->arena, text);
  g_string_append_c (batch->arena, '\0');
  return offset + 1;
}

static void
push_batch (Pipeline *pipeline)
{
  guint64 size = outreach_csv_reader_get_size (pipeline->reader);

  pipeline->batch->fraction =
    size > 0 ? MIN (1.0, (double) outreach_csv_reader_get_bytes_read (pipeline->reader) / size)
             : 0.0;
  pipeline->batch->rows_read = pipeline->self->n_rows;
  g_async_queue_push (pipeline->full_batches, pipeline->batch);
  pipeline->batch = NULL;
}

static gboolean
reader_record_cb (const OutreachCsvRecord *record,
                  gpointer                 user_data,
                  GError                 **error)
{
  Pipeline *pipeline = user_data;
  OutreachDonorImport *self = pipeline->self;
  BatchRow batch_row;
  char *issue;
  DonorRow row;

  if (g_atomic_int_get (&pipeline->stop))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The import was stopped"));
      return FALSE;
    }

  if (!pipeline->header_done)
    {
      pipeline->header_done = TRUE;
      pipeline->header_ok = read_header (self, record, error);
      return pipeline->header_ok;
    }
  if (record_is_blank (record))
    return TRUE;

  self->n_rows++;
  if (self->samples->len < SAMPLE_ROWS)
    keep_sample (self, record, SAMPLE_ROWS);

  issue = parse_row (self, record, &row);
  if (issue != NULL)
    {
      add_issue (self, record->line, issue);
      return TRUE;
    }

  if (pipeline->batch == NULL)
    pipeline->batch = g_async_queue_pop (pipeline->free_batches);

  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    batch_row.text[f] = batch_add_string (pipeline->batch, row.text[f]);
  batch_row.extra = batch_add_string (pipeline->batch, row.extra != NULL ? row.extra->str : NULL);
  batch_row.amount = row.amount;
  batch_row.has_amount = row.has_amount;
  batch_row.do_not_contact = row.do_not_contact;
  batch_row.line = record->line;
  g_array_append_val (pipeline->batch->rows, batch_row);
  donor_row_clear (&row);

  if (pipeline->batch->rows->len >= BATCH_ROWS)
    push_batch (pipeline);
  return TRUE;
}

static gpointer
reader_thread (gpointer data)
{
  Pipeline *pipeline = data;
  GError *error = NULL;

  outreach_csv_reader_read (pipeline->reader, reader_record_cb, pipeline,
                            pipeline->cancellable, &error);
  if (pipeline->batch == NULL)
    pipeline->batch = g_async_queue_pop (pipeline->free_batches);
  pipeline->batch->last = TRUE;
  pipeline->batch->error = error;
  push_batch (pipeline);
  return NULL;
}

static void
donor_row_from_batch (const Batch    *batch,
                      const BatchRow *batch_row,
                      DonorRow       *row)
{
  memset (row, 0, sizeof *row);
  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    row->text[f] = batch_row->text[f] != 0 ? batch->arena->str + batch_row->text[f] - 1 : NULL;
  if (batch_row->extra != 0)
    row->extra = g_string_new (batch->arena->str + batch_row->extra - 1);
  row->amount = batch_row->amount;
  row->has_amount = batch_row->has_amount;
  row->do_not_contact = batch_row->do_not_contact;
}

/* Writes MULTI_ROWS rows keyed by external id in one statement. Every new
 * row gets the next id, so the ids tell new rows from updated ones. */
static gboolean
write_multi (ImportState     *state,
             const Batch     *batch,
             const BatchRow **rows,
             GError         **error)
{
  OutreachDonorImport *self = state->self;
  sqlite3 *db = outreach_store_get_db (state->store);
  DonorRow donor_rows[MULTI_ROWS];
  sqlite3_int64 changes_before = sqlite3_total_changes64 (db);
  gint64 inserted = 0, changed;
  int rc;

  for (int r = 0; r < MULTI_ROWS; r++)
    {
      donor_row_from_batch (batch, rows[r], &donor_rows[r]);
      bind_row (state, state->multi, &donor_rows[r], r * state->now_param);
    }
  sqlite3_set_last_insert_rowid (db, 0);
  rc = sqlite3_step (state->multi);
  sqlite3_reset (state->multi);
  for (int r = 0; r < MULTI_ROWS; r++)
    donor_row_clear (&donor_rows[r]);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (state->store, rc, _("save a donor"), error);
      g_prefix_error (error, _("%s, lines %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT ": "),
                      self->path, rows[0]->line, rows[MULTI_ROWS - 1]->line);
      return FALSE;
    }

  if (sqlite3_last_insert_rowid (db) != 0)
    {
      inserted = sqlite3_last_insert_rowid (db) - state->max_rowid;
      state->max_rowid = sqlite3_last_insert_rowid (db);
    }
  changed = sqlite3_total_changes64 (db) - changes_before;
  self->n_new += inserted;
  self->n_updated += changed - inserted;
  self->n_unchanged += MULTI_ROWS - changed;
  return TRUE;
}

static gboolean
write_single (ImportState    *state,
              const Batch    *batch,
              const BatchRow *batch_row,
              GError        **error)
{
  DonorRow row;
  gboolean ok;

  donor_row_from_batch (batch, batch_row, &row);
  ok = write_row (state, &row, error);
  donor_row_clear (&row);
  if (!ok)
    g_prefix_error (error, _("%s, line %" G_GUINT64_FORMAT ": "), state->self->path,
                    batch_row->line);
  return ok;
}

static gboolean
write_batch (ImportState *state,
             Batch       *batch,
             GError     **error)
{
  const BatchRow *pending[MULTI_ROWS];
  guint n_pending = 0;

  for (guint i = 0; i < batch->rows->len; i++)
    {
      const BatchRow *batch_row = &g_array_index (batch->rows, BatchRow, i);

      /* Only a row with an external id, when no donor lacks one, is a
       * plain upsert on the external id. */
      if (batch_row->text[OUTREACH_DONOR_FIELD_EXTERNAL_ID] != 0 && !state->loose_donors)
        {
          pending[n_pending++] = batch_row;
          if (n_pending == MULTI_ROWS)
            {
              if (!write_multi (state, batch, pending, error))
                return FALSE;
              n_pending = 0;
            }
          continue;
        }

      for (guint k = 0; k < n_pending; k++)
        if (!write_single (state, batch, pending[k], error))
          return FALSE;
      n_pending = 0;
      if (!write_single (state, batch, batch_row, error))
        return FALSE;
    }

  for (guint k = 0; k < n_pending; k++)
    if (!write_single (state, batch, pending[k], error))
      return FALSE;
  return TRUE;
}

/* Runs the pipeline; returns with the whole file written or an error. */
static gboolean
import_rows (ImportState  *state,
             GCancellable *cancellable,
             GError      **error)
{
  Pipeline pipeline = { 0 };
  GThread *thread;
  gboolean prepared = FALSE;
  gboolean failed = FALSE;
  guint64 last_progress = 0;

  pipeline.self = state->self;
  pipeline.reader = state->reader;
  pipeline.cancellable = cancellable;
  pipeline.free_batches = g_async_queue_new_full (batch_free);
  pipeline.full_batches = g_async_queue_new_full (batch_free);
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (pipeline.free_batches, batch_new ());

  thread = g_thread_new ("outreach-import-read", reader_thread, &pipeline);

  for (;;)
    {
      Batch *batch = g_async_queue_pop (pipeline.full_batches);
      gboolean last = batch->last;

      if (!failed && !prepared && pipeline.header_ok)
        {
          build_sql (state);
          prepared = TRUE;
          if (!prepare (state, state->upsert_sql, &state->upsert, error) ||
              !prepare (state, state->update_sql, &state->update, error) ||
              !prepare (state, state->multi_sql, &state->multi, error))
            failed = TRUE;
        }
      if (!failed && prepared && !write_batch (state, batch, error))
        failed = TRUE;
      if (failed)
        g_atomic_int_set (&pipeline.stop, 1);

      if (!failed && state->progress != NULL &&
          (last || batch->rows_read - last_progress >= PROGRESS_EVERY))
        {
          last_progress = batch->rows_read;
          state->progress (batch->fraction, batch->rows_read, state->progress_data);
        }

      if (last && !failed && batch->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&batch->error));
          failed = TRUE;
        }

      g_string_truncate (batch->arena, 0);
      g_array_set_size (batch->rows, 0);
      g_clear_error (&batch->error);
      batch->last = FALSE;
      g_async_queue_push (pipeline.free_batches, batch);
      if (last)
        break;
    }

  g_thread_join (thread);
  g_async_queue_unref (pipeline.free_batches);
  g_async_queue_unref (pipeline.full_batches);
  return !failed;
}

/* Sets the journal mode without waiting for other connections (leaving
 * WAL needs the database to itself). Returns the mode in effect. */
static char *
set_journal_mode (OutreachStore *store,
                  const char    *mode)
{
  sqlite3 *db = outreach_store_get_db (store);
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  sqlite3_busy_timeout (db, 0);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    result = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1);
  sqlite3_finalize (stmt);
  /* The store's busy timeout (outreach-store.c). */
  sqlite3_busy_timeout (db, 5000);
  return result;
}

/* A bulk load into an empty donors table, by a process alone on the
 * database (the CLI, typically), goes through the rollback journal: in
 * WAL mode every page would be written twice (WAL, then checkpoint),
 * while a rollback journal of pages that were empty holds almost
 * nothing. It is as atomic: a crash leaves a hot journal that the next
 * open rolls back. With another connection open (the app), WAL stays. */
static gboolean
use_rollback_journal (OutreachStore *store)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM donors)", NULL);
  g_autofree char *mode = NULL;
  gboolean empty = FALSE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) == 0;
  sqlite3_reset (stmt);
  if (!empty)
    return FALSE;

  mode = set_journal_mode (store, "DELETE");
  return g_strcmp0 (mode, "delete") == 0;
}

static gboolean
header_only_cb (const OutreachCsvRecord *record,
                gpointer                 user_data,
                GError                 **error)
{
  OutreachDonorImport *self = user_data;

  if (!read_header (self, record, error))
    return FALSE;
  /* Stop here: only the header was wanted. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "header read");
  return FALSE;
}

/* Reads the header row alone, to know the columns before the import. */
static gboolean
outreach_donor_import_peek_header (OutreachDonorImport *self,
                                   GError             **error)
{
  g_autoptr (OutreachCsvReader) reader = outreach_csv_reader_new (self->path, self->delimiter,
                                                                  self->encoding);
  g_autoptr (GError) local_error = NULL;

  if (outreach_csv_reader_read (reader, header_only_cb, self, NULL, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * outreach_donor_import_run:
 * @store: a connection of its own (the import holds a write transaction)
 * @progress: (nullable): called in this thread every few thousand rows
 *
 * Imports the file in one transaction. Rows with bad values are skipped
 * and reported (outreach_donor_import_get_issues()); a file that cannot
 * be read at all, a database error or @cancellable leaves the database
 * unchanged and returns %FALSE.
 */
gboolean
outreach_donor_import_run (OutreachDonorImport            *self,
                           OutreachStore                  *store,
                           OutreachDonorImportProgressFunc progress,
                           gpointer                        user_data,
                           GCancellable                   *cancellable,
                           GError                        **error)
{
  g_autoptr (OutreachCsvReader) reader = NULL;
  ImportState state = { 0 };
  gint64 n_donors = 0;
  gint64 t0, t1, t2, t3;
  gboolean rollback_journal = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), FALSE);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  reset_report (self);
  reader = outreach_csv_reader_new (self->path, self->delimiter, self->encoding);

  state.self = self;
  state.store = store;
  state.reader = reader;
  state.now = g_get_real_time () / G_USEC_PER_SEC;
  state.progress = progress;
  state.progress_data = user_data;

  /* A bigger page cache for this connection: a large import touches many
   * index pages. */
  /* Every value was validated above by the same rules as the donors
   * table's CHECK constraints (address syntax and lengths, E.164, ISO
   * dates, amounts ≥ 0, JSON built here, e-mail or phone present), so
   * SQLite need not test them again; evaluating them (json_valid and
   * GLOBs) was a third of the insert time of a large import. The tests
   * run PRAGMA integrity_check, which tests the constraints, after every
   * import. */
  if (!outreach_store_exec (store, "PRAGMA cache_size = -49152; "
                                   "PRAGMA ignore_check_constraints = ON", error))
    return FALSE;
  rollback_journal = use_rollback_journal (store);
  if (!outreach_store_begin (store, error))
    goto out;

  {
    sqlite3_stmt *stmt = outreach_store_prepare (
      store, "SELECT (SELECT count(*) FROM donors), "
             "EXISTS (SELECT 1 FROM donors WHERE external_id IS NULL), "
             "(SELECT coalesce (max (id), 0) FROM donors)", error);
    if (stmt == NULL)
      goto out;
    if (sqlite3_step (stmt) == SQLITE_ROW)
      {
        n_donors = sqlite3_column_int64 (stmt, 0);
        state.loose_donors = sqlite3_column_int (stmt, 1);
        state.max_rowid = sqlite3_column_int64 (stmt, 2);
      }
    sqlite3_reset (stmt);
  }

  /* Into an empty table, the e-mail and phone indexes are built once at
   * the end (a sort) rather than row by row; the transaction keeps this
   * invisible to other connections. */
  if (n_donors == 0)
    {
      if (!outreach_donor_import_peek_header (self, error))
        goto out;
      /* A partial index costs nothing for rows it leaves out: only the
       * index of a column the file has is worth dropping. */
      for (int k = 0; k < 2; k++)
        {
          OutreachDonorField field = k == 0 ? OUTREACH_DONOR_FIELD_EMAIL : OUTREACH_DONOR_FIELD_PHONE;

          if (self->column_of[field] < 0)
            continue;
          if (!outreach_store_exec (store, drop_index_sql[k], error))
            goto out;
          state.indexes_dropped[k] = TRUE;
        }
    }

  t0 = g_get_monotonic_time ();
  if (!import_rows (&state, cancellable, error))
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  t1 = g_get_monotonic_time ();
  /* SQLite's sorter (CREATE INDEX) is faster with a small cache than a
   * big one: it sorts cache-sized runs, then merges them (measured: 0.5 MB
   * about 20 % less CPU than the default 2 MB, 64 MB twice as slow). */
  if (!outreach_store_exec (store, "PRAGMA cache_size = -500", error) ||
      !ensure_indexes (&state, error))
    goto out;
  t2 = g_get_monotonic_time ();
  if (!outreach_store_commit (store, error))
    goto out;
  t3 = g_get_monotonic_time ();
  /* G_MESSAGES_DEBUG=outreach-donor shows where a large import spends its time. */
  g_debug ("import: rows %.2f s, indexes %.2f s, commit %.2f s",
           (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);

  self->delimiter = outreach_csv_reader_get_delimiter (reader);
  if (progress != NULL)
    progress (1.0, self->n_rows, user_data);
  ok = TRUE;

out:
  if (!ok)
    {
      outreach_store_rollback (store);
      self->n_new = self->n_updated = self->n_unchanged = 0;
    }
  outreach_store_exec (store, "PRAGMA cache_size = -2000; PRAGMA ignore_check_constraints = OFF",
                       NULL);
  g_clear_pointer (&state.upsert, sqlite3_finalize);
  g_clear_pointer (&state.update, sqlite3_finalize);
  g_clear_pointer (&state.multi, sqlite3_finalize);
  if (rollback_journal)
    set_journal_mode (store, "WAL");
  g_free (state.multi_sql);
  g_free (state.upsert_sql);
  g_free (state.update_sql);
  return ok;
}

typedef struct
{
  OutreachStore *store;
  OutreachDonorImportProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
} RunData;

typedef struct
{
  OutreachDonorImportProgressFunc progress;
  gpointer progress_data;
  double fraction;
  guint64 rows;
} ProgressCall;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->store);
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
progress_idle_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->fraction, call->rows, call->progress_data);
  return G_SOURCE_REMOVE;
}

static void
thread_progress_cb (double   fraction,
                    guint64  rows,
                    gpointer user_data)
{
  RunData *data = user_data;
  ProgressCall *call = g_new (ProgressCall, 1);

  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->fraction = fraction;
  call->rows = rows;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_idle_cb, call, g_free);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  OutreachDonorImport *self = source_object;
  RunData *data = task_data;
  g_autoptr (OutreachStore) store = NULL;
  GError *error = NULL;

  store = outreach_store_reopen (data->store, &error);
  if (store == NULL ||
      !outreach_donor_import_run (self, store, data->progress != NULL ? thread_progress_cb : NULL,
                                  data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * outreach_donor_import_run_async:
 * @progress: (nullable): called on the caller's main context
 *
 * Runs the import in a thread, on a connection of its own. Do not touch
 * @self until it finishes.
 */
void
outreach_donor_import_run_async (OutreachDonorImport            *self,
                                 OutreachStore                  *store,
                                 OutreachDonorImportProgressFunc progress,
                                 gpointer                        progress_data,
                                 GCancellable                   *cancellable,
                                 GAsyncReadyCallback             callback,
                                 gpointer                        user_data)
{
  g_autoptr (GTask) task = NULL;
  RunData *data;

  g_return_if_fail (OUTREACH_IS_DONOR_IMPORT (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  data = g_new0 (RunData, 1);
  data->store = g_object_ref (store);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, outreach_donor_import_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

gboolean
outreach_donor_import_run_finish (OutreachDonorImport *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
outreach_donor_import_get_n_columns (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->n_columns;
}

const char *
outreach_donor_import_get_column (OutreachDonorImport *self,
                                  guint                column)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->columns[column];
}

OutreachDonorField
outreach_donor_import_get_column_field (OutreachDonorImport *self,
                                        guint                column)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), OUTREACH_DONOR_FIELD_IGNORE);
  g_return_val_if_fail (column < self->n_columns, OUTREACH_DONOR_FIELD_IGNORE);
  return self->fields[column];
}

/**
 * outreach_donor_import_get_sample_rows:
 *
 * Returns: (transfer none) (element-type GStrv): the first rows, one
 *   value per column, as the file has them
 */
GPtrArray *
outreach_donor_import_get_sample_rows (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), NULL);
  return self->samples;
}

char
outreach_donor_import_get_delimiter (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->delimiter;
}

guint64
outreach_donor_import_get_n_rows (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->n_rows;
}

guint64
outreach_donor_import_get_n_new (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->n_new;
}

guint64
outreach_donor_import_get_n_updated (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->n_updated;
}

guint64
outreach_donor_import_get_n_unchanged (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->n_unchanged;
}

guint64
outreach_donor_import_get_n_skipped (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), 0);
  return self->n_skipped;
}

/**
 * outreach_donor_import_get_issues:
 *
 * Returns: (transfer none) (element-type OutreachImportIssue): the
 *   skipped rows and why (the first 1000; get_n_skipped() counts all)
 */
GPtrArray *
outreach_donor_import_get_issues (OutreachDonorImport *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_IMPORT (self), NULL);
  return self->issues;
}
