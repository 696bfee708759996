/* outreach-templates-page.c — the Templates page: saved messages and partials
 *
 * A list of the saved templates beside the editor of the one selected:
 * create, edit, duplicate and delete. A saved template is also a partial
 * other messages include by name ({{> footer}}).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-templates-page"

#include "config.h"

#include "outreach-templates-page.h"

#include <glib/gi18n.h>

#include "outreach-template-editor.h"
#include "outreach-template-library.h"

struct _OutreachTemplatesPage
{
  GtkWidget parent_instance;

  OutreachStore *store;
  gint64 current_id;  /* the template in the editor; 0 for a new one */
  gboolean filling;   /* the page is filling the list or the editor */

  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  GtkListBox *template_list;
  GtkStack *content_stack;
  GtkEntry *name_entry;
  OutreachTemplateEditor *editor;
};

G_DEFINE_FINAL_TYPE (OutreachTemplatesPage, outreach_templates_page, GTK_TYPE_WIDGET)

static void
toast (OutreachTemplatesPage *self,
       const char            *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
update_actions (OutreachTemplatesPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  gboolean editing = g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "editor");
  g_autofree char *trimmed = g_strstrip (g_strdup (name));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.new", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.save",
                                 self->store != NULL && editing && trimmed[0] != '\0'
                                 && outreach_template_editor_get_valid (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.duplicate", self->current_id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.delete", self->current_id != 0);
}

static void
show_template (OutreachTemplatesPage *self,
               gint64                 id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachSavedTemplate) saved = NULL;

  saved = outreach_template_library_get_by_id (self->store, id, &error);
  if (saved == NULL)
    {
      toast (self, error->message);
      return;
    }

  self->filling = TRUE;
  self->current_id = saved->id;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), saved->name);
  outreach_template_editor_set_message (self->editor, saved->subject, saved->text_body, saved->html_body);
  gtk_stack_set_visible_child_name (self->content_stack, "editor");
  self->filling = FALSE;
  update_actions (self);
}

static void
row_selected_cb (OutreachTemplatesPage *self,
                 GtkListBoxRow         *row)
{
  if (self->filling || row == NULL)
    return;
  show_template (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "template-id")));
}

/* In a narrow window the list and the editor take turns: a click on a
 * template (selected or not) goes to its editor, Back to the list. */
static void
row_activated_cb (OutreachTemplatesPage *self,
                  GtkListBoxRow         *row)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
}

static void
back_clicked_cb (OutreachTemplatesPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static GtkListBoxRow *
find_row (OutreachTemplatesPage *self,
          gint64                 id)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->template_list, i);

      if (row == NULL)
        return NULL;
      if ((gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "template-id")) == id)
        return row;
    }
}

/* Fills the list again and shows @select_id (0: keep the editor as it is
 * when it holds a template still there, else the first one). */
static void
fill (OutreachTemplatesPage *self,
      gint64                 select_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  GtkWidget *child;
  GtkListBoxRow *row;

  if (self->store == NULL)
    return;
  list = outreach_template_library_list (self->store, &error);
  if (list == NULL)
    {
      toast (self, error->message);
      return;
    }

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->template_list))) != NULL)
    gtk_list_box_remove (self->template_list, child);
  for (guint i = 0; i < list->len; i++)
    {
      OutreachSavedTemplate *saved = g_ptr_array_index (list, i);
      GtkWidget *label = gtk_label_new (saved->name);
      GtkWidget *new_row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (new_row), label);
      g_object_set_data (G_OBJECT (new_row), "template-id", GSIZE_TO_POINTER (saved->id));
      gtk_list_box_append (self->template_list, new_row);
    }
  self->filling = FALSE;

  if (select_id == 0)
    select_id = self->current_id;
  row = select_id != 0 ? find_row (self, select_id) : NULL;
  if (row == NULL && list->len > 0)
    row = gtk_list_box_get_row_at_index (self->template_list, 0);

  if (row != NULL)
    {
      self->filling = TRUE;
      gtk_list_box_select_row (self->template_list, row);
      self->filling = FALSE;
      show_template (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "template-id")));
    }
  else
    {
      self->current_id = 0;
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      /* nothing to list: the page that says how to start */
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
    }
  update_actions (self);
}

