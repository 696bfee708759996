/* outreach-template-editor.c — edit a message with highlighting, inline
 * errors, an "Insert field" menu and a live preview for real donors
 *
 * The preview follows typing after a short pause
 * (OUTREACH_TEMPLATE_EDITOR_PREVIEW_DELAY_MS): each pause compiles the
 * three parts once, marks the first error in its buffer and renders the
 * parts for the donor shown. The HTML preview is a WebKitWebView
 * (outreach-html-preview.c) with JavaScript off, an ephemeral network
 * session, a Content-Security-Policy that forbids every load, and every
 * navigation refused: a template can never phone home from the preview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-template-editor"

#include "config.h"

#include "outreach-template-editor.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "outreach-html-preview.h"
#include "outreach-merge-fields.h"
#include "outreach-template-check.h"
#include "outreach-template-library.h"
#include "outreach-template.h"

/* Forbids scripts, frames, fonts, images and styles from anywhere but the
 * message itself (inline styles and data: images still work). */
#define PREVIEW_CSP "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; " \
                    "style-src 'unsafe-inline'; img-src data:; font-src data:\">"

struct _OutreachTemplateEditor
{
  AdwBin parent_instance;

  OutreachStore *store;
  char *job_name;
  gint64 donor_id;        /* 0: no donor to preview */
  gboolean valid;
  char *error;
  char *preview_html;
  guint update_id;
  GtkWidget *last_focus;  /* where "Insert field" inserts */
  gboolean loading;       /* set_message is filling the buffers */
  GCancellable *check_cancellable;
  char *donor_where;      /* the check's selection; NULL: every donor */
  GStrv donor_params;
  GArray *preview_ids;    /* gint64, ascending: the donors the preview steps through; NULL: all */
  guint preview_index;    /* donor_id's place in preview_ids */

  GtkEntry *subject_entry;
  GtkCheckButton *html_check;
  GtkMenuButton *insert_field_button;
  GtkStack *body_stack;
  GtkSourceView *text_view;
  GtkSourceView *html_view;
  GtkSpinner *check_spinner;
  GtkLabel *check_label;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkLabel *donor_label;
  GtkLabel *preview_subject;
  GtkStack *preview_stack;
  GtkTextView *preview_text;
  GtkStackPage *html_preview_page;
  GtkFrame *html_preview_frame;
  GtkWidget *html_preview;  /* NULL until an HTML body was shown */
};

G_DEFINE_FINAL_TYPE (OutreachTemplateEditor, outreach_template_editor, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_VALID,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GtkSourceLanguage *
mustache_language (void)
{
  static GtkSourceLanguageManager *manager;

  /* A manager of our own: adding to the default one's search path after
   * it has loaded its languages is refused. */
  if (manager == NULL)
    {
      /* the system's languages too: ours builds on def.lang's styles */
      const char * const *system = gtk_source_language_manager_get_search_path (
        gtk_source_language_manager_get_default ());
      g_autoptr (GStrvBuilder) path = g_strv_builder_new ();
      g_auto (GStrv) search_path = NULL;

      g_strv_builder_add (path, "resource:///io/github/outreach/Outreach/language-specs");
      g_strv_builder_addv (path, (const char **) system);
      search_path = g_strv_builder_end (path);
      manager = gtk_source_language_manager_new ();
      gtk_source_language_manager_set_search_path (manager, (const char * const *) search_path);
    }
  return gtk_source_language_manager_get_language (manager, "outreach-mustache");
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_buffer_text (GtkTextView *view,
                 const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static void
clear_error_marks (OutreachTemplateEditor *self)
{
  GtkTextView *views[] = { GTK_TEXT_VIEW (self->text_view), GTK_TEXT_VIEW (self->html_view) };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (views[i]);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_remove_tag_by_name (buffer, "outreach-error", &start, &end);
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->subject_entry), "error");
}

/* Underlines the error from its column to the end of its line. */
static void
mark_error (GtkTextView *view,
            guint        line,
            guint        column)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_iter_at_line_offset (buffer, &start, line - 1, column - 1))
    gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  else
    gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag_by_name (buffer, "outreach-error", &start, &end);
}

