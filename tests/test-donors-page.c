/* test-donors-page.c — the Donors page as a user sees it, under Xvfb:
 * empty state, import through the mapping dialog, the rows, search, tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "outreach-donors-page.h"
#include "outreach-donor-import.h"
#include "outreach-import-dialog.h"
#include "outreach-suppressions-window.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"

typedef struct
{
  char *dir;
  OutreachStore *store;
  GtkWidget *window;
  OutreachDonorsPage *page;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->store = outreach_test_new_store (&f->dir, NULL);

  f->page = g_object_new (OUTREACH_TYPE_DONORS_PAGE, NULL);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  outreach_donors_page_set_store (f->page, f->store);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
wait_for_label (GtkWidget  *root,
                const char *text)
{
  OUTREACH_TEST_WAIT_UNTIL (outreach_test_has_mapped_label (root, text));
  if (!outreach_test_has_mapped_label (root, text))
    {
      g_autoptr (GPtrArray) labels = g_ptr_array_new ();
      outreach_test_collect (root, GTK_TYPE_LABEL, labels);
      for (guint i = 0; i < labels->len; i++)
        g_test_message ("label (mapped %d): %s", gtk_widget_get_mapped (labels->pdata[i]),
                        gtk_label_get_label (labels->pdata[i]));
    }
  if (!outreach_test_has_mapped_label (root, text))
    g_error ("The label “%s” never appeared", text);
}

static void
write_csv (Fixture    *f,
           const char *name,
           const char *text,
           char      **path)
{
  g_autoptr (GError) error = NULL;

  *path = g_build_filename (f->dir, name, NULL);
  g_file_set_contents (*path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_import_through_mapping_dialog (Fixture      *f,
                                    gconstpointer data)
{
  g_autofree char *path = NULL;
  GtkWindow *dialog;

  /* A newcomer sees the empty state, with an Import button. */
  wait_for_label (f->window, "No Donors Yet");
  g_assert_true (gtk_widget_get_mapped (outreach_test_find_button (f->window, "_Import Donors…")));

  /* "Contact" is not a header the automatic mapping knows. */
  write_csv (f, "crm.csv",
             "Contact,Given name,Surname,Town,Last Gift,Tags\n"
             "ada@example.org,Ada,Lovelace,London,$250,board;monthly\n"
             "grace@example.org,Grace,Hopper,Arlington,12.50,monthly\n"
             "not-an-address,Nobody,Here,Nowhere,1,\n",
             &path);
  dialog = outreach_donors_page_import_file (f->page, path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  OUTREACH_TEST_WAIT_UNTIL (outreach_import_dialog_get_ready (OUTREACH_IMPORT_DIALOG (dialog)));
  g_assert_true (outreach_import_dialog_get_ready (OUTREACH_IMPORT_DIALOG (dialog)));

  /* The dialog says what is missing, shows samples and the guesses. */
  wait_for_label (GTK_WIDGET (dialog), "No column was recognised as an e-mail address or a "
                                       "phone number: choose one below.");
  wait_for_label (GTK_WIDGET (dialog), "ada@example.org, grace@example.org, not-an-address");
  g_assert_cmpint (outreach_import_dialog_get_field (OUTREACH_IMPORT_DIALOG (dialog), "Given name"),
                   ==, OUTREACH_DONOR_FIELD_FIRST_NAME);
  g_assert_cmpint (outreach_import_dialog_get_field (OUTREACH_IMPORT_DIALOG (dialog), "Town"),
                   ==, OUTREACH_DONOR_FIELD_CITY);
  g_assert_cmpint (outreach_import_dialog_get_field (OUTREACH_IMPORT_DIALOG (dialog), "Contact"),
                   ==, OUTREACH_DONOR_FIELD_EXTRA);

  /* Two columns cannot fill the same field: the dialog says so. */
  g_assert_true (outreach_import_dialog_set_field (OUTREACH_IMPORT_DIALOG (dialog), "Surname",
                                                   OUTREACH_DONOR_FIELD_FIRST_NAME));
  g_signal_emit_by_name (outreach_test_find_button (GTK_WIDGET (dialog), "_Import"), "clicked");
  wait_for_label (GTK_WIDGET (dialog), "“Given name” and “Surname” both fill First Name: choose "
                                       "another field for one of them.");
  g_assert_true (outreach_import_dialog_set_field (OUTREACH_IMPORT_DIALOG (dialog), "Surname",
                                                   OUTREACH_DONOR_FIELD_LAST_NAME));

  /* The user picks E-mail for "Contact", then Import. */
  g_assert_true (outreach_import_dialog_set_field (OUTREACH_IMPORT_DIALOG (dialog), "Contact",
                                                   OUTREACH_DONOR_FIELD_EMAIL));
  g_signal_emit_by_name (outreach_test_find_button (GTK_WIDGET (dialog), "_Import"), "clicked");

  OUTREACH_TEST_WAIT_UNTIL (dialog == NULL);
  g_assert_null (dialog);

  /* The rows are in the list: the bad one was skipped. */
  wait_for_label (f->window, "2 donors");
  wait_for_label (f->window, "ada@example.org");
  wait_for_label (f->window, "Grace Hopper");
  wait_for_label (f->window, "Arlington");
  wait_for_label (f->window, "250.00");
  wait_for_label (f->window, "board, monthly");
  g_assert_cmpuint (g_list_model_get_n_items (outreach_donors_page_get_model (f->page)), ==, 2);
  /* The report is a toast. */
  wait_for_label (f->window, "Imported: 2 new, 0 updated, 0 unchanged, 1 skipped");

  /* Searching narrows the list; the count says so. */
  {
    g_autoptr (GPtrArray) entries = g_ptr_array_new ();

    outreach_test_collect (f->window, GTK_TYPE_SEARCH_ENTRY, entries);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "arling");
    wait_for_label (f->window, "1 of 2 donors");
    g_assert_false (outreach_test_has_mapped_label (f->window, "ada@example.org"));
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "");
    wait_for_label (f->window, "2 donors");
  }
}

