/* outreach-jobs-page.c — the Jobs page: every job, running and finished
 *
 * Status counters that double as filters, search, type and date filters,
 * and a sortable column view over OutreachJobListModel, which reads only
 * the rows on screen. Sorting and filtering are done by SQL: the column
 * view's sorter is only asked which column and direction the user chose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-jobs-page"

#include "config.h"

#include "outreach-jobs-page.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "outreach-first-frame.h"
#include "outreach-job-actions.h"
#include "outreach-job-format.h"
#include "outreach-job-query-watch.h"
#include "outreach-job-status-badge.h"
#include "outreach-job-window.h"
#include "outreach-screenful-model.h"
#include "outreach-wrap-box.h"

typedef enum
{
  COLUMN_NAME,
  COLUMN_STATUS,
  COLUMN_PROGRESS,
  COLUMN_RECIPIENTS,
  COLUMN_SENT,
  COLUMN_DURATION,
  COLUMN_CREATED,
  N_COLUMNS
} Column;

struct _OutreachJobsPage
{
  GtkWidget parent_instance;

  OutreachStore *store;
  OutreachJobListModel *model;
  GtkMultiSelection *selection;
  OutreachJobQueryWatch *watch;
  gulong watch_handler;
  guint tick_id;

  GtkColumnViewColumn *columns[N_COLUMNS];
  GtkToggleButton *filter_buttons[OUTREACH_JOB_FILTER_COUNT];
  GtkLabel *filter_counts[OUTREACH_JOB_FILTER_COUNT];
  int probed_column; /* set by the column sorters while asked for the order */

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkStack *list_stack;
  GtkBox *filter_box;
  GtkSearchEntry *search_entry;
  GtkDropDown *kind_dropdown;
  GtkDropDown *date_dropdown;
  GtkMenuButton *range_button;
  GtkLabel *range_label;
  GtkPopover *range_popover;
  GtkBox *calendars_box;
  GtkCalendar *from_calendar;
  GtkCalendar *to_calendar;
  GtkLabel *range_error_label;
  /* The custom range applied, as local midnights: [from, to) */
  GDateTime *range_from;
  GDateTime *range_to;
  GtkColumnView *column_view;
  GtkActionBar *action_bar;
  GtkLabel *selection_label;
  GMenuModel *row_menu;
  GtkWidget *row_popover;
};

G_DEFINE_FINAL_TYPE (OutreachJobsPage, outreach_jobs_page, GTK_TYPE_WIDGET)

static void update_actions (OutreachJobsPage *self);

/* ---- Cells ---- */

static OutreachJobQueryItem *
item_row (GtkListItem *item)
{
  return OUTREACH_JOB_QUERY_ITEM (gtk_list_item_get_item (item));
}

static void
update_cell (GtkListItem *item)
{
  OutreachJobQueryItem *row = item_row (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "column"));
  const OutreachJobData *d;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  d = outreach_job_query_item_get_data (row);

  switch (column)
    {
    case COLUMN_NAME:
      gtk_label_set_label (GTK_LABEL (child), d->name);
      break;

    case COLUMN_STATUS:
      outreach_job_status_badge_set_status (OUTREACH_JOB_STATUS_BADGE (child), d->status, d->failed,
                                            d->scheduled_at);
      break;

    case COLUMN_PROGRESS:
      {
        GtkWidget *bar = gtk_widget_get_first_child (child);
        GtkWidget *label = gtk_widget_get_next_sibling (bar);
        double fraction = outreach_job_query_item_get_fraction (row);

        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), fraction);
        text = g_strdup_printf ("%d %%", (int) (fraction * 100));
        gtk_label_set_label (GTK_LABEL (label), text);
        gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                        text, -1);
      }
      break;

    case COLUMN_RECIPIENTS:
      {
        g_autofree char *done = outreach_job_format_count (outreach_job_query_item_get_done (row));
        g_autofree char *total = outreach_job_format_count (d->total);
        /* Translators: recipients done / total */
        text = g_strdup_printf (_("%s / %s"), done, total);
        gtk_label_set_label (GTK_LABEL (child), text);
      }
      break;

    case COLUMN_SENT:
      {
        g_autofree char *sent = outreach_job_format_count (d->sent);
        g_autofree char *failed = outreach_job_format_count (d->failed);
        /* Translators: sent / failed recipients */
        text = g_strdup_printf (_("%s / %s"), sent, failed);
        gtk_label_set_label (GTK_LABEL (child), text);
        if (d->failed > 0)
          gtk_widget_add_css_class (child, "error");
        else
          gtk_widget_remove_css_class (child, "error");
      }
      break;

    case COLUMN_DURATION:
      text = outreach_job_format_duration (outreach_job_query_item_get_duration (row, now));
      gtk_label_set_label (GTK_LABEL (child), text);
      break;

    case COLUMN_CREATED:
      text = outreach_job_format_relative (d->created_at, now);
      gtk_label_set_label (GTK_LABEL (child), text);
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
row_changed_cb (OutreachJobQueryItem *row,
                GtkListItem         *item)
{
  update_cell (item);
}

