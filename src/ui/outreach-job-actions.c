/* outreach-job-actions.c — what a person can do to jobs from the UI, with confirmation
 *
 * The Jobs page (on its selection) and the job window (on its job) share
 * this: the confirmation with counts for what cannot be undone, the calls
 * to the core's job control (the same the CLI makes), a toast with the
 * outcome (with Undo for a pause or resume), and a poke to the watch so
 * every view reads the change at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-actions"

#include "config.h"

#include "outreach-job-actions.h"

#include <glib/gi18n.h>

#include "outreach-job-control.h"
#include "outreach-job-notifier.h"
#include "outreach-job-query-watch.h"
#include "outreach-job-query.h"
#include "outreach-job-window.h"

static const char *const action_names[] = {
  [OUTREACH_JOB_ACTION_PAUSE] = "pause",
  [OUTREACH_JOB_ACTION_RESUME] = "resume",
  [OUTREACH_JOB_ACTION_CANCEL] = "cancel",
  [OUTREACH_JOB_ACTION_RETRY_FAILED] = "retry-failed",
  [OUTREACH_JOB_ACTION_RETRY_UNCERTAIN] = "retry-uncertain",
  [OUTREACH_JOB_ACTION_RETRY_ALL] = "retry-all",
  [OUTREACH_JOB_ACTION_DUPLICATE] = "duplicate",
  [OUTREACH_JOB_ACTION_MARK_COMPLETE] = "mark-complete",
  [OUTREACH_JOB_ACTION_DELETE] = "delete",
};

gboolean
outreach_job_action_from_name (const char        *name,
                               OutreachJobAction *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (name, action_names[i]) == 0)
      {
        *action = i;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  GtkWidget *widget; /* weak */
  OutreachStore *store;
  OutreachJobAction action;
  GArray *ids;
} Request;

