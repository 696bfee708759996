/* outreach-account-dialog.c — the form that adds or edits a delivery account
 *
 * The rows come from the provider kind's field table (OutreachAccount), so
 * the form asks for exactly what the provider reads. Every change is
 * checked at once and a problem is shown under its field: a wrong value
 * right away, an empty needed field once it was touched or passed over
 * (a fresh form is not all red). Save stays disabled until the account is
 * complete. Secret fields are password rows; a secret already in the
 * keyring shows as such and is replaced only when something is typed.
 * "Test" runs the provider's harmless request in a thread with the values
 * as they are, before or after saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-account-dialog"

#include "config.h"

#include "outreach-account-dialog.h"

#include <glib/gi18n.h>

#include "outreach-provider.h"

typedef struct
{
  OutreachAccountDialog *dialog;
  const OutreachAccountField *field;
  guint order;           /* place in the form: the name is 0 */
  gboolean touched;
  GtkWidget *row;        /* AdwEntryRow, AdwPasswordEntryRow, AdwComboRow or AdwActionRow */
  GtkWidget *toggle;     /* BOOLEAN: its switch */
  GtkWidget *stored;     /* secrets: "Stored in keyring", while nothing is typed */
  GtkWidget *error_row;
  GtkLabel *error_label;
} FieldView;

struct _OutreachAccountDialog
{
  AdwWindow parent_instance;

  OutreachStore *store;
  OutreachAccount *account;
  gboolean editing;
  gboolean filling;      /* rows being set from the account: not the user's changes */
  gboolean name_touched;
  gboolean testing;
  gboolean saving;
  GCancellable *cancellable;
  GPtrArray *fields;     /* FieldView */
  GPtrArray *groups;     /* the groups built for the kind */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *save_button;
  AdwPreferencesPage *page;
  AdwPreferencesGroup *account_group;
  AdwComboRow *kind_row;
  AdwEntryRow *name_row;
  GtkWidget *name_error_row;
  GtkLabel *name_error_label;
  AdwPreferencesGroup *test_group;
  AdwActionRow *test_row;
  GtkWidget *test_button;
};

G_DEFINE_FINAL_TYPE (OutreachAccountDialog, outreach_account_dialog, ADW_TYPE_WINDOW)

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_view_free (FieldView *view)
{
  g_free (view);
}

/* ---- showing problems ---- */

static void
show_problem (GtkWidget  *row,
              GtkWidget  *error_row,
              GtkLabel   *error_label,
              const char *message,
              const char *hint)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_label_set_text (error_label, message);
      gtk_widget_set_visible (error_row, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_visible (error_row, FALSE);
      if (hint != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint, -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* An empty needed field is shown once touched or passed over; a wrong value always. */
static gboolean
worth_showing (const GError *error,
               gboolean      touched,
               guint         order,
               guint         last_touched)
{
  if (error == NULL)
    return FALSE;
  if (!g_error_matches (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_REQUIRED))
    return TRUE;
  return touched || last_touched > order;
}

static void
update_state (OutreachAccountDialog *self)
{
  g_autoptr (GError) name_error = NULL;
  g_autoptr (GError) first = NULL;
  guint last_touched = 0; /* the furthest field touched; the name is 0 */
  gboolean valid;

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldView *view = self->fields->pdata[i];
      if (view->touched)
        last_touched = MAX (last_touched, view->order);
    }

  outreach_account_validate_name (self->account, &name_error);
  show_problem (GTK_WIDGET (self->name_row), self->name_error_row, self->name_error_label,
                worth_showing (name_error, self->name_touched, 0, last_touched) ? name_error->message : NULL,
                NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldView *view = self->fields->pdata[i];
      g_autoptr (GError) error = NULL;

      outreach_account_validate_field (self->account, view->field->key, &error);
      show_problem (view->row, view->error_row, view->error_label,
                    worth_showing (error, view->touched, view->order, last_touched) ? error->message : NULL,
                    outreach_account_field_get_hint (view->field));
      if (view->stored != NULL)
        gtk_widget_set_visible (view->stored,
                                *gtk_editable_get_text (GTK_EDITABLE (view->row)) == '\0' &&
                                outreach_account_has_stored_secret (self->account, view->field->key));
    }

  valid = outreach_account_validate (self->account, &first);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.save", valid && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.test", valid && !self->testing && !self->saving);
  /* why Save is not available yet, for the pointer and for screen readers */
  gtk_widget_set_tooltip_text (self->save_button, valid ? _("Save the account (Ctrl+S)") : first->message);
  if (valid)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->save_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    first->message, -1);
}

/* ---- the rows ---- */

static void
touch (OutreachAccountDialog *self,
       FieldView             *view)
{
  if (!self->filling)
    view->touched = TRUE;
  /* a changed value makes an old test result stale */
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  update_state (self);
}

