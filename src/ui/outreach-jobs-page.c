/* outreach-jobs-page.c — the Jobs page: every job, running and finished
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-jobs-page"

#include "config.h"

#include "outreach-jobs-page.h"

#include <glib/gi18n.h>

struct _OutreachJobsPage
{
  GtkWidget parent_instance;

  OutreachStore *store;

  GtkStack *stack;
  AdwStatusPage *jobs_status;
};

G_DEFINE_FINAL_TYPE (OutreachJobsPage, outreach_jobs_page, GTK_TYPE_WIDGET)

void
outreach_jobs_page_set_store (OutreachJobsPage *self,
                              OutreachStore    *store)
{
  g_return_if_fail (OUTREACH_IS_JOBS_PAGE (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  g_set_object (&self->store, store);
  outreach_jobs_page_reload (self);
}

/* Shows the empty state when the store holds no job. */
void
outreach_jobs_page_reload (OutreachJobsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 count = 0;

  g_return_if_fail (OUTREACH_IS_JOBS_PAGE (self));

  if (!outreach_store_count_rows (self->store, "jobs", &count, &error))
    g_warning ("Could not count the jobs: %s", error->message);

  if (count == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  title = g_strdup_printf (ngettext ("%lld Job", "%lld Jobs", (unsigned long) count),
                           (long long) count);
  adw_status_page_set_title (self->jobs_status, title);
  gtk_stack_set_visible_child_name (self->stack, "jobs");
}

static void
outreach_jobs_page_dispose (GObject *object)
{
  OutreachJobsPage *self = OUTREACH_JOBS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_JOBS_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_jobs_page_parent_class)->dispose (object);
}

static void
outreach_jobs_page_class_init (OutreachJobsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_jobs_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-jobs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachJobsPage, jobs_status);
}

static void
outreach_jobs_page_init (OutreachJobsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
