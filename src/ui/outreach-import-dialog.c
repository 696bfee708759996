/* outreach-import-dialog.c — choosing what each CSV column means, then importing
 *
 * The file is read and checked in a thread first (nothing written); the
 * dialog then shows each column's header, sample values and a field
 * drop-down pre-filled by the automatic mapping, and the rows that would
 * be skipped. Import runs in a thread with a progress bar and Cancel; the
 * import is one transaction, so a cancelled one leaves nothing behind.
 * "finished" carries a one-line report for the page's toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-import-dialog"

#include "config.h"

#include "outreach-import-dialog.h"

#include <glib/gi18n.h>

#define MAX_ERROR_ROWS 100
#define N_SAMPLES 3

struct _OutreachImportDialog
{
  AdwWindow parent_instance;

  OutreachStore *store;
  OutreachDonorImport *import;
  GCancellable *cancellable;
  GPtrArray *rows;      /* AdwComboRow per column */
  GPtrArray *error_rows;
  GtkStringList *field_names;
  gboolean ready;
  gboolean running;

  GtkButton *cancel_button;
  GtkButton *import_button;
  GtkStack *stack;
  AdwStatusPage *loading_status;
  GtkLabel *summary_label;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *errors_group;
  AdwComboRow *date_format_row;
  GtkProgressBar *progress_bar;
  AdwStatusPage *error_status;
};

G_DEFINE_FINAL_TYPE (OutreachImportDialog, outreach_import_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Drop-down position ↔ field: 0 keeps the column as a merge field,
 * 1 ignores it, then the donor fields in table order. */
static guint
field_to_position (OutreachDonorField field)
{
  if (field == OUTREACH_DONOR_FIELD_EXTRA)
    return 0;
  if (field == OUTREACH_DONOR_FIELD_IGNORE)
    return 1;
  return (guint) field + 2;
}

static OutreachDonorField
position_to_field (guint position)
{
  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return OUTREACH_DONOR_FIELD_EXTRA;
  if (position == 1)
    return OUTREACH_DONOR_FIELD_IGNORE;
  return (OutreachDonorField) (position - 2);
}

static void
show_error (OutreachImportDialog *self,
            const char           *message)
{
  adw_status_page_set_description (self->error_status, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
}

static char *
samples_for_column (OutreachDonorImport *import,
                    guint                column)
{
  GPtrArray *samples = outreach_donor_import_get_sample_rows (import);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < samples->len && i < N_SAMPLES; i++)
    {
      const char *value = ((char **) g_ptr_array_index (samples, i))[column];

      if (value[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_len (text, value, MIN (strlen (value), 40));
    }
  if (text->len == 0)
    g_string_append (text, _("(empty in the first rows)"));
  return g_markup_escape_text (text->str, -1);
}

static void
fill_mapping (OutreachImportDialog *self,
              const char           *problem)
{
  GPtrArray *issues = outreach_donor_import_get_issues (self->import);
  guint n_columns = outreach_donor_import_get_n_columns (self->import);
  guint64 n_rows = outreach_donor_import_get_n_rows (self->import);
  guint64 n_skipped = outreach_donor_import_get_n_skipped (self->import);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->columns_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->error_rows->len; i++)
    adw_preferences_group_remove (self->errors_group, self->error_rows->pdata[i]);
  g_ptr_array_set_size (self->error_rows, 0);

  for (guint i = 0; i < n_columns; i++)
    {
      const char *header = outreach_donor_import_get_column (self->import, i);
      g_autofree char *samples = samples_for_column (self->import, i);
      g_autofree char *title = g_markup_escape_text (header, -1);
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), samples);
      adw_combo_row_set_model (row, G_LIST_MODEL (self->field_names));
      adw_combo_row_set_selected (row, field_to_position (
                                         outreach_donor_import_get_column_field (self->import, i)));
      g_object_set_data_full (G_OBJECT (row), "header", g_strdup (header), g_free);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
    }

  for (guint i = 0; i < issues->len && i < MAX_ERROR_ROWS; i++)
    {
      OutreachImportIssue *issue = g_ptr_array_index (issues, i);
      g_autofree char *title = g_strdup_printf (_("Line %" G_GUINT64_FORMAT), issue->line);
      g_autofree char *message = g_markup_escape_text (issue->message, -1);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
      adw_preferences_group_add (self->errors_group, row);
      g_ptr_array_add (self->error_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), issues->len > 0);
  adw_preferences_group_set_description (self->errors_group, NULL);
  if (n_skipped > MAX_ERROR_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("The first %u of %" G_GUINT64_FORMAT " rows"),
                                               MAX_ERROR_ROWS, n_skipped);
      adw_preferences_group_set_description (self->errors_group, more);
    }

  if (problem != NULL)
    summary = g_strdup (problem);
  else if (n_skipped > 0)
    summary = g_strdup_printf (ngettext ("%" G_GUINT64_FORMAT " row read; %" G_GUINT64_FORMAT
                                         " will be skipped for the reasons below.",
                                         "%" G_GUINT64_FORMAT " rows read; %" G_GUINT64_FORMAT
                                         " will be skipped for the reasons below.", n_rows),
                               n_rows, n_skipped);
  else
    summary = g_strdup_printf (ngettext ("%" G_GUINT64_FORMAT " row read, all good.",
                                         "%" G_GUINT64_FORMAT " rows read, all good.", n_rows),
                               n_rows);
  gtk_label_set_label (self->summary_label, summary);

  self->ready = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "mapping");
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (OutreachImportDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (outreach_donor_import_preview_finish (OUTREACH_DONOR_IMPORT (source), result, &error))
    fill_mapping (self, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_NO_ADDRESS) &&
           outreach_donor_import_get_n_columns (self->import) > 0)
    /* The columns are known: the user can say which holds the address. */
    fill_mapping (self, _("No column was recognised as an e-mail address or a phone number: "
                          "choose one below."));
  else
    show_error (self, error->message);
}

