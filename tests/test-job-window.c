/* test-job-window.c — one job's window as a user sees it, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "outreach-job-notifier.h"
#include "outreach-job-window-private.h"
#include "outreach-job.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"

#define N_DONORS 40

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
  SoupServer *server;
  char *url;
  guint requests;
} Fixture;

/* A webhook provider on loopback: 200 for everyone but bounce@…, who gets a 400. */
static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  Fixture *f = data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  gboolean bounce = g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  "bounce@example.org") != NULL;

  f->requests++;
  soup_server_message_set_status (msg, bounce ? 400 : 200, NULL);
  if (bounce)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      "{\"error\":\"mailbox unknown\"}", 27);
  else
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      "{\"status\":\"queued\"}", 19);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  GSList *uris;

  f->store = outreach_test_new_store (&f->dir, &f->path);

  f->server = soup_server_new ("server-header", "test", NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  account = g_strdup_printf ("INSERT INTO accounts (name, kind, settings, concurrency, created_at,"
                             " updated_at) VALUES ('Hook', 'webhook',"
                             " '{\"url\":\"%shook\",\"from\":\"office@example.org\"}', 2, 1, 1)",
                             f->url);
  outreach_test_exec (f->store, account);
  outreach_test_exec (f->store, "UPDATE settings SET value = 'https://example.org/u?d={{donor_id}}'"
           " WHERE key = 'unsubscribe_url'");
  outreach_test_exec (f->store, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 39)"
           " INSERT INTO donors (first_name, email, created_at, updated_at)"
           " SELECT printf ('Donor %d', i), printf ('donor%02d@example.org', i), 1, 1 FROM n;"
           "INSERT INTO donors (first_name, email, created_at, updated_at)"
           " VALUES ('Bounce', 'bounce@example.org', 1, 1);");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  outreach_test_destroy_toplevels ();
  g_clear_object (&f->server);
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->url);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
create_job (Fixture *f,
            double   rate)
{
  g_autoptr (GError) error = NULL;
  OutreachJobSpec spec = { 0 };
  gint64 id;

  spec.name = "Spring appeal";
  spec.account_id = 2; /* Hook; 1 is Folder */
  spec.select = OUTREACH_JOB_SELECT_ALL;
  spec.subject = "Thank you, {{first_name}}";
  spec.text = "Dear {{first_name}},\nthank you.";
  spec.html = "<p>Dear {{first_name}}</p>";
  spec.rate = rate;
  id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static OutreachJobWindow *
open_window (Fixture *f,
             gint64   id)
{
  OutreachJobWindow *window = outreach_job_window_present_job (NULL, f->store, id);

  g_assert_nonnull (window);
  outreach_test_wait_until_mapped (GTK_WIDGET (window));
  return window;
}

/* The timeline as "Created|Started|…" (the names of its rows). */
static char *
timeline (OutreachJobWindow *window)
{
  GString *s = g_string_new (NULL);

  for (int row = 0;; row++)
    {
      GtkWidget *name = gtk_grid_get_child_at (window->timeline_grid, 0, row);
      if (name == NULL)
        break;
      g_string_append_printf (s, "%s%s", row ? "|" : "", gtk_label_get_label (GTK_LABEL (name)));
    }
  return g_string_free (s, FALSE);
}

static void
test_follows_running_job (Fixture       *f,
                          gconstpointer  data)
{
  gint64 id = create_job (f, 20); /* 20 a second: about 2 s for 40 */
  OutreachJobWindow *window = open_window (f, id);
  g_autofree char *steps = NULL;
  gboolean saw_partial = FALSE;
  gint64 deadline;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Spring appeal");
  g_assert_cmpstr (outreach_job_status_badge_get_text (window->status_badge), ==, "Queued");
  g_assert_cmpint (outreach_stat_card_get_value (window->total_card), ==, N_DONORS);
  g_assert_cmpint (outreach_stat_card_get_value (window->pending_card), ==, N_DONORS);
  g_assert_cmpstr (gtk_label_get_label (window->progress_label), ==, "0 of 40");
  g_assert_cmpstr (gtk_label_get_label (window->subject_label), ==, "Thank you, {{first_name}}");
  g_assert_cmpstr (gtk_label_get_label (window->account_label), ==, "Account: Hook");

  /* The app's runner takes it; the window follows on its own. */
  outreach_job_runner_start_due (f->store);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_strcmp0 (outreach_job_status_badge_get_text (window->status_badge),
                    "Completed — 1 failed") != 0 &&
         g_get_monotonic_time () < deadline)
    {
      gint64 sent = outreach_stat_card_get_value (window->sent_card);
      g_main_context_iteration (NULL, TRUE);
      if (sent > 0 && sent < N_DONORS - 1)
        saw_partial = TRUE;
    }
  g_assert_cmpstr (outreach_job_status_badge_get_text (window->status_badge), ==,
                   "Completed — 1 failed");
  g_assert_true (saw_partial); /* it showed progress, not just the end */
  g_assert_cmpint (outreach_stat_card_get_value (window->sent_card), ==, N_DONORS - 1);
  g_assert_cmpint (outreach_stat_card_get_value (window->failed_card), ==, 1);
  g_assert_cmpint (outreach_stat_card_get_value (window->pending_card), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (window->progress_label), ==, "40 of 40");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (window->progress_bar), ==, 1.0);
  g_assert_cmpuint (f->requests, ==, N_DONORS);

  steps = timeline (window);
  g_assert_true (g_str_has_prefix (steps, "Created|Started|"));
  g_assert_true (g_str_has_suffix (steps, "|Finished|Duration"));

  /* Retry Failed is offered now; Pause is not. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->pause_button)) == FALSE);

  /* The chart is read in a thread: it arrives with the messages counted. */
  OUTREACH_TEST_WAIT_UNTIL (outreach_job_chart_get_peak (window->chart) > 0);
  g_assert_cmpuint (outreach_job_chart_get_peak (window->chart), >, 0);

  /* Recipients: filter the failed one; its error is shown. */
  outreach_job_recipients_view_set_state (window->recipients_view, "failed");
  outreach_test_iterate ();
  {
    GListModel *model = G_LIST_MODEL (outreach_job_recipients_view_get_model (window->recipients_view));
    g_autoptr (OutreachJobQueryRecipient) r = g_list_model_get_item (model, 0);
    const OutreachJobRecipientData *d;

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
    d = outreach_job_query_recipient_get_data (r);
    g_assert_cmpstr (d->address, ==, "bounce@example.org");
    g_assert_nonnull (d->last_error);
    g_assert_cmpint (d->attempts, >=, 1);
  }
  outreach_job_recipients_view_set_state (window->recipients_view, NULL);
  outreach_job_recipients_view_set_search (window->recipients_view, "donor07");
  outreach_test_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                      outreach_job_recipients_view_get_model (window->recipients_view))), ==, 1);

  /* Log: newest first; the error filter keeps fewer entries. */
  {
    GListModel *log = G_LIST_MODEL (outreach_job_log_view_get_model (window->log_view));
    guint all = g_list_model_get_n_items (log);

    g_assert_cmpuint (all, >, 0);
    outreach_job_log_view_set_min_level (window->log_view, "error");
    outreach_test_iterate ();
    g_assert_cmpuint (g_list_model_get_n_items (log), <, all);
  }
}