static void
name_changed_cb (OutreachAccountDialog *self)
{
  outreach_account_set_name (self->account, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  if (!self->filling)
    self->name_touched = TRUE;
  update_state (self);
}

static void
entry_changed_cb (GtkEditable *row,
                  FieldView   *view)
{
  OutreachAccountDialog *self = view->dialog;

  if ((view->field->flags & OUTREACH_ACCOUNT_FIELD_SECRET) != 0)
    outreach_account_set_secret (self->account, view->field->key, gtk_editable_get_text (row));
  else
    {
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (row)));
      outreach_account_set_value (self->account, view->field->key, value);
    }
  touch (self, view);
}

static void
choice_selected_cb (AdwComboRow *row,
                    GParamSpec  *pspec,
                    FieldView   *view)
{
  OutreachAccountDialog *self = view->dialog;
  guint selected = adw_combo_row_get_selected (row);

  if (selected < g_strv_length ((char **) view->field->choices))
    outreach_account_set_value (self->account, view->field->key, view->field->choices[selected]);
  touch (self, view);
}

static void
toggle_cb (GtkSwitch  *toggle,
           GParamSpec *pspec,
           FieldView  *view)
{
  OutreachAccountDialog *self = view->dialog;

  outreach_account_set_value (self->account, view->field->key, gtk_switch_get_active (toggle) ? "1" : "0");
  touch (self, view);
}

static void
folder_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  FieldView       *view)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (view->row), path);
    }
  g_object_unref (chooser);
}

static void
choose_folder_cb (GtkButton *button,
                  FieldView *view)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Choose a Folder for the Messages"),
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen_cb), view);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkInputPurpose
input_purpose (OutreachAccountFieldType type)
{
  switch (type)
    {
    case OUTREACH_ACCOUNT_FIELD_EMAIL:
      return GTK_INPUT_PURPOSE_EMAIL;
    case OUTREACH_ACCOUNT_FIELD_URL:
      return GTK_INPUT_PURPOSE_URL;
    case OUTREACH_ACCOUNT_FIELD_PHONE:
      return GTK_INPUT_PURPOSE_PHONE;
    case OUTREACH_ACCOUNT_FIELD_RATE:
      return GTK_INPUT_PURPOSE_NUMBER;
    case OUTREACH_ACCOUNT_FIELD_CONCURRENCY:
      return GTK_INPUT_PURPOSE_DIGITS;
    case OUTREACH_ACCOUNT_FIELD_TEXT:
    case OUTREACH_ACCOUNT_FIELD_FOLDER:
    case OUTREACH_ACCOUNT_FIELD_CHOICE:
    case OUTREACH_ACCOUNT_FIELD_AWS_REGION:
    case OUTREACH_ACCOUNT_FIELD_BOOLEAN:
    default:
      return GTK_INPUT_PURPOSE_FREE_FORM;
    }
}

static GtkWidget *
make_row (OutreachAccountDialog *self,
          FieldView             *view)
{
  const OutreachAccountField *field = view->field;
  const char *label = outreach_account_field_get_label (field);
  const char *value = (field->flags & OUTREACH_ACCOUNT_FIELD_SECRET) != 0
                        ? "" : outreach_account_get_value (self->account, field->key);
  GtkWidget *row;

  if ((field->flags & OUTREACH_ACCOUNT_FIELD_SECRET) != 0)
    {
      row = adw_password_entry_row_new ();
      view->stored = gtk_label_new (_("Stored in keyring"));
      gtk_widget_add_css_class (view->stored, "dim-label");
      gtk_widget_add_css_class (view->stored, "caption");
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), view->stored);
      g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), view);
    }
  else if (field->type == OUTREACH_ACCOUNT_FIELD_CHOICE)
    {
      g_autoptr (GtkStringList) choices = gtk_string_list_new (field->choices);
      guint selected = 0;

      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      for (guint i = 0; field->choices[i] != NULL; i++)
        if (g_str_equal (field->choices[i], value))
          selected = i;
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_signal_connect (row, "notify::selected", G_CALLBACK (choice_selected_cb), view);
    }
  else if (field->type == OUTREACH_ACCOUNT_FIELD_BOOLEAN)
    {
      row = adw_action_row_new ();
      view->toggle = gtk_switch_new ();
      gtk_widget_set_valign (view->toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (view->toggle), g_strcmp0 (value, "1") == 0 ||
                                                        g_ascii_strcasecmp (value, "true") == 0 ||
                                                        g_ascii_strcasecmp (value, "yes") == 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view->toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), view->toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), view->toggle);
      if (outreach_account_field_get_hint (field) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), outreach_account_field_get_hint (field));
      g_signal_connect (view->toggle, "notify::active", G_CALLBACK (toggle_cb), view);
    }
  else
    {
      row = adw_entry_row_new ();
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), input_purpose (field->type));
      gtk_editable_set_text (GTK_EDITABLE (row), value);
      if (field->type == OUTREACH_ACCOUNT_FIELD_FOLDER)
        {
          GtkWidget *choose = gtk_button_new_from_icon_name ("folder-open-symbolic");
          gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (choose, "flat");
          gtk_widget_set_tooltip_text (choose, _("Choose Folder"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Choose folder"), -1);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), choose);
          g_signal_connect (choose, "clicked", G_CALLBACK (choose_folder_cb), view);
        }
      g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), view);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  if (outreach_account_field_get_hint (field) != NULL)
    gtk_widget_set_tooltip_text (row, outreach_account_field_get_hint (field));
  return row;
}