static void
context_menu_pressed_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         gpointer         user_data)
{
  GtkListItem *item = user_data;
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  OutreachJobsPage *self = OUTREACH_JOBS_PAGE (gtk_widget_get_ancestor (cell,
                                                                       OUTREACH_TYPE_JOBS_PAGE));
  guint position = gtk_list_item_get_position (item);
  graphene_point_t point;
  GdkRectangle rect;

  if (self == NULL || position == GTK_INVALID_LIST_POSITION)
    return;

  /* The menu acts on the selection; a click outside it selects that row alone. */
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  if (!gtk_widget_compute_point (cell, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  rect = (GdkRectangle) { point.x, point.y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Tooltips are written when asked for: setting one on a mapped widget
 * makes GTK ask the X server where the pointer is, and binding a screenful
 * of rows did that hundreds of times. */
static gboolean
cell_query_tooltip_cb (GtkWidget   *child,
                       int          x,
                       int          y,
                       gboolean     keyboard,
                       GtkTooltip  *tooltip,
                       GtkListItem *item)
{
  OutreachJobQueryItem *row = item_row (item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "column"));
  const OutreachJobData *d;
  g_autofree char *text = NULL;

  if (row == NULL)
    return FALSE;
  d = outreach_job_query_item_get_data (row);

  switch (column)
    {
    case COLUMN_NAME:
    case COLUMN_STATUS:
      text = g_strdup (d->error);
      break;
    case COLUMN_SENT:
      {
        g_autofree char *sent = outreach_job_format_count (d->sent);
        g_autofree char *failed = outreach_job_format_count (d->failed);

        text = g_strdup_printf (_("%s sent, %s failed"), sent, failed);
      }
      break;
    case COLUMN_CREATED:
      text = outreach_job_format_full_time (d->created_at);
      break;
    default:
      break;
    }
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkGesture *click;
  GtkWidget *child;

  switch (column)
    {
    case COLUMN_STATUS:
      child = outreach_job_status_badge_new ();
      break;
    case COLUMN_PROGRESS:
      {
        GtkWidget *bar = gtk_progress_bar_new ();
        GtkWidget *label = gtk_label_new (NULL);

        child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_widget_add_css_class (child, "job-progress");
        gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
        gtk_widget_set_hexpand (bar, TRUE);
        gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Progress"), -1);
        gtk_label_set_width_chars (GTK_LABEL (label), 5);
        gtk_label_set_xalign (GTK_LABEL (label), 1);
        gtk_widget_add_css_class (label, "numeric");
        gtk_box_append (GTK_BOX (child), bar);
        gtk_box_append (GTK_BOX (child), label);
      }
      break;
    case COLUMN_NAME:
      child = gtk_label_new (NULL);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      break;
    default:
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), column == COLUMN_CREATED ? 0 : 1);
      gtk_widget_add_css_class (child, "numeric");
      break;
    }

  g_object_set_data (G_OBJECT (item), "column", GINT_TO_POINTER (column));
  if (column == COLUMN_NAME || column == COLUMN_STATUS || column == COLUMN_SENT
      || column == COLUMN_CREATED)
    {
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), item);
    }
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (context_menu_pressed_cb), item);
  gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, child);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  OutreachJobQueryItem *row = item_row (item);

  if (row == NULL)
    return;
  update_cell (item);
  g_signal_connect (row, "changed", G_CALLBACK (row_changed_cb), item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  OutreachJobQueryItem *row = item_row (item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, row_changed_cb, item);
}

