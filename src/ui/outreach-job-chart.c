/* outreach-job-chart.c — a job's throughput over its life, drawn with GtkSnapshot
 *
 * Bars of messages finished per bucket, scaled to the busiest one. The
 * axis and text take the theme's foreground colour and the bars the
 * accent blue at an opacity that reads on light and dark backgrounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-chart"

#include "config.h"

#include "outreach-job-chart.h"

#include <glib/gi18n.h>

#define LABEL_HEIGHT 18

struct _OutreachJobChart
{
  GtkWidget parent_instance;

  guint *counts;
  guint n_buckets;
  gint64 bucket_seconds;
  guint peak;
};

G_DEFINE_FINAL_TYPE (OutreachJobChart, outreach_job_chart, GTK_TYPE_WIDGET)

static void
add_text (OutreachJobChart *self,
          GtkSnapshot      *snapshot,
          const char       *text,
          float             x,
          float             y,
          const GdkRGBA    *color)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
outreach_job_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  OutreachJobChart *self = OUTREACH_JOB_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float plot_height = height - LABEL_HEIGHT;
  GdkRGBA fg, axis, bar = { 0.21f, 0.52f, 0.89f, 0.85f }; /* accent blue #3584e4 */
  g_autofree char *peak_text = NULL;
  float bar_width;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  axis = fg;
  axis.alpha *= 0.3f;

  if (plot_height <= 4 || width <= 4)
    return;

  /* baseline */
  gtk_snapshot_append_color (snapshot, &axis, &GRAPHENE_RECT_INIT (0, plot_height - 1, width, 1));

  if (self->n_buckets == 0 || self->peak == 0)
    {
      GdkRGBA dim = fg;
      dim.alpha *= 0.55f;
      add_text (self, snapshot, _("Nothing sent yet"), 4, plot_height / 2 - 8, &dim);
      return;
    }

  bar_width = width / self->n_buckets;
  for (guint i = 0; i < self->n_buckets; i++)
    {
      float h = (plot_height - 4) * self->counts[i] / (float) self->peak;
      if (self->counts[i] > 0 && h < 1)
        h = 1;
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (i * bar_width + 0.5f, plot_height - 1 - h,
                                                      MAX (bar_width - 1, 1), h));
    }

  /* Translators: the busiest bucket of the chart, e.g. "peak 120 per 10 s" */
  peak_text = g_strdup_printf (_("peak %u per %lld s"), self->peak, (long long) self->bucket_seconds);
  add_text (self, snapshot, peak_text, 2, plot_height + 1, &fg);
}

static void
outreach_job_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 120;
}

static void
outreach_job_chart_finalize (GObject *object)
{
  g_free (OUTREACH_JOB_CHART (object)->counts);

  G_OBJECT_CLASS (outreach_job_chart_parent_class)->finalize (object);
}

static void
outreach_job_chart_class_init (OutreachJobChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_job_chart_finalize;
  widget_class->snapshot = outreach_job_chart_snapshot;
  widget_class->measure = outreach_job_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "jobchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
outreach_job_chart_init (OutreachJobChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Throughput chart: nothing sent yet"), -1);
}

GtkWidget *
outreach_job_chart_new (void)
{
  return g_object_new (OUTREACH_TYPE_JOB_CHART, NULL);
}

/**
 * outreach_job_chart_set_data:
 * @counts: (array length=n_buckets): messages finished in each bucket
 */
void
outreach_job_chart_set_data (OutreachJobChart *self,
                             const guint      *counts,
                             guint             n_buckets,
                             gint64            bucket_seconds)
{
  g_autofree char *label = NULL;

  g_return_if_fail (OUTREACH_IS_JOB_CHART (self));

  g_free (self->counts);
  self->counts = g_memdup2 (counts, n_buckets * sizeof *counts);
  self->n_buckets = n_buckets;
  self->bucket_seconds = MAX (bucket_seconds, 1);
  self->peak = 0;
  for (guint i = 0; i < n_buckets; i++)
    self->peak = MAX (self->peak, counts[i]);

  label = g_strdup_printf (_("Throughput chart: at most %u messages per %lld seconds"), self->peak,
                           (long long) self->bucket_seconds);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
outreach_job_chart_get_peak (OutreachJobChart *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_CHART (self), 0);

  return self->peak;
}

guint
outreach_job_chart_get_n_buckets (OutreachJobChart *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_CHART (self), 0);

  return self->n_buckets;
}