static void
test_cancel_mapping_writes_nothing (Fixture      *f,
                                    gconstpointer data)
{
  g_autofree char *path = NULL;
  GtkWindow *dialog;
  gint64 count = -1;

  write_csv (f, "a.csv", "email\nada@example.org\n", &path);
  dialog = outreach_donors_page_import_file (f->page, path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  OUTREACH_TEST_WAIT_UNTIL (outreach_import_dialog_get_ready (OUTREACH_IMPORT_DIALOG (dialog)));
  g_assert_true (outreach_import_dialog_get_ready (OUTREACH_IMPORT_DIALOG (dialog)));
  wait_for_label (GTK_WIDGET (dialog), "1 row read, all good.");
  g_signal_emit_by_name (outreach_test_find_button (GTK_WIDGET (dialog), "_Cancel"), "clicked");
  OUTREACH_TEST_WAIT_UNTIL (dialog == NULL);
  g_assert_null (dialog);
  g_assert_true (outreach_store_count_rows (f->store, "donors", &count, NULL));
  g_assert_cmpint (count, ==, 0);
  wait_for_label (f->window, "No Donors Yet");
}

static void
test_status_column (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *path = NULL;
  GtkWindow *dialog;

  write_csv (f, "b.csv", "email,do not email\nada@example.org,yes\ngrace@example.org,no\n"
                         "linus@example.org,no\n", &path);
  g_assert_true (outreach_store_exec (f->store, "INSERT INTO suppressions (address, created_at) "
                                               "VALUES ('GRACE@example.org', 1)", NULL));
  dialog = outreach_donors_page_import_file (f->page, path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  OUTREACH_TEST_WAIT_UNTIL (outreach_import_dialog_get_ready (OUTREACH_IMPORT_DIALOG (dialog)));
  g_assert_true (outreach_import_dialog_get_ready (OUTREACH_IMPORT_DIALOG (dialog)));
  outreach_import_dialog_start (OUTREACH_IMPORT_DIALOG (dialog));
  OUTREACH_TEST_WAIT_UNTIL (dialog == NULL);
  g_assert_null (dialog);

  wait_for_label (f->window, "3 donors");
  wait_for_label (f->window, "Do not contact");
  wait_for_label (f->window, "Suppressed");
}

static void
test_date_format_choice (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GPtrArray) combos = g_ptr_array_new ();
  GtkWindow *dialog;

  write_csv (f, "dates.csv", "email,last gift date,last gift amount\n"
                             "ada@example.org,2024-03-01,10\ngrace@example.org,31/12/2023,20\n",
             &path);
  dialog = outreach_donors_page_import_file (f->page, path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  wait_for_label (GTK_WIDGET (dialog), "2 rows read; 1 will be skipped for the reasons below.");

  /* Saying the file writes Day/Month/Year reads the file again. */
  outreach_test_collect (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, combos);
  adw_combo_row_set_selected (combos->pdata[0], 1);
  wait_for_label (GTK_WIDGET (dialog), "2 rows read, all good.");
  g_signal_emit_by_name (outreach_test_find_button (GTK_WIDGET (dialog), "_Import"), "clicked");
  OUTREACH_TEST_WAIT_UNTIL (dialog == NULL);
  g_assert_null (dialog);
  wait_for_label (f->window, "20.00 (2023-12-31)");
}

static void
test_suppression_window (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (OutreachDonorImport) import = NULL;
  g_autoptr (GPtrArray) entries = g_ptr_array_new ();
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *window;
  GtkWidget *remove = NULL;

  write_csv (f, "c.csv", "email,first_name\nada@example.org,Ada\ngrace@example.org,Grace\n", &path);
  import = outreach_donor_import_new (path);
  g_assert_true (outreach_donor_import_run (import, f->store, NULL, NULL, NULL, NULL));
  outreach_donors_page_reload (f->page);
  wait_for_label (f->window, "2 donors");
  g_assert_false (outreach_test_has_mapped_label (f->window, "Suppressed"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "donors.suppressions", NULL));
  window = GTK_WIDGET (outreach_test_find_toplevel (OUTREACH_TYPE_SUPPRESSIONS_WINDOW));
  g_assert_nonnull (window);
  wait_for_label (window, "No address is suppressed.");

  /* Add an address, with the default reason. */
  outreach_test_collect (window, ADW_TYPE_ENTRY_ROW, entries);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "Ada@Example.org");
  g_signal_emit_by_name (outreach_test_find_button (window, "_Add to List"), "clicked");
  wait_for_label (window, "Ada@example.org");
  /* The Donors page marks her. */
  wait_for_label (f->window, "Suppressed");

  /* And remove it again. */
  outreach_test_collect (window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Remove from the list") == 0)
      remove = buttons->pdata[i];
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  wait_for_label (window, "No address is suppressed.");
  g_assert_false (outreach_test_has_mapped_label (window, "Ada@example.org"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) \
  g_test_add ("/outreach/donors-page/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("import-through-mapping-dialog", test_import_through_mapping_dialog);
  ADD ("cancel-mapping-writes-nothing", test_cancel_mapping_writes_nothing);
  ADD ("status-column", test_status_column);
  ADD ("suppression-window", test_suppression_window);
  ADD ("date-format-choice", test_date_format_choice);

  return g_test_run ();
}