/* ---- Sorting ---- */

typedef struct
{
  OutreachJobsPage *page;
  int column;
} Probe;

static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  Probe *probe = user_data;

  /* Only asked when this column is the primary sort column: remember which. */
  probe->page->probed_column = probe->column;
  return GTK_ORDERING_SMALLER;
}

static const OutreachJobSort column_sort[N_COLUMNS] = {
  [COLUMN_NAME] = OUTREACH_JOB_SORT_NAME,
  [COLUMN_STATUS] = OUTREACH_JOB_SORT_STATUS,
  [COLUMN_PROGRESS] = OUTREACH_JOB_SORT_PROGRESS,
  [COLUMN_RECIPIENTS] = OUTREACH_JOB_SORT_RECIPIENTS,
  [COLUMN_SENT] = OUTREACH_JOB_SORT_SENT,
  [COLUMN_DURATION] = OUTREACH_JOB_SORT_DURATION,
  [COLUMN_CREATED] = OUTREACH_JOB_SORT_CREATED,
};

/* GTK 4.8 cannot tell which column the user sorts by (that API came in
 * 4.10), so ask the column view's sorter to compare two probes: the
 * primary column's sorter answers, and the sign says the direction. */
static void
sorter_changed_cb (GtkSorter        *sorter,
                   GtkSorterChange   change,
                   OutreachJobsPage *self)
{
  g_autoptr (GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  self->probed_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->model == NULL)
    return;
  if (order == GTK_ORDERING_EQUAL || self->probed_column < 0)
    outreach_job_list_model_set_sort (self->model, OUTREACH_JOB_SORT_CREATED, TRUE);
  else
    outreach_job_list_model_set_sort (self->model, column_sort[self->probed_column],
                                      order == GTK_ORDERING_LARGER);
}

/* ---- Filters ---- */

static void
filter_toggled_cb (GtkToggleButton  *button,
                   OutreachJobsPage *self)
{
  if (!gtk_toggle_button_get_active (button) || self->model == NULL)
    return;
  for (int i = 0; i < OUTREACH_JOB_FILTER_COUNT; i++)
    if (self->filter_buttons[i] == button)
      outreach_job_list_model_set_filter (self->model, i);
}

static void
search_changed_cb (OutreachJobsPage *self)
{
  if (self->model != NULL)
    outreach_job_list_model_set_search (self->model,
                                        gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
kind_changed_cb (OutreachJobsPage *self)
{
  static const char *const kinds[] = { NULL, "send", "verify", "import" };
  guint selected = gtk_drop_down_get_selected (self->kind_dropdown);

  if (self->model != NULL && selected < G_N_ELEMENTS (kinds))
    outreach_job_list_model_set_kind (self->model, kinds[selected]);
}

/* The date drop-down's last item, which opens the From / To calendars. */
#define DATE_CUSTOM_RANGE 6

/* Local midnight at the start of @date's day. */
static GDateTime *
local_midnight (GDateTime *date)
{
  return g_date_time_new_local (g_date_time_get_year (date), g_date_time_get_month (date),
                                g_date_time_get_day_of_month (date), 0, 0, 0);
}

static void
apply_date_filter (OutreachJobsPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) midnight = local_midnight (now);
  gint64 today = g_date_time_to_unix (midnight);
  gint64 from = 0, to = 0;

  switch (gtk_drop_down_get_selected (self->date_dropdown))
    {
    case 1: from = today; break;
    case 2: from = today - 6 * 86400; break;
    case 3: from = today - 29 * 86400; break;
    case 4: from = today - 364 * 86400; break;
    case 5: to = today - 364 * 86400; break;
    case DATE_CUSTOM_RANGE:
      /* Until dates are chosen, the list is not narrowed. */
      if (self->range_from != NULL)
        {
          from = g_date_time_to_unix (self->range_from);
          to = g_date_time_to_unix (self->range_to);
        }
      break;
    default: break;
    }
  if (self->model != NULL)
    outreach_job_list_model_set_created_range (self->model, from, to);
}

static void
range_popup_cb (GtkWidget        *button,
                OutreachJobsPage *self)
{
  g_signal_handlers_disconnect_by_func (button, range_popup_cb, self);
  gtk_menu_button_popup (self->range_button);
}

static void
date_changed_cb (OutreachJobsPage *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->date_dropdown) == DATE_CUSTOM_RANGE;

  gtk_widget_set_visible (GTK_WIDGET (self->range_button), custom);
  apply_date_filter (self);

  /* Choosing "Custom range…" with no range yet goes straight to the
   * calendars; the button only appears on the next frame, so they open
   * once it is mapped. */
  if (custom && self->range_from == NULL)
    {
      if (gtk_widget_get_mapped (GTK_WIDGET (self->range_button)))
        gtk_menu_button_popup (self->range_button);
      else
        g_signal_connect (self->range_button, "map", G_CALLBACK (range_popup_cb), self);
    }
  else if (!custom)
    g_signal_handlers_disconnect_by_func (self->range_button, range_popup_cb, self);
}

