/* outreach-job-window.c — one job in depth: progress, results, log, message, actions
 *
 * One window per job: opening a job again raises its window. The window
 * follows the job live through the store's watch (at most 5 updates a
 * second); the throughput chart is read in a thread, so even a
 * million-recipient job opens at once. The actions live in
 * outreach-job-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-window"

#include "config.h"

#include "outreach-job-window-private.h"
#include "outreach-job-review-view.h"

#include <glib/gi18n.h>

#include "outreach-first-frame.h"
#include "outreach-job-format.h"
#include "outreach-wrap-box.h"

#define CHART_BUCKETS 60
#define CHART_REFRESH_US (3 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (OutreachJobWindow, outreach_job_window, ADW_TYPE_WINDOW)

/* job id → its window (not owned: a window removes itself when destroyed) */
static GHashTable *windows;

static void read_chart (OutreachJobWindow *self);

/* ---- Timeline ---- */

static void
add_timeline_row (OutreachJobWindow *self,
                  int                row,
                  const char        *what,
                  const char        *when)
{
  GtkWidget *name = gtk_label_new (what);
  GtkWidget *value = gtk_label_new (when);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_selectable (GTK_LABEL (value), FALSE);
  gtk_widget_add_css_class (value, "numeric");
  gtk_grid_attach (self->timeline_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->timeline_grid, value, 1, row, 1, 1);
}

static const char *
milestone_label (const char *kind)
{
  static const struct { const char *kind; const char *label; } labels[] = {
    { "queued", N_("Queued") }, { "started", N_("Started") }, { "paused", N_("Paused") },
    { "resumed", N_("Resumed") }, { "recovered", N_("Recovered after a crash") },
    { "retried", N_("Retried") }, { "completed", N_("Completed") }, { "failed", N_("Failed") },
    { "cancelled", N_("Cancelled") }, { "marked-complete", N_("Marked complete") },
    { "account-changed", N_("Account changed") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (kind, labels[i].kind) == 0)
      return _(labels[i].label);
  return kind;
}

static void
update_timeline (OutreachJobWindow *self)
{
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  g_autoptr (GPtrArray) milestones = outreach_job_query_milestones (self->store, self->job_id, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_grid))) != NULL)
    gtk_grid_remove (self->timeline_grid, child);

#define ADD_TIME(what, t) \
  G_STMT_START { \
    g_autofree char *text = outreach_job_format_full_time (t); \
    add_timeline_row (self, row++, what, text); \
  } G_STMT_END

  ADD_TIME (_("Created"), d->created_at);
  if (d->scheduled_at > 0)
    ADD_TIME (_("Scheduled"), d->scheduled_at);
  if (d->started_at > 0)
    ADD_TIME (_("Started"), d->started_at);
  for (guint i = 0; milestones != NULL && i < milestones->len; i++)
    {
      OutreachJobMilestone *m = milestones->pdata[i];
      /* the start and the end have rows of their own */
      if (g_str_equal (m->kind, "started") || g_str_equal (m->kind, "completed") ||
          g_str_equal (m->kind, "failed") || g_str_equal (m->kind, "cancelled"))
        continue;
      ADD_TIME (milestone_label (m->kind), m->time_ms / 1000);
    }
  if (d->finished_at > 0)
    ADD_TIME (_("Finished"), d->finished_at);
#undef ADD_TIME

  {
    g_autofree char *duration = outreach_job_format_duration (
      outreach_job_query_item_get_duration (self->row, now));
    add_timeline_row (self, row++, _("Duration"), duration);
  }
}

/* ---- Rate and ETA ---- */

