/* test-preferences.c — Preferences as a user sees them, under Xvfb
 *
 * Accounts are added and edited through the real form, with a real
 * gnome-keyring-daemon on a private D-Bus (the program re-runs itself
 * under its own `dbus-run-session`, so the daemon goes away with that bus)
 * and a loopback SoupServer speaking SendGrid's API for "Test".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "outreach-account-dialog.h"
#include "outreach-preferences-window.h"
#include "outreach-provider.h"
#include "outreach-secret.h"
#include "outreach-settings.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"

#define GRID_SECRET "SG.prefs-test-4b1f0e9d77"
#define NEW_GRID_SECRET "SG.prefs-test-rotated-2c6a"

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
  GtkWidget *window;
} Fixture;

/* The row titled @title under @root (not a search-results copy). */
static GtkWidget *
row_in (GtkWidget  *root,
        const char *title)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  outreach_test_collect (root, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0 &&
        gtk_widget_get_ancestor (rows->pdata[i], GTK_TYPE_LIST_VIEW) == NULL)
      return rows->pdata[i];
  g_error ("no row titled “%s”", title);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->store = outreach_test_new_store (&f->dir, &f->path);
  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO accounts (name, kind, settings, created_at, updated_at)"
    " VALUES ('Old relay', 'webhook', '{\"url\":\"http://127.0.0.1:9/x\"}', 1, 1);"
    "INSERT INTO jobs (uuid, name, status, account_id, created_at, updated_at)"
    " VALUES ('00000000-0000-0000-0000-000000000001', 'Spring appeal', 'completed', 2, 1, 1);",
    &error));
  g_assert_no_error (error);

  f->window = GTK_WIDGET (outreach_preferences_window_new (NULL, f->store));
  gtk_window_present (GTK_WINDOW (f->window));
  outreach_test_wait_until_mapped (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  outreach_test_destroy_toplevels ();
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
  GtkWidget *name = row_in (f->window, "Organisation name");
  GtkWidget *sender = row_in (f->window, "Sender address");
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
  GtkSpinButton *parallel = GTK_SPIN_BUTTON (outreach_test_find_first (row_in (f->window, "Jobs sent at the same time"),
                                                      GTK_TYPE_SPIN_BUTTON));
  GtkSpinButton *keep = GTK_SPIN_BUTTON (outreach_test_find_first (row_in (f->window, "Finished jobs kept"),
                                                  GTK_TYPE_SPIN_BUTTON));
  GtkSwitch *notify = GTK_SWITCH (outreach_test_find_first (row_in (f->window, "Notify when a job finishes"), GTK_TYPE_SWITCH));
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

static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *folder = row_in (f->window, "Folder");
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  AdwMessageDialog *dialog;
  gint64 left = -1;

  /* Test Connection on the Folder account: no credentials needed. */
  outreach_test_collect (folder, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Test Connection") == 0)
      gtk_widget_activate (buttons->pdata[i]);
  OUTREACH_TEST_WAIT_UNTIL (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder)), "Ready"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder)), ==,
                   "Ready: this account needs no connection");

  /* Remove asks, saying how many jobs use the account. */
  g_ptr_array_set_size (buttons, 0);
  outreach_test_collect (f->window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Remove account Old relay") == 0)
      {
        g_signal_emit_by_name (buttons->pdata[i], "clicked");
        break;
      }
  outreach_test_iterate ();
  dialog = ADW_MESSAGE_DIALOG (outreach_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove Account “Old relay”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 job uses it"));
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  outreach_test_iterate ();

  g_assert_true (outreach_store_count_rows (f->store, "accounts", &left, NULL));
  g_assert_cmpint (left, ==, 1);
}

/* ---- adding and editing an account through the form ---- */

static char *seen_auth;
static char *seen_path;

static void
sendgrid_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  static const char body[] = "{\"scopes\":[\"mail.send\"]}";

  g_free (seen_auth);
  g_free (seen_path);
  seen_auth = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "Authorization"));
  seen_path = g_strdup (path);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static GtkWidget *
button_labelled_tooltip (GtkWidget  *root,
                         const char *tooltip)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  outreach_test_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), tooltip) == 0 &&
        gtk_widget_get_ancestor (buttons->pdata[i], GTK_TYPE_LIST_VIEW) == NULL)
      return buttons->pdata[i];
  g_error ("no button “%s”", tooltip);
}

static OutreachAccountDialog *
find_account_dialog (void)
{
  return OUTREACH_ACCOUNT_DIALOG (outreach_test_find_toplevel (OUTREACH_TYPE_ACCOUNT_DIALOG));
}

/* The problem shown under the field row @row, or NULL when none is. */
static const char *
problem_under (GtkWidget *row)
{
  GtkWidget *error_row = gtk_widget_get_next_sibling (row);
  GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (error_row));

  if (!gtk_widget_get_visible (error_row))
    return NULL;
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row_in (root, title)), text);
  outreach_test_iterate ();
}

