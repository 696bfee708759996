/* outreach-job-notifier.c — desktop notifications and the in-app runner for jobs
 *
 * The app runs queued jobs itself with one OutreachRunner per store. Its
 * coalesced progress signal pokes the store's watch, so every open view
 * updates at most 5 times a second; jobs run by another process are seen
 * by the watch through PRAGMA data_version.
 *
 * When the watch sees a job end (completed, with failures or not, or
 * failed) or be stopped with a reason (recovered after a crash), a
 * GNotification says so: the job's name in the title, its counts in the
 * body, "app.show-job" as the default action and a "Retry Failed" button
 * when recipients failed. The notification id is "job-ID", so opening the
 * job's window withdraws it. The "notifications" setting turns them off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-notifier"

#include "config.h"

#include "outreach-job-notifier.h"

#include <glib/gi18n.h>

#include "outreach-job-format.h"
#include "outreach-job-query-watch.h"
#include "outreach-job-query.h"
#include "outreach-job-window.h"

struct _OutreachJobNotifier
{
  GObject parent_instance;

  GApplication *application; /* weak */
  OutreachStore *store;
  GSettings *settings;
  guint scheduled_id; /* one shot, at the next scheduled job's time */
};

G_DEFINE_FINAL_TYPE (OutreachJobNotifier, outreach_job_notifier, G_TYPE_OBJECT)

static void
progress_cb (OutreachRunner *runner,
             gint64          job_id,
             gpointer        progress,
             OutreachStore  *store)
{
  outreach_job_query_watch_poke (outreach_job_query_watch_get_for_store (store));
}

static void
runner_job_finished_cb (OutreachRunner    *runner,
                        gint64             job_id,
                        OutreachJobStatus  status,
                        const char        *error,
                        OutreachStore     *store)
{
  outreach_job_query_watch_poke (outreach_job_query_watch_get_for_store (store));
}

/**
 * outreach_job_runner_for_store:
 *
 * Returns: (transfer none): the runner that runs @store's jobs in this process
 */
OutreachRunner *
outreach_job_runner_for_store (OutreachStore *store)
{
  OutreachRunner *runner;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  runner = g_object_get_data (G_OBJECT (store), "outreach-job-runner");
  if (runner == NULL)
    {
      runner = outreach_runner_new (store);
      g_object_set_data_full (G_OBJECT (store), "outreach-job-runner", runner, g_object_unref);
      g_signal_connect_object (runner, "progress", G_CALLBACK (progress_cb), store, 0);
      g_signal_connect_object (runner, "job-finished", G_CALLBACK (runner_job_finished_cb), store,
                               0);
    }
  return runner;
}

/* Starts the queued jobs that are due (after a resume or a retry). */
void
outreach_job_runner_start_due (OutreachStore *store)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (OUTREACH_IS_STORE (store));

  if (outreach_runner_start_due (outreach_job_runner_for_store (store), &error) == 0 &&
      error != NULL)
    g_warning ("Could not start the queued jobs: %s", error->message);
}

OutreachRunner *
outreach_job_notifier_get_runner (OutreachJobNotifier *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_NOTIFIER (self), NULL);

  return outreach_job_runner_for_store (self->store);
}

/* "1,204 sent, 3 failed, 2 skipped" — the counts a person wants first. */
static char *
counts_text (const OutreachJobData *d)
{
  GString *s = g_string_new (NULL);
  g_autofree char *sent = outreach_job_format_count (d->sent);
  g_autofree char *failed = outreach_job_format_count (d->failed);

  g_string_append_printf (s, _("%s sent, %s failed"), sent, failed);
  if (d->uncertain > 0)
    {
      g_autofree char *n = outreach_job_format_count (d->uncertain);
      g_string_append_printf (s, _(", %s uncertain"), n);
    }
  if (d->skipped > 0)
    {
      g_autofree char *n = outreach_job_format_count (d->skipped);
      g_string_append_printf (s, _(", %s skipped"), n);
    }
  if (d->pending > 0)
    {
      g_autofree char *n = outreach_job_format_count (d->pending);
      g_string_append_printf (s, _(", %s not sent yet"), n);
    }
  return g_string_free (s, FALSE);
}

/**
 * outreach_job_notifier_notify_job:
 * @needs_attention: it was stopped with a reason (e.g. recovered after a crash)
 *
 * Sends the notification for job @job_id as it is now in the database.
 */