static void
update_rate (OutreachJobWindow *self)
{
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  gint64 now_us = g_get_monotonic_time ();
  gint64 done = outreach_job_query_item_get_done (self->row);
  RateSample sample = { now_us, done };
  RateSample *oldest;
  double per_minute = 0;

  if (d->status != OUTREACH_JOB_STATUS_RUNNING)
    {
      g_array_set_size (self->samples, 0);
      gtk_label_set_label (self->rate_label, "");
      gtk_label_set_label (self->eta_label, "");
      return;
    }

  if (self->samples->len == 0)
    {
      /* Seed with what the last minute did before the window opened. */
      gint64 recent = 0;
      if (outreach_job_query_recent_done (self->store, self->job_id, g_get_real_time () / G_USEC_PER_SEC,
                                          &recent, NULL))
        {
          RateSample seed = { now_us - 60 * G_USEC_PER_SEC, done - recent };
          g_array_append_val (self->samples, seed);
        }
    }
  g_array_append_val (self->samples, sample);
  while (self->samples->len > 2 &&
         g_array_index (self->samples, RateSample, 1).time_us < now_us - 60 * G_USEC_PER_SEC)
    g_array_remove_index (self->samples, 0);

  oldest = &g_array_index (self->samples, RateSample, 0);
  if (now_us - oldest->time_us >= G_USEC_PER_SEC)
    per_minute = (done - oldest->done) * 60.0 * G_USEC_PER_SEC / (double) (now_us - oldest->time_us);

  {
    g_autofree char *rate = g_strdup_printf (_("%.0f per minute"), per_minute);
    gtk_label_set_label (self->rate_label, rate);
  }
  if (per_minute > 0 && d->pending > 0)
    {
      g_autofree char *eta = outreach_job_format_duration ((gint64) (d->pending * 60 / per_minute));
      g_autofree char *text = g_strdup_printf (_("about %s left"), eta);
      gtk_label_set_label (self->eta_label, text);
    }
  else
    gtk_label_set_label (self->eta_label, d->pending > 0 ? _("time left unknown") : "");
}

/* ---- The whole view ---- */

static void
load_message (OutreachJobWindow *self)
{
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  g_autofree char *subject = NULL, *text = NULL, *html = NULL;
  g_autofree char *account = NULL;

  if (!outreach_job_query_load_message (self->store, self->job_id, &subject, &text, &html, NULL,
                                        NULL))
    return;
  account = g_strdup_printf (_("Account: %s"), d->account_name != NULL ? d->account_name
                                                                       : _("none (removed)"));
  gtk_label_set_label (self->account_label, account);
  gtk_label_set_label (self->subject_label, *subject != '\0' ? subject : _("(no subject)"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  gtk_widget_set_visible (self->html_box, html != NULL && *html != '\0');
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->html_view), html ? html : "", -1);
  self->message_loaded = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  OutreachJobWindow *self = user_data;

  update_timeline (self);
  update_rate (self);
  return G_SOURCE_CONTINUE;
}

static void
update_view (OutreachJobWindow *self)
{
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  g_autofree char *done = outreach_job_format_count (outreach_job_query_item_get_done (self->row));
  g_autofree char *total = outreach_job_format_count (d->total);
  g_autofree char *of = NULL;
  g_autofree char *percent = NULL;
  double fraction = outreach_job_query_item_get_fraction (self->row);

  gtk_window_set_title (GTK_WINDOW (self), d->name);
  adw_window_title_set_title (self->window_title, d->name);
  outreach_job_status_badge_set_status (self->status_badge, d->status, d->failed, d->scheduled_at);
  adw_window_title_set_subtitle (self->window_title,
                                 outreach_job_status_badge_get_text (self->status_badge));

  /* Translators: recipients done, e.g. "1,204 of 5,000" */
  of = g_strdup_printf (_("%s of %s"), done, total);
  gtk_label_set_label (self->progress_label, of);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  percent = g_strdup_printf ("%s (%d %%)", of, (int) (fraction * 100));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, percent, -1);

  outreach_stat_card_set_value (self->total_card, d->total);
  outreach_stat_card_set_value (self->sent_card, d->sent);
  outreach_stat_card_set_value (self->failed_card, d->failed);
  outreach_stat_card_set_value (self->pending_card, d->pending);
  outreach_stat_card_set_value (self->uncertain_card, d->uncertain);
  outreach_stat_card_set_value (self->skipped_card, d->skipped);

  gtk_label_set_label (self->error_label, d->error != NULL ? d->error : "");
  gtk_revealer_set_reveal_child (self->error_revealer, d->error != NULL && *d->error != '\0');

  update_timeline (self);
  update_rate (self);
  if (!self->message_loaded)
    load_message (self);

  /* The duration and ETA move on by themselves only while it runs. */
  if (d->status == OUTREACH_JOB_STATUS_RUNNING && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (d->status != OUTREACH_JOB_STATUS_RUNNING)
    g_clear_handle_id (&self->tick_id, g_source_remove);

  if (self->chart_read_us == 0 || d->status != self->chart_status ||
      (d->status == OUTREACH_JOB_STATUS_RUNNING &&
       g_get_monotonic_time () - self->chart_read_us > CHART_REFRESH_US))
    read_chart (self);

  outreach_job_window_update_actions (self);
}