static void
test_one_window_per_job (Fixture       *f,
                         gconstpointer  data)
{
  gint64 id = create_job (f, 0);
  OutreachJobWindow *first = open_window (f, id);
  OutreachJobWindow *again = outreach_job_window_present_job (NULL, f->store, id);

  g_assert_true (first == again);
  g_assert_true (outreach_job_window_lookup (id) == first);
  g_assert_null (outreach_job_window_present_job (NULL, f->store, 9999));
}

/* Updates are coalesced (≤ 5 a second): wait for the badge to say @text. */
static void
wait_for_badge (OutreachJobWindow *window,
                const char        *text)
{
  OUTREACH_TEST_WAIT_UNTIL (g_strcmp0 (outreach_job_status_badge_get_text (window->status_badge), text) == 0);
  g_assert_cmpstr (outreach_job_status_badge_get_text (window->status_badge), ==, text);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = create_job (f, 1); /* slow: it cannot finish while the test pauses it */
  OutreachJobWindow *window;
  AdwMessageDialog *dialog;
  g_autofree char *paused = NULL, *cancelled = NULL;

  g_assert_true (outreach_job_status_apply (f->store, id, OUTREACH_JOB_STATUS_PAUSED, NULL, NULL));
  window = open_window (f, id);

  /* Space (job.toggle-pause) resumes a paused job, then pauses it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "job.toggle-pause", NULL));
  outreach_test_iterate ();
  paused = outreach_test_job_status (f->path, id);
  g_assert_true (g_str_equal (paused, "queued") || g_str_equal (paused, "running"));
  gtk_widget_activate_action (GTK_WIDGET (window), "job.toggle-pause", NULL);
  outreach_test_iterate ();
  g_free (paused);
  paused = outreach_test_job_status (f->path, id);
  g_assert_cmpstr (paused, ==, "paused");
  wait_for_badge (window, "Paused");

  /* Cancel asks first, with the count of recipients it leaves out. */
  gtk_widget_activate_action (GTK_WIDGET (window), "job.cancel", NULL);
  outreach_test_iterate ();
  dialog = ADW_MESSAGE_DIALOG (outreach_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cancel 1 Job?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "recipients not sent to yet"));
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog)); /* what the button does after responding */
  cancelled = outreach_test_job_status (f->path, id);
  g_assert_cmpstr (cancelled, ==, "cancelled");
  wait_for_badge (window, "Cancelled");

  /* Delete asks too; the window goes with the job. */
  gtk_widget_activate_action (GTK_WIDGET (window), "job.delete", NULL);
  outreach_test_iterate ();
  dialog = ADW_MESSAGE_DIALOG (outreach_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 1 Job?");
  adw_message_dialog_response (dialog, "confirm");
  OUTREACH_TEST_WAIT_UNTIL (outreach_job_window_lookup (id) == NULL);
  g_assert_null (outreach_job_window_lookup (id));
  {
    g_autofree char *gone = outreach_test_job_status (f->path, id);
    g_assert_null (gone);
  }
}

