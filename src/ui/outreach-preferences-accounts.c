/* outreach-preferences-accounts.c — the accounts list of Preferences
 *
 * One row per account: activating it opens the account's form
 * (OutreachAccountDialog) to edit it; "Test Connection" runs the
 * provider's harmless authenticated request in a thread and shows the
 * answer on the row; "Remove" asks first, saying how many jobs use the
 * account (its keyring secrets go too). "Add Account" in the group's
 * header opens an empty form. The work is OutreachAccount's, the same as
 * `outreach accounts add|edit|test|remove`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-preferences-accounts"

#include "config.h"

#include "outreach-preferences-accounts.h"

#include <glib/gi18n.h>

#include "outreach-account-dialog.h"
#include "outreach-account.h"

static void fill_rows (AdwPreferencesGroup *group,
                       OutreachStore       *store);

static void
show_toast (GtkWidget  *widget,
            const char *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (message));
}

/* ---- Test Connection ---- */

static void
test_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (AdwActionRow) row = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachAccountTestResult) outcome =
    outreach_account_test_finish (OUTREACH_ACCOUNT (source), result, &error);
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "test-button");
  g_autofree char *text = outcome != NULL ? outreach_account_test_result_describe (outcome)
                                          : g_strdup (error->message);
  gboolean ok = outcome != NULL && outreach_account_test_result_ok (outcome);

  gtk_widget_set_sensitive (button, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "success");
  adw_action_row_set_subtitle (row, text);
  gtk_widget_add_css_class (GTK_WIDGET (row), ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
test_clicked_cb (GtkButton    *button,
                 AdwActionRow *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachAccount) account = outreach_account_load (store, name, &error);

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "success");
  if (account == NULL)
    {
      adw_action_row_set_subtitle (row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  adw_action_row_set_subtitle (row, _("Testing the connection…"));
  outreach_account_test_async (account, NULL, test_done_cb, g_object_ref (row));
}

/* ---- Remove ---- */

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AdwActionRow     *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_autofree char *title = NULL;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (!outreach_account_remove (store, name, &error))
    {
      show_toast (GTK_WIDGET (row), error->message);
      return;
    }
  title = g_strdup_printf (_("Account “%s” removed"), name);
  show_toast (GTK_WIDGET (row), title);
  if (group != NULL)
    {
      GPtrArray *rows = g_object_get_data (G_OBJECT (group), "account-rows");

      if (rows != NULL)
        g_ptr_array_remove (rows, row);
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (row));
    }
}

static void
remove_clicked_cb (GtkButton    *button,
                   AdwActionRow *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  const char *name = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *heading = g_strdup_printf (_("Remove Account “%s”?"), name);
  g_autofree char *body = NULL;
  gint64 used = outreach_account_count_jobs (store, name);
  AdwMessageDialog *dialog;

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
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Add and edit ---- */

static void
saved_cb (OutreachAccountDialog *dialog,
          AdwPreferencesGroup   *group)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (group), "store");
  OutreachAccount *account = outreach_account_dialog_get_account (dialog);
  g_autofree char *title = g_strdup_printf (_("Account “%s” saved"), outreach_account_get_name (account));

  fill_rows (group, store);
  show_toast (GTK_WIDGET (group), title);
}

static void
present_dialog (AdwPreferencesGroup   *group,
                OutreachAccountDialog *dialog)
{
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), group, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_clicked_cb (GtkButton           *button,
                AdwPreferencesGroup *group)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (group), "store");

  present_dialog (group, outreach_account_dialog_new_add (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (group))),
                                                          store));
}

static void
row_activated_cb (AdwActionRow *row)
{
  OutreachStore *store = g_object_get_data (G_OBJECT (row), "store");
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachAccount) account =
    outreach_account_load (store, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), &error);

  if (account == NULL)
    {
      show_toast (GTK_WIDGET (row), error->message);
      return;
    }
  present_dialog (ADW_PREFERENCES_GROUP (group),
                  outreach_account_dialog_new_edit (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (row))),
                                                    store, account));
}

/* ---- the list ---- */

static void
fill_rows (AdwPreferencesGroup *group,
           OutreachStore       *store)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), "account-rows");
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);

  stmt = outreach_store_prepare (store, "SELECT name, kind, json_extract (settings, '$.from')"
                                        " FROM accounts ORDER BY name", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *from = (const char *) sqlite3_column_text (stmt, 2);
      g_autofree char *subtitle = from != NULL && *from != '\0'
                                    ? g_strdup_printf ("%s · %s", outreach_account_kind_get_label (kind), from)
                                    : g_strdup (outreach_account_kind_get_label (kind));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *test = gtk_button_new_with_mnemonic (_("_Test Connection"));
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
      g_autofree char *remove_label = g_strdup_printf (_("Remove account %s"), name);
      g_autofree char *test_label = g_strdup_printf (_("Test the connection of account %s"), name);
      g_autofree char *edit_label = g_strdup_printf (_("Edit account %s"), name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, edit_label);
      gtk_widget_set_valign (test, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (test), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      test_label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), test);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      g_object_set_data_full (G_OBJECT (row), "store", g_object_ref (store), g_object_unref);
      /* a reference: a test may answer after the window is gone */
      g_object_set_data_full (G_OBJECT (row), "test-button", g_object_ref (test), g_object_unref);
      g_signal_connect (test, "clicked", G_CALLBACK (test_clicked_cb), row);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), row);
      g_signal_connect (row, "activated", G_CALLBACK (row_activated_cb), NULL);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
}

/**
 * outreach_preferences_accounts_fill:
 *
 * Adds one row per account to @group, and the "Add Account" button to its
 * header. The rows are rebuilt when a form saves an account.
 */
void
outreach_preferences_accounts_fill (AdwPreferencesGroup *group,
                                    OutreachStore       *store)
{
  GtkWidget *add;
  GtkWidget *content;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  if (g_object_get_data (G_OBJECT (group), "account-rows") == NULL)
    {
      g_object_set_data_full (G_OBJECT (group), "store", g_object_ref (store), g_object_unref);
      g_object_set_data_full (G_OBJECT (group), "account-rows", g_ptr_array_new (),
                              (GDestroyNotify) g_ptr_array_unref);
      add = gtk_button_new ();
      content = adw_button_content_new ();
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_Add Account"));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (add), content);
      gtk_widget_add_css_class (add, "flat");
      gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add account"), -1);
      g_signal_connect (add, "clicked", G_CALLBACK (add_clicked_cb), group);
      adw_preferences_group_set_header_suffix (group, add);
    }
  fill_rows (group, store);
}
