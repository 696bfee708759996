/* outreach-stat-card.c — one number with its name, e.g. "Sent 1,204"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-stat-card"

#include "config.h"

#include "outreach-stat-card.h"

#include "outreach-job-format.h"

struct _OutreachStatCard
{
  GtkWidget parent_instance;

  char *title;
  gint64 value;

  GtkWidget *box;
  GtkLabel *title_label;
  GtkLabel *value_label;
};

G_DEFINE_FINAL_TYPE (OutreachStatCard, outreach_stat_card, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_TITLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
update_accessible (OutreachStatCard *self)
{
  g_autofree char *count = outreach_job_format_count (self->value);
  g_autofree char *label = g_strdup_printf ("%s: %s", self->title ? self->title : "", count);

  gtk_label_set_label (self->value_label, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

void
outreach_stat_card_set_value (OutreachStatCard *self,
                              gint64            value)
{
  g_return_if_fail (OUTREACH_IS_STAT_CARD (self));

  if (self->value == value && *gtk_label_get_label (self->value_label) != '\0')
    return;
  self->value = value;
  update_accessible (self);
}

gint64
outreach_stat_card_get_value (OutreachStatCard *self)
{
  g_return_val_if_fail (OUTREACH_IS_STAT_CARD (self), 0);

  return self->value;
}

const char *
outreach_stat_card_get_title (OutreachStatCard *self)
{
  g_return_val_if_fail (OUTREACH_IS_STAT_CARD (self), NULL);

  return self->title;
}

static void
outreach_stat_card_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  OutreachStatCard *self = OUTREACH_STAT_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      gtk_label_set_label (self->title_label, self->title);
      update_accessible (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
outreach_stat_card_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, OUTREACH_STAT_CARD (object)->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
outreach_stat_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_STAT_CARD);

  G_OBJECT_CLASS (outreach_stat_card_parent_class)->dispose (object);
}

static void
outreach_stat_card_finalize (GObject *object)
{
  g_free (OUTREACH_STAT_CARD (object)->title);

  G_OBJECT_CLASS (outreach_stat_card_parent_class)->finalize (object);
}

static void
outreach_stat_card_class_init (OutreachStatCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = outreach_stat_card_set_property;
  object_class->get_property = outreach_stat_card_get_property;
  object_class->dispose = outreach_stat_card_dispose;
  object_class->finalize = outreach_stat_card_finalize;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-stat-card.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachStatCard, box);
  gtk_widget_class_bind_template_child (widget_class, OutreachStatCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachStatCard, value_label);
}

static void
outreach_stat_card_init (OutreachStatCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