static JsonObject *
preview_fields (OutreachTemplateEditor *self)
{
  g_autoptr (GError) error = NULL;
  JsonObject *fields = NULL;

  if (self->store == NULL)
    return json_object_new ();

  if (self->donor_id > 0)
    fields = outreach_merge_fields_for_donor (self->store, self->donor_id, self->job_name, &error);
  else
    {
      g_autoptr (OutreachMergeFieldsBuilder) builder =
        outreach_merge_fields_builder_new (self->store, self->job_name, &error);

      if (builder != NULL)
        fields = outreach_merge_fields_builder_build_organisation (builder);
    }

  if (fields == NULL)
    {
      gtk_label_set_text (self->donor_label, error->message);
      return json_object_new ();
    }
  return fields;
}

static void
update_donor_label (OutreachTemplateEditor *self)
{
  sqlite3_stmt *stmt;
  gint64 position = 0, total = 0;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (self->store == NULL || self->donor_id == 0)
    {
      gtk_label_set_text (self->donor_label,
                          self->preview_ids != NULL
                            ? _("No donors chosen: the preview shows the organisation’s fields")
                            : _("No donors yet: the preview shows the organisation’s fields"));
      return;
    }

  stmt = outreach_store_prepare (self->store,
                                 "SELECT (SELECT count(*) FROM donors WHERE id <= ?1), "
                                 "(SELECT count(*) FROM donors), "
                                 "(SELECT trim (first_name || ' ' || last_name) || "
                                 "  CASE WHEN email IS NOT NULL THEN ' <' || email || '>' ELSE '' END "
                                 "  FROM donors WHERE id = ?1)",
                                 NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, self->donor_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          position = sqlite3_column_int64 (stmt, 0);
          total = sqlite3_column_int64 (stmt, 1);
          name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          /* Stepping through chosen donors: the place among them. */
          if (self->preview_ids != NULL)
            {
              position = self->preview_index + 1;
              total = self->preview_ids->len;
            }
        }
      sqlite3_reset (stmt);
    }

  /* Translators: "3 of 1,000: Ada Lovelace <ada@example.org>" */
  text = g_strdup_printf (_("%'" G_GINT64_FORMAT " of %'" G_GINT64_FORMAT ": %s"),
                          position, total, name != NULL ? name : "");
  gtk_label_set_text (self->donor_label, text);
}

static gboolean
step_donor (OutreachTemplateEditor *self,
            gboolean                forward)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (self->store == NULL)
    return FALSE;
  if (self->preview_ids != NULL)
    {
      /* From the start (donor_id 0) forward is the first chosen donor. */
      if (self->donor_id == 0)
        {
          if (!forward || self->preview_ids->len == 0)
            return FALSE;
          self->preview_index = 0;
        }
      else if (forward ? self->preview_index + 1 >= self->preview_ids->len : self->preview_index == 0)
        return FALSE;
      else
        self->preview_index += forward ? 1 : -1;
      self->donor_id = g_array_index (self->preview_ids, gint64, self->preview_index);
      return TRUE;
    }
  stmt = outreach_store_prepare (self->store,
                                 forward ? "SELECT id FROM donors WHERE id > ?1 ORDER BY id LIMIT 1"
                                         : "SELECT id FROM donors WHERE id < ?1 ORDER BY id DESC LIMIT 1",
                                 NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->donor_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id == 0)
    return FALSE;
  self->donor_id = id;
  return TRUE;
}

static char *
with_csp (const char *html)
{
  const char *head = NULL;

  /* the policy must be in the head: after <head>, or first of all */
  for (const char *p = html; (p = strchr (p, '<')) != NULL; p++)
    if (g_ascii_strncasecmp (p, "<head", 5) == 0 && (p[5] == '>' || g_ascii_isspace (p[5])))
      {
        head = strchr (p, '>');
        break;
      }
  if (head == NULL)
    return g_strconcat (PREVIEW_CSP, html, NULL);
  return g_strdup_printf ("%.*s%s%s", (int) (head + 1 - html), html, PREVIEW_CSP, head + 1);
}

/* Made on first need: a web view costs a web process (and loading
 * WebKitGTK), and most messages and the app's start never need one.
 * Returns FALSE when WebKitGTK is missing: the frame says so instead. */
static gboolean
ensure_html_preview (OutreachTemplateEditor *self)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *message;

  if (self->html_preview != NULL)
    return TRUE;
  if (gtk_frame_get_child (self->html_preview_frame) != NULL)
    return FALSE;

  self->html_preview = outreach_html_preview_new (&error);
  if (self->html_preview == NULL)
    {
      message = gtk_label_new (error->message);
      gtk_label_set_wrap (GTK_LABEL (message), TRUE);
      gtk_widget_add_css_class (message, "dim-label");
      gtk_frame_set_child (self->html_preview_frame, message);
      return FALSE;
    }
  gtk_widget_set_vexpand (self->html_preview, TRUE);
  gtk_frame_set_child (self->html_preview_frame, self->html_preview);
  return TRUE;
}

