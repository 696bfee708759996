/* outreach-job-review-view.c — the job window's Review tab: each drafted message, approved or rejected
 *
 * A job created with "Review each message before sending" starts with
 * every recipient a `draft`; only approved ones are sent. This tab shows
 * each one rendered exactly as it will go out — the job's frozen message
 * with the recipient's merge-data snapshot, through the same renderer as
 * the runner — and approves or rejects it, one at a time or all at once,
 * through the engine's review API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-review"

#include "config.h"

#include "outreach-job-review-view.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "outreach-job-control.h"
#include "outreach-job-render.h"

/* The list is for reading each message; beyond this many, approve all. */
#define MAX_SHOWN 5000

typedef struct
{
  gint64 id;
  char *address;
  char *state;
  char *merge_data;
} Item;

struct _OutreachJobReviewView
{
  GtkWidget parent_instance;

  OutreachStore *store;
  gint64 job_id;
  GArray *items; /* Item */
  OutreachJobRenderer *renderer; /* the engine's: what is shown is what is sent */
  guint waiting, approved, rejected;
  char *error;

  GtkLabel *summary_label;
  GtkButton *approve_all_button;
  GtkButton *reject_all_button;
  GtkListBox *list;
  GtkLabel *to_label;
  GtkLabel *subject_label;
  GtkTextView *text_view;
  GtkButton *approve_button;
  GtkButton *reject_button;
};

G_DEFINE_FINAL_TYPE (OutreachJobReviewView, outreach_job_review_view, GTK_TYPE_WIDGET)

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->address);
  g_free (item->state);
  g_free (item->merge_data);
}

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "approved") == 0)
    return _("Approved");
  if (g_strcmp0 (state, "rejected") == 0)
    return _("Rejected");
  return _("Waiting for review");
}

static Item *
selected_item (OutreachJobReviewView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || (guint) index >= self->items->len)
    return NULL;
  return &g_array_index (self->items, Item, index);
}

static void
show_item (OutreachJobReviewView *self,
           Item                  *item)
{
  g_autoptr (OutreachMessage) message = NULL;
  g_autofree char *to = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->approve_button),
                            item != NULL && g_strcmp0 (item->state, "approved") != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reject_button),
                            item != NULL && g_strcmp0 (item->state, "rejected") != 0);
  if (item == NULL || self->renderer == NULL)
    {
      gtk_label_set_text (self->to_label, "");
      gtk_label_set_text (self->subject_label, self->error != NULL ? self->error : "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", -1);
      return;
    }

  message = outreach_job_renderer_render (self->renderer, item->id, 0, item->address,
                                          item->merge_data, 0);
  /* Translators: who a reviewed message goes to, "To: ada@example.org — Waiting for review" */
  to = g_strdup_printf (_("To: %s — %s"), item->address, state_label (item->state));
  gtk_label_set_text (self->to_label, to);
  gtk_label_set_text (self->subject_label, message->subject->str);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), message->text->str, -1);
}

static void
row_selected_cb (OutreachJobReviewView *self)
{
  /* Rows are removed (and unselected) while the view is disposed. */
  if (self->list == NULL)
    return;
  show_item (self, selected_item (self));
}

static gboolean
load_templates (OutreachJobReviewView *self,
                GError               **error)
{
  g_clear_pointer (&self->renderer, outreach_job_renderer_free);
  self->renderer = outreach_job_renderer_new (self->store, self->job_id, error);
  return self->renderer != NULL;
}

void
outreach_job_review_view_reload (OutreachJobReviewView *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  GtkListBoxRow *selected;
  GtkWidget *row;
  sqlite3_stmt *stmt;
  int keep;

  g_return_if_fail (OUTREACH_IS_JOB_REVIEW_VIEW (self));

  selected = gtk_list_box_get_selected_row (self->list);
  keep = selected != NULL ? gtk_list_box_row_get_index (selected) : 0;
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, row);
  g_array_set_size (self->items, 0);
  self->waiting = self->approved = self->rejected = 0;
  g_clear_pointer (&self->error, g_free);

  if (self->renderer == NULL && !load_templates (self, &error))
    self->error = g_strdup (error->message);

  stmt = outreach_store_prepare (self->store,
                                 "SELECT id, address, state, merge_data FROM job_recipients"
                                 " WHERE job_id = ? AND state IN ('draft', 'approved', 'rejected')"
                                 " ORDER BY id",
                                 &error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, self->job_id);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      Item item = { 0 };

      item.state = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      if (g_str_equal (item.state, "approved"))
        self->approved++;
      else if (g_str_equal (item.state, "rejected"))
        self->rejected++;
      else
        self->waiting++;
      if (self->items->len >= MAX_SHOWN)
        {
          g_free (item.state);
          continue;
        }
      item.id = sqlite3_column_int64 (stmt, 0);
      item.address = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item.merge_data = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_array_append_val (self->items, item);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item.address);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), state_label (item.state));
      gtk_list_box_append (self->list, row);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  else if (self->error == NULL)
    self->error = g_strdup (error->message);

  /* Translators: the Review tab's summary */
  summary = g_strdup_printf (_("%u waiting for review · %u approved · %u rejected. Only approved "
                               "messages are sent."),
                             self->waiting, self->approved, self->rejected);
  gtk_label_set_text (self->summary_label, self->error != NULL ? self->error : summary);
  gtk_widget_set_sensitive (GTK_WIDGET (self->approve_all_button), self->waiting > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reject_all_button), self->waiting > 0);

  if (self->items->len > 0)
    gtk_list_box_select_row (self->list,
                             gtk_list_box_get_row_at_index (self->list,
                                                            MIN ((guint) MAX (keep, 0), self->items->len - 1)));
  else
    show_item (self, NULL);
}

