/* outreach-donors-page.c — the Donors page: the people jobs are sent to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donors-page"

#include "config.h"

#include "outreach-donors-page.h"

#include <glib/gi18n.h>

struct _OutreachDonorsPage
{
  GtkWidget parent_instance;

  OutreachStore *store;

  GtkStack *stack;
  AdwStatusPage *donors_status;
};

G_DEFINE_FINAL_TYPE (OutreachDonorsPage, outreach_donors_page, GTK_TYPE_WIDGET)

void
outreach_donors_page_set_store (OutreachDonorsPage *self,
                              OutreachStore    *store)
{
  g_return_if_fail (OUTREACH_IS_DONORS_PAGE (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  g_set_object (&self->store, store);
  outreach_donors_page_reload (self);
}

/* Shows the empty state when the store holds no donor. */
void
outreach_donors_page_reload (OutreachDonorsPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 count = 0;

  g_return_if_fail (OUTREACH_IS_DONORS_PAGE (self));

  if (!outreach_store_count_rows (self->store, "donors", &count, &error))
    g_warning ("Could not count the donors: %s", error->message);

  if (count == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  title = g_strdup_printf (ngettext ("%lld Donor", "%lld Donors", (unsigned long) count),
                           (long long) count);
  adw_status_page_set_title (self->donors_status, title);
  gtk_stack_set_visible_child_name (self->stack, "donors");
}

static void
outreach_donors_page_dispose (GObject *object)
{
  OutreachDonorsPage *self = OUTREACH_DONORS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_DONORS_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_donors_page_parent_class)->dispose (object);
}

static void
outreach_donors_page_class_init (OutreachDonorsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_donors_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-donors-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorsPage, donors_status);
}

static void
outreach_donors_page_init (OutreachDonorsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
