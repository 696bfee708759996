/* outreach-csv-reader.h — reading a spreadsheet's CSV export, record by record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OUTREACH_CSV_ERROR (outreach_csv_error_quark ())

typedef enum
{
  OUTREACH_CSV_ERROR_EMPTY,
  OUTREACH_CSV_ERROR_ENCODING,
  OUTREACH_CSV_ERROR_BINARY,
  OUTREACH_CSV_ERROR_UNTERMINATED,
  OUTREACH_CSV_ERROR_IO,
  OUTREACH_CSV_ERROR_USAGE,
} OutreachCsvError;

typedef enum
{
  OUTREACH_CSV_ENCODING_AUTO,
  OUTREACH_CSV_ENCODING_UTF8,
  OUTREACH_CSV_ENCODING_WINDOWS_1252,
} OutreachCsvEncoding;

/* One record: its fields, decoded to UTF-8 and NUL-terminated, and the
 * physical line of the file where it starts (1-based, header = line 1). */
typedef struct
{
  guint64      line;
  guint        n_fields;
  char       **fields;
  gsize       *lengths;
} OutreachCsvRecord;

/* Return FALSE (with @error set) to stop reading. */
typedef gboolean (*OutreachCsvRecordFunc) (const OutreachCsvRecord *record,
                                           gpointer                 user_data,
                                           GError                 **error);

#define OUTREACH_TYPE_CSV_READER (outreach_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (OutreachCsvReader, outreach_csv_reader, OUTREACH, CSV_READER, GObject)

GQuark              outreach_csv_error_quark             (void);

gboolean            outreach_csv_encoding_from_string    (const char          *name,
                                                          OutreachCsvEncoding *encoding);

OutreachCsvReader  *outreach_csv_reader_new              (const char          *path,
                                                          char                 delimiter,
                                                          OutreachCsvEncoding  encoding);
gboolean            outreach_csv_reader_read             (OutreachCsvReader    *self,
                                                          OutreachCsvRecordFunc func,
                                                          gpointer              user_data,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
char                outreach_csv_reader_get_delimiter    (OutreachCsvReader    *self);
OutreachCsvEncoding outreach_csv_reader_get_encoding     (OutreachCsvReader    *self);
guint64             outreach_csv_reader_get_bytes_read   (OutreachCsvReader    *self);
guint64             outreach_csv_reader_get_size         (OutreachCsvReader    *self);
const char         *outreach_csv_reader_get_path         (OutreachCsvReader    *self);

G_END_DECLS