static char *
format_range_day (GDateTime *day)
{
  /* Translators: one end of the jobs' created-date range, in
   * g_date_time_format() syntax, e.g. "5 Mar 2026" */
  return g_date_time_format (day, _("%-d %b %Y"));
}

/* The range on the button, as the user chose it (both days inclusive). */
static void
update_range_button (OutreachJobsPage *self)
{
  g_autoptr (GDateTime) last_day = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *label = NULL;
  g_autofree char *accessible = NULL;

  if (self->range_from == NULL)
    {
      gtk_label_set_label (self->range_label, _("Choose Dates…"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->range_button),
                                   _("Choose the days the jobs were created on"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->range_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose dates"), -1);
      return;
    }

  last_day = g_date_time_add_days (self->range_to, -1);
  from = format_range_day (self->range_from);
  to = format_range_day (last_day);
  if (g_str_equal (from, to))
    label = g_strdup (from);
  else
    /* Translators: a range of days, first – last */
    label = g_strdup_printf (_("%s – %s"), from, to);
  /* Translators: the accessible name of the button showing the date range */
  accessible = g_strdup_printf (_("Created %s"), label);
  gtk_label_set_label (self->range_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->range_button), accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->range_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* The calendars open on the range applied, or on today; side by side,
 * or one above the other when the window is too narrow for both. */
static void
range_popover_show_cb (OutreachJobsPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) last_day = NULL;
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  int side_by_side;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->calendars_box), GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_measure (GTK_WIDGET (self->range_popover), GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &side_by_side, NULL, NULL);
  if (window != NULL && gtk_widget_get_width (window) < side_by_side)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->calendars_box), GTK_ORIENTATION_VERTICAL);

  if (self->range_from != NULL)
    last_day = g_date_time_add_days (self->range_to, -1);
  gtk_calendar_select_day (self->from_calendar, self->range_from != NULL ? self->range_from : now);
  gtk_calendar_select_day (self->to_calendar, last_day != NULL ? last_day : now);
  gtk_widget_set_visible (GTK_WIDGET (self->range_error_label), FALSE);
}

static void
range_apply_cb (OutreachJobsPage *self)
{
  g_autoptr (GDateTime) from_day = gtk_calendar_get_date (self->from_calendar);
  g_autoptr (GDateTime) to_day = gtk_calendar_get_date (self->to_calendar);
  g_autoptr (GDateTime) from = local_midnight (from_day);
  g_autoptr (GDateTime) to = local_midnight (to_day);

  if (g_date_time_compare (from, to) > 0)
    {
      g_autofree char *from_text = format_range_day (from);
      g_autofree char *to_text = format_range_day (to);
      g_autofree char *message = g_strdup_printf (
        _("The range starts on %s, after it ends on %s. Choose a From day on or before the To day."),
        from_text, to_text);

      gtk_label_set_label (self->range_error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->range_error_label), TRUE);
      gtk_widget_error_bell (GTK_WIDGET (self->range_popover));
      return;
    }

  /* Both days are included: the range ends at the midnight after To
   * (a day later on the calendar, whatever the clocks did that night). */
  g_clear_pointer (&self->range_from, g_date_time_unref);
  g_clear_pointer (&self->range_to, g_date_time_unref);
  self->range_from = g_steal_pointer (&from);
  self->range_to = g_date_time_add_days (to, 1);
  gtk_widget_set_visible (GTK_WIDGET (self->range_error_label), FALSE);
  update_range_button (self);
  if (gtk_drop_down_get_selected (self->date_dropdown) != DATE_CUSTOM_RANGE)
    gtk_drop_down_set_selected (self->date_dropdown, DATE_CUSTOM_RANGE);
  else
    apply_date_filter (self);
  gtk_popover_popdown (self->range_popover);
}

