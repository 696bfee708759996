/* outreach-job-window-private.h — what the job window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-chart.h"
#include "outreach-job-log-view.h"
#include "outreach-job-query-watch.h"
#include "outreach-job-query.h"
#include "outreach-job-recipients-view.h"
#include "outreach-job-status-badge.h"
#include "outreach-job-window.h"
#include "outreach-stat-card.h"

G_BEGIN_DECLS

struct _OutreachJobWindow
{
  AdwWindow parent_instance;

  OutreachStore *store;
  gint64 job_id;
  OutreachJobQueryItem *row;
  OutreachJobQueryWatch *watch;
  gulong watch_handler;
  guint tick_id;

  GArray *samples;          /* RateSample: recent (time, done) pairs for the rate */
  GCancellable *chart_cancellable;
  gint64 chart_read_us;     /* when the chart was last read (monotonic) */
  gboolean painted;         /* the window's first frame is on screen */
  OutreachJobStatus chart_status;
  gboolean message_loaded;

  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkButton *pause_button;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  OutreachJobStatusBadge *status_badge;
  GtkLabel *progress_label;
  GtkLabel *rate_label;
  GtkLabel *eta_label;
  GtkProgressBar *progress_bar;
  OutreachStatCard *total_card;
  OutreachStatCard *sent_card;
  OutreachStatCard *failed_card;
  OutreachStatCard *pending_card;
  OutreachStatCard *uncertain_card;
  OutreachStatCard *skipped_card;
  GtkGrid *timeline_grid;
  OutreachJobChart *chart;
  AdwViewStack *tabs;
  OutreachJobRecipientsView *recipients_view;
  OutreachJobLogView *log_view;
  GtkLabel *account_label;
  GtkLabel *subject_label;
  GtkTextView *text_view;
  GtkTextView *html_view;
  GtkWidget *html_box;
};

typedef struct
{
  gint64 time_us; /* monotonic */
  gint64 done;
} RateSample;

/* outreach-job-window-actions.c */
void outreach_job_window_install_actions (GtkWidgetClass    *widget_class);
void outreach_job_window_update_actions  (OutreachJobWindow *self);

G_END_DECLS