void
outreach_templates_page_reload (OutreachTemplatesPage *self)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATES_PAGE (self));

  fill (self, 0);
}

void
outreach_templates_page_set_store (OutreachTemplatesPage *self,
                                   OutreachStore         *store)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATES_PAGE (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  g_set_object (&self->store, store);
  outreach_template_editor_set_store (self->editor, store);
  fill (self, 0);
}

gboolean
outreach_templates_page_select (OutreachTemplatesPage *self,
                                const char            *name)
{
  g_autoptr (OutreachSavedTemplate) saved = NULL;

  g_return_val_if_fail (OUTREACH_IS_TEMPLATES_PAGE (self), FALSE);

  if (self->store == NULL)
    return FALSE;
  saved = outreach_template_library_get (self->store, name, NULL);
  if (saved == NULL)
    return FALSE;
  fill (self, saved->id);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
  return TRUE;
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  OutreachTemplatesPage *self = OUTREACH_TEMPLATES_PAGE (widget);

  self->filling = TRUE;
  self->current_id = 0;
  gtk_list_box_unselect_all (self->template_list);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  outreach_template_editor_set_message (self->editor, "", "", NULL);
  gtk_stack_set_visible_child_name (self->content_stack, "editor");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_stack));
  self->filling = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  update_actions (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OutreachTemplatesPage *self = OUTREACH_TEMPLATES_PAGE (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  g_autofree char *subject = outreach_template_editor_get_subject (self->editor);
  g_autofree char *text = outreach_template_editor_get_text_body (self->editor);
  g_autofree char *html = outreach_template_editor_get_html_body (self->editor);
  g_autoptr (GError) error = NULL;
  gint64 id;

  id = outreach_template_library_save (self->store, self->current_id, name, subject, text, html, &error);
  if (id == 0)
    {
      toast (self, error->message);
      return;
    }
  self->current_id = id;
  fill (self, id);
  toast (self, _("Template saved"));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OutreachTemplatesPage *self = OUTREACH_TEMPLATES_PAGE (widget);
  g_autoptr (GError) error = NULL;
  gint64 id;

  id = outreach_template_library_duplicate (self->store, self->current_id, &error);
  if (id == 0)
    {
      toast (self, error->message);
      return;
    }
  fill (self, id);
  toast (self, _("Template duplicated"));
}

static void
delete_response_cb (AdwMessageDialog      *dialog,
                    const char            *response,
                    OutreachTemplatesPage *self)
{
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  if (!outreach_template_library_remove (self->store, self->current_id, &error))
    {
      toast (self, error->message);
      return;
    }
  self->current_id = 0;
  fill (self, 0);
  toast (self, _("Template deleted"));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OutreachTemplatesPage *self = OUTREACH_TEMPLATES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Template?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will be gone for good. Messages that include it "
                                    "with {{> %s}} will no longer be valid."), name, name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
outreach_templates_page_dispose (GObject *object)
{
  OutreachTemplatesPage *self = OUTREACH_TEMPLATES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_TEMPLATES_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_templates_page_parent_class)->dispose (object);
}

static void
outreach_templates_page_class_init (OutreachTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_templates_page_dispose;

  g_type_ensure (OUTREACH_TYPE_TEMPLATE_EDITOR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, template_list);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplatesPage, editor);

  gtk_widget_class_install_action (widget_class, "templates.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "templates.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "templates.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "templates.delete", NULL, delete_action);
}

static void
outreach_templates_page_init (OutreachTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->template_list, "row-selected", G_CALLBACK (row_selected_cb), self);
  g_signal_connect_swapped (self->template_list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->editor, "notify::valid", G_CALLBACK (update_actions), self);
  update_actions (self);
}