static void
update_preview (OutreachTemplateEditor *self)
{
  g_autofree char *subject = gtk_editable_get_chars (GTK_EDITABLE (self->subject_entry), 0, -1);
  g_autofree char *text = buffer_text (GTK_TEXT_VIEW (self->text_view));
  g_autofree char *html = outreach_template_editor_get_html_body (self);
  g_autoptr (GHashTable) text_partials = NULL;
  g_autoptr (GHashTable) html_partials = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (GString) messages = g_string_new (NULL);
  struct
  {
    const char *label;
    const char *source;
    OutreachTemplateKind kind;
    GtkTextView *view;
    OutreachTemplate *template;
  } parts[] = {
    { _("Subject"), subject, OUTREACH_TEMPLATE_SUBJECT, NULL, NULL },
    { _("Text body"), text, OUTREACH_TEMPLATE_TEXT, GTK_TEXT_VIEW (self->text_view), NULL },
    { _("HTML body"), html, OUTREACH_TEMPLATE_HTML, GTK_TEXT_VIEW (self->html_view), NULL },
  };
  gboolean valid = TRUE;

  g_clear_handle_id (&self->update_id, g_source_remove);

  if (self->store != NULL)
    {
      text_partials = outreach_template_library_partials (self->store, OUTREACH_TEMPLATE_TEXT, NULL);
      html_partials = outreach_template_library_partials (self->store, OUTREACH_TEMPLATE_HTML, NULL);
    }

  clear_error_marks (self);
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_auto (OutreachTemplateLocation) where = { 0 };
      g_autoptr (GError) error = NULL;

      if (parts[p].source == NULL)
        continue;
      parts[p].template = outreach_template_new_full (parts[p].source, parts[p].kind,
                                                      parts[p].kind == OUTREACH_TEMPLATE_HTML
                                                        ? html_partials : text_partials,
                                                      OUTREACH_TEMPLATE_FLAGS_NONE, &where, &error);
      if (parts[p].template != NULL)
        continue;

      valid = FALSE;
      if (messages->len > 0)
        g_string_append_c (messages, '\n');
      if (where.partial != NULL)
        /* Translators: "Text body: in the saved template “footer”, line 2, column 5: unclosed tag…" */
        g_string_append_printf (messages, _("%s: in the saved template “%s”, line %u, column %u: %s"),
                                parts[p].label, where.partial, where.line, where.column, where.message);
      else
        g_string_append_printf (messages, _("%s, line %u, column %u: %s"),
                                parts[p].label, where.line, where.column, where.message);
      if (where.partial == NULL && parts[p].view != NULL)
        mark_error (parts[p].view, where.line, where.column);
      else if (where.partial == NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->subject_entry), "error");
    }

  g_free (self->error);
  self->error = valid ? NULL : g_strdup (messages->str);
  gtk_label_set_text (self->error_label, messages->str);
  gtk_revealer_set_reveal_child (self->error_revealer, !valid);
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }

  /* Render what compiles; a part with an error keeps its last preview. */
  fields = preview_fields (self);
  if (parts[0].template != NULL)
    {
      g_autofree char *out = outreach_template_render_to_string (parts[0].template, fields);
      gtk_label_set_text (self->preview_subject, out);
    }
  if (parts[1].template != NULL)
    {
      g_autofree char *out = outreach_template_render_to_string (parts[1].template, fields);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->preview_text), out, -1);
    }
  gtk_stack_page_set_visible (self->html_preview_page, html != NULL);
  if (parts[2].template != NULL)
    {
      g_autofree char *out = outreach_template_render_to_string (parts[2].template, fields);

      g_free (self->preview_html);
      self->preview_html = with_csp (out);
      if (ensure_html_preview (self))
        outreach_html_preview_show (self->html_preview, self->preview_html);
    }
  else if (html == NULL)
    g_clear_pointer (&self->preview_html, g_free);

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    g_clear_object (&parts[p].template);
}

