/* outreach-job-log-view.c — the Log tab of a job's window
 *
 * The job's log newest first, filtered by level; the redacted request /
 * response excerpt shows as the message's tooltip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-log-view"

#include "config.h"

#include "outreach-job-log-view.h"

#include <glib/gi18n.h>

#include "outreach-screenful-model.h"

typedef enum
{
  COLUMN_TIME,
  COLUMN_LEVEL,
  COLUMN_MESSAGE,
  N_COLUMNS
} Column;

struct _OutreachJobLogView
{
  GtkWidget parent_instance;

  GtkWidget *box;

  OutreachJobQueryEvents *model;

  GtkDropDown *level_dropdown;
  GtkColumnView *column_view;
};

G_DEFINE_FINAL_TYPE (OutreachJobLogView, outreach_job_log_view, GTK_TYPE_WIDGET)

static const char *const min_levels[] = { "debug", "info", "warning", "error" };

static const char *
level_label (const char *level)
{
  if (g_strcmp0 (level, "error") == 0)
    return _("Error");
  if (g_strcmp0 (level, "warning") == 0)
    return _("Warning");
  if (g_strcmp0 (level, "info") == 0)
    return _("Info");
  return _("Debug");
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  OutreachJobQueryEvent *event = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const OutreachJobEventData *d;

  if (event == NULL)
    return;
  d = outreach_job_query_event_get_data (event);
  switch (GPOINTER_TO_INT (user_data))
    {
    case COLUMN_TIME:
      {
        g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (d->time_ms / 1000);
        g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
        g_autofree char *with_ms = g_strdup_printf ("%s.%03d", text, (int) (d->time_ms % 1000));
        gtk_label_set_label (label, with_ms);
      }
      break;
    case COLUMN_LEVEL:
      gtk_label_set_label (label, level_label (d->level));
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
      if (g_strcmp0 (d->level, "error") == 0 || g_strcmp0 (d->level, "warning") == 0)
        gtk_widget_add_css_class (GTK_WIDGET (label), d->level);
      break;
    case COLUMN_MESSAGE:
      gtk_label_set_label (label, d->message);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The provider's response excerpt as the message's tooltip, written when
 * asked for: setting a tooltip on a shown label makes GTK ask the X server
 * where the pointer is, once for every row bound. */
static gboolean
message_query_tooltip_cb (GtkWidget   *label,
                          int          x,
                          int          y,
                          gboolean     keyboard,
                          GtkTooltip  *tooltip,
                          GtkListItem *item)
{
  OutreachJobQueryEvent *event = gtk_list_item_get_item (item);
  const char *excerpt;

  if (event == NULL)
    return FALSE;
  excerpt = outreach_job_query_event_get_data (event)->excerpt;
  if (excerpt == NULL || *excerpt == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, excerpt);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (user_data) == COLUMN_TIME)
    gtk_widget_add_css_class (label, "numeric");
  if (GPOINTER_TO_INT (user_data) == COLUMN_MESSAGE)
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (message_query_tooltip_cb), item);
    }
  gtk_list_item_set_child (item, label);
}

static void
add_column (OutreachJobLogView *self,
            Column              column,
            const char         *title,
            gboolean            expand,
            int                 width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
level_changed_cb (OutreachJobLogView *self)
{
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  if (self->model != NULL && selected < G_N_ELEMENTS (min_levels))
    outreach_job_query_events_set_min_level (self->model, min_levels[selected]);
}

void
outreach_job_log_view_set_job (OutreachJobLogView *self,
                               OutreachStore      *store,
                               gint64              job_id)
{
  g_autoptr (GtkNoSelection) selection = NULL;

  g_return_if_fail (OUTREACH_IS_JOB_LOG_VIEW (self));

  g_clear_object (&self->model);
  self->model = outreach_job_query_events_new (store, job_id);
  selection = gtk_no_selection_new (
    outreach_screenful_model_new (g_object_ref (G_LIST_MODEL (self->model)),
                                  GTK_WIDGET (self->column_view)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  level_changed_cb (self);
}

void
outreach_job_log_view_refresh (OutreachJobLogView *self)
{
  g_return_if_fail (OUTREACH_IS_JOB_LOG_VIEW (self));

  if (self->model != NULL)
    outreach_job_query_events_refresh (self->model);
}

OutreachJobQueryEvents *
outreach_job_log_view_get_model (OutreachJobLogView *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_LOG_VIEW (self), NULL);

  return self->model;
}

/* Chooses the level filter as a person would, through the drop-down. */
void
outreach_job_log_view_set_min_level (OutreachJobLogView *self,
                                     const char         *level)
{
  g_return_if_fail (OUTREACH_IS_JOB_LOG_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (min_levels); i++)
    if (g_strcmp0 (min_levels[i], level) == 0)
      gtk_drop_down_set_selected (self->level_dropdown, i);
}

static void
outreach_job_log_view_dispose (GObject *object)
{
  OutreachJobLogView *self = OUTREACH_JOB_LOG_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_JOB_LOG_VIEW);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (outreach_job_log_view_parent_class)->dispose (object);
}

static void
outreach_job_log_view_class_init (OutreachJobLogViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = outreach_job_log_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-job-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachJobLogView, box);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobLogView, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobLogView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, level_changed_cb);
}

static void
outreach_job_log_view_init (OutreachJobLogView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_column (self, COLUMN_TIME, _("Time"), FALSE, 200);
  add_column (self, COLUMN_LEVEL, _("Level"), FALSE, 90);
  add_column (self, COLUMN_MESSAGE, _("Message"), TRUE, -1);
}
