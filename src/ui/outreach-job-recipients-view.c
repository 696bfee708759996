/* outreach-job-recipients-view.c — the Recipients tab of a job's window
 *
 * Every recipient with its state, attempts and the provider's error,
 * over a lazy model: a million rows open as fast as ten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-recipients-view"

#include "config.h"

#include "outreach-job-recipients-view.h"

#include <glib/gi18n.h>

#include "outreach-job-format.h"
#include "outreach-screenful-model.h"

typedef enum
{
  COLUMN_ADDRESS,
  COLUMN_STATE,
  COLUMN_ATTEMPTS,
  COLUMN_ERROR,
  COLUMN_UPDATED,
  N_COLUMNS
} Column;

struct _OutreachJobRecipientsView
{
  GtkWidget parent_instance;

  GtkWidget *box;

  OutreachJobQueryRecipients *model;

  GtkDropDown *state_dropdown;
  GtkSearchEntry *search_entry;
  GtkColumnView *column_view;
};

G_DEFINE_FINAL_TYPE (OutreachJobRecipientsView, outreach_job_recipients_view, GTK_TYPE_WIDGET)

static const char *const state_groups[] = {
  NULL, "pending", "sent", "failed", "skipped", "uncertain", "cancelled", "rejected",
};

/* The word for a recipient state, translated. */
static const char *
state_label (const char *state)
{
  static const struct { const char *state; const char *label; } labels[] = {
    { "draft", N_("Awaiting review") }, { "approved", N_("Approved") },
    { "pending", N_("Pending") }, { "claimed", N_("Sending") },
    { "retry-wait", N_("Waiting to retry") }, { "sent", N_("Sent") },
    { "failed", N_("Failed") }, { "skipped", N_("Skipped") },
    { "uncertain", N_("Uncertain") }, { "cancelled", N_("Cancelled") },
    { "rejected", N_("Rejected") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (state, labels[i].state) == 0)
      return _(labels[i].label);
  return state;
}

static void
update_cell (GtkListItem *item)
{
  OutreachJobQueryRecipient *recipient = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "column"));
  const OutreachJobRecipientData *d;
  g_autofree char *text = NULL;

  if (recipient == NULL)
    return;
  d = outreach_job_query_recipient_get_data (recipient);
  switch (column)
    {
    case COLUMN_ADDRESS:
      gtk_label_set_label (label, d->address);
      break;
    case COLUMN_STATE:
      gtk_label_set_label (label, state_label (d->state));
      if (g_strcmp0 (d->state, "failed") == 0)
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      break;
    case COLUMN_ATTEMPTS:
      text = g_strdup_printf ("%d", d->attempts);
      gtk_label_set_label (label, text);
      break;
    case COLUMN_ERROR:
      gtk_label_set_label (label, d->last_error != NULL ? d->last_error : "");
      break;
    case COLUMN_UPDATED:
      text = outreach_job_format_full_time (d->updated_at);
      gtk_label_set_label (label, text);
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
recipient_changed_cb (OutreachJobQueryRecipient *recipient,
                      GtkListItem               *item)
{
  update_cell (item);
}

/* The whole error as a tooltip, written when asked for: setting a tooltip
 * on a shown label makes GTK ask the X server where the pointer is, once
 * for every row bound. */
static gboolean
error_query_tooltip_cb (GtkWidget   *label,
                        int          x,
                        int          y,
                        gboolean     keyboard,
                        GtkTooltip  *tooltip,
                        GtkListItem *item)
{
  OutreachJobQueryRecipient *recipient = gtk_list_item_get_item (item);
  const char *error;

  if (recipient == NULL)
    return FALSE;
  error = outreach_job_query_recipient_get_data (recipient)->last_error;
  if (error == NULL || *error == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, error);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_ATTEMPTS ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_ATTEMPTS)
    gtk_widget_add_css_class (label, "numeric");
  if (column == COLUMN_ERROR)
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (error_query_tooltip_cb), item);
    }
  g_object_set_data (G_OBJECT (item), "column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  GObject *recipient = gtk_list_item_get_item (item);

  if (recipient == NULL)
    return;
  update_cell (item);
  g_signal_connect (recipient, "changed", G_CALLBACK (recipient_changed_cb), item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GObject *recipient = gtk_list_item_get_item (item);

  if (recipient != NULL)
    g_signal_handlers_disconnect_by_func (recipient, recipient_changed_cb, item);
}

static void
add_column (OutreachJobRecipientsView *self,
            Column                     column,
            const char                *title,
            gboolean                   expand,
            int                        width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
state_changed_cb (OutreachJobRecipientsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->state_dropdown);

  if (self->model != NULL && selected < G_N_ELEMENTS (state_groups))
    outreach_job_query_recipients_set_state (self->model, state_groups[selected]);
}

static void
search_changed_cb (OutreachJobRecipientsView *self)
{
  if (self->model != NULL)
    outreach_job_query_recipients_set_search (self->model,
                                              gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
outreach_job_recipients_view_set_job (OutreachJobRecipientsView *self,
                                      OutreachStore             *store,
                                      gint64                     job_id)
{
  g_autoptr (GtkNoSelection) selection = NULL;

  g_return_if_fail (OUTREACH_IS_JOB_RECIPIENTS_VIEW (self));

  g_clear_object (&self->model);
  self->model = outreach_job_query_recipients_new (store, job_id);
  selection = gtk_no_selection_new (
    outreach_screenful_model_new (g_object_ref (G_LIST_MODEL (self->model)),
                                  GTK_WIDGET (self->column_view)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  state_changed_cb (self);
  search_changed_cb (self);
}

void
outreach_job_recipients_view_refresh (OutreachJobRecipientsView *self)
{
  g_return_if_fail (OUTREACH_IS_JOB_RECIPIENTS_VIEW (self));

  if (self->model != NULL)
    outreach_job_query_recipients_refresh (self->model);
}

/* Returns: (transfer none) (nullable): the recipients shown */
OutreachJobQueryRecipients *
outreach_job_recipients_view_get_model (OutreachJobRecipientsView *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_RECIPIENTS_VIEW (self), NULL);

  return self->model;
}

/* Chooses the state filter as a person would, through the drop-down. */
void
outreach_job_recipients_view_set_state (OutreachJobRecipientsView *self,
                                        const char                *state_group)
{
  g_return_if_fail (OUTREACH_IS_JOB_RECIPIENTS_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (state_groups); i++)
    if (g_strcmp0 (state_groups[i], state_group) == 0)
      gtk_drop_down_set_selected (self->state_dropdown, i);
}

void
outreach_job_recipients_view_set_search (OutreachJobRecipientsView *self,
                                         const char                *text)
{
  g_return_if_fail (OUTREACH_IS_JOB_RECIPIENTS_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  search_changed_cb (self); /* at once, not after the entry's delay */
}

static void
outreach_job_recipients_view_dispose (GObject *object)
{
  OutreachJobRecipientsView *self = OUTREACH_JOB_RECIPIENTS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_JOB_RECIPIENTS_VIEW);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (outreach_job_recipients_view_parent_class)->dispose (object);
}

static void
outreach_job_recipients_view_class_init (OutreachJobRecipientsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = outreach_job_recipients_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/outreach/Outreach/outreach-job-recipients-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachJobRecipientsView, box);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobRecipientsView, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobRecipientsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobRecipientsView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, state_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
}

static void
outreach_job_recipients_view_init (OutreachJobRecipientsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_column (self, COLUMN_ADDRESS, _("Address"), TRUE, -1);
  add_column (self, COLUMN_STATE, _("State"), FALSE, 130);
  add_column (self, COLUMN_ATTEMPTS, _("Attempts"), FALSE, 80);
  add_column (self, COLUMN_ERROR, _("Error"), TRUE, -1);
  add_column (self, COLUMN_UPDATED, _("Updated"), FALSE, 265); /* a full date and time, whole */
}