/**
 * outreach_job_window_refresh:
 *
 * Reads the job again. A job deleted elsewhere closes its window.
 */
void
outreach_job_window_refresh (OutreachJobWindow *self)
{
  g_autoptr (GError) error = NULL;
  OutreachJobQueryItem *row;

  g_return_if_fail (OUTREACH_IS_JOB_WINDOW (self));

  row = outreach_job_query_load (self->store, self->job_id, &error);
  if (row == NULL)
    {
      if (g_error_matches (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_NOT_FOUND))
        gtk_window_destroy (GTK_WINDOW (self));
      else
        g_warning ("Could not read job %" G_GINT64_FORMAT ": %s", self->job_id, error->message);
      return;
    }
  g_set_object (&self->row, row);
  g_object_unref (row);

  update_view (self);
  outreach_job_recipients_view_refresh (self->recipients_view);
  outreach_job_log_view_refresh (self->log_view);
}

static void
watch_changed_cb (OutreachJobWindow *self)
{
  outreach_job_window_refresh (self);
}

/* ---- Chart (read in a thread) ---- */

typedef struct
{
  char *path;
  gint64 job_id;
  gint64 start;
  gint64 bucket_seconds;
  guint n_buckets;
} ChartQuery;

static void
chart_query_free (ChartQuery *query)
{
  g_free (query->path);
  g_free (query);
}

static void
chart_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ChartQuery *query = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_open (query->path, &error);
  g_autofree guint *counts = g_new0 (guint, query->n_buckets);

  if (store == NULL ||
      !outreach_job_query_throughput (store, query->job_id, query->start, query->bucket_seconds,
                                      query->n_buckets, counts, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

static void
chart_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (source);
  ChartQuery *query = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree guint *counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (counts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the throughput: %s", error->message);
      return;
    }
  outreach_job_chart_set_data (self->chart, counts, query->n_buckets, query->bucket_seconds);
}

static void
first_frame_cb (gpointer window)
{
  OutreachJobWindow *self = window;

  self->painted = TRUE;
  if (self->row != NULL)
    read_chart (self);
}

static void
read_chart (OutreachJobWindow *self)
{
  const OutreachJobData *d = outreach_job_query_item_get_data (self->row);
  g_autoptr (GTask) task = NULL;
  ChartQuery *query;
  gint64 start, end, span;

  self->chart_read_us = g_get_monotonic_time ();
  self->chart_status = d->status;
  /* Not before the first frame (first_frame_cb reads it then):
   * for a big job the read keeps a core busy for a while. */
  if (d->started_at == 0 || !self->painted)
    return;

  start = d->started_at;
  end = d->finished_at > 0 ? d->finished_at : g_get_real_time () / G_USEC_PER_SEC;
  span = MAX (end - start, 1);

  query = g_new0 (ChartQuery, 1);
  query->path = g_strdup (outreach_store_get_path (self->store));
  query->job_id = self->job_id;
  query->start = start;
  query->bucket_seconds = MAX ((span + CHART_BUCKETS - 1) / CHART_BUCKETS, 1);
  query->n_buckets = MIN (CHART_BUCKETS, span / query->bucket_seconds + 1);

  if (self->chart_cancellable != NULL)
    g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);
  self->chart_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->chart_cancellable, chart_read_cb, NULL);
  g_task_set_source_tag (task, read_chart);
  g_task_set_task_data (task, query, (GDestroyNotify) chart_query_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, chart_thread);
}

/* ---- Lifetime ---- */

gint64
outreach_job_window_get_job_id (OutreachJobWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_WINDOW (self), 0);

  return self->job_id;
}

