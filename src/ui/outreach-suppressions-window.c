/* outreach-suppressions-window.c — the suppression list: view, add, remove
 *
 * Each suppressed address with its reason and date; an address is added
 * with a reason or removed with its row's button. "changed" tells the
 * Donors page to refresh its status column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-suppressions"

#include "config.h"

#include "outreach-suppressions-window.h"

#include <glib/gi18n.h>

#include "outreach-suppression.h"

struct _OutreachSuppressionsWindow
{
  AdwWindow parent_instance;

  OutreachStore *store;
  GPtrArray *rows;

  AdwToastOverlay *toast_overlay;
  AdwEntryRow *address_row;
  AdwComboRow *reason_row;
  AdwPreferencesGroup *list_group;
};

G_DEFINE_FINAL_TYPE (OutreachSuppressionsWindow, outreach_suppressions_window, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of the reason drop-down. */
static const char *const reasons[] = { "manual", "unsubscribed", "bounced", "complained" };

static const char *
reason_label (const char *reason)
{
  if (g_strcmp0 (reason, "unsubscribed") == 0)
    return _("Unsubscribed");
  if (g_strcmp0 (reason, "bounced") == 0)
    return _("Bounced");
  if (g_strcmp0 (reason, "complained") == 0)
    return _("Complained");
  return _("Added by hand");
}

static void
show_toast (OutreachSuppressionsWindow *self,
            const char                 *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void reload (OutreachSuppressionsWindow *self);

static void
remove_clicked_cb (GtkButton                  *button,
                   OutreachSuppressionsWindow *self)
{
  const char *address = g_object_get_data (G_OBJECT (button), "address");
  g_autoptr (GError) error = NULL;

  if (!outreach_suppression_remove (self->store, address, &error))
    {
      show_toast (self, error->message);
      return;
    }
  reload (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
reload (OutreachSuppressionsWindow *self)
{
  g_autoptr (GListModel) list = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->list_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  list = outreach_suppression_list (self->store, &error);
  if (list == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (OutreachSuppression) item = g_list_model_get_item (list, i);
      g_autoptr (GDateTime) when =
        g_date_time_new_from_unix_local (outreach_suppression_get_created_at (item));
      g_autofree char *date = g_date_time_format (when, "%x");
      g_autofree char *subtitle = g_strdup_printf ("%s · %s",
                                                   reason_label (outreach_suppression_get_reason (item)),
                                                   date);
      g_autofree char *title = g_markup_escape_text (outreach_suppression_get_address (item), -1);
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"),
                                                       outreach_suppression_get_address (item));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove from the list"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      g_object_set_data_full (G_OBJECT (button), "address",
                              g_strdup (outreach_suppression_get_address (item)), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->list_group, row);
      g_ptr_array_add (self->rows, row);
    }

  adw_preferences_group_set_description (self->list_group,
                                         g_list_model_get_n_items (list) == 0
                                           ? _("No address is suppressed.") : NULL);
}

static void
add_cb (OutreachSuppressionsWindow *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  guint reason = adw_combo_row_get_selected (self->reason_row);
  g_autoptr (GError) error = NULL;

  if (address[0] == '\0')
    return;
  if (!outreach_suppression_add (self->store, address,
                                 reasons[reason < G_N_ELEMENTS (reasons) ? reason : 0], &error))
    {
      show_toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
  reload (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
outreach_suppressions_window_dispose (GObject *object)
{
  OutreachSuppressionsWindow *self = OUTREACH_SUPPRESSIONS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_SUPPRESSIONS_WINDOW);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (outreach_suppressions_window_parent_class)->dispose (object);
}

static void
outreach_suppressions_window_class_init (OutreachSuppressionsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_suppressions_window_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-suppressions-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachSuppressionsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachSuppressionsWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachSuppressionsWindow, reason_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachSuppressionsWindow, list_group);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
outreach_suppressions_window_init (OutreachSuppressionsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

OutreachSuppressionsWindow *
outreach_suppressions_window_new (OutreachStore *store)
{
  OutreachSuppressionsWindow *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_SUPPRESSIONS_WINDOW, NULL);
  self->store = g_object_ref (store);
  reload (self);
  return self;
}
