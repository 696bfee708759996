/* outreach-application.c — the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-application"

#include "config.h"

#include "outreach-application.h"

#include <glib/gi18n.h>

#include "outreach-new-job-window.h"
#include "outreach-job-control.h"
#include "outreach-job-notifier.h"
#include "outreach-job-query-watch.h"
#include "outreach-job-window.h"
#include "outreach-preferences-window.h"
#include "outreach-window.h"

struct _OutreachApplication
{
  AdwApplication parent_instance;

  OutreachStore *store;
  GError *store_error; /* why the database could not be opened, shown in the window */
  OutreachJobNotifier *notifier; /* job notifications and the in-app runner */
};

G_DEFINE_FINAL_TYPE (OutreachApplication, outreach_application, ADW_TYPE_APPLICATION)

OutreachApplication *
outreach_application_new (void)
{
  return g_object_new (OUTREACH_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * outreach_application_get_store:
 *
 * Returns: (transfer none) (nullable): the database, or %NULL when it
 *   could not be opened
 */
OutreachStore *
outreach_application_get_store (OutreachApplication *self)
{
  g_return_val_if_fail (OUTREACH_IS_APPLICATION (self), NULL);

  return self->store;
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Outreach developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Outreach"),
                        "developer-name", _("The Outreach developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "comments", _("Send personalised messages to your donors through "
                                      "your e-mail or SMS provider, and see who got what."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Outreach developers",
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* New Job (Ctrl+N): the wizard. With a draft job id (open-draft), the
 * wizard carries on with that draft at the step it was left at. */
static void
open_wizard (OutreachApplication *self,
             gint64               draft_id)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  OutreachNewJobWindow *wizard;

  if (self->store == NULL)
    return;
  wizard = outreach_new_job_window_new (parent, self->store, draft_id, &error);
  if (wizard == NULL)
    {
      g_autoptr (GNotification) notification = g_notification_new (_("Could not open the draft job"));

      g_notification_set_body (notification, error->message);
      g_application_send_notification (G_APPLICATION (self), NULL, notification);
      return;
    }
  gtk_window_present (GTK_WINDOW (wizard));
}

static void
new_job_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  open_wizard (OUTREACH_APPLICATION (user_data), 0);
}

static void
open_draft_activated_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  open_wizard (OUTREACH_APPLICATION (user_data), g_variant_get_int64 (parameter));
}

static void
preferences_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  OutreachApplication *self = OUTREACH_APPLICATION (user_data);

  if (self->store == NULL)
    return;
  gtk_window_present (GTK_WINDOW (outreach_preferences_window_new (
    gtk_application_get_active_window (GTK_APPLICATION (self)), self->store)));
}

/* From a notification (or anywhere): open job @parameter's window. */
static void
show_job_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  OutreachApplication *self = OUTREACH_APPLICATION (user_data);

  if (self->store == NULL)
    return;
  g_application_activate (G_APPLICATION (self));
  outreach_job_window_present_job (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   self->store, g_variant_get_int64 (parameter));
}

/* From a notification's "Retry Failed" button. */
static void
retry_failed_activated_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  OutreachApplication *self = OUTREACH_APPLICATION (user_data);
  g_autoptr (GError) error = NULL;
  gint64 job_id = g_variant_get_int64 (parameter);

  if (self->store == NULL)
    return;
  if (!outreach_job_retry (self->store, job_id, OUTREACH_JOB_RETRY_FAILED, &error))
    {
      g_autoptr (GNotification) notification = g_notification_new (_("Could not retry the job"));
      g_notification_set_body (notification, error->message);
      g_application_send_notification (G_APPLICATION (self), NULL, notification);
      return;
    }
  outreach_job_query_watch_poke (outreach_job_query_watch_get_for_store (self->store));
  outreach_job_runner_start_due (self->store);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb },
  { "about", about_activated_cb },
  { "preferences", preferences_activated_cb },
  { "show-job", show_job_activated_cb, "x" },
  { "retry-failed", retry_failed_activated_cb, "x" },
  { "new-job", new_job_activated_cb },
  { "open-draft", open_draft_activated_cb, "x" },
};

static void
outreach_application_startup (GApplication *application)
{
  OutreachApplication *self = OUTREACH_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  g_autofree char *path = NULL;

  G_APPLICATION_CLASS (outreach_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-job",
                                         (const char *[]) { "<Control>n", NULL });

  path = outreach_store_default_path ();
  self->store = outreach_store_open (path, &self->store_error);
  if (self->store == NULL)
    g_warning ("%s", self->store_error->message);

  /* Notifications for jobs that end, and the runner for the queued ones. */
  if (self->store != NULL)
    {
      self->notifier = outreach_job_notifier_new (application, self->store);
    }
}

static void
outreach_application_activate (GApplication *application)
{
  OutreachApplication *self = OUTREACH_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (outreach_window_new (GTK_APPLICATION (self), self->store, self->store_error));

  gtk_window_present (window);
}

static void
outreach_application_finalize (GObject *object)
{
  OutreachApplication *self = OUTREACH_APPLICATION (object);

  g_clear_object (&self->notifier);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (outreach_application_parent_class)->finalize (object);
}

static void
outreach_application_class_init (OutreachApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = outreach_application_finalize;
  app_class->startup = outreach_application_startup;
  app_class->activate = outreach_application_activate;
}

static void
outreach_application_init (OutreachApplication *self)
{
}