/* Returns: (transfer none) (nullable): the open window of job @job_id */
OutreachJobWindow *
outreach_job_window_lookup (gint64 job_id)
{
  if (windows == NULL)
    return NULL;
  return g_hash_table_lookup (windows, &job_id);
}

/**
 * outreach_job_window_present_job:
 * @parent: (nullable): the window it was opened from
 *
 * Shows job @job_id's window, opening it or raising the one already open.
 * Withdraws the job's notification: the person is looking at it now.
 *
 * Returns: (transfer none) (nullable): the window, or %NULL when the job
 *   does not exist
 */
OutreachJobWindow *
outreach_job_window_present_job (GtkWindow     *parent,
                                 OutreachStore *store,
                                 gint64         job_id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *notification_id = g_strdup_printf ("job-%" G_GINT64_FORMAT, job_id);
  GApplication *app = g_application_get_default ();
  OutreachJobWindow *self;
  OutreachJobQueryItem *row;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  if (app != NULL && g_application_get_is_registered (app))
    g_application_withdraw_notification (app, notification_id);

  self = outreach_job_window_lookup (job_id);
  if (self != NULL)
    {
      gtk_window_present (GTK_WINDOW (self));
      return self;
    }

  row = outreach_job_query_load (store, job_id, &error);
  if (row == NULL)
    {
      g_debug ("Not opening job %" G_GINT64_FORMAT ": %s", job_id, error->message);
      return NULL;
    }

  self = g_object_new (OUTREACH_TYPE_JOB_WINDOW,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->job_id = job_id;
  self->row = row;

  if (windows == NULL)
    windows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_insert (windows, g_memdup2 (&job_id, sizeof job_id), self);

  outreach_job_recipients_view_set_job (self->recipients_view, store, job_id);
  /* Review mode: the Review tab (new-job wizard, issue 7). */
  outreach_job_review_view_attach (self->tabs, store, job_id);
  outreach_job_log_view_set_job (self->log_view, store, job_id);
  update_view (self);

  self->watch = outreach_job_query_watch_get_for_store (store);
  self->watch_handler = g_signal_connect_object (self->watch, "changed",
                                                 G_CALLBACK (watch_changed_cb), self,
                                                 G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

static void
outreach_job_window_dispose (GObject *object)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (object);

  if (windows != NULL && self->job_id != 0 &&
      g_hash_table_lookup (windows, &self->job_id) == self)
    g_hash_table_remove (windows, &self->job_id);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->watch != NULL)
    g_clear_signal_handler (&self->watch_handler, self->watch);
  self->watch = NULL;
  if (self->chart_cancellable != NULL)
    g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_JOB_WINDOW);

  G_OBJECT_CLASS (outreach_job_window_parent_class)->dispose (object);
}

static void
outreach_job_window_finalize (GObject *object)
{
  OutreachJobWindow *self = OUTREACH_JOB_WINDOW (object);

  g_clear_object (&self->row);
  g_clear_object (&self->store);
  g_clear_pointer (&self->samples, g_array_unref);

  G_OBJECT_CLASS (outreach_job_window_parent_class)->finalize (object);
}

static void
outreach_job_window_class_init (OutreachJobWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_job_window_dispose;
  object_class->finalize = outreach_job_window_finalize;

  g_type_ensure (OUTREACH_TYPE_JOB_STATUS_BADGE);
  g_type_ensure (OUTREACH_TYPE_STAT_CARD);
  g_type_ensure (OUTREACH_TYPE_JOB_CHART);
  g_type_ensure (OUTREACH_TYPE_JOB_RECIPIENTS_VIEW);
  g_type_ensure (OUTREACH_TYPE_JOB_LOG_VIEW);
  g_type_ensure (OUTREACH_TYPE_WRAP_BOX);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-job-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, status_badge);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, rate_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, eta_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, total_card);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, sent_card);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, failed_card);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, pending_card);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, uncertain_card);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, skipped_card);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, timeline_grid);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, tabs);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, recipients_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, log_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, subject_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, html_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobWindow, html_box);

  outreach_job_window_install_actions (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
outreach_job_window_init (OutreachJobWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->samples = g_array_new (FALSE, FALSE, sizeof (RateSample));
  outreach_after_first_frame (GTK_WIDGET (self), self, first_frame_cb);
}
