/* outreach-donors-page.c — the Donors page: the people jobs are sent to
 *
 * A column view over OutreachDonorList (ids in memory, rows fetched a
 * page at a time), so a million donors scroll and search as fast as ten.
 * Search is debounced by the entry and runs off the main thread in the
 * model; a newer search cancels an older one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donors-page"

#include "config.h"

#include "outreach-donors-page.h"

#include <glib/gi18n.h>

#include "outreach-donor-import.h"
#include "outreach-donor-list.h"
#include "outreach-donor-query.h"
#include "outreach-import-dialog.h"
#include "outreach-suppressions-window.h"

struct _OutreachDonorsPage
{
  GtkWidget parent_instance;

  OutreachStore *store;
  OutreachDonorList *list;
  GtkStringList *tags;
  GCancellable *cancellable;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkSearchEntry *search_entry;
  GtkDropDown *tag_dropdown;
  GtkLabel *count_label;
  GtkColumnView *column_view;
};

G_DEFINE_FINAL_TYPE (OutreachDonorsPage, outreach_donors_page, GTK_TYPE_WIDGET)

enum
{
  COLUMN_NAME,
  COLUMN_EMAIL,
  COLUMN_CITY,
  COLUMN_LAST_GIFT,
  COLUMN_TAGS,
  COLUMN_STATUS,
};

static void
toast (OutreachDonorsPage *self,
       const char         *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
update_count (OutreachDonorsPage *self)
{
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint64 total = outreach_donor_list_get_total (self->list);
  gboolean filtered = gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0' ||
                      gtk_drop_down_get_selected (self->tag_dropdown) > 0;

  if (!outreach_donor_list_get_complete (self->list))
    text = g_strdup (_("Searching…"));
  else if (filtered)
    /* The ' flag groups digits as the locale does: 1,000,000. */
    text = g_strdup_printf (ngettext ("%'u of %'" G_GUINT64_FORMAT " donor",
                                      "%'u of %'" G_GUINT64_FORMAT " donors", total),
                            n, total);
  else
    text = g_strdup_printf (ngettext ("%'u donor", "%'u donors", n), n);
  gtk_label_set_label (self->count_label, text);

  /* The empty state is for a store with no donor at all, not for a
   * search that finds none. */
  if (outreach_donor_list_get_complete (self->list) && !filtered)
    gtk_stack_set_visible_child_name (self->stack, total == 0 ? "empty" : "donors");
}

static void
list_changed_cb (OutreachDonorsPage *self)
{
  update_count (self);
}

/* ---- Tags --------------------------------------------------------------- */

static int
compare_tags (gconstpointer a,
              gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

static void
tags_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GError *error = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *tags;

  store = outreach_store_reopen (task_data, &error);
  if (store == NULL ||
      (stmt = outreach_store_prepare (store, "SELECT DISTINCT tags FROM donors WHERE tags <> ''",
                                      &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto (GStrv) parts = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), ";", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          g_hash_table_add (seen, g_strdup (parts[i]));
    }
  sqlite3_reset (stmt);

  tags = g_ptr_array_new_with_free_func (g_free);
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (tags, g_strdup (key));
  }
  g_ptr_array_sort (tags, compare_tags);
  g_task_return_pointer (task, tags, (GDestroyNotify) g_ptr_array_unref);
}

static void
tags_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (OutreachDonorsPage) self = user_data;
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *selected = NULL;
  guint n, keep = 0;

  tags = g_task_propagate_pointer (G_TASK (result), &error);
  if (tags == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the donors' tags: %s", error->message);
      return;
    }

  if (gtk_drop_down_get_selected (self->tag_dropdown) > 0)
    selected = g_strdup (gtk_string_list_get_string (self->tags,
                                                     gtk_drop_down_get_selected (self->tag_dropdown)));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->tags));
  g_ptr_array_add (tags, NULL);
  gtk_string_list_splice (self->tags, 1, n - 1, (const char *const *) tags->pdata);
  for (guint i = 0; selected != NULL && i + 1 < tags->len; i++)
    if (g_str_equal (tags->pdata[i], selected))
      keep = i + 1;
  gtk_drop_down_set_selected (self->tag_dropdown, keep);
}