static void
request_free (Request *request)
{
  g_clear_weak_pointer (&request->widget);
  g_clear_object (&request->store);
  g_array_unref (request->ids);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Shows @toast in the nearest toast overlay above @widget (or in its window's). */
void
outreach_job_actions_toast (GtkWidget *widget,
                            AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static gboolean
apply_one (OutreachStore      *store,
           OutreachJobAction   action,
           gint64              id,
           gint64             *new_id,
           GError            **error)
{
  switch (action)
    {
    case OUTREACH_JOB_ACTION_PAUSE: return outreach_job_pause (store, id, error);
    case OUTREACH_JOB_ACTION_RESUME: return outreach_job_resume (store, id, error);
    case OUTREACH_JOB_ACTION_CANCEL: return outreach_job_cancel (store, id, error);
    case OUTREACH_JOB_ACTION_RETRY_FAILED:
      return outreach_job_retry (store, id, OUTREACH_JOB_RETRY_FAILED, error);
    case OUTREACH_JOB_ACTION_RETRY_UNCERTAIN:
      return outreach_job_retry (store, id, OUTREACH_JOB_RETRY_UNCERTAIN, error);
    case OUTREACH_JOB_ACTION_RETRY_ALL:
      return outreach_job_retry (store, id, OUTREACH_JOB_RETRY_ALL, error);
    case OUTREACH_JOB_ACTION_MARK_COMPLETE: return outreach_job_mark_complete (store, id, error);
    case OUTREACH_JOB_ACTION_DELETE: return outreach_job_delete (store, id, error);
    case OUTREACH_JOB_ACTION_DUPLICATE:
      *new_id = outreach_job_duplicate (store, id, error);
      return *new_id > 0;
    default:
      g_return_val_if_reached (FALSE);
    }
}

static void undo_clicked_cb (AdwToast *toast,
                             Request  *undo);

static void
open_duplicate_cb (AdwToast *toast,
                   gpointer  user_data)
{
  Request *request = user_data;

  if (request->widget != NULL && request->ids->len > 0)
    outreach_job_window_present_job (GTK_WINDOW (gtk_widget_get_root (request->widget)),
                                     request->store, g_array_index (request->ids, gint64, 0));
}

static void
perform (Request *request)
{
  g_autoptr (GError) first_error = NULL;
  g_autofree char *title = NULL;
  g_autoptr (GArray) done = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint failures = 0;
  gint64 new_id = 0;
  AdwToast *toast;

  for (guint i = 0; i < request->ids->len; i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 id = g_array_index (request->ids, gint64, i);

      if (apply_one (request->store, request->action, id, &new_id, &error))
        g_array_append_val (done, id);
      else
        {
          failures++;
          g_debug ("Job %" G_GINT64_FORMAT ": %s", id, error->message);
          if (first_error == NULL)
            first_error = g_steal_pointer (&error);
        }
    }

  outreach_job_query_watch_poke (outreach_job_query_watch_get_for_store (request->store));
  /* A resumed or retried job is queued: this app runs it. */
  if (done->len > 0 && (request->action == OUTREACH_JOB_ACTION_RESUME ||
                        request->action == OUTREACH_JOB_ACTION_RETRY_FAILED ||
                        request->action == OUTREACH_JOB_ACTION_RETRY_UNCERTAIN ||
                        request->action == OUTREACH_JOB_ACTION_RETRY_ALL))
    outreach_job_runner_start_due (request->store);
  if (request->widget == NULL)
    return;

  if (failures > 0 && done->len == 0)
    title = g_strdup (first_error->message);
  else if (failures > 0)
    title = g_strdup_printf (ngettext ("Done for %u job; %u could not: %s",
                                       "Done for %u jobs; %u could not: %s", done->len),
                             done->len, failures, first_error->message);
  else
    switch (request->action)
      {
      case OUTREACH_JOB_ACTION_PAUSE:
        title = g_strdup_printf (ngettext ("%u job paused", "%u jobs paused", done->len), done->len);
        break;
      case OUTREACH_JOB_ACTION_RESUME:
        title = g_strdup_printf (ngettext ("%u job resumed", "%u jobs resumed", done->len),
                                 done->len);
        break;
      case OUTREACH_JOB_ACTION_CANCEL:
        title = g_strdup_printf (ngettext ("%u job cancelled", "%u jobs cancelled", done->len),
                                 done->len);
        break;
      case OUTREACH_JOB_ACTION_RETRY_FAILED:
      case OUTREACH_JOB_ACTION_RETRY_UNCERTAIN:
      case OUTREACH_JOB_ACTION_RETRY_ALL:
        title = g_strdup_printf (ngettext ("%u job queued to retry", "%u jobs queued to retry",
                                           done->len),
                                 done->len);
        break;
      case OUTREACH_JOB_ACTION_DUPLICATE:
        title = g_strdup (_("Duplicated as a new draft job"));
        break;
      case OUTREACH_JOB_ACTION_MARK_COMPLETE:
        title = g_strdup (_("Job marked complete"));
        break;
      case OUTREACH_JOB_ACTION_DELETE:
        title = g_strdup_printf (ngettext ("%u job deleted", "%u jobs deleted", done->len),
                                 done->len);
        break;
      default:
        g_assert_not_reached ();
      }

  toast = adw_toast_new (title);
  if (failures == 0 && (request->action == OUTREACH_JOB_ACTION_PAUSE ||
                        request->action == OUTREACH_JOB_ACTION_RESUME))
    {
      /* Undo a pause with a resume and the other way round. */
      Request *undo = g_new0 (Request, 1);

      g_set_weak_pointer (&undo->widget, request->widget);
      undo->store = g_object_ref (request->store);
      undo->action = request->action == OUTREACH_JOB_ACTION_PAUSE ? OUTREACH_JOB_ACTION_RESUME
                                                                  : OUTREACH_JOB_ACTION_PAUSE;
      undo->ids = g_array_ref (done);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo,
                             (GClosureNotify) (void (*) (void)) request_free, 0);
    }
  else if (failures == 0 && request->action == OUTREACH_JOB_ACTION_DUPLICATE)
    {
      Request *open = g_new0 (Request, 1);

      g_set_weak_pointer (&open->widget, request->widget);
      open->store = g_object_ref (request->store);
      open->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (open->ids, new_id);
      adw_toast_set_button_label (toast, _("_Open"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_duplicate_cb), open,
                             (GClosureNotify) (void (*) (void)) request_free, 0);
    }
  outreach_job_actions_toast (request->widget, toast);
}

static void
undo_clicked_cb (AdwToast *toast,
                 Request  *undo)
{
  Request copy = *undo;

  /* perform() reads the request; the toast frees the original later. */
  copy.ids = g_array_ref (undo->ids);
  copy.store = g_object_ref (undo->store);
  copy.widget = NULL;
  g_set_weak_pointer (&copy.widget, undo->widget);
  perform (&copy);
  g_clear_weak_pointer (&copy.widget);
  g_object_unref (copy.store);
  g_array_unref (copy.ids);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  g_autoptr (Request) request = user_data;

  if (g_strcmp0 (response, "confirm") == 0)
    perform (request);
}

/* Sums a counter over the jobs, for the confirmation's numbers. */
static void
sum_counts (Request *request,
            gint64  *pending,
            gint64  *total,
            gint64  *uncertain)
{
  *pending = *total = *uncertain = 0;
  for (guint i = 0; i < request->ids->len; i++)
    {
      g_autoptr (OutreachJobQueryItem) row =
        outreach_job_query_load (request->store, g_array_index (request->ids, gint64, i), NULL);
      if (row != NULL)
        {
          const OutreachJobData *d = outreach_job_query_item_get_data (row);
          *pending += d->pending;
          *total += d->total;
          *uncertain += d->uncertain;
        }
    }
}

/**
 * outreach_job_actions_run:
 * @widget: where the confirmation and the toast show
 * @ids: (array length=n_ids): the jobs
 *
 * Cancel, delete, mark complete and retry uncertain ask first, with the
 * number of jobs and recipients concerned; the rest happen at once.
 */
void
outreach_job_actions_run (GtkWidget         *widget,
                          OutreachStore     *store,
                          OutreachJobAction  action,
                          const gint64      *ids,
                          guint              n_ids)
{
  g_autoptr (Request) request = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *confirm_label = NULL;
  gint64 pending, total, uncertain;
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  if (n_ids == 0)
    return;

  request = g_new0 (Request, 1);
  g_set_weak_pointer (&request->widget, widget);
  request->store = g_object_ref (store);
  request->action = action;
  request->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (request->ids, ids, n_ids);

  sum_counts (request, &pending, &total, &uncertain);
  switch (action)
    {
    case OUTREACH_JOB_ACTION_CANCEL:
      heading = g_strdup_printf (ngettext ("Cancel %u Job?", "Cancel %u Jobs?", n_ids), n_ids);
      body = g_strdup_printf (ngettext ("%'lld recipient not sent to yet will not get the message.",
                                        "%'lld recipients not sent to yet will not get the message.",
                                        (gulong) pending),
                              (long long) pending);
      confirm_label = _("_Cancel Jobs");
      break;
    case OUTREACH_JOB_ACTION_DELETE:
      heading = g_strdup_printf (ngettext ("Delete %u Job?", "Delete %u Jobs?", n_ids), n_ids);
      body = g_strdup_printf (ngettext ("Its results and log for %'lld recipient are deleted "
                                        "too. This cannot be undone.",
                                        "Their results and logs for %'lld recipients are deleted "
                                        "too. This cannot be undone.",
                                        (gulong) total),
                              (long long) total);
      confirm_label = _("_Delete");
      break;
    case OUTREACH_JOB_ACTION_MARK_COMPLETE:
      heading = g_strdup (_("Mark Job Complete?"));
      body = g_strdup_printf (ngettext ("%'lld recipient not sent to yet will be cancelled.",
                                        "%'lld recipients not sent to yet will be cancelled.",
                                        (gulong) pending),
                              (long long) pending);
      confirm_label = _("_Mark Complete");
      break;
    case OUTREACH_JOB_ACTION_RETRY_UNCERTAIN:
      heading = g_strdup (_("Retry Uncertain Recipients?"));
      body = g_strdup_printf (ngettext ("%'lld recipient may already have the message and "
                                        "could get it twice.",
                                        "%'lld recipients may already have the message and "
                                        "could get it twice.",
                                        (gulong) uncertain),
                              (long long) uncertain);
      confirm_label = _("_Retry");
      break;
    default:
      perform (request);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "close", _("_Keep"), "confirm", confirm_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb),
                    g_steal_pointer (&request));
  gtk_window_present (GTK_WINDOW (dialog));
}