static void
wait_for_subtitle (GtkWidget  *row,
                   const char *prefix)
{
  OUTREACH_TEST_WAIT_UNTIL (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), prefix));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, prefix);
}

static char *
account_settings (Fixture    *f,
                  const char *name)
{
  g_autoptr (OutreachStore) other = outreach_store_open (f->path, NULL);
  sqlite3_stmt *stmt = outreach_store_prepare (other, "SELECT settings FROM accounts WHERE name = ?", NULL);
  char *settings = NULL;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    settings = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return settings;
}

static void
assert_secret_not_on_disk (Fixture    *f,
                           const char *secret)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  g_assert_false (outreach_test_file_contains (f->path, secret));
  g_assert_false (outreach_test_file_contains (wal, secret));
  /* the search does find what the account row holds */
  g_assert_true (outreach_test_file_contains (f->path, "office@example.org") || outreach_test_file_contains (wal, "office@example.org"));
}

static void
wait_for_form_closed (void)
{
  OUTREACH_TEST_WAIT_UNTIL (find_account_dialog () == NULL);
  g_assert_null (find_account_dialog ());
  outreach_test_iterate ();
}

static void
press (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  /* "clicked" at once: gtk_widget_activate() on a shown button clicks it after 250 ms */
  g_signal_emit_by_name (button, "clicked");
  outreach_test_iterate ();
}

static void
test_add_and_edit_account (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL, *settings = NULL, *stored = NULL, *edited = NULL, *rotated = NULL, *gone = NULL;
  AdwMessageDialog *confirm;
  const char *const *kinds = outreach_provider_kinds ();
  OutreachAccountDialog *dialog;
  GtkWidget *form, *save, *from, *grid_row, *key_row;
  GtkWidget *stored_label;
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  GSList *uris;

  soup_server_add_handler (server, NULL, sendgrid_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Add Account opens an empty form */
  press (outreach_test_find_button (f->window, "_Add Account"));
  dialog = find_account_dialog ();
  g_assert_nonnull (dialog);
  form = GTK_WIDGET (dialog);
  save = outreach_test_find_button (form, "_Save");
  g_assert_false (gtk_widget_is_sensitive (save));

  /* the provider chooses the fields */
  for (guint i = 0; kinds[i] != NULL; i++)
    if (g_str_equal (kinds[i], "sendgrid"))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row_in (form, "Provider")), i);
  outreach_test_iterate ();
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (row_in (form, "API key")));
  type_into (form, "Name", "Folder");

  /* a bad field: the problem under it, Save still disabled */
  from = row_in (form, "Sender address");
  type_into (form, "Sender address", "not an address");
  g_assert_cmpstr (problem_under (from), ==,
                   "Sender address must be an e-mail address such as name@example.org, not “not an address”");
  g_assert_false (gtk_widget_is_sensitive (save));
  type_into (form, "Sender address", "office@example.org");
  g_assert_null (problem_under (from));
  type_into (form, "API address", url);
  g_assert_false (gtk_widget_is_sensitive (save));
  type_into (form, "API key", GRID_SECRET);
  g_assert_true (gtk_widget_is_sensitive (save));

  /* Test, with what is typed, before saving */
  press (outreach_test_find_button (form, "_Test"));
  wait_for_subtitle (row_in (form, "Test Connection"), "The provider accepted the credentials (HTTP 200)");
  g_assert_cmpstr (seen_auth, ==, "Bearer " GRID_SECRET);
  g_assert_cmpstr (seen_path, ==, "/v3/scopes");

  /* a name that is taken is refused on the name */
  press (save);
  OUTREACH_TEST_WAIT_UNTIL (problem_under (row_in (form, "Name")) != NULL);
  g_assert_true (find_account_dialog () == dialog);
  g_assert_cmpstr (problem_under (row_in (form, "Name")), ==,
                   "There is already an account named “Folder”; choose another name");
  type_into (form, "Name", "Main grid");
  press (save);
  wait_for_form_closed ();

  /* in the database without the secret; the secret in the keyring */
  settings = account_settings (f, "Main grid");
  g_assert_nonnull (settings);
  g_assert_nonnull (strstr (settings, "\"from\":\"office@example.org\""));
  g_assert_nonnull (strstr (settings, "\"secret_keys\":[\"api_key\"]"));
  assert_secret_not_on_disk (f, GRID_SECRET);
  stored = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_cmpstr (stored, ==, GRID_SECRET);

  /* the new row; activating it opens the form filled in */
  grid_row = row_in (f->window, "Main grid");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (grid_row)), ==, "SendGrid · office@example.org");
  g_signal_emit_by_name (grid_row, "activated");
  outreach_test_iterate ();
  dialog = find_account_dialog ();
  g_assert_nonnull (dialog);
  form = GTK_WIDGET (dialog);
  save = outreach_test_find_button (form, "_Save");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_in (form, "Name"))), ==, "Main grid");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_in (form, "Sender address"))), ==, "office@example.org");
  key_row = row_in (form, "API key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, "");
  outreach_test_collect (key_row, GTK_TYPE_LABEL, labels);
  stored_label = NULL;
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), "Stored in keyring") == 0)
      stored_label = labels->pdata[i];
  g_assert_nonnull (stored_label);
  g_assert_true (gtk_widget_get_visible (stored_label));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* an edit that leaves the secret alone keeps it */
  type_into (form, "Sender name", "Friends of the River");
  press (save);
  wait_for_form_closed ();
  edited = account_settings (f, "Main grid");
  g_assert_nonnull (strstr (edited, "\"from_name\":\"Friends of the River\""));
  g_clear_pointer (&stored, g_free);
  stored = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_cmpstr (stored, ==, GRID_SECRET);

  /* typing a secret replaces it */
  g_signal_emit_by_name (row_in (f->window, "Main grid"), "activated");
  outreach_test_iterate ();
  form = GTK_WIDGET (find_account_dialog ());
  type_into (form, "API key", NEW_GRID_SECRET);
  press (outreach_test_find_button (form, "_Save"));
  wait_for_form_closed ();
  rotated = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_cmpstr (rotated, ==, NEW_GRID_SECRET);
  assert_secret_not_on_disk (f, NEW_GRID_SECRET);

  /* Test Connection on the list uses the keyring's secret */
  grid_row = row_in (f->window, "Main grid");
  press (outreach_test_find_button (grid_row, "_Test Connection"));
  wait_for_subtitle (grid_row, "The provider accepted the credentials (HTTP 200)");
  g_assert_cmpstr (seen_auth, ==, "Bearer " NEW_GRID_SECRET);
  g_assert_true (gtk_widget_has_css_class (grid_row, "success"));

  /* removing it (confirmed) takes the keyring's secret too */
  g_signal_emit_by_name (button_labelled_tooltip (f->window, "Remove account Main grid"), "clicked");
  outreach_test_iterate ();
  confirm = ADW_MESSAGE_DIALOG (outreach_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "remove");
  gtk_window_destroy (GTK_WINDOW (confirm));
  outreach_test_iterate ();
  g_clear_pointer (&settings, g_free);
  settings = account_settings (f, "Main grid");
  g_assert_null (settings);
  gone = outreach_test_keyring_value ("Main grid", "api_key");
  g_assert_null (gone);

  /* and the list is rebuilt after the next save */
  press (outreach_test_find_button (f->window, "_Add Account"));
  form = GTK_WIDGET (find_account_dialog ());
  type_into (form, "Name", "Outbox");
  type_into (form, "Folder", "/tmp/outreach-outbox");
  press (outreach_test_find_button (form, "_Save"));
  wait_for_form_closed ();
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_in (f->window, "Outbox"))), ==, "Folder");
}