static void
load_tags (OutreachDonorsPage *self)
{
  g_autoptr (GTask) task = g_task_new (NULL, self->cancellable, tags_loaded_cb, g_object_ref (self));

  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, tags_thread);
}

/* ---- Filters ------------------------------------------------------------ */

static void
apply_filter (OutreachDonorsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->tag_dropdown);
  const char *tag = selected > 0 && selected != GTK_INVALID_LIST_POSITION
                      ? gtk_string_list_get_string (self->tags, selected) : NULL;

  if (self->list == NULL)
    return;
  outreach_donor_list_set_filter (self->list,
                                  gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), tag);
  update_count (self);
}

static void
search_changed_cb (OutreachDonorsPage *self)
{
  apply_filter (self);
}

static void
tag_selected_cb (OutreachDonorsPage *self)
{
  apply_filter (self);
}

/* ---- Columns ------------------------------------------------------------ */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static char *
cell_text (OutreachDonor *donor,
           int            column)
{
  gint64 cents;

  switch (column)
    {
    case COLUMN_NAME:
      return outreach_donor_dup_display_name (donor);
    case COLUMN_EMAIL:
      return g_strdup (outreach_donor_get_email (donor) != NULL ? outreach_donor_get_email (donor)
                                                                : outreach_donor_get_phone (donor));
    case COLUMN_CITY:
      return g_strdup (outreach_donor_get_city (donor));
    case COLUMN_LAST_GIFT:
      if (!outreach_donor_get_last_gift (donor, &cents))
        return g_strdup ("");
      if (outreach_donor_get_last_gift_date (donor) != NULL)
        return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d (%s)", cents / 100, (int) (cents % 100),
                                outreach_donor_get_last_gift_date (donor));
      return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100));
    case COLUMN_TAGS:
      {
        g_auto (GStrv) tags = g_strsplit (outreach_donor_get_tags (donor), ";", -1);
        return g_strjoinv (", ", tags);
      }
    case COLUMN_STATUS:
      if (outreach_donor_get_suppressed (donor))
        return g_strdup (_("Suppressed"));
      if (outreach_donor_get_do_not_contact (donor))
        return g_strdup (_("Do not contact"));
      return g_strdup ("");
    default:
      g_assert_not_reached ();
    }
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  int column = GPOINTER_TO_INT (user_data);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  OutreachDonor *donor = gtk_list_item_get_item (item);
  g_autofree char *text = donor != NULL ? cell_text (donor, column) : g_strdup ("");

  gtk_label_set_label (label, text);
  if (column == COLUMN_STATUS)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
      if (donor != NULL && outreach_donor_get_suppressed (donor))
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      else if (donor != NULL && outreach_donor_get_do_not_contact (donor))
        gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
    }
}

static void
add_column (OutreachDonorsPage *self,
            const char         *title,
            int                 column,
            gboolean            expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

/* ---- Import, export, suppressions -------------------------------------- */

static void
import_finished_cb (OutreachImportDialog *dialog,
                    const char           *summary,
                    gpointer              user_data)
{
  OutreachDonorsPage *self = user_data;

  toast (self, summary);
  outreach_donors_page_reload (self);
}

/**
 * outreach_donors_page_import_file:
 *
 * Opens the mapping dialog for @path (what choosing a file does).
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
outreach_donors_page_import_file (OutreachDonorsPage *self,
                                  const char         *path)
{
  OutreachImportDialog *dialog;
  GtkRoot *root;

  g_return_val_if_fail (OUTREACH_IS_DONORS_PAGE (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  dialog = outreach_import_dialog_new (self->store, path);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "finished", G_CALLBACK (import_finished_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
import_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    OutreachDonorsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        outreach_donors_page_import_file (self, path);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OutreachDonorsPage *self = OUTREACH_DONORS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Donors"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_mime_type (filter, "text/tab-separated-values");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.tsv");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OutreachDonorsPage *self = source_object;
  g_autoptr (OutreachStore) store = NULL;
  GError *error = NULL;
  gint64 n = 0;

  store = outreach_store_reopen (self->store, &error);
  if (store == NULL || !outreach_donor_export (store, task_data, &n, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OutreachDonorsPage *self = OUTREACH_DONORS_PAGE (source);
  g_autoptr (GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *text = NULL;
  g_autofree char *name = g_path_get_basename (g_task_get_task_data (G_TASK (result)));

  if (n < 0)
    text = g_strdup_printf (_("Could not export the donors: %s"), error->message);
  else
    text = g_strdup_printf (ngettext ("Exported %zd donor to %s", "Exported %zd donors to %s", n),
                            n, name);
  toast (self, text);
}

static void
export_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    OutreachDonorsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr (GTask) task = g_task_new (self, self->cancellable, export_done_cb, NULL);

      g_task_set_task_data (task, g_file_get_path (file), g_free);
      g_task_run_in_thread (task, export_thread);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Donors"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("donors.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
suppressions_changed_cb (OutreachDonorsPage *self)
{
  /* The status column shows suppression. */
  outreach_donors_page_reload (self);
}