static void
report (OutreachJobReviewView *self,
        GError                *error)
{
  if (error != NULL)
    gtk_label_set_text (self->summary_label, error->message);
}

static void
decide (OutreachJobReviewView *self,
        gboolean               approve)
{
  g_autoptr (GError) error = NULL;
  Item *item = selected_item (self);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : 0;
  gboolean done;

  if (item == NULL)
    return;
  done = approve ? outreach_job_approve (self->store, self->job_id, item->address, NULL, &error)
                 : outreach_job_reject (self->store, self->job_id, item->address, NULL, &error);
  outreach_job_review_view_reload (self);
  report (self, done ? NULL : error);
  /* One by one: go on to the next message. */
  if (done && (guint) index + 1 < self->items->len)
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index + 1));
}

static void
approve_cb (OutreachJobReviewView *self)
{
  decide (self, TRUE);
}

static void
reject_cb (OutreachJobReviewView *self)
{
  decide (self, FALSE);
}

static void
approve_all_cb (OutreachJobReviewView *self)
{
  g_autoptr (GError) error = NULL;
  gboolean done = outreach_job_approve (self->store, self->job_id, NULL, NULL, &error);

  outreach_job_review_view_reload (self);
  report (self, done ? NULL : error);
}

static void
reject_all_cb (OutreachJobReviewView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  /* The engine rejects one recipient at a time. */
  stmt = outreach_store_prepare (self->store,
                                 "SELECT address FROM job_recipients WHERE job_id = ? AND state = 'draft'",
                                 &error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, self->job_id);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (waiting, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  for (guint i = 0; error == NULL && i < waiting->len; i++)
    outreach_job_reject (self->store, self->job_id, waiting->pdata[i], NULL, &error);
  outreach_job_review_view_reload (self);
  report (self, error);
}

static void
outreach_job_review_view_dispose (GObject *object)
{
  OutreachJobReviewView *self = OUTREACH_JOB_REVIEW_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_JOB_REVIEW_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->renderer, outreach_job_renderer_free);

  G_OBJECT_CLASS (outreach_job_review_view_parent_class)->dispose (object);
}

static void
outreach_job_review_view_finalize (GObject *object)
{
  OutreachJobReviewView *self = OUTREACH_JOB_REVIEW_VIEW (object);

  g_array_unref (self->items);
  g_free (self->error);

  G_OBJECT_CLASS (outreach_job_review_view_parent_class)->finalize (object);
}

static void
outreach_job_review_view_class_init (OutreachJobReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_job_review_view_dispose;
  object_class->finalize = outreach_job_review_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-job-review-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, approve_all_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, reject_all_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, list);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, to_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, subject_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, text_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, approve_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobReviewView, reject_button);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, approve_cb);
  gtk_widget_class_bind_template_callback (widget_class, reject_cb);
  gtk_widget_class_bind_template_callback (widget_class, approve_all_cb);
  gtk_widget_class_bind_template_callback (widget_class, reject_all_cb);
}

static void
outreach_job_review_view_init (OutreachJobReviewView *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
}

OutreachJobReviewView *
outreach_job_review_view_new (OutreachStore *store,
                              gint64         job_id)
{
  OutreachJobReviewView *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_JOB_REVIEW_VIEW, NULL);
  self->store = g_object_ref (store);
  self->job_id = job_id;
  outreach_job_review_view_reload (self);
  return self;
}

static void
show_review_on_map_cb (AdwViewStack *tabs)
{
  g_signal_handlers_disconnect_by_func (tabs, show_review_on_map_cb, NULL);
  adw_view_stack_set_visible_child_name (tabs, "review");
}

void
outreach_job_review_view_attach (AdwViewStack  *tabs,
                                 OutreachStore *store,
                                 gint64         job_id)
{
  OutreachJobReviewView *view;
  AdwViewStackPage *page;
  sqlite3_stmt *stmt;
  gboolean review = FALSE;

  g_return_if_fail (ADW_IS_VIEW_STACK (tabs));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  stmt = outreach_store_prepare (store,
                                 "SELECT json_extract (params, '$.review') FROM jobs WHERE id = ?", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    review = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!review || adw_view_stack_get_child_by_name (tabs, "review") != NULL)
    return;

  view = outreach_job_review_view_new (store, job_id);
  page = adw_view_stack_add_titled (tabs, GTK_WIDGET (view), "review", _("Re_view"));
  adw_view_stack_page_set_use_underline (page, TRUE);
  adw_view_stack_page_set_icon_name (page, "object-select-symbolic");
  adw_view_stack_page_set_needs_attention (page, view->waiting > 0);
  /* The window picks its first tab when it is shown; switch after that. */
  if (view->waiting > 0)
    g_signal_connect (tabs, "map", G_CALLBACK (show_review_on_map_cb), NULL);
}

void
outreach_job_review_view_get_counts (OutreachJobReviewView *self,
                                     guint                 *waiting,
                                     guint                 *approved,
                                     guint                 *rejected)
{
  g_return_if_fail (OUTREACH_IS_JOB_REVIEW_VIEW (self));

  if (waiting != NULL)
    *waiting = self->waiting;
  if (approved != NULL)
    *approved = self->approved;
  if (rejected != NULL)
    *rejected = self->rejected;
}