/* Back to every job: the drop-down says "Any time" and the range is forgotten. */
static void
range_clear_cb (OutreachJobsPage *self)
{
  g_clear_pointer (&self->range_from, g_date_time_unref);
  g_clear_pointer (&self->range_to, g_date_time_unref);
  update_range_button (self);
  gtk_popover_popdown (self->range_popover);
  gtk_drop_down_set_selected (self->date_dropdown, 0);
}

/* ---- State ---- */

static gboolean
tick_cb (gpointer user_data)
{
  OutreachJobsPage *self = user_data;

  outreach_job_list_model_tick (self->model);
  return G_SOURCE_CONTINUE;
}

static void
update_counts (OutreachJobsPage *self)
{
  g_autoptr (GError) error = NULL;
  gint64 counts[OUTREACH_JOB_STATUS_COUNT];
  gint64 by_filter[OUTREACH_JOB_FILTER_COUNT] = { 0 };
  static const char *const names[OUTREACH_JOB_FILTER_COUNT] = {
    N_("All"), N_("Active"), N_("Completed"), N_("Failed"), N_("Cancelled"),
  };

  if (!outreach_job_query_count_by_status (self->store, counts, &error))
    {
      g_warning ("Could not count the jobs: %s", error->message);
      return;
    }

  for (int s = 0; s < OUTREACH_JOB_STATUS_COUNT; s++)
    for (int f = 0; f < OUTREACH_JOB_FILTER_COUNT; f++)
      if (outreach_job_filter_matches (f, s))
        by_filter[f] += counts[s];

  for (int f = 0; f < OUTREACH_JOB_FILTER_COUNT; f++)
    {
      g_autofree char *count = outreach_job_format_count (by_filter[f]);
      g_autofree char *label = g_strdup_printf (ngettext ("%s: %s job", "%s: %s jobs",
                                                          (gulong) by_filter[f]),
                                                _(names[f]), count);
      gtk_label_set_label (self->filter_counts[f], count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_buttons[f]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }

  gtk_stack_set_visible_child_name (self->stack, by_filter[OUTREACH_JOB_FILTER_ALL] > 0 ? "jobs"
                                                                                        : "empty");

  /* Durations tick only while a job runs: no periodic work otherwise. */
  if (counts[OUTREACH_JOB_STATUS_RUNNING] > 0 && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (counts[OUTREACH_JOB_STATUS_RUNNING] == 0)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
update_list_visibility (OutreachJobsPage *self)
{
  gtk_stack_set_visible_child_name (self->list_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0
                                      ? "list" : "no-results");
}

static void
model_items_changed_cb (OutreachJobsPage *self)
{
  update_list_visibility (self);
  update_actions (self);
}

static void
watch_changed_cb (OutreachJobsPage *self)
{
  outreach_jobs_page_reload (self);
}

/* ---- Actions ---- */

/* The jobs the actions apply to: the selected rows. */
static GArray *
selected_ids (OutreachJobsPage *self,
              GPtrArray       **rows_out)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  if (rows_out != NULL)
    *rows_out = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->selection == NULL)
    return ids;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      OutreachJobQueryItem *row = g_list_model_get_item (G_LIST_MODEL (self->model), position);
      gint64 id;

      if (row == NULL)
        continue;
      id = outreach_job_query_item_get_id (row);
      g_array_append_val (ids, id);
      if (rows_out != NULL)
        g_ptr_array_add (*rows_out, row);
      else
        g_object_unref (row);
    }
  return ids;
}

