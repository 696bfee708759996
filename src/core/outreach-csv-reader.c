/* outreach-csv-reader.c — reading a spreadsheet's CSV export, record by record
 *
 * libcsv does the RFC 4180 work (quotes, doubled quotes, delimiters and
 * line breaks inside quotes, CRLF or LF). Around it this file adds what
 * real exports need: a BOM, a guessed delimiter, Windows-1252 files, the
 * line each record starts on, and clear refusals of binary input. The
 * file is streamed in blocks so a file of any size costs the same memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-csv"

#include "config.h"

#include "outreach-csv-reader.h"

#include <csv.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK_SIZE (256 * 1024)
#define CANCEL_CHECK_EVERY 4096

/* libcsv's parser states (csv.c); 0 means between records. */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2

struct _OutreachCsvReader
{
  GObject parent_instance;

  char *path;
  char delimiter;               /* 0 until guessed */
  OutreachCsvEncoding encoding; /* AUTO until the first non-ASCII byte decides */
  gboolean seen_utf8;           /* a valid multi-byte UTF-8 sequence was read */

  guint64 size;
  guint64 bytes_read;

  /* The record being assembled: field bytes (each NUL-terminated) in one
   * buffer, so a million records cost no allocation per field. */
  GString *arena;
  GArray *offsets;   /* gsize, start of each field in arena */
  GArray *lengths;   /* gsize */
  GPtrArray *fields; /* char*, rebuilt per record */

  guint64 line;        /* physical line being fed */
  guint64 record_line; /* where the current record started */
  guint64 n_records;

  OutreachCsvRecordFunc func;
  gpointer user_data;
  GCancellable *cancellable;
  GError *error; /* set by a callback to stop */
};

G_DEFINE_FINAL_TYPE (OutreachCsvReader, outreach_csv_reader, G_TYPE_OBJECT)
G_DEFINE_QUARK (outreach-csv-error-quark, outreach_csv_error)

/* Windows-1252 bytes 0x80–0x9F; 0 marks the five bytes it leaves undefined. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static void
outreach_csv_reader_finalize (GObject *object)
{
  OutreachCsvReader *self = OUTREACH_CSV_READER (object);

  g_free (self->path);
  g_string_free (self->arena, TRUE);
  g_array_unref (self->offsets);
  g_array_unref (self->lengths);
  g_ptr_array_unref (self->fields);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (outreach_csv_reader_parent_class)->finalize (object);
}

static void
outreach_csv_reader_class_init (OutreachCsvReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_csv_reader_finalize;
}

static void
outreach_csv_reader_init (OutreachCsvReader *self)
{
  self->arena = g_string_sized_new (4096);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->fields = g_ptr_array_new ();
}

/**
 * outreach_csv_encoding_from_string:
 * @name: "auto", "utf-8" or "windows-1252" (and common spellings)
 *
 * Returns: whether @name is an encoding Outreach reads
 */
gboolean
outreach_csv_encoding_from_string (const char          *name,
                                   OutreachCsvEncoding *encoding)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  lower = g_ascii_strdown (name, -1);
  if (g_str_equal (lower, "auto"))
    *encoding = OUTREACH_CSV_ENCODING_AUTO;
  else if (g_str_equal (lower, "utf-8") || g_str_equal (lower, "utf8"))
    *encoding = OUTREACH_CSV_ENCODING_UTF8;
  else if (g_str_equal (lower, "windows-1252") || g_str_equal (lower, "cp1252") ||
           g_str_equal (lower, "latin1") || g_str_equal (lower, "latin-1") ||
           g_str_equal (lower, "iso-8859-1") || g_str_equal (lower, "iso-8859-15"))
    *encoding = OUTREACH_CSV_ENCODING_WINDOWS_1252;
  else
    return FALSE;

  return TRUE;
}

/**
 * outreach_csv_reader_new:
 * @delimiter: `,` `;` or TAB, or 0 to guess it from the header line
 * @encoding: %OUTREACH_CSV_ENCODING_AUTO reads UTF-8, falling back to
 *   Windows-1252 for a file whose first non-ASCII text is not UTF-8
 */
OutreachCsvReader *
outreach_csv_reader_new (const char          *path,
                         char                 delimiter,
                         OutreachCsvEncoding  encoding)
{
  OutreachCsvReader *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (OUTREACH_TYPE_CSV_READER, NULL);
  self->path = g_strdup (path);
  self->delimiter = delimiter;
  self->encoding = encoding;
  return self;
}

static gboolean
is_ascii (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
append_cp1252 (OutreachCsvReader *self,
               const guchar      *s,
               gsize              len)
{
  for (gsize i = 0; i < len; i++)
    {
      gunichar c = s[i];

      if (c >= 0x80 && c < 0xA0)
        {
          c = cp1252_high[c - 0x80];
          if (c == 0)
            {
              g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_ENCODING,
                           _("%s, line %" G_GUINT64_FORMAT ": the text is neither UTF-8 nor "
                             "Windows-1252 (byte 0x%02X); save the file as “CSV UTF-8” or "
                             "give its encoding with --encoding"),
                           self->path, self->line, s[i]);
              return FALSE;
            }
        }
      g_string_append_unichar (self->arena, c);
    }
  return TRUE;
}