void
outreach_job_notifier_notify_job (OutreachJobNotifier *self,
                                  gint64               job_id,
                                  gboolean             needs_attention)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachJobQueryItem) item = NULL;
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = g_strdup_printf ("job-%" G_GINT64_FORMAT, job_id);
  const OutreachJobData *d;
  OutreachJobWindow *window;

  g_return_if_fail (OUTREACH_IS_JOB_NOTIFIER (self));

  if (self->application == NULL || !g_settings_get_boolean (self->settings, "notifications"))
    return;

  /* The person is looking at the job already. */
  window = outreach_job_window_lookup (job_id);
  if (window != NULL && gtk_window_is_active (GTK_WINDOW (window)))
    return;

  item = outreach_job_query_load (self->store, job_id, &error);
  if (item == NULL)
    return;
  d = outreach_job_query_item_get_data (item);
  counts = counts_text (d);

  if (needs_attention)
    {
      title = g_strdup_printf (_("“%s” needs attention"), d->name);
      body = g_strdup_printf ("%s\n%s", d->error != NULL ? d->error : _("The job was stopped."),
                              counts);
    }
  else if (d->status == OUTREACH_JOB_STATUS_COMPLETED && d->failed > 0)
    {
      title = g_strdup_printf (ngettext ("“%s” completed — %lld failed",
                                         "“%s” completed — %lld failed", (gulong) d->failed),
                               d->name, (long long) d->failed);
      body = g_steal_pointer (&counts);
    }
  else if (d->status == OUTREACH_JOB_STATUS_COMPLETED)
    {
      title = g_strdup_printf (_("“%s” completed"), d->name);
      body = g_steal_pointer (&counts);
    }
  else if (d->status == OUTREACH_JOB_STATUS_FAILED)
    {
      title = g_strdup_printf (_("“%s” failed"), d->name);
      body = g_strdup_printf ("%s\n%s", d->error != NULL ? d->error : _("The job could not go on."),
                              counts);
    }
  else
    return; /* cancelled by someone: nothing to tell them */

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-job", "x", job_id);
  if (d->failed > 0)
    g_notification_add_button_with_target (notification, _("Retry Failed"), "app.retry-failed",
                                           "x", job_id);
  g_notification_set_priority (notification, d->status == OUTREACH_JOB_STATUS_FAILED ||
                                               needs_attention
                                               ? G_NOTIFICATION_PRIORITY_HIGH
                                               : G_NOTIFICATION_PRIORITY_NORMAL);
  g_application_send_notification (self->application, id, notification);
}

static void
job_finished_cb (OutreachJobQueryWatch *watch,
                 gint64                 job_id,
                 int                    status,
                 OutreachJobNotifier   *self)
{
  outreach_job_notifier_notify_job (self, job_id, FALSE);
}

static void
job_needs_attention_cb (OutreachJobQueryWatch *watch,
                        gint64                 job_id,
                        OutreachJobNotifier   *self)
{
  outreach_job_notifier_notify_job (self, job_id, TRUE);
}

static gboolean scheduled_cb (gpointer user_data);

/* A job launched (by the wizard, the CLI) or a scheduled one due: start it.
 * A one-shot timer waits for the next scheduled start; nothing ticks
 * while nothing is queued. */
static void
start_queued (OutreachJobNotifier *self)
{
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 next = 0;

  g_clear_handle_id (&self->scheduled_id, g_source_remove);
  outreach_job_runner_start_due (self->store);

  stmt = outreach_store_prepare (self->store,
                                 "SELECT min (scheduled_at) FROM jobs"
                                 " WHERE status = 'queued' AND scheduled_at > ?", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (next > now)
    self->scheduled_id = g_timeout_add_seconds ((guint) MIN (next - now, 86400), scheduled_cb, self);
}

static gboolean
scheduled_cb (gpointer user_data)
{
  OutreachJobNotifier *self = user_data;

  self->scheduled_id = 0;
  start_queued (self);
  return G_SOURCE_REMOVE;
}

static void
watch_changed_cb (OutreachJobQueryWatch *watch,
                  OutreachJobNotifier   *self)
{
  if (outreach_job_query_watch_get_n_active (watch) > 0)
    start_queued (self);
}

OutreachJobNotifier *
outreach_job_notifier_new (GApplication  *application,
                           OutreachStore *store)
{
  OutreachJobNotifier *self;
  OutreachJobQueryWatch *watch;
  sqlite3_int64 changes;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_JOB_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->store = g_object_ref (store);
  watch = outreach_job_query_watch_get_for_store (store);
  g_signal_connect_object (watch, "job-finished", G_CALLBACK (job_finished_cb), self, 0);
  g_signal_connect_object (watch, "job-needs-attention", G_CALLBACK (job_needs_attention_cb), self,
                           0);
  g_signal_connect_object (watch, "changed", G_CALLBACK (watch_changed_cb), self, 0);
  /* Starting the runner recovers jobs a dead process left running (through
   * our own connection, which data_version does not count): look again if
   * it changed anything — else the Jobs page would read everything twice
   * on the way to its first frame. */
  changes = sqlite3_total_changes64 (outreach_store_get_db (store));
  start_queued (self);
  if (sqlite3_total_changes64 (outreach_store_get_db (store)) != changes)
    outreach_job_query_watch_poke (watch);
  return self;
}

static void
outreach_job_notifier_finalize (GObject *object)
{
  OutreachJobNotifier *self = OUTREACH_JOB_NOTIFIER (object);

  g_clear_handle_id (&self->scheduled_id, g_source_remove);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (outreach_job_notifier_parent_class)->finalize (object);
}

static void
outreach_job_notifier_class_init (OutreachJobNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_notifier_finalize;
}

static void
outreach_job_notifier_init (OutreachJobNotifier *self)
{
  self->settings = g_settings_new (APPLICATION_ID);
}