static void
update_actions (OutreachJobsPage *self)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GArray) ids = selected_ids (self, &rows);
  g_autofree char *label = NULL;
  gboolean any_active = FALSE, any_pausable = FALSE, any_resumable = FALSE;
  gboolean any_failed = FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const OutreachJobData *d = outreach_job_query_item_get_data (rows->pdata[i]);
      any_active |= outreach_job_status_is_active (d->status) ||
                    d->status == OUTREACH_JOB_STATUS_FAILED;
      any_pausable |= d->status == OUTREACH_JOB_STATUS_RUNNING ||
                      d->status == OUTREACH_JOB_STATUS_QUEUED;
      any_resumable |= d->status == OUTREACH_JOB_STATUS_PAUSED ||
                       d->status == OUTREACH_JOB_STATUS_FAILED;
      any_failed |= d->failed > 0 && outreach_job_status_is_finished (d->status);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.open", rows->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.duplicate",
                                 rows->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.pause",
                                 any_pausable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.resume",
                                 any_resumable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.cancel",
                                 any_active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.retry-failed",
                                 any_failed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.delete",
                                 rows->len > 0);

  gtk_action_bar_set_revealed (self->action_bar, rows->len > 0);
  label = g_strdup_printf (ngettext ("%u job selected", "%u jobs selected", rows->len), rows->len);
  gtk_label_set_label (self->selection_label, label);
}

static void
selection_changed_cb (OutreachJobsPage *self)
{
  update_actions (self);
}

static void
row_activated_cb (OutreachJobsPage *self,
                  guint             position)
{
  g_autoptr (OutreachJobQueryItem) row = g_list_model_get_item (G_LIST_MODEL (self->model),
                                                               position);

  if (row == NULL)
    return;
  /* A draft is a job still being put together: it goes on in the wizard,
   * at the step it was left at (without the app's action, as in a window
   * of its own, its detail window is the best there is). */
  if (outreach_job_query_item_get_data (row)->status == OUTREACH_JOB_STATUS_DRAFT &&
      gtk_widget_activate_action (GTK_WIDGET (self), "app.open-draft", "x",
                                  outreach_job_query_item_get_id (row)))
    return;
  outreach_job_window_present_job (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   self->store, outreach_job_query_item_get_id (row));
}

static void
open_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OutreachJobsPage *self = OUTREACH_JOBS_PAGE (widget);
  g_autoptr (GArray) ids = selected_ids (self, NULL);

  for (guint i = 0; i < ids->len; i++)
    outreach_job_window_present_job (GTK_WINDOW (gtk_widget_get_root (widget)), self->store,
                                     g_array_index (ids, gint64, i));
}

static void
job_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OutreachJobsPage *self = OUTREACH_JOBS_PAGE (widget);
  g_autoptr (GArray) ids = selected_ids (self, NULL);
  OutreachJobAction action;

  if (!outreach_job_action_from_name (action_name + strlen ("jobs."), &action))
    g_return_if_reached ();
  outreach_job_actions_run (widget, self->store, action, (const gint64 *) (gpointer) ids->data,
                            ids->len);
}

/* Shift+F10 or the Menu key: the row menu for the selection, from the keyboard. */
static void
menu_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OutreachJobsPage *self = OUTREACH_JOBS_PAGE (widget);
  graphene_rect_t bounds;
  GdkRectangle rect = { 24, 24, 1, 1 };

  if (gtk_bitset_is_empty (gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection))))
    return;
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->column_view), widget, &bounds))
    rect = (GdkRectangle) { bounds.origin.x + 24, bounds.origin.y + 24, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  outreach_jobs_page_focus_search (OUTREACH_JOBS_PAGE (widget));
}

/* Ctrl+F anywhere in the window, while the Jobs page is the one shown. */
static gboolean
search_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE; /* another page's Ctrl+F */
  outreach_jobs_page_focus_search (OUTREACH_JOBS_PAGE (widget));
  return TRUE;
}

/* ---- Public ---- */

