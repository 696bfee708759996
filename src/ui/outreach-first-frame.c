/* outreach-first-frame.c — run something once a widget's first frame is on screen
 *
 * Work the first frame does not need (a list's rows below the fold, a
 * chart read in a thread) waits for the frame clock's first "after-paint"
 * with the widget mapped, so that it does not delay what the user sees
 * first. The benchmarks take their time there too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-first-frame"

#include "config.h"

#include "outreach-first-frame.h"

typedef struct
{
  GWeakRef owner;  /* nothing is called once it is gone */
  OutreachFirstFrameFunc func;
} FirstFrame;

static FirstFrame *
first_frame_new (gpointer               owner,
                 OutreachFirstFrameFunc func)
{
  FirstFrame *first = g_new0 (FirstFrame, 1);

  g_weak_ref_init (&first->owner, owner);
  first->func = func;
  return first;
}

static void
first_frame_free (gpointer  data,
                  GClosure *closure)
{
  FirstFrame *first = data;

  g_weak_ref_clear (&first->owner);
  g_free (first);
}

static void
after_paint_cb (GdkFrameClock *clock,
                FirstFrame    *first)
{
  g_autoptr (GObject) owner = g_weak_ref_get (&first->owner);
  OutreachFirstFrameFunc func = first->func;

  /* frees first */
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, first);
  if (owner != NULL)
    func (owner);
}

static void
watch_clock (GtkWidget  *widget,
             FirstFrame *first)
{
  g_signal_connect_data (gtk_widget_get_frame_clock (widget), "after-paint",
                         G_CALLBACK (after_paint_cb), first, first_frame_free, 0);
}

static void
map_cb (GtkWidget  *widget,
        FirstFrame *first)
{
  g_autoptr (GObject) owner = g_weak_ref_get (&first->owner);

  if (owner != NULL)
    watch_clock (widget, first_frame_new (owner, first->func));
  /* frees first */
  g_signal_handlers_disconnect_by_func (widget, map_cb, first);
}

/**
 * outreach_after_first_frame:
 * @widget: the widget whose frame counts
 * @owner: (type GObject): passed to @func; if it is finalized first, @func
 *   is not called
 * @func: what to do, once
 *
 * Calls @func (@owner) after the first frame painted while @widget is
 * mapped: the next frame if it is mapped already, else the first after it
 * is.
 */
void
outreach_after_first_frame (GtkWidget              *widget,
                            gpointer                owner,
                            OutreachFirstFrameFunc  func)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (func != NULL);

  if (gtk_widget_get_mapped (widget))
    watch_clock (widget, first_frame_new (owner, func));
  else
    g_signal_connect_data (widget, "map", G_CALLBACK (map_cb), first_frame_new (owner, func),
                           first_frame_free, 0);
}