/* The narrowest the detail window gets (it was 599 px): the tab switcher
 * sets it now (415 px). */
#define NARROWEST_JOB_WINDOW 420

/* A finished job's window fits half a small screen: the stat cards go to
 * two rows of three, the chart below the timeline, the lists scroll sideways. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = create_job (f, 0);
  OutreachJobWindow *window;
  graphene_rect_t total, uncertain;
  int min_width, nat_width;

  outreach_test_load_app_style ();
  outreach_job_runner_start_due (f->store);
  window = open_window (f, id);
  wait_for_badge (window, "Completed — 1 failed");
  outreach_test_iterate ();
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  g_test_message ("job window: minimum width %d px, natural %d px", min_width, nat_width);
  g_assert_cmpint (min_width, <=, NARROWEST_JOB_WINDOW);

  /* wide: the six cards in one row */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->total_card), GTK_WIDGET (window), &total));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->uncertain_card), GTK_WIDGET (window), &uncertain));
  g_assert_cmpfloat (total.origin.y, ==, uncertain.origin.y);

  gtk_window_set_default_size (GTK_WINDOW (window), NARROWEST_JOB_WINDOW, 700);
  OUTREACH_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) <= NARROWEST_JOB_WINDOW);
  outreach_test_iterate ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, NARROWEST_JOB_WINDOW);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->total_card), GTK_WIDGET (window), &total));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->uncertain_card), GTK_WIDGET (window), &uncertain));
  g_assert_cmpfloat (uncertain.origin.y, >=, total.origin.y + total.size.height);
  g_assert_cmpfloat (uncertain.origin.x + uncertain.size.width, <=, NARROWEST_JOB_WINDOW);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/outreach/job-window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("follows-running-job", test_follows_running_job);
  ADD ("one-window-per-job", test_one_window_per_job);
  ADD ("actions", test_actions);
  ADD ("narrow", test_narrow);
#undef ADD

  return g_test_run ();
}