static void
field_cb (void  *data,
          size_t len,
          void  *user_data)
{
  OutreachCsvReader *self = user_data;
  const char *s = data != NULL ? data : "";
  gsize start = self->arena->len;
  gsize length;

  if (self->error != NULL)
    return;

  if (self->offsets->len == 0)
    self->record_line = self->record_line != 0 ? self->record_line : self->line;

  if (is_ascii (s, len) || self->encoding == OUTREACH_CSV_ENCODING_UTF8)
    {
      if (self->encoding == OUTREACH_CSV_ENCODING_UTF8 && !g_utf8_validate_len (s, len, NULL))
        {
          g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_ENCODING,
                       _("%s, line %" G_GUINT64_FORMAT ": the text is not valid UTF-8; save "
                         "the file as “CSV UTF-8” or give its encoding with --encoding"),
                       self->path, self->line);
          return;
        }
      g_string_append_len (self->arena, s, len);
    }
  else if (self->encoding == OUTREACH_CSV_ENCODING_WINDOWS_1252)
    {
      if (!append_cp1252 (self, (const guchar *) s, len))
        return;
    }
  else if (g_utf8_validate_len (s, len, NULL))
    {
      self->seen_utf8 = TRUE;
      g_string_append_len (self->arena, s, len);
    }
  else if (!self->seen_utf8)
    {
      /* Everything before was ASCII, which reads the same either way:
       * this is a Windows-1252 file (Excel's "CSV" on Windows). */
      self->encoding = OUTREACH_CSV_ENCODING_WINDOWS_1252;
      if (!append_cp1252 (self, (const guchar *) s, len))
        return;
    }
  else
    {
      g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_ENCODING,
                   _("%s, line %" G_GUINT64_FORMAT ": the text is not valid UTF-8, though "
                     "earlier lines are; the file mixes encodings — save it again as "
                     "“CSV UTF-8”"),
                   self->path, self->line);
      return;
    }

  length = self->arena->len - start;
  g_string_append_c (self->arena, '\0');
  g_array_append_val (self->offsets, start);
  g_array_append_val (self->lengths, length);
}

static void
record_cb (int   terminator,
           void *user_data)
{
  OutreachCsvReader *self = user_data;
  OutreachCsvRecord record;

  if (self->error != NULL)
    return;

  g_ptr_array_set_size (self->fields, 0);
  for (guint i = 0; i < self->offsets->len; i++)
    g_ptr_array_add (self->fields, self->arena->str + g_array_index (self->offsets, gsize, i));

  record.line = self->record_line != 0 ? self->record_line : self->line;
  record.n_fields = self->offsets->len;
  record.fields = (char **) self->fields->pdata;
  record.lengths = (gsize *) (gpointer) self->lengths->data;

  self->n_records++;
  if (self->n_records % CANCEL_CHECK_EVERY == 0 &&
      g_cancellable_set_error_if_cancelled (self->cancellable, &self->error))
    return;

  if (record.n_fields > 0 && !self->func (&record, self->user_data, &self->error))
    {
      if (self->error == NULL)
        g_set_error_literal (&self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The import was stopped"));
    }

  g_string_truncate (self->arena, 0);
  g_array_set_size (self->offsets, 0);
  g_array_set_size (self->lengths, 0);
  self->record_line = 0;
}

/* Counts each candidate outside quotes on the header line and keeps the
 * most frequent; a header of one column has none, and is read with `,`. */
static char
guess_delimiter (const char *buf,
                 gsize       len)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  char best = ',';
  guint best_count = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = buf[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted)
        for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
          if (c == candidates[k])
            counts[k]++;
    }

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    if (counts[k] > best_count)
      {
        best = candidates[k];
        best_count = counts[k];
      }

  return best;
}

static int
space_only_cb (unsigned char c)
{
  return c == ' ';
}

static int
term_cb (unsigned char c)
{
  return c == '\n' || c == '\r';
}

/**
 * outreach_csv_reader_read:
 * @func: called with each record, the header first
 *
 * Reads the whole file. Stops at the first error: a file that is empty,
 * binary, UTF-16, in an encoding that cannot be read, or ends inside a
 * quoted field — each named with its line.
 */
