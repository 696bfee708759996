/* test-notifications.c — a finished job reaches a notification daemon on the private bus
 *
 * A real python3-dbusmock notification daemon runs on the test's session
 * bus; the real application sends through GLib's freedesktop backend, and
 * the daemon's log line is what is checked: title, body and actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "outreach-application.h"
#include "outreach-job-status.h"
#include "outreach-job-window.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"

typedef struct
{
  char *dir;
  char *path;
  char *log_path;
  GSubprocess *daemon;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (OutreachStore) store = NULL;

  f->dir = outreach_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "outreach.db", NULL);
  f->log_path = g_build_filename (f->dir, "notifications.log", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, f->log_path);
  f->daemon = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", "-m", "dbusmock",
                                           "--template", "notification_daemon", NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 200 && !outreach_test_name_has_owner ("org.freedesktop.Notifications"); i++)
    g_usleep (50 * 1000);
  g_assert_true (outreach_test_name_has_owner ("org.freedesktop.Notifications"));

  store = outreach_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (outreach_store_exec (store,
    "INSERT INTO jobs (id, uuid, name, status, created_at, updated_at, started_at) VALUES"
    " (1, '00000000-0000-0000-0000-000000000001', 'Spring appeal', 'paused', 1, 1, 1),"
    " (2, '00000000-0000-0000-0000-000000000002', 'Autumn appeal', 'paused', 1, 1, 1),"
    " (3, '00000000-0000-0000-0000-000000000003', 'Gala', 'paused', 1, 1, 1);"
    "INSERT INTO job_recipients (job_id, address, state, updated_at) VALUES"
    " (1, 'ada@example.org', 'sent', 1), (1, 'alan@example.org', 'failed', 1),"
    " (2, 'grace@example.org', 'sent', 1), (3, 'edsger@example.org', 'sent', 1);",
    &error));
  g_assert_no_error (error);
  g_setenv ("OUTREACH_DB", f->path, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_subprocess_force_exit (f->daemon);
  g_subprocess_wait (f->daemon, NULL, NULL);
  g_clear_object (&f->daemon);
  g_unsetenv ("OUTREACH_DB");
  outreach_test_remove_tree (f->dir);
  g_free (f->log_path);
  g_free (f->path);
  g_free (f->dir);
}

static char *
read_log (Fixture *f)
{
  char *contents = NULL;

  if (!g_file_get_contents (f->log_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* Waits (at most @seconds) for a log line containing @needle; returns it. */
static char *
wait_for_line (Fixture    *f,
               const char *needle,
               int         seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  do
    {
      g_autofree char *log = read_log (f);
      g_auto (GStrv) lines = g_strsplit (log, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (strstr (lines[i], needle) != NULL)
          return g_strdup (lines[i]);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  return NULL;
}

/* Another process (the CLI, a runner) ends job @id. */
static void
finish_elsewhere (Fixture *f,
                  gint64   id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) other = outreach_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (outreach_job_status_apply (other, id, OUTREACH_JOB_STATUS_COMPLETED, NULL, &error));
  g_assert_no_error (error);
}

static void
test_job_finished (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (OutreachApplication) app = outreach_application_new ();
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *none = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *second = NULL;
  g_autofree char *attention = NULL;

  /* A job left running by a process that died: recovered when the app
   * starts, and the person is told it needs attention. */
  {
    g_autoptr (OutreachStore) other = outreach_store_open (f->path, &error);
    g_assert_no_error (error);
    g_assert_true (outreach_store_exec (other,
      "INSERT INTO jobs (id, uuid, name, status, created_at, updated_at, started_at,"
      " lease_owner, lease_expires) VALUES (9, '00000000-0000-0000-0000-000000000009',"
      " 'Crashed appeal', 'running', 1, 1, 1, 'nowhere:999999', 1);"
      "INSERT INTO job_recipients (job_id, address, state, updated_at) VALUES"
      " (9, 'claimed@example.org', 'claimed', 1), (9, 'later@example.org', 'pending', 1);",
      &error));
    g_assert_no_error (error);
  }

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  attention = wait_for_line (f, "“Crashed appeal” needs attention", OUTREACH_TEST_WAIT_SECONDS);
  g_assert_nonnull (attention);
  g_assert_nonnull (strstr (attention, "uncertain"));

  /* Completed with a failure: title, counts, "Retry Failed", opening the job. */
  finish_elsewhere (f, 1);
  line = wait_for_line (f, "“Spring appeal”", OUTREACH_TEST_WAIT_SECONDS);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
  g_assert_nonnull (strstr (line, "“Spring appeal” completed — 1 failed"));
  g_assert_nonnull (strstr (line, "1 sent, 1 failed"));
  g_assert_nonnull (strstr (line, "app.retry-failed"));
  g_assert_nonnull (strstr (line, "Retry Failed"));
  g_assert_nonnull (strstr (line, "desktop-entry"));
  g_assert_nonnull (strstr (line, APPLICATION_ID));

  /* Showing the job's window withdraws it (once the daemon said which id it got). */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
    while (g_get_monotonic_time () < until)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10 * 1000);
      }
  }
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-job", g_variant_new_int64 (1));
  g_assert_nonnull (outreach_job_window_lookup (1));
  closed = wait_for_line (f, "CloseNotification", OUTREACH_TEST_WAIT_SECONDS);
  g_assert_nonnull (closed);
  gtk_window_destroy (GTK_WINDOW (outreach_job_window_lookup (1)));

  /* The preference turns them off. */
  g_settings_set_boolean (settings, "notifications", FALSE);
  finish_elsewhere (f, 2);
  none = wait_for_line (f, "Autumn appeal", 2);
  if (none != NULL)
    g_test_message ("unexpected: %s", none);
  g_assert_null (none);

  /* And back on: a job without failures, no retry button. */
  g_settings_set_boolean (settings, "notifications", TRUE);
  finish_elsewhere (f, 3);
  second = wait_for_line (f, "“Gala” completed", OUTREACH_TEST_WAIT_SECONDS);
  g_assert_nonnull (second);
  g_assert_null (strstr (second, "app.retry-failed"));
  g_assert_nonnull (strstr (second, "1 sent, 0 failed"));

  g_application_release (G_APPLICATION (app));
  g_application_quit (G_APPLICATION (app));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/outreach/notifications/job-finished", Fixture, NULL, fixture_set_up,
              test_job_finished, fixture_tear_down);

  return g_test_run ();
}
