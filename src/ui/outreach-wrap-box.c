/* outreach-wrap-box.c — children in one row, or one per row when they do not fit
 *
 * A toolbar for narrow windows (libadwaita 1.2 has no breakpoints): while
 * every child can have at least its minimum width, the children share one
 * row as in a horizontal GtkBox (natural widths first, what is left to the
 * ones that expand); below that, each child takes a row of its own, the
 * full width, placed by its halign. So a search entry keeps a usable width
 * instead of shrinking to its icon. (GtkFlowBox wraps too, but splits the
 * spare width evenly, so a search entry there never fills its row.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-wrap-box"

#include "config.h"

#include "outreach-wrap-box.h"

struct _OutreachWrapBox
{
  GtkWidget parent_instance;

  int spacing;      /* between children in a row */
  int row_spacing;  /* between rows */
  gboolean one_row; /* as last allocated */
};

enum
{
  PROP_0,
  PROP_SPACING,
  PROP_ROW_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void buildable_iface_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OutreachWrapBox, outreach_wrap_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, buildable_iface_init))

static GtkBuildableIface *parent_buildable_iface;

static void
add_child (GtkBuildable *buildable,
           GtkBuilder   *builder,
           GObject      *child,
           const char   *type)
{
  if (GTK_IS_WIDGET (child))
    outreach_wrap_box_append (OUTREACH_WRAP_BOX (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
buildable_iface_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = add_child;
}

/* The width the children need to share one row. */
static int
one_row_minimum (OutreachWrapBox *self)
{
  int total = 0, n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      total += min;
      n++;
    }
  return total + MAX (n - 1, 0) * self->spacing;
}

static GtkSizeRequestMode
outreach_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
outreach_wrap_box_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  OutreachWrapBox *self = OUTREACH_WRAP_BOX (widget);
  gboolean one_row = orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0 &&
                     for_size >= one_row_minimum (self);
  int min = 0, nat = 0, n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* narrowest: a child a row; natural: all in one */
          min = MAX (min, child_min);
          nat += child_nat + (n > 0 ? self->spacing : 0);
        }
      else if (one_row)
        {
          min = MAX (min, child_min);
          nat = MAX (nat, child_nat);
        }
      else
        {
          min += child_min + (n > 0 ? self->row_spacing : 0);
          nat += child_nat + (n > 0 ? self->row_spacing : 0);
        }
      n++;
    }

  *minimum = min;
  *natural = MAX (min, nat);
}

static void
allocate_one_row (OutreachWrapBox *self,
                  int              width,
                  int              height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr (GArray) sizes = g_array_new (FALSE, TRUE, sizeof (GtkRequestedSize));
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int extra = width, n_expand = 0, x = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkRequestedSize size = { child, 0, 0 };

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &size.minimum_size,
                          &size.natural_size, NULL, NULL);
      extra -= size.minimum_size + (sizes->len > 0 ? self->spacing : 0);
      n_expand += gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      g_array_append_val (sizes, size);
    }

  /* As a GtkBox does: natural widths first, the rest to those that expand. */
  extra = gtk_distribute_natural_allocation (MAX (extra, 0), sizes->len,
                                             (GtkRequestedSize *) (gpointer) sizes->data);
  for (guint i = 0; i < sizes->len; i++)
    {
      GtkRequestedSize *size = &g_array_index (sizes, GtkRequestedSize, i);
      int child_width = size->minimum_size;

      if (n_expand > 0 && gtk_widget_compute_expand (size->data, GTK_ORIENTATION_HORIZONTAL))
        {
          child_width += extra / n_expand;
          extra -= extra / n_expand;
          n_expand--;
        }
      gtk_widget_size_allocate (size->data,
                                &(GtkAllocation) { rtl ? width - x - child_width : x, 0,
                                                   child_width, height },
                                -1);
      x += child_width + self->spacing;
    }
}

static void
outreach_wrap_box_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  OutreachWrapBox *self = OUTREACH_WRAP_BOX (widget);
  int y = 0;

  self->one_row = width >= one_row_minimum (self);
  if (self->one_row)
    {
      allocate_one_row (self, width, height);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_height;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &child_height, NULL, NULL, NULL);
      gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
      y += child_height + self->row_spacing;
    }
}

static void
outreach_wrap_box_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OutreachWrapBox *self = OUTREACH_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_ROW_SPACING:
      g_value_set_int (value, self->row_spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
outreach_wrap_box_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  OutreachWrapBox *self = OUTREACH_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      break;
    case PROP_ROW_SPACING:
      self->row_spacing = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
outreach_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (outreach_wrap_box_parent_class)->dispose (object);
}

static void
outreach_wrap_box_class_init (OutreachWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = outreach_wrap_box_get_property;
  object_class->set_property = outreach_wrap_box_set_property;
  object_class->dispose = outreach_wrap_box_dispose;
  widget_class->get_request_mode = outreach_wrap_box_get_request_mode;
  widget_class->measure = outreach_wrap_box_measure;
  widget_class->size_allocate = outreach_wrap_box_size_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROW_SPACING] =
    g_param_spec_int ("row-spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
outreach_wrap_box_init (OutreachWrapBox *self)
{
  self->one_row = TRUE;
}

GtkWidget *
outreach_wrap_box_new (void)
{
  return g_object_new (OUTREACH_TYPE_WRAP_BOX, NULL);
}

void
outreach_wrap_box_append (OutreachWrapBox *self,
                          GtkWidget       *child)
{
  g_return_if_fail (OUTREACH_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_set_parent (child, GTK_WIDGET (self));
}

/* Whether the children shared one row when last laid out. */
gboolean
outreach_wrap_box_get_one_row (OutreachWrapBox *self)
{
  g_return_val_if_fail (OUTREACH_IS_WRAP_BOX (self), TRUE);

  return self->one_row;
}