static void
suppressions_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OutreachDonorsPage *self = OUTREACH_DONORS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  OutreachSuppressionsWindow *window = outreach_suppressions_window_new (self->store);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  g_signal_connect_object (window, "changed", G_CALLBACK (suppressions_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- Life cycle --------------------------------------------------------- */

void
outreach_donors_page_set_store (OutreachDonorsPage *self,
                                OutreachStore      *store)
{
  g_return_if_fail (OUTREACH_IS_DONORS_PAGE (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  g_set_object (&self->store, store);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  self->list = outreach_donor_list_new (store);
  g_signal_connect_swapped (self->list, "notify::complete", G_CALLBACK (list_changed_cb), self);
  g_signal_connect_swapped (self->list, "notify::n-items", G_CALLBACK (list_changed_cb), self);
  g_signal_connect_swapped (self->list, "notify::total", G_CALLBACK (list_changed_cb), self);
  gtk_column_view_set_model (self->column_view,
                             GTK_SELECTION_MODEL (gtk_single_selection_new (
                               g_object_ref (G_LIST_MODEL (self->list)))));
  apply_filter (self);
  load_tags (self);
}

/* Reads the donors again, after an import or any change. */
void
outreach_donors_page_reload (OutreachDonorsPage *self)
{
  g_return_if_fail (OUTREACH_IS_DONORS_PAGE (self));

  if (self->list == NULL)
    return;
  outreach_donor_list_reload (self->list);
  load_tags (self);
  update_count (self);
}

/**
 * outreach_donors_page_get_model:
 *
 * Returns: (transfer none): the donors shown, after search and tag filter
 */
GListModel *
outreach_donors_page_get_model (OutreachDonorsPage *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONORS_PAGE (self), NULL);
  return G_LIST_MODEL (self->list);
}

static void
outreach_donors_page_dispose (GObject *object)
{
  OutreachDonorsPage *self = OUTREACH_DONORS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_DONORS_PAGE);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->tags);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (outreach_donors_page_parent_class)->dispose (object);
}

static void
outreach_donors_page_class_init (OutreachDonorsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_donors_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-donors-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, tag_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_selected_cb);

  gtk_widget_class_install_action (widget_class, "donors.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "donors.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "donors.suppressions", NULL, suppressions_action);
}

static void
outreach_donors_page_init (OutreachDonorsPage *self)
{
  const char *const all_tags[] = { _("All Tags"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->tags = gtk_string_list_new (all_tags);
  gtk_drop_down_set_model (self->tag_dropdown, G_LIST_MODEL (self->tags));

  add_column (self, _("Name"), COLUMN_NAME, TRUE);
  add_column (self, _("E-mail or Phone"), COLUMN_EMAIL, TRUE);
  add_column (self, _("City"), COLUMN_CITY, FALSE);
  add_column (self, _("Last Gift"), COLUMN_LAST_GIFT, FALSE);
  add_column (self, _("Tags"), COLUMN_TAGS, FALSE);
  add_column (self, _("Status"), COLUMN_STATUS, FALSE);
}