static gboolean
update_preview_cb (gpointer data)
{
  OutreachTemplateEditor *self = data;

  self->update_id = 0;
  update_preview (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_update (OutreachTemplateEditor *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
  self->update_id = g_timeout_add (OUTREACH_TEMPLATE_EDITOR_PREVIEW_DELAY_MS, update_preview_cb, self);
}

static void
content_changed_cb (OutreachTemplateEditor *self)
{
  gtk_label_set_text (self->check_label, "");
  if (self->loading)
    return;
  schedule_update (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
html_toggled_cb (OutreachTemplateEditor *self)
{
  gboolean active = gtk_check_button_get_active (self->html_check);

  gtk_widget_set_sensitive (GTK_WIDGET (self->html_view), active);
  if (active && !self->loading)
    gtk_stack_set_visible_child_name (self->body_stack, "html");
  content_changed_cb (self);
}

static void
focus_enter_cb (GtkEventControllerFocus *controller,
                OutreachTemplateEditor  *self)
{
  self->last_focus = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
}

static void
insert_field_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OutreachTemplateEditor *self = OUTREACH_TEMPLATE_EDITOR (widget);
  g_autofree char *tag = g_strdup_printf ("{{%s}}", g_variant_get_string (parameter, NULL));
  GtkWidget *target = self->last_focus;

  if (target == NULL)
    target = GTK_WIDGET (self->text_view);

  if (target == GTK_WIDGET (self->subject_entry))
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (self->subject_entry));

      gtk_editable_insert_text (GTK_EDITABLE (self->subject_entry), tag, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (self->subject_entry), position);
    }
  else
    gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (target)), tag, -1);
  gtk_widget_grab_focus (target);
}

static void
step_donor_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OutreachTemplateEditor *self = OUTREACH_TEMPLATE_EDITOR (widget);

  if (step_donor (self, g_str_equal (action_name, "editor.next-donor")))
    {
      update_donor_label (self);
      update_preview (self);
    }
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (OutreachTemplateEditor) self = user_data;
  g_autoptr (OutreachTemplateCheckReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  report = outreach_template_check_finish (OUTREACH_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->check_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.check", TRUE);

  if (report == NULL)
    {
      gtk_label_set_text (self->check_label, error->message);
      return;
    }
  for (guint i = 0; i < report->issues->len; i++)
    {
      OutreachTemplateIssue *issue = g_ptr_array_index (report->issues, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: an error or a warning of the check, before its message */
      g_string_append (text, issue->is_error ? _("Error: ") : _("Warning: "));
      g_string_append (text, issue->message);
    }
  if (report->issues->len == 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "No problems found for %'" G_GINT64_FORMAT " donor",
                                               "No problems found for %'" G_GINT64_FORMAT " donors",
                                               report->n_donors),
                            report->n_donors);
  gtk_label_set_text (self->check_label, text->str);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OutreachTemplateEditor *self = OUTREACH_TEMPLATE_EDITOR (widget);
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;

  if (self->store == NULL)
    return;

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  subject = outreach_template_editor_get_subject (self);
  text = outreach_template_editor_get_text_body (self);
  html = outreach_template_editor_get_html_body (self);
  gtk_label_set_text (self->check_label, _("Checking…"));
  gtk_spinner_start (self->check_spinner);
  gtk_widget_action_set_enabled (widget, "editor.check", FALSE);
  outreach_template_check_async (self->store, subject, text, html, self->donor_where,
                                 (const char * const *) self->donor_params, TRUE,
                                 self->check_cancellable, check_done_cb, g_object_ref (self));
}

static void
rebuild_field_menu (OutreachTemplateEditor *self)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) donor = g_menu_new ();
  g_autoptr (GMenu) organisation = g_menu_new ();
  guint n;
  const OutreachMergeFieldInfo *fields = outreach_merge_fields_get_standard (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s  {{%s}}", _(fields[i].label), fields[i].name);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "editor.insert-field", "s", fields[i].name);
      g_menu_append_item (fields[i].kind == OUTREACH_MERGE_FIELD_DONOR ? donor : organisation, item);
    }
  g_menu_append_section (menu, _("Donor"), G_MENU_MODEL (donor));
  g_menu_append_section (menu, _("Organisation"), G_MENU_MODEL (organisation));

  if (self->store != NULL)
    {
      g_auto (GStrv) extra = outreach_merge_fields_list_extra (self->store, 1000, NULL);

      if (extra != NULL && extra[0] != NULL)
        {
          g_autoptr (GMenu) section = g_menu_new ();

          for (guint i = 0; extra[i] != NULL; i++)
            {
              g_autofree char *label = g_strdup_printf ("{{%s}}", extra[i]);
              g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

              g_menu_item_set_action_and_target (item, "editor.insert-field", "s", extra[i]);
              g_menu_append_item (section, item);
            }
          g_menu_append_section (menu, _("Imported columns"), G_MENU_MODEL (section));
        }
    }

  gtk_menu_button_set_menu_model (self->insert_field_button, G_MENU_MODEL (menu));
}