static GtkWidget *
make_error_row (FieldView *view)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_visible (row, FALSE);
  view->error_label = GTK_LABEL (label);
  return row;
}

/* Builds the field groups of the account's kind, in place of the old ones. */
static void
build_fields (OutreachAccountDialog *self)
{
  const char *kind = outreach_account_get_kind (self->account);
  const OutreachAccountField *fields;
  AdwPreferencesGroup *main_group, *advanced_group = NULL;
  guint n_fields;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->fields, 0);

  /* the test group stays last */
  g_object_ref (self->test_group);
  adw_preferences_page_remove (self->page, self->test_group);

  main_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (main_group, outreach_account_kind_get_label (kind));
  adw_preferences_group_set_description (main_group, outreach_account_kind_get_description (kind));
  adw_preferences_page_add (self->page, main_group);
  g_ptr_array_add (self->groups, main_group);

  self->filling = TRUE;
  fields = outreach_account_kind_get_fields (kind, &n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      FieldView *view = g_new0 (FieldView, 1);
      AdwPreferencesGroup *group = main_group;

      view->dialog = self;
      view->field = &fields[i];
      view->order = i + 1;
      g_ptr_array_add (self->fields, view);
      if ((fields[i].flags & OUTREACH_ACCOUNT_FIELD_ADVANCED) != 0)
        {
          if (advanced_group == NULL)
            {
              advanced_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
              adw_preferences_group_set_title (advanced_group, _("Limits and Server"));
              adw_preferences_group_set_description (advanced_group, _("Most accounts can keep these as they are."));
              adw_preferences_page_add (self->page, advanced_group);
              g_ptr_array_add (self->groups, advanced_group);
            }
          group = advanced_group;
        }
      view->row = make_row (self, view);
      view->error_row = make_error_row (view);
      adw_preferences_group_add (group, view->row);
      adw_preferences_group_add (group, view->error_row);
    }
  self->filling = FALSE;

  adw_preferences_page_add (self->page, self->test_group);
  g_object_unref (self->test_group);
  update_state (self);
}

static void
kind_selected_cb (OutreachAccountDialog *self)
{
  const char *const *kinds = outreach_provider_kinds ();
  guint selected = adw_combo_row_get_selected (self->kind_row);
  static const char *const carried[] = { "from", "from_name", "reply_to", "rate", "concurrency", "retry_ambiguous" };
  g_autoptr (OutreachAccount) account = NULL;

  if (self->editing || selected >= g_strv_length ((char **) kinds) ||
      g_str_equal (kinds[selected], outreach_account_get_kind (self->account)))
    return;
  /* what was typed that the new kind also has is kept */
  account = outreach_account_new (kinds[selected]);
  outreach_account_set_name (account, outreach_account_get_name (self->account));
  for (guint i = 0; i < G_N_ELEMENTS (carried); i++)
    {
      guint n;
      const OutreachAccountField *fields = outreach_account_kind_get_fields (kinds[selected], &n);
      gboolean shown = FALSE;

      for (guint j = 0; j < n; j++)
        shown |= g_str_equal (fields[j].key, carried[i]);
      if (shown)
        outreach_account_set_value (account, carried[i], outreach_account_get_value (self->account, carried[i]));
    }
  g_set_object (&self->account, account);
  adw_action_row_set_subtitle (self->test_row, _("Sends a harmless request with these settings; nothing is delivered"));
  build_fields (self);
}