void
outreach_jobs_page_set_store (OutreachJobsPage *self,
                              OutreachStore    *store)
{
  g_return_if_fail (OUTREACH_IS_JOBS_PAGE (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  g_set_object (&self->store, store);
  g_clear_object (&self->model);
  self->model = outreach_job_list_model_new (store);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_clear_object (&self->selection);
  self->selection = gtk_multi_selection_new (
    outreach_screenful_model_new (g_object_ref (G_LIST_MODEL (self->model)),
                                  GTK_WIDGET (self->column_view)));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* Re-apply the filters the widgets show. */
  for (int i = 0; i < OUTREACH_JOB_FILTER_COUNT; i++)
    if (gtk_toggle_button_get_active (self->filter_buttons[i]))
      outreach_job_list_model_set_filter (self->model, i);
  search_changed_cb (self);
  kind_changed_cb (self);
  apply_date_filter (self);
  sorter_changed_cb (gtk_column_view_get_sorter (self->column_view), GTK_SORTER_CHANGE_DIFFERENT,
                     self);

  if (self->watch != NULL)
    g_clear_signal_handler (&self->watch_handler, self->watch);
  self->watch = outreach_job_query_watch_get_for_store (store);
  self->watch_handler = g_signal_connect_object (self->watch, "changed",
                                                 G_CALLBACK (watch_changed_cb), self,
                                                 G_CONNECT_SWAPPED);

  update_counts (self);
  update_list_visibility (self);
  update_actions (self);
}

/**
 * outreach_jobs_page_reload:
 *
 * Reads the counters and the rows again (the database changed). Rows
 * that stay in place are updated without disturbing the selection.
 */
void
outreach_jobs_page_reload (OutreachJobsPage *self)
{
  g_return_if_fail (OUTREACH_IS_JOBS_PAGE (self));

  if (self->store == NULL)
    return;
  outreach_job_list_model_refresh (self->model);
  update_counts (self);
  update_list_visibility (self);
  update_actions (self);
}

void
outreach_jobs_page_focus_search (OutreachJobsPage *self)
{
  g_return_if_fail (OUTREACH_IS_JOBS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Returns: (transfer none) (nullable): the jobs listed, before selection */
OutreachJobListModel *
outreach_jobs_page_get_model (OutreachJobsPage *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOBS_PAGE (self), NULL);

  return self->model;
}

/* Returns: (transfer none) (nullable): the model the column view shows */
GtkSelectionModel *
outreach_jobs_page_get_selection (OutreachJobsPage *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOBS_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/* ---- Benchmarks (build-aux/bench/launch.sh and detail.sh) ----
 *
 * With OUTREACH_BENCH_FIRST_FRAME set, the first frame painted with the
 * jobs page on screen prints the wall-clock time (the script took the
 * time before starting the process) and the peak RSS. With
 * OUTREACH_BENCH_OPEN_JOB=ID too, the page then opens that job's window
 * and prints how long until its first frame. Then the app quits. */

static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

static void
bench_done (GtkWidget *widget)
{
  GApplication *app = g_application_get_default ();

  g_print ("peak_rss_kib=%ld\n", peak_rss_kib ());
  if (app != NULL)
    g_application_quit (app);
  else
    exit (0);
}

static gint64 bench_detail_started;  /* when the detail window was asked for */

static void
bench_detail_first_frame_cb (gpointer window)
{
  g_print ("detail_first_frame_us=%" G_GINT64_FORMAT "\n",
           g_get_monotonic_time () - bench_detail_started);
  bench_done (NULL);
}

static void
bench_first_frame_cb (gpointer page)
{
  OutreachJobsPage *self = page;
  const char *open_job = g_getenv ("OUTREACH_BENCH_OPEN_JOB");
  OutreachJobWindow *window;

  g_print ("first_frame_realtime_us=%" G_GINT64_FORMAT "\n", g_get_real_time ());
  if (open_job == NULL || self->store == NULL)
    {
      bench_done (GTK_WIDGET (self));
      return;
    }
  bench_detail_started = g_get_monotonic_time ();
  window = outreach_job_window_present_job (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                            self->store, g_ascii_strtoll (open_job, NULL, 10));
  if (window == NULL)
    bench_done (GTK_WIDGET (self));
  else
    outreach_after_first_frame (GTK_WIDGET (window), window, bench_detail_first_frame_cb);
}

/* ---- Construction ---- */

static void
add_column (OutreachJobsPage *self,
            Column            column,
            const char       *title,
            gboolean          expand,
            int               fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  Probe *probe = g_new0 (Probe, 1);
  GtkSorter *sorter;

  probe->page = self;
  probe->column = column;
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare_cb, probe, g_free));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (view_column, fixed_width);
  gtk_column_view_append_column (self->column_view, view_column);
  self->columns[column] = view_column;
  g_object_unref (view_column);
  g_object_unref (sorter);
}

static void
add_filter_button (OutreachJobsPage  *self,
                   OutreachJobFilter  filter,
                   const char        *title)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new_with_mnemonic (title);
  GtkWidget *count = gtk_label_new ("0");

  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_label_set_mnemonic_widget (GTK_LABEL (name), button);
  if (filter > 0)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->filter_buttons[0]);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_signal_connect (button, "toggled", G_CALLBACK (filter_toggled_cb), self);
  gtk_box_append (self->filter_box, button);

  self->filter_buttons[filter] = GTK_TOGGLE_BUTTON (button);
  self->filter_counts[filter] = GTK_LABEL (count);
}

