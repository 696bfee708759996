/* outreach-test-widgets.c — what the UI tests share: finding widgets the way
 * a person would, and waiting for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "outreach-test-widgets.h"

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* A presented window is on screen once it is mapped. */
void
outreach_test_wait_until_mapped (GtkWidget *widget)
{
  outreach_test_wait_for (is_mapped, widget, "a widget to be mapped");
}

/**
 * outreach_test_collect:
 * @found: where the widgets go, in tree order, @root first
 *
 * Adds @root and every widget below it that is a @type to @found.
 */
void
outreach_test_collect (GtkWidget *root,
                       GType      type,
                       GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    outreach_test_collect (child, type, found);
}

/* The @n-th (from 0) @type under @root, in tree order; there must be one. */
GtkWidget *
outreach_test_find_nth (GtkWidget *root,
                        GType      type,
                        guint      n)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (root, type, found);
  g_assert_cmpuint (found->len, >, n);
  return found->pdata[n];
}

GtkWidget *
outreach_test_find_first (GtkWidget *root,
                          GType      type)
{
  return outreach_test_find_nth (root, type, 0);
}

/**
 * outreach_test_find_button:
 * @label: the label with its mnemonic, e.g. "_Import"
 *
 * The first button under @root whose own label is @label; else the first
 * whose AdwButtonContent (icon and label) says @label; else the first
 * check button labelled @label. There must be one.
 */
GtkWidget *
outreach_test_find_button (GtkWidget  *root,
                           const char *label)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr (GPtrArray) checks = g_ptr_array_new ();

  outreach_test_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
      return buttons->pdata[i];
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *child = gtk_button_get_child (buttons->pdata[i]);

      if (ADW_IS_BUTTON_CONTENT (child) &&
          g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), label) == 0)
        return buttons->pdata[i];
    }
  outreach_test_collect (root, GTK_TYPE_CHECK_BUTTON, checks);
  for (guint i = 0; i < checks->len; i++)
    if (g_strcmp0 (gtk_check_button_get_label (checks->pdata[i]), label) == 0)
      return checks->pdata[i];
  g_error ("No button “%s”", label);
}

/* Whether a label showing exactly @text is on screen. */
gboolean
outreach_test_has_mapped_label (GtkWidget  *root,
                                const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  outreach_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_label (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

/* The first shown toplevel window that is a @type, or NULL. */
GtkWindow *
outreach_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Closes every window the test left open (dialogs too), and lets their
 * disposal run: a test's fixture ends with the next one's screen empty. */
void
outreach_test_destroy_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  outreach_test_iterate ();
}

/* The application's style sheet, as AdwApplication loads it for the app:
 * widths a test measures depend on it (stat cards, compact switchers).
 * Once per process. */
void
outreach_test_load_app_style (void)
{
  static GtkCssProvider *css;

  if (css != NULL)
    return;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/outreach/Outreach/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