/* Preferences fit a phone-sized window, as AdwPreferencesWindow is meant
 * to (measured: 370 px), and so does the account form. */
#define NARROWEST_PREFERENCES 400

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  int min_width, nat_width;

  outreach_test_load_app_style ();
  outreach_test_iterate ();
  gtk_widget_measure (f->window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  g_test_message ("preferences: minimum width %d px, natural %d px", min_width, nat_width);
  g_assert_cmpint (min_width, <=, NARROWEST_PREFERENCES);

  /* and so does the form that adds an account (measured: 258 px) */
  press (outreach_test_find_button (f->window, "_Add Account"));
  OUTREACH_TEST_WAIT_UNTIL (find_account_dialog () != NULL);
  g_assert_nonnull (find_account_dialog ());
  outreach_test_iterate ();
  gtk_widget_measure (GTK_WIDGET (find_account_dialog ()), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, &nat_width, NULL, NULL);
  g_test_message ("account dialog: minimum width %d px, natural %d px", min_width, nat_width);
  g_assert_cmpint (min_width, <=, NARROWEST_PREFERENCES);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *keyring_dir = NULL;
  int status;

  /* a private session bus of our own, so the keyring daemon dies with it */
  outreach_test_run_on_private_bus (argc, argv);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  keyring_dir = outreach_test_make_tmp_dir ();
  outreach_test_start_keyring (keyring_dir);

#define ADD(path, func) \
  g_test_add ("/outreach/preferences/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("organisation", test_organisation);
  ADD ("jobs-and-notifications", test_jobs_and_notifications);
  ADD ("accounts", test_accounts);
  ADD ("add-and-edit-account", test_add_and_edit_account);
  ADD ("narrow", test_narrow);
#undef ADD

  status = g_test_run ();
  outreach_test_remove_tree (keyring_dir);
  g_free (seen_auth);
  g_free (seen_path);
  return status;
}
