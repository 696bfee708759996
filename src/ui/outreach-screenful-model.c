/* outreach-screenful-model.c — a list's rows, one screenful until the list is first painted
 *
 * GTK 4.8's list and column views build up to 200 rows before they know
 * their own height. For the Jobs page and a job's Recipients and Log tabs
 * (tens of thousands of rows, seven cells a row) that was most of the time
 * to their first frame, and a frame only shows a screenful. So a view that
 * is not on screen yet sees as many rows as its window could show at the
 * height of the smallest row (MIN_ROW_HEIGHT), and every row from the idle
 * after its first frame: the scroll bar is a frame late, the rows are not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-screenful-model"

#include "config.h"

#include "outreach-screenful-model.h"

#include "outreach-first-frame.h"

/* a one-line row of a list or column view in the Adwaita style is 21 px */
#define MIN_ROW_HEIGHT 20

/* The rows that could fit in @view's window: its height, or the tallest
 * screen's when it is maximized or not sized yet. */
static guint
screenful_rows (GtkWidget *view)
{
  GtkRoot *root = gtk_widget_get_root (view);
  int width, height = 0;

  if (GTK_IS_WINDOW (root) && !gtk_window_is_maximized (GTK_WINDOW (root)))
    gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
  if (height <= 0)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (view));

      for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          height = MAX (height, geometry.height);
        }
    }
  if (height <= 0)
    height = 2160;
  return height / MIN_ROW_HEIGHT + 1;
}

static gboolean
show_all_rows_cb (gpointer user_data)
{
  GtkSliceListModel *slice = user_data;

  gtk_slice_list_model_set_size (slice, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (gpointer slice)
{
  /* after this frame, not within it */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_all_rows_cb, g_object_ref (slice), g_object_unref);
}

/**
 * outreach_screenful_model_new:
 * @model: (transfer full): the rows
 * @view: the list or column view that will show them
 *
 * Returns: (transfer full): @model as @view should see it: all of it when
 *   @view is already on screen, else a screenful until its first frame
 */
GListModel *
outreach_screenful_model_new (GListModel *model,
                              GtkWidget  *view)
{
  GtkSliceListModel *slice;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);

  if (gtk_widget_get_mapped (view))
    return G_LIST_MODEL (gtk_slice_list_model_new (model, 0, G_MAXUINT));

  slice = gtk_slice_list_model_new (model, 0, screenful_rows (view));
  outreach_after_first_frame (view, slice, first_frame_cb);
  return G_LIST_MODEL (slice);
}