static void
outreach_jobs_page_dispose (GObject *object)
{
  OutreachJobsPage *self = OUTREACH_JOBS_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->watch != NULL)
    g_clear_signal_handler (&self->watch_handler, self->watch);
  self->watch = NULL;
  g_clear_pointer (&self->row_popover, gtk_widget_unparent);
  /* Taking the column view down changes its sorter; nothing may react any more. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_JOBS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->range_from, g_date_time_unref);
  g_clear_pointer (&self->range_to, g_date_time_unref);

  G_OBJECT_CLASS (outreach_jobs_page_parent_class)->dispose (object);
}

static void
outreach_jobs_page_class_init (OutreachJobsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_jobs_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-jobs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, range_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, range_popover);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, calendars_box);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, range_error_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_clear_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "jobs.open", NULL, open_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.pause", NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.resume", NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.cancel", NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.retry-failed", NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.duplicate", NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.delete", NULL, job_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.search", NULL, search_action_cb);
  gtk_widget_class_install_action (widget_class, "jobs.menu", NULL, menu_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "jobs.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "jobs.menu", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "jobs.delete", NULL);

  g_type_ensure (OUTREACH_TYPE_JOB_STATUS_BADGE);
  g_type_ensure (OUTREACH_TYPE_WRAP_BOX);
}

static void
outreach_jobs_page_init (OutreachJobsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_range_button (self);

  add_filter_button (self, OUTREACH_JOB_FILTER_ALL, _("A_ll"));
  add_filter_button (self, OUTREACH_JOB_FILTER_ACTIVE, _("_Active"));
  add_filter_button (self, OUTREACH_JOB_FILTER_COMPLETED, _("Co_mpleted"));
  add_filter_button (self, OUTREACH_JOB_FILTER_FAILED, _("_Failed"));
  add_filter_button (self, OUTREACH_JOB_FILTER_CANCELLED, _("Ca_ncelled"));

  add_column (self, COLUMN_NAME, _("Name"), TRUE, -1);
  add_column (self, COLUMN_STATUS, _("Status"), FALSE, 195);
  add_column (self, COLUMN_PROGRESS, _("Progress"), FALSE, 150);
  add_column (self, COLUMN_RECIPIENTS, _("Recipients"), FALSE, 115);
  add_column (self, COLUMN_SENT, _("Sent / Failed"), FALSE, 110);
  add_column (self, COLUMN_DURATION, _("Duration"), FALSE, 100);
  add_column (self, COLUMN_CREATED, _("Created"), FALSE, 120);
  gtk_column_view_sort_by_column (self->column_view, self->columns[COLUMN_CREATED],
                                  GTK_SORT_DESCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, 0);

  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                       GTK_SHORTCUT_SCOPE_MANAGED);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                        gtk_callback_action_new (search_shortcut_cb, NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }

  if (g_getenv ("OUTREACH_BENCH_FIRST_FRAME") != NULL)
    outreach_after_first_frame (GTK_WIDGET (self), self, bench_first_frame_cb);

  self->row_popover = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_popover), FALSE);
  gtk_widget_set_halign (self->row_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_popover, GTK_WIDGET (self));
}