gboolean
outreach_csv_reader_read (OutreachCsvReader    *self,
                          OutreachCsvRecordFunc func,
                          gpointer              user_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autofree char *buf = NULL;
  struct csv_parser parser;
  struct stat st;
  FILE *file;
  gboolean first_block = TRUE;
  gboolean at_line_start = TRUE;
  gboolean ok = FALSE;
  gsize n;

  g_return_val_if_fail (OUTREACH_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  file = g_fopen (self->path, "rbe");
  if (file == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_IO,
                   _("Could not open %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fileno (file), &st) == 0)
    self->size = st.st_size;

  if (csv_init (&parser, CSV_APPEND_NULL) != 0)
    g_error ("Out of memory");
  csv_set_term_func (&parser, term_cb);

  self->func = func;
  self->user_data = user_data;
  self->cancellable = cancellable;
  self->line = 1;
  self->record_line = 0;
  self->n_records = 0;
  self->bytes_read = 0;
  g_clear_error (&self->error);

  buf = g_malloc (BLOCK_SIZE);
  while ((n = fread (buf, 1, BLOCK_SIZE, file)) > 0)
    {
      const char *p = buf;
      const char *end = buf + n;

      if (first_block)
        {
          first_block = FALSE;
          if (n >= 2 && (((guchar) p[0] == 0xFF && (guchar) p[1] == 0xFE) ||
                         ((guchar) p[0] == 0xFE && (guchar) p[1] == 0xFF)))
            {
              g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_BINARY,
                           _("%s is UTF-16 text, which Outreach does not read; save it as "
                             "“CSV UTF-8”"),
                           self->path);
              goto out;
            }
          if (n >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
            {
              p += 3;
              /* A BOM says UTF-8; Windows-1252 was never asked for. */
              if (self->encoding == OUTREACH_CSV_ENCODING_AUTO)
                self->encoding = OUTREACH_CSV_ENCODING_UTF8;
            }
          if (self->delimiter == 0)
            self->delimiter = guess_delimiter (p, end - p);
          csv_set_delim (&parser, (unsigned char) self->delimiter);
          if (self->delimiter == '\t')
            csv_set_space_func (&parser, space_only_cb);
        }

      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *segment_end = nl != NULL ? nl + 1 : end;

          /* Where a record starts: the first line fed while libcsv is
           * between records (blank lines in between are skipped). */
          if (at_line_start && parser.pstate == CSV_ROW_NOT_BEGUN)
            self->record_line = self->line;

          if (memchr (p, '\0', segment_end - p) != NULL)
            {
              g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_BINARY,
                           _("%s, line %" G_GUINT64_FORMAT ": the file contains a NUL byte, "
                             "so it is not a text CSV file (a spreadsheet’s own format, or "
                             "UTF-16?); save it as “CSV UTF-8”"),
                           self->path, self->line);
              goto out;
            }

          if (csv_parse (&parser, p, segment_end - p, field_cb, record_cb, self)
              != (size_t) (segment_end - p))
            {
              if (self->error == NULL)
                g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_IO,
                             _("%s, line %" G_GUINT64_FORMAT ": %s"), self->path, self->line,
                             csv_strerror (csv_error (&parser)));
              goto out;
            }
          if (self->error != NULL)
            goto out;

          if (nl != NULL)
            {
              self->line++;
              at_line_start = TRUE;
            }
          else
            at_line_start = FALSE;
          p = segment_end;
        }
      self->bytes_read += n;
    }

  if (ferror (file))
    {
      g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_IO,
                   _("Could not read %s: %s"), self->path, g_strerror (errno));
      goto out;
    }

  {
    guint64 start_line = parser.pstate != CSV_ROW_NOT_BEGUN && self->record_line != 0
                           ? self->record_line : self->line;

    /* libcsv reports this only in strict mode, which also refuses the
     * stray quotes ("5" screen") that non-strict mode reads well. */
    if ((parser.pstate == CSV_FIELD_BEGUN && parser.quoted) ||
        csv_fini (&parser, field_cb, record_cb, self) != 0)
      {
        g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_UNTERMINATED,
                     _("%s, line %" G_GUINT64_FORMAT ": a quoted field starts here and its "
                       "closing quote (\") is missing; add it, or double any quote inside "
                       "the field"),
                     self->path, start_line);
        goto out;
      }
  }
  if (self->error != NULL)
    goto out;

  if (self->n_records == 0)
    {
      g_set_error (&self->error, OUTREACH_CSV_ERROR, OUTREACH_CSV_ERROR_EMPTY,
                   _("%s is empty: it has no header row; export it again with the column "
                     "names on the first line"),
                   self->path);
      goto out;
    }

  ok = TRUE;

out:
  csv_free (&parser);
  fclose (file);
  self->func = NULL;
  self->user_data = NULL;
  self->cancellable = NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->error));
  return ok;
}

char
outreach_csv_reader_get_delimiter (OutreachCsvReader *self)
{
  g_return_val_if_fail (OUTREACH_IS_CSV_READER (self), 0);
  return self->delimiter;
}

OutreachCsvEncoding
outreach_csv_reader_get_encoding (OutreachCsvReader *self)
{
  g_return_val_if_fail (OUTREACH_IS_CSV_READER (self), OUTREACH_CSV_ENCODING_AUTO);
  return self->encoding;
}

guint64
outreach_csv_reader_get_bytes_read (OutreachCsvReader *self)
{
  g_return_val_if_fail (OUTREACH_IS_CSV_READER (self), 0);
  return self->bytes_read;
}

guint64
outreach_csv_reader_get_size (OutreachCsvReader *self)
{
  g_return_val_if_fail (OUTREACH_IS_CSV_READER (self), 0);
  return self->size;
}

const char *
outreach_csv_reader_get_path (OutreachCsvReader *self)
{
  g_return_val_if_fail (OUTREACH_IS_CSV_READER (self), NULL);
  return self->path;
}
