/* outreach-donor-import.h — bringing a CSV file of donors into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-csv-reader.h"
#include "outreach-donor-mapping.h"
#include "outreach-donor-validate.h"
#include "outreach-store.h"

G_BEGIN_DECLS

/* A row the import skipped, and why. */
typedef struct
{
  guint64 line;
  char *message; /* "column “Email”: “x” is not an e-mail address (there is no @)" */
} OutreachImportIssue;

/* Called for each data row a preview reads: its values as the file has
 * them (one per column) and, when the row would be skipped, why. */
typedef void (*OutreachDonorImportRowFunc) (guint64            line,
                                            const char *const *values,
                                            guint              n_values,
                                            const char        *issue,
                                            gpointer           user_data);

/* Called every few thousand rows; @fraction is of the file's bytes. */
typedef void (*OutreachDonorImportProgressFunc) (double   fraction,
                                                 guint64  rows,
                                                 gpointer user_data);

#define OUTREACH_TYPE_DONOR_IMPORT (outreach_donor_import_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonorImport, outreach_donor_import, OUTREACH, DONOR_IMPORT, GObject)

OutreachDonorImport *outreach_donor_import_new             (const char          *path);
const char          *outreach_donor_import_get_path        (OutreachDonorImport *self);
void                 outreach_donor_import_set_delimiter   (OutreachDonorImport *self,
                                                            char                 delimiter);
void                 outreach_donor_import_set_encoding    (OutreachDonorImport *self,
                                                            OutreachCsvEncoding  encoding);
void                 outreach_donor_import_set_date_format (OutreachDonorImport *self,
                                                            OutreachDateFormat   format);
void                 outreach_donor_import_map             (OutreachDonorImport *self,
                                                            const char          *header,
                                                            OutreachDonorField   field);

gboolean             outreach_donor_import_preview         (OutreachDonorImport *self,
                                                            OutreachDonorImportRowFunc func,
                                                            gpointer             user_data,
                                                            GCancellable        *cancellable,
                                                            GError             **error);
gboolean             outreach_donor_import_run             (OutreachDonorImport *self,
                                                            OutreachStore       *store,
                                                            OutreachDonorImportProgressFunc progress,
                                                            gpointer             user_data,
                                                            GCancellable        *cancellable,
                                                            GError             **error);
void                 outreach_donor_import_run_async       (OutreachDonorImport *self,
                                                            OutreachStore       *store,
                                                            OutreachDonorImportProgressFunc progress,
                                                            gpointer             progress_data,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean             outreach_donor_import_run_finish      (OutreachDonorImport *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
void                 outreach_donor_import_preview_async   (OutreachDonorImport *self,
                                                            guint                max_rows,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean             outreach_donor_import_preview_finish  (OutreachDonorImport *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* What the header row said, after a preview or a run. */
guint                outreach_donor_import_get_n_columns   (OutreachDonorImport *self);
const char          *outreach_donor_import_get_column      (OutreachDonorImport *self,
                                                            guint                column);
OutreachDonorField   outreach_donor_import_get_column_field (OutreachDonorImport *self,
                                                            guint                column);
GPtrArray           *outreach_donor_import_get_sample_rows (OutreachDonorImport *self);
char                 outreach_donor_import_get_delimiter   (OutreachDonorImport *self);

/* The report, after a preview (issues, rows) or a run (all). */
guint64              outreach_donor_import_get_n_rows      (OutreachDonorImport *self);
guint64              outreach_donor_import_get_n_new       (OutreachDonorImport *self);
guint64              outreach_donor_import_get_n_updated   (OutreachDonorImport *self);
guint64              outreach_donor_import_get_n_unchanged (OutreachDonorImport *self);
guint64              outreach_donor_import_get_n_skipped   (OutreachDonorImport *self);
GPtrArray           *outreach_donor_import_get_issues      (OutreachDonorImport *self);

G_END_DECLS
