/* test-preferences.c — Preferences as a user sees them, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "outreach-preferences-window.h"
#include "outreach-settings.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
  GtkWidget *window;
} Fixture;

static void
iterate (void)
{
  for (int i = 0; i < 30; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The preferences row titled @title. */
static GtkWidget *
row (Fixture    *f,
     const char *title)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect (f->window, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    /* not the copies the window's search results list makes */
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0 &&
        gtk_widget_get_ancestor (rows->pdata[i], GTK_TYPE_LIST_VIEW) == NULL)
      return rows->pdata[i];
  g_error ("no row titled “%s”", title);
}

static GtkWidget *
find_in (GtkWidget *root,
         GType      type)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  g_assert_cmpuint (found->len, >=, 1);
  return found->pdata[0];
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->dir = outreach_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "outreach.db", NULL);
  f->store = outreach_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO accounts (name, kind, settings, created_at, updated_at)"
    " VALUES ('Old relay', 'webhook', '{\"url\":\"http://127.0.0.1:9/x\"}', 1, 1);"
    "INSERT INTO jobs (uuid, name, status, account_id, created_at, updated_at)"
    " VALUES ('00000000-0000-0000-0000-000000000001', 'Spring appeal', 'completed', 2, 1, 1);",
    &error));
  g_assert_no_error (error);

  f->window = GTK_WIDGET (outreach_preferences_window_new (NULL, f->store));
  gtk_window_present (GTK_WINDOW (f->window));
  for (int i = 0; i < 2000 && !gtk_widget_get_mapped (f->window); i++)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  iterate ();
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
setting (Fixture         *f,
         OutreachSetting  s)
{
  g_autoptr (OutreachStore) other = outreach_store_open (f->path, NULL);

  return outreach_settings_get_string (other, s, NULL);
}

static void
test_organisation (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *name = row (f, "Organisation name");
  GtkWidget *sender = row (f, "Sender address");
  g_autofree char *saved = NULL, *unchanged = NULL, *good = NULL;

  gtk_editable_set_text (GTK_EDITABLE (name), "Friends of the Library");
  g_signal_emit_by_name (name, "apply");
  saved = setting (f, OUTREACH_SETTING_ORG_NAME);
  g_assert_cmpstr (saved, ==, "Friends of the Library");

  /* A bad address is refused, marked and not saved. */
  gtk_editable_set_text (GTK_EDITABLE (sender), "not an address");
  g_signal_emit_by_name (sender, "apply");
  g_assert_true (gtk_widget_has_css_class (sender, "error"));
  unchanged = setting (f, OUTREACH_SETTING_SENDER_ADDRESS);
  g_assert_cmpstr (unchanged, ==, "");

  gtk_editable_set_text (GTK_EDITABLE (sender), "office@example.org");
  g_signal_emit_by_name (sender, "apply");
  g_assert_false (gtk_widget_has_css_class (sender, "error"));
  good = setting (f, OUTREACH_SETTING_SENDER_ADDRESS);
  g_assert_cmpstr (good, ==, "office@example.org");
}

static void
test_jobs_and_notifications (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkSpinButton *parallel = GTK_SPIN_BUTTON (find_in (row (f, "Jobs sent at the same time"),
                                                      GTK_TYPE_SPIN_BUTTON));
  GtkSpinButton *keep = GTK_SPIN_BUTTON (find_in (row (f, "Finished jobs kept"),
                                                  GTK_TYPE_SPIN_BUTTON));
  GtkSwitch *notify = GTK_SWITCH (find_in (row (f, "Notify when a job finishes"), GTK_TYPE_SWITCH));
  g_autofree char *p = NULL, *k = NULL;

  g_assert_cmpint (gtk_spin_button_get_value_as_int (parallel), ==, 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (keep), ==, 100);
  gtk_spin_button_set_value (parallel, 4);
  gtk_spin_button_set_value (keep, 0);
  p = setting (f, OUTREACH_SETTING_PARALLEL_JOBS);
  k = setting (f, OUTREACH_SETTING_HISTORY_KEEP);
  g_assert_cmpstr (p, ==, "4");
  g_assert_cmpstr (k, ==, "0");

  g_assert_true (gtk_switch_get_active (notify));
  gtk_switch_set_active (notify, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notifications"));
  g_settings_set_boolean (settings, "notifications", TRUE);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *folder = row (f, "Folder");
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  AdwMessageDialog *dialog;
  gint64 deadline;
  gint64 left = -1;

  /* Test Connection on the Folder account: no credentials needed. */
  collect (folder, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Test Connection") == 0)
      gtk_widget_activate (buttons->pdata[i]);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder)), "Ready") &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder)), ==,
                   "Ready: this account needs no connection");

  /* Remove asks, saying how many jobs use the account. */
  g_ptr_array_set_size (buttons, 0);
  collect (f->window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Remove account Old relay") == 0)
      {
        g_signal_emit_by_name (buttons->pdata[i], "clicked");
        break;
      }
  iterate ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove Account “Old relay”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 job uses it"));
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate ();

  g_assert_true (outreach_store_count_rows (f->store, "accounts", &left, NULL));
  g_assert_cmpint (left, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/outreach/preferences/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("organisation", test_organisation);
  ADD ("jobs-and-notifications", test_jobs_and_notifications);
  ADD ("accounts", test_accounts);
#undef ADD

  return g_test_run ();
}