static void
progress_cb (double   fraction,
             guint64  rows,
             gpointer user_data)
{
  OutreachImportDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (ngettext ("%" G_GUINT64_FORMAT " row",
                                                     "%" G_GUINT64_FORMAT " rows", rows), rows);

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (OutreachImportDialog) self = user_data;
  OutreachDonorImport *import = OUTREACH_DONOR_IMPORT (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;

  self->running = FALSE;
  if (!outreach_donor_import_run_finish (import, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_signal_emit (self, signals[SIGNAL_FINISHED], 0,
                         _("Import cancelled; no donor was changed"));
          gtk_window_destroy (GTK_WINDOW (self));
        }
      else
        show_error (self, error->message);
      return;
    }

  summary = g_strdup_printf (_("Imported: %" G_GUINT64_FORMAT " new, %" G_GUINT64_FORMAT
                               " updated, %" G_GUINT64_FORMAT " unchanged, %" G_GUINT64_FORMAT
                               " skipped"),
                             outreach_donor_import_get_n_new (import),
                             outreach_donor_import_get_n_updated (import),
                             outreach_donor_import_get_n_unchanged (import),
                             outreach_donor_import_get_n_skipped (import));
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, summary);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Hands the chosen fields to the import; refuses (saying why, in the
 * summary) two columns filling the same donor field. */
static gboolean
apply_mapping (OutreachImportDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    for (guint k = i + 1; k < self->rows->len; k++)
      {
        OutreachDonorField a = position_to_field (adw_combo_row_get_selected (self->rows->pdata[i]));
        OutreachDonorField b = position_to_field (adw_combo_row_get_selected (self->rows->pdata[k]));

        if (a >= 0 && a == b)
          {
            g_autofree char *message =
              g_strdup_printf (_("“%s” and “%s” both fill %s: choose another field for one of "
                                 "them."),
                               (const char *) g_object_get_data (self->rows->pdata[i], "header"),
                               (const char *) g_object_get_data (self->rows->pdata[k], "header"),
                               outreach_donor_field_to_label (a));
            gtk_label_set_label (self->summary_label, message);
            gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
            return FALSE;
          }
      }

  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->rows, i);

      outreach_donor_import_map (self->import, g_object_get_data (G_OBJECT (row), "header"),
                                 position_to_field (adw_combo_row_get_selected (row)));
    }
  return TRUE;
}

/**
 * outreach_import_dialog_start:
 *
 * Imports with the mapping chosen (what the Import button does).
 */
void
outreach_import_dialog_start (OutreachImportDialog *self)
{
  g_return_if_fail (OUTREACH_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->ready && !self->running);

  if (!apply_mapping (self))
    return;

  self->running = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  outreach_donor_import_run_async (self->import, self->store, progress_cb, self, self->cancellable,
                                   run_done_cb, g_object_ref (self));
}

