/* outreach-job-chart.h — a job's throughput over its life, drawn with GtkSnapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OUTREACH_TYPE_JOB_CHART (outreach_job_chart_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobChart, outreach_job_chart, OUTREACH, JOB_CHART, GtkWidget)

GtkWidget *outreach_job_chart_new       (void);
void       outreach_job_chart_set_data  (OutreachJobChart *self,
                                         const guint      *counts,
                                         guint             n_buckets,
                                         gint64            bucket_seconds);
guint      outreach_job_chart_get_peak  (OutreachJobChart *self);
guint      outreach_job_chart_get_n_buckets (OutreachJobChart *self);

G_END_DECLS
