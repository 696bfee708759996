/* outreach-window.c — the main window: the Jobs, Donors and Templates pages
 *
 * The Jobs page is built with the window; the Donors and Templates pages
 * when they are first shown, which keeps them (a template editor, a donor
 * list) out of the time to the first frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-window"

#include "config.h"

#include "outreach-window.h"

#include <glib/gi18n.h>

#include "outreach-donors-page.h"
#include "outreach-jobs-page.h"
#include "outreach-templates-page.h"

struct _OutreachWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  OutreachStore *store;

  GtkStack *content_stack;
  AdwViewStack *view_stack;
  AdwStatusPage *store_error_page;
  OutreachJobsPage *jobs_page;
  AdwBin *donors_slot;
  AdwBin *templates_slot;
  OutreachDonorsPage *donors_page;        /* NULL until first shown */
  OutreachTemplatesPage *templates_page;  /* NULL until first shown */
};

G_DEFINE_FINAL_TYPE (OutreachWindow, outreach_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * outreach_window_new:
 * @store: (nullable): the database, or %NULL when it could not be opened
 * @store_error: (nullable): why it could not, shown instead of the pages
 */
OutreachWindow *
outreach_window_new (GtkApplication *application,
                     OutreachStore  *store,
                     const GError   *store_error)
{
  OutreachWindow *self = g_object_new (OUTREACH_TYPE_WINDOW, "application", application, NULL);

  g_return_val_if_fail (store != NULL || store_error != NULL, self);

  if (store != NULL)
    {
      self->store = g_object_ref (store);
      outreach_jobs_page_set_store (self->jobs_page, store);
      gtk_stack_set_visible_child_name (self->content_stack, "pages");
    }
  else
    {
      adw_status_page_set_description (self->store_error_page, store_error->message);
      gtk_stack_set_visible_child_name (self->content_stack, "store-error");
    }

  return self;
}

/* The name of the page shown: "jobs" or "donors". */
const char *
outreach_window_get_visible_page (OutreachWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

static void
visible_page_changed_cb (OutreachWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->store == NULL)
    return;
  if (g_strcmp0 (name, "donors") == 0 && self->donors_page == NULL)
    {
      self->donors_page = g_object_new (OUTREACH_TYPE_DONORS_PAGE, NULL);
      outreach_donors_page_set_store (self->donors_page, self->store);
      adw_bin_set_child (self->donors_slot, GTK_WIDGET (self->donors_page));
    }
  else if (g_strcmp0 (name, "templates") == 0 && self->templates_page == NULL)
    {
      self->templates_page = g_object_new (OUTREACH_TYPE_TEMPLATES_PAGE, NULL);
      outreach_templates_page_set_store (self->templates_page, self->store);
      adw_bin_set_child (self->templates_slot, GTK_WIDGET (self->templates_page));
    }
}

static void
save_window_state (OutreachWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
outreach_window_close_request (GtkWindow *window)
{
  save_window_state (OUTREACH_WINDOW (window));

  return GTK_WINDOW_CLASS (outreach_window_parent_class)->close_request (window);
}

static void
outreach_window_constructed (GObject *object)
{
  OutreachWindow *self = OUTREACH_WINDOW (object);
  int width, height;

  G_OBJECT_CLASS (outreach_window_parent_class)->constructed (object);

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
outreach_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_WINDOW);

  G_OBJECT_CLASS (outreach_window_parent_class)->dispose (object);
}

static void
outreach_window_finalize (GObject *object)
{
  OutreachWindow *self = OUTREACH_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_window_parent_class)->finalize (object);
}

static void
outreach_window_class_init (OutreachWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = outreach_window_constructed;
  object_class->dispose = outreach_window_dispose;
  object_class->finalize = outreach_window_finalize;
  window_class->close_request = outreach_window_close_request;

  g_type_ensure (OUTREACH_TYPE_JOBS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachWindow, store_error_page);
  gtk_widget_class_bind_template_child (widget_class, OutreachWindow, jobs_page);
  gtk_widget_class_bind_template_child (widget_class, OutreachWindow, donors_slot);
  gtk_widget_class_bind_template_child (widget_class, OutreachWindow, templates_slot);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_changed_cb);
}

static void
outreach_window_init (OutreachWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
}
