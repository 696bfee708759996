/* outreach-preferences-window.c — Preferences: accounts, organisation, jobs, notifications
 *
 * Organisation and job settings are the shared `settings` table (the CLI
 * and the runner read the same values), each checked by
 * outreach_settings_validate() before it is saved; a refused value is
 * marked on its row and explained in a toast. Defaults for new jobs and
 * notifications are UI choices, kept in GSettings. The accounts page is
 * in outreach-preferences-accounts.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-preferences-window"

#include "config.h"

#include "outreach-preferences-window.h"

#include <glib/gi18n.h>

#include "outreach-preferences-accounts.h"
#include "outreach-settings.h"

struct _OutreachPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  OutreachStore *store;
  GSettings *settings;

  AdwPreferencesPage *accounts_page;
  AdwPreferencesGroup *accounts_group;
  AdwEntryRow *org_name_row;
  AdwEntryRow *sender_name_row;
  AdwEntryRow *sender_address_row;
  AdwEntryRow *reply_to_row;
  AdwEntryRow *unsubscribe_url_row;
  AdwEntryRow *postal_address_row;
  GtkSpinButton *parallel_jobs_spin;
  GtkSpinButton *history_keep_spin;
  GtkSpinButton *default_rate_spin;
  GtkSpinButton *default_concurrency_spin;
  GtkSwitch *notifications_switch;
};

G_DEFINE_FINAL_TYPE (OutreachPreferencesWindow, outreach_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void
show_error (OutreachPreferencesWindow *self,
            const char                *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
entry_apply_cb (AdwEntryRow               *row,
                OutreachPreferencesWindow *self)
{
  OutreachSetting setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "setting"));
  g_autoptr (GError) error = NULL;
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (!outreach_settings_set_string (self->store, setting, value, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_error (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
bind_entry (OutreachPreferencesWindow *self,
            AdwEntryRow               *row,
            OutreachSetting            setting)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *value = outreach_settings_get_string (self->store, setting, &error);

  if (value == NULL)
    g_warning ("%s", error->message);
  g_object_set_data (G_OBJECT (row), "setting", GINT_TO_POINTER (setting));
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  g_signal_connect (row, "apply", G_CALLBACK (entry_apply_cb), self);
}

static void
spin_changed_cb (GtkSpinButton             *spin,
                 OutreachPreferencesWindow *self)
{
  OutreachSetting setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spin), "setting"));
  g_autoptr (GError) error = NULL;

  if (!outreach_settings_set_int (self->store, setting, gtk_spin_button_get_value_as_int (spin),
                                  &error))
    show_error (self, error->message);
}

static void
bind_spin (OutreachPreferencesWindow *self,
           GtkSpinButton             *spin,
           OutreachSetting            setting)
{
  g_autoptr (GError) error = NULL;
  int value = 0;

  if (!outreach_settings_get_int (self->store, setting, &value, &error))
    g_warning ("%s", error->message);
  gtk_spin_button_set_value (spin, value);
  g_object_set_data (G_OBJECT (spin), "setting", GINT_TO_POINTER (setting));
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed_cb), self);
}

/**
 * outreach_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 */
OutreachPreferencesWindow *
outreach_preferences_window_new (GtkWindow     *parent,
                                 OutreachStore *store)
{
  OutreachPreferencesWindow *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);

  bind_entry (self, self->org_name_row, OUTREACH_SETTING_ORG_NAME);
  bind_entry (self, self->sender_name_row, OUTREACH_SETTING_SENDER_NAME);
  bind_entry (self, self->sender_address_row, OUTREACH_SETTING_SENDER_ADDRESS);
  bind_entry (self, self->reply_to_row, OUTREACH_SETTING_REPLY_TO);
  bind_entry (self, self->unsubscribe_url_row, OUTREACH_SETTING_UNSUBSCRIBE_URL);
  bind_entry (self, self->postal_address_row, OUTREACH_SETTING_POSTAL_ADDRESS);
  bind_spin (self, self->parallel_jobs_spin, OUTREACH_SETTING_PARALLEL_JOBS);
  bind_spin (self, self->history_keep_spin, OUTREACH_SETTING_HISTORY_KEEP);

  outreach_preferences_accounts_fill (self->accounts_group, store);
  return self;
}

static void
outreach_preferences_window_dispose (GObject *object)
{
  OutreachPreferencesWindow *self = OUTREACH_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_preferences_window_parent_class)->dispose (object);
}

static void
outreach_preferences_window_class_init (OutreachPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = outreach_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/outreach/Outreach/outreach-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, org_name_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, sender_name_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, sender_address_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, reply_to_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, unsubscribe_url_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, postal_address_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, parallel_jobs_spin);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, history_keep_spin);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow, default_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow,
                                        default_concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, OutreachPreferencesWindow,
                                        notifications_switch);
}

static void
outreach_preferences_window_init (OutreachPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* UI choices: GSettings, bound both ways. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "default-rate", self->default_rate_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "default-concurrency", self->default_concurrency_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}