/* Dates are read again with the new format: the rows to skip change. */
static void
date_format_changed_cb (OutreachImportDialog *self)
{
  static const OutreachDateFormat formats[] = {
    OUTREACH_DATE_FORMAT_ISO, OUTREACH_DATE_FORMAT_DMY, OUTREACH_DATE_FORMAT_MDY,
  };
  guint selected = adw_combo_row_get_selected (self->date_format_row);

  if (!self->ready || self->running || selected >= G_N_ELEMENTS (formats))
    return;
  /* The columns as chosen so far are kept for the new preview. */
  if (!apply_mapping (self))
    return;
  outreach_donor_import_set_date_format (self->import, formats[selected]);
  self->ready = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  outreach_donor_import_preview_async (self->import, N_SAMPLES, self->cancellable, preview_done_cb,
                                       g_object_ref (self));
}

static void
import_clicked_cb (OutreachImportDialog *self)
{
  outreach_import_dialog_start (self);
}

static void
cancel_clicked_cb (OutreachImportDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
stop_clicked_cb (OutreachImportDialog *self)
{
  g_cancellable_cancel (self->cancellable);
}

static AdwComboRow *
find_row (OutreachImportDialog *self,
          const char           *header)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (self->rows->pdata[i]), "header"), header) == 0)
      return self->rows->pdata[i];
  return NULL;
}

/**
 * outreach_import_dialog_set_field:
 *
 * Chooses @field in the drop-down of the column @header.
 *
 * Returns: whether the file has that column
 */
gboolean
outreach_import_dialog_set_field (OutreachImportDialog *self,
                                  const char           *header,
                                  OutreachDonorField    field)
{
  AdwComboRow *row;

  g_return_val_if_fail (OUTREACH_IS_IMPORT_DIALOG (self), FALSE);

  row = find_row (self, header);
  if (row == NULL)
    return FALSE;
  adw_combo_row_set_selected (row, field_to_position (field));
  return TRUE;
}

OutreachDonorField
outreach_import_dialog_get_field (OutreachImportDialog *self,
                                  const char           *header)
{
  AdwComboRow *row;

  g_return_val_if_fail (OUTREACH_IS_IMPORT_DIALOG (self), OUTREACH_DONOR_FIELD_IGNORE);

  row = find_row (self, header);
  g_return_val_if_fail (row != NULL, OUTREACH_DONOR_FIELD_IGNORE);
  return position_to_field (adw_combo_row_get_selected (row));
}

/* Whether the file has been read and the mapping can be chosen. */
gboolean
outreach_import_dialog_get_ready (OutreachImportDialog *self)
{
  g_return_val_if_fail (OUTREACH_IS_IMPORT_DIALOG (self), FALSE);
  return self->ready;
}

static gboolean
close_request_cb (GtkWindow *window)
{
  OutreachImportDialog *self = OUTREACH_IMPORT_DIALOG (window);

  /* Closing while importing cancels, like the Cancel button. */
  g_cancellable_cancel (self->cancellable);
  return self->running;
}

static void
outreach_import_dialog_dispose (GObject *object)
{
  OutreachImportDialog *self = OUTREACH_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->import);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->field_names);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->error_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (outreach_import_dialog_parent_class)->dispose (object);
}

static void
outreach_import_dialog_class_init (OutreachImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = outreach_import_dialog_dispose;
  window_class->close_request = close_request_cb;

  /**
   * OutreachImportDialog::finished:
   * @summary: the report, for a toast
   *
   * The import ended (or was cancelled); the dialog closes.
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, loading_status);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, errors_group);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, date_format_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachImportDialog, error_status);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_format_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
outreach_import_dialog_init (OutreachImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->error_rows = g_ptr_array_new ();
  self->field_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->field_names, outreach_donor_field_to_label (OUTREACH_DONOR_FIELD_EXTRA));
  gtk_string_list_append (self->field_names, outreach_donor_field_to_label (OUTREACH_DONOR_FIELD_IGNORE));
  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    gtk_string_list_append (self->field_names, outreach_donor_field_to_label (f));
}

/**
 * outreach_import_dialog_new:
 * @path: the CSV file to import; reading starts at once
 */
OutreachImportDialog *
outreach_import_dialog_new (OutreachStore *store,
                            const char    *path)
{
  OutreachImportDialog *self;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (OUTREACH_TYPE_IMPORT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->import = outreach_donor_import_new (path);

  name = g_filename_display_basename (path);
  title = g_strdup_printf (_("Reading %s…"), name);
  adw_status_page_set_title (self->loading_status, title);
  gtk_window_set_title (GTK_WINDOW (self), name);

  outreach_donor_import_preview_async (self->import, N_SAMPLES, self->cancellable, preview_done_cb,
                                       g_object_ref (self));
  return self;
}
