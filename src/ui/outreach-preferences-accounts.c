/* outreach-preferences-accounts.c — the accounts list of Preferences
 *
 * One row per account with "Test Connection" (a harmless authenticated
 * request to the provider, run in a thread; the answer shows on the row)
 * and "Remove" (after a confirmation that says how many jobs use it; its
 * keyring secrets go too). The same steps as `outreach accounts test` and
 * `accounts remove`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-preferences-accounts"

#include "config.h"

#include "outreach-preferences-accounts.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "outreach-provider.h"
#include "outreach-secret.h"

typedef struct
{
  char *path;
  char *name;
} TestQuery;

static void
test_query_free (TestQuery *query)
{
  g_free (query->path);
  g_free (query->name);
  g_free (query);
}

/* In a thread: what `outreach accounts test` does, as one line for the row. */
static void
test_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestQuery *query = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (query->path, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) keyring_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) secrets = NULL;
  g_autoptr (OutreachProvider) provider = NULL;
  g_autoptr (SoupMessage) request = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *kind = NULL, *settings_json = NULL;
  JsonObject *settings;
  sqlite3_stmt *stmt;
  guint status;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  stmt = outreach_store_prepare (store, "SELECT kind, settings FROM accounts WHERE name = ?", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_bind_text (stmt, 1, query->name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The account “%s” no longer exists"), query->name);
      return;
    }
  kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  settings_json = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);

  if (!json_parser_load_from_data (parser, settings_json, -1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  settings = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (settings, "secret_keys"))
    {
      JsonArray *keys = json_object_get_array_member (settings, "secret_keys");
      for (guint i = 0; i < json_array_get_length (keys); i++)
        g_ptr_array_add (keyring_keys, g_strdup (json_array_get_string_element (keys, i)));
      json_object_remove_member (settings, "secret_keys");
    }
  g_ptr_array_add (keyring_keys, NULL);

  secrets = outreach_secret_lookup_all (query->name, outreach_provider_kind_secret_keys (kind),
                                        (const char *const *) keyring_keys->pdata, &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  provider = outreach_provider_new (kind, query->name, settings, secrets, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (outreach_provider_is_local (provider))
    {
      g_task_return_pointer (task, g_strdup (_("Ready: this account needs no connection")), g_free);
      return;
    }
  request = outreach_provider_build_test_request (provider, &error);
  if (request == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, g_strdup (_("The settings are complete; this provider has "
                                                 "no harmless test call")), g_free);
      return;
    }
  session = soup_session_new_with_options ("timeout", 30, "user-agent", "Outreach/" PACKAGE_VERSION,
                                           NULL);
  body = soup_session_send_and_read (session, request, cancellable, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not reach the provider: %s"), error->message);
      return;
    }
  status = soup_message_get_status (request);
  if (status >= 200 && status < 300)
    {
      g_task_return_pointer (task, g_strdup_printf (_("The provider accepted the credentials "
                                                      "(HTTP %u)"), status), g_free);
      return;
    }
  {
    OutreachDelivery d = { 0 };
    outreach_provider_classify_status (provider, request, body, NULL, &d);
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The provider answered: %s"), d.error);
    outreach_delivery_clear (&d);
  }
}

static void
test_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (AdwActionRow) row = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *outcome = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "test-button");

  gtk_widget_set_sensitive (button, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "success");
  if (outcome != NULL)
    {
      adw_action_row_set_subtitle (row, outcome);
      gtk_widget_add_css_class (GTK_WIDGET (row), "success");
    }
  else
    {
      adw_action_row_set_subtitle (row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
    }
}

static void
test_clicked_cb (GtkButton   *button,
                 AdwActionRow *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  g_autoptr (GTask) task = g_task_new (NULL, NULL, test_done_cb, g_object_ref (row));
  TestQuery *query = g_new0 (TestQuery, 1);

  query->path = g_strdup (outreach_store_get_path (store));
  query->name = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_task_set_task_data (task, query, (GDestroyNotify) test_query_free);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  adw_action_row_set_subtitle (row, _("Testing the connection…"));
  g_task_run_in_thread (task, test_thread);
}

static gboolean
remove_account (OutreachStore  *store,
                const char     *name,
                GError        **error)
{
  sqlite3_stmt *stmt;
  int n_secrets;

  stmt = outreach_store_prepare (store, "SELECT json_array_length (settings, '$.secret_keys')"
                                        " FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  n_secrets = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_reset (stmt);
  /* Only touch the keyring when something was stored there. */
  if (n_secrets > 0 && !outreach_secret_clear (name, error))
    return FALSE;

  stmt = outreach_store_prepare (store, "DELETE FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return outreach_store_step_done (store, stmt, error);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AdwActionRow     *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_WINDOW);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (!remove_account (store, name, &error))
    {
      if (window != NULL)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window),
                                          adw_toast_new (error->message));
      return;
    }
  if (window != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Account “%s” removed"), name);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (title));
    }
  if (group != NULL)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (row));
}

static void
remove_clicked_cb (GtkButton    *button,
                   AdwActionRow *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *heading = g_strdup_printf (_("Remove Account “%s”?"), name);
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;
  gint64 used = 0;
  AdwMessageDialog *dialog;

  stmt = outreach_store_prepare (store, "SELECT count(*) FROM jobs j JOIN accounts a"
                                        " ON a.id = j.account_id WHERE a.name = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        used = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  body = g_strdup_printf (ngettext ("%lld job uses it and will have no account until you choose "
                                    "another. Its keyring secrets are removed too.",
                                    "%lld jobs use it and will have no account until you choose "
                                    "another. Its keyring secrets are removed too.",
                                    (gulong) used),
                          (long long) used);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Adds one row per account to @group. */
void
outreach_preferences_accounts_fill (AdwPreferencesGroup *group,
                                    OutreachStore       *store)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  stmt = outreach_store_prepare (store, "SELECT name, kind FROM accounts ORDER BY name", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *test = gtk_button_new_with_mnemonic (_("_Test Connection"));
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *remove_label = g_strdup_printf (_("Remove account %s"), name);
      g_autofree char *subtitle = g_strdup_printf (_("Provider: %s"), kind);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (test, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), test);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      g_object_set_data_full (G_OBJECT (row), "store", g_object_ref (store), g_object_unref);
      g_object_set_data (G_OBJECT (row), "test-button", test);
      g_signal_connect (test, "clicked", G_CALLBACK (test_clicked_cb), row);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), row);
      adw_preferences_group_add (group, row);
    }
  sqlite3_reset (stmt);
}