void
outreach_template_editor_set_store (OutreachTemplateEditor *self,
                                    OutreachStore          *store)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (store == NULL || OUTREACH_IS_STORE (store));

  g_set_object (&self->store, store);
  self->donor_id = 0;
  if (store != NULL)
    step_donor (self, TRUE);  /* the first donor */
  rebuild_field_menu (self);
  update_donor_label (self);
  update_preview (self);
}

/**
 * outreach_template_editor_set_selection:
 * @donor_where: (nullable): an SQL condition over `donors` (see
 *   outreach_template_check()); NULL for every donor
 * @params: (nullable): its ?1, ?2… values
 *
 * The donors "Check Against Donors" checks the message against.
 */
void
outreach_template_editor_set_selection (OutreachTemplateEditor *self,
                                        const char             *donor_where,
                                        const char * const     *params)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self));

  g_free (self->donor_where);
  self->donor_where = g_strdup (donor_where);
  g_strfreev (self->donor_params);
  self->donor_params = g_strdupv ((char **) params);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/**
 * outreach_template_editor_set_preview_donors:
 * @ids: (nullable) (element-type gint64): the donors the preview shows, in
 *   any order; NULL for every donor
 *
 * The donors previous / next step through (the wizard's chosen
 * recipients); the preview starts again at the first of them.
 */
void
outreach_template_editor_set_preview_donors (OutreachTemplateEditor *self,
                                             GArray                 *ids)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self));

  g_clear_pointer (&self->preview_ids, g_array_unref);
  if (ids != NULL)
    {
      guint kept = 0;

      self->preview_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);
      g_array_append_vals (self->preview_ids, ids->data, ids->len);
      g_array_sort (self->preview_ids, compare_ids);
      for (guint i = 0; i < self->preview_ids->len; i++)
        if (kept == 0 || g_array_index (self->preview_ids, gint64, i) !=
                           g_array_index (self->preview_ids, gint64, kept - 1))
          g_array_index (self->preview_ids, gint64, kept++) = g_array_index (self->preview_ids, gint64, i);
      g_array_set_size (self->preview_ids, kept);
    }
  self->preview_index = 0;
  self->donor_id = 0;
  step_donor (self, TRUE);  /* the first one */
  update_donor_label (self);
  update_preview (self);
}

void
outreach_template_editor_set_job_name (OutreachTemplateEditor *self,
                                       const char             *job_name)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self));

  g_free (self->job_name);
  self->job_name = g_strdup (job_name);
  schedule_update (self);
}

void
outreach_template_editor_set_message (OutreachTemplateEditor *self,
                                      const char             *subject,
                                      const char             *text_body,
                                      const char             *html_body)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self));

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), subject != NULL ? subject : "");
  set_buffer_text (GTK_TEXT_VIEW (self->text_view), text_body);
  set_buffer_text (GTK_TEXT_VIEW (self->html_view), html_body);
  gtk_check_button_set_active (self->html_check, html_body != NULL);
  gtk_stack_set_visible_child_name (self->body_stack, "text");
  self->loading = FALSE;
  update_preview (self);
}

char *
outreach_template_editor_get_subject (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return gtk_editable_get_chars (GTK_EDITABLE (self->subject_entry), 0, -1);
}

char *
outreach_template_editor_get_text_body (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return buffer_text (GTK_TEXT_VIEW (self->text_view));
}

/* Returns: (nullable): NULL when the message has no HTML body */
char *
outreach_template_editor_get_html_body (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  if (!gtk_check_button_get_active (self->html_check))
    return NULL;
  return buffer_text (GTK_TEXT_VIEW (self->html_view));
}

gboolean
outreach_template_editor_get_valid (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), FALSE);

  return self->valid;
}

const char *
outreach_template_editor_get_error (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return self->error;
}

gint64
outreach_template_editor_get_preview_donor (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), 0);

  return self->donor_id;
}