/* ---- saving and testing ---- */

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (OutreachAccountDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  self->saving = FALSE;
  if (!outreach_account_save_finish (OUTREACH_ACCOUNT (source), result, &error))
    {
      update_state (self);
      if (g_error_matches (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_EXISTS))
        {
          show_problem (GTK_WIDGET (self->name_row), self->name_error_row, self->name_error_label,
                        error->message, NULL);
          gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
        }
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OutreachAccountDialog *self = OUTREACH_ACCOUNT_DIALOG (widget);

  if (self->saving)
    return;
  /* Save and Test wait while the keyring and the database are written (the
   * form closes when that succeeds); no cancellable: a save that went
   * through must be reported. */
  self->saving = TRUE;
  update_state (self);
  outreach_account_save_async (self->account, self->store, OUTREACH_ACCOUNT_SAVE_DEFAULT, NULL, save_done_cb,
                               g_object_ref (self));
}

static void
test_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (OutreachAccountDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachAccountTestResult) outcome =
    outreach_account_test_finish (OUTREACH_ACCOUNT (source), result, &error);
  g_autofree char *text = NULL;
  gboolean ok;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->testing = FALSE;
  if (outcome != NULL)
    {
      text = outreach_account_test_result_describe (outcome);
      ok = outreach_account_test_result_ok (outcome);
    }
  else
    {
      text = g_strdup (error->message);
      ok = FALSE;
    }
  adw_action_row_set_subtitle (self->test_row, text);
  gtk_widget_add_css_class (GTK_WIDGET (self->test_row), ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  update_state (self);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OutreachAccountDialog *self = OUTREACH_ACCOUNT_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->testing = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  adw_action_row_set_subtitle (self->test_row, _("Testing the connection…"));
  outreach_account_test_async (self->account, self->cancellable, test_done_cb, g_object_ref (self));
  update_state (self);
}

/* ---- the object ---- */

static void
outreach_account_dialog_dispose (GObject *object)
{
  OutreachAccountDialog *self = OUTREACH_ACCOUNT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_ACCOUNT_DIALOG);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->account);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_account_dialog_parent_class)->dispose (object);
}

static void
outreach_account_dialog_class_init (OutreachAccountDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = outreach_account_dialog_dispose;

  /**
   * OutreachAccountDialog::saved:
   *
   * The account was saved (and the form is closing).
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, page);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, account_group);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, name_error_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, test_group);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachAccountDialog, test_button);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);

  gtk_widget_class_install_action (widget_class, "account.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "account.test", NULL, test_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "account.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
outreach_account_dialog_init (OutreachAccountDialog *self)
{
  const char *const *kinds = outreach_provider_kinds ();
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_view_free);
  self->groups = g_ptr_array_new ();

  for (guint i = 0; kinds[i] != NULL; i++)
    gtk_string_list_append (labels, outreach_account_kind_get_label (kinds[i]));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (labels));
}

static OutreachAccountDialog *
dialog_new (GtkWindow       *parent,
            OutreachStore   *store,
            OutreachAccount *account,
            gboolean         editing)
{
  OutreachAccountDialog *self = g_object_new (OUTREACH_TYPE_ACCOUNT_DIALOG, "transient-for", parent, NULL);
  const char *const *kinds = outreach_provider_kinds ();
  const char *kind = outreach_account_get_kind (account);

  self->store = g_object_ref (store);
  self->account = g_object_ref (account);
  self->editing = editing;

  for (guint i = 0; kinds[i] != NULL; i++)
    if (g_str_equal (kinds[i], kind))
      adw_combo_row_set_selected (self->kind_row, i);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_selected_cb), self);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), outreach_account_get_name (account));
  self->filling = FALSE;

  if (editing)
    {
      g_autofree char *title = g_strdup_printf (_("Edit “%s”"), outreach_account_get_name (account));
      /* the provider is what the account is; another one is another account */
      gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), FALSE);
      gtk_window_set_title (GTK_WINDOW (self), title);
      adw_window_title_set_title (self->window_title, _("Edit Account"));
      adw_window_title_set_subtitle (self->window_title, outreach_account_get_name (account));
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Add Account"));
      adw_window_title_set_title (self->window_title, _("Add Account"));
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->kind_row));
    }
  build_fields (self);
  return self;
}

/**
 * outreach_account_dialog_new_add:
 *
 * A form for a new account; it starts with the first provider kind.
 */
OutreachAccountDialog *
outreach_account_dialog_new_add (GtkWindow     *parent,
                                 OutreachStore *store)
{
  g_autoptr (OutreachAccount) account = NULL;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  account = outreach_account_new (outreach_provider_kinds ()[0]);
  return dialog_new (parent, store, account, FALSE);
}

/**
 * outreach_account_dialog_new_edit:
 * @account: a loaded account (outreach_account_load())
 */
OutreachAccountDialog *
outreach_account_dialog_new_edit (GtkWindow       *parent,
                                  OutreachStore   *store,
                                  OutreachAccount *account)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (account), NULL);

  return dialog_new (parent, store, account, TRUE);
}

/* The account as the form has it now. */
OutreachAccount *
outreach_account_dialog_get_account (OutreachAccountDialog *self)
{
  g_return_val_if_fail (OUTREACH_IS_ACCOUNT_DIALOG (self), NULL);
  return self->account;
}