char *
outreach_template_editor_get_preview_subject (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return g_strdup (gtk_label_get_text (self->preview_subject));
}

char *
outreach_template_editor_get_preview_text (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return buffer_text (self->preview_text);
}

const char *
outreach_template_editor_get_preview_html (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return self->preview_html;
}

void
outreach_template_editor_update_now (OutreachTemplateEditor *self)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self));

  update_preview (self);
}

GtkWidget *
outreach_template_editor_new (void)
{
  return g_object_new (OUTREACH_TYPE_TEMPLATE_EDITOR, NULL);
}

static void
outreach_template_editor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  OutreachTemplateEditor *self = OUTREACH_TEMPLATE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
outreach_template_editor_dispose (GObject *object)
{
  OutreachTemplateEditor *self = OUTREACH_TEMPLATE_EDITOR (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_TEMPLATE_EDITOR);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_template_editor_parent_class)->dispose (object);
}

static void
outreach_template_editor_finalize (GObject *object)
{
  OutreachTemplateEditor *self = OUTREACH_TEMPLATE_EDITOR (object);

  g_free (self->job_name);
  g_free (self->error);
  g_free (self->preview_html);
  g_free (self->donor_where);
  g_strfreev (self->donor_params);
  g_clear_pointer (&self->preview_ids, g_array_unref);

  G_OBJECT_CLASS (outreach_template_editor_parent_class)->finalize (object);
}

static void
outreach_template_editor_class_init (OutreachTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = outreach_template_editor_get_property;
  object_class->dispose = outreach_template_editor_dispose;
  object_class->finalize = outreach_template_editor_finalize;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Any edit by the user (not set_message) */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-template-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, html_check);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, insert_field_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, body_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, html_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, check_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, donor_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, preview_subject);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, preview_text);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, html_preview_page);
  gtk_widget_class_bind_template_child (widget_class, OutreachTemplateEditor, html_preview_frame);

  gtk_widget_class_install_action (widget_class, "editor.insert-field", "s", insert_field_action);
  gtk_widget_class_install_action (widget_class, "editor.previous-donor", NULL, step_donor_action);
  gtk_widget_class_install_action (widget_class, "editor.next-donor", NULL, step_donor_action);
  gtk_widget_class_install_action (widget_class, "editor.check", NULL, check_action);
}

/* Finding our language makes GtkSourceView read the header of every
 * language it knows, which was a tenth of the app's start, although the
 * editor is not on screen then: so it is done when a view is first shown. */
static void
source_view_map_cb (GtkWidget *view)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));

  if (gtk_source_buffer_get_language (buffer) == NULL)
    gtk_source_buffer_set_language (buffer, mustache_language ());
}

static void
setup_source_view (OutreachTemplateEditor *self,
                   GtkSourceView          *view)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  GtkSourceStyleScheme *scheme;
  GtkEventController *focus = gtk_event_controller_focus_new ();

  /* the language when the view is first shown (source_view_map_cb) */
  gtk_source_buffer_set_highlight_syntax (buffer, TRUE);
  scheme = gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (),
                                                       adw_style_manager_get_dark (adw_style_manager_get_default ())
                                                         ? "Adwaita-dark" : "Adwaita");
  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (buffer, scheme);
  gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (buffer), "outreach-error",
                              "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (content_changed_cb), self);

  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (view), focus);
  g_signal_connect (view, "map", G_CALLBACK (source_view_map_cb), NULL);
}

static void
outreach_template_editor_init (OutreachTemplateEditor *self)
{
  GtkEventController *focus;

  self->valid = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  setup_source_view (self, self->text_view);
  setup_source_view (self, self->html_view);
  gtk_widget_set_sensitive (GTK_WIDGET (self->html_view), FALSE);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->subject_entry), focus);
  g_signal_connect_swapped (self->subject_entry, "changed", G_CALLBACK (content_changed_cb), self);
  g_signal_connect_swapped (self->html_check, "toggled", G_CALLBACK (html_toggled_cb), self);

  rebuild_field_menu (self);
  update_donor_label (self);
}

/* What the last "Check Against Donors" said ("" before any). */
const char *
outreach_template_editor_get_check_result (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return gtk_label_get_text (self->check_label);
}

GtkWidget *
outreach_template_editor_get_html_preview (OutreachTemplateEditor *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE_EDITOR (self), NULL);

  return self->html_preview;
}
