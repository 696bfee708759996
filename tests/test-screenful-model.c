/* test-screenful-model.c — a long list shows every row once it is on screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "outreach-screenful-model.h"
#include "outreach-test-widgets.h"

static GListModel *
numbers (guint n)
{
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (strings, g_strdup_printf ("row %u", i));
  g_ptr_array_add (strings, NULL);
  return G_LIST_MODEL (gtk_string_list_new ((const char *const *) strings->pdata));
}

static const char row_ui[] =
  "<interface><template class=\"GtkListItem\"><property name=\"child\">"
  "<object class=\"GtkLabel\"><binding name=\"label\">"
  "<lookup name=\"string\" type=\"GtkStringObject\"><lookup name=\"item\">GtkListItem</lookup></lookup>"
  "</binding></object></property></template></interface>";

static GtkWidget *
list_view (void)
{
  g_autoptr (GBytes) ui = g_bytes_new_static (row_ui, strlen (row_ui));

  return gtk_list_view_new (NULL, gtk_builder_list_item_factory_new_from_bytes (NULL, ui));
}

static void
wait_for_n_items (GListModel *model,
                  guint       n)
{
  OUTREACH_TEST_WAIT_UNTIL (g_list_model_get_n_items (model) == n);
}

/* Before its first frame the view sees a screenful; after it, every row. */
static void
test_grows_after_first_frame (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = list_view ();
  g_autoptr (GListModel) shown = outreach_screenful_model_new (numbers (1000), view);
  g_autoptr (GtkStringObject) last = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (shown), <, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (shown), >, 0);
  gtk_list_view_set_model (GTK_LIST_VIEW (view),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (shown))));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  gtk_window_present (GTK_WINDOW (window));

  wait_for_n_items (shown, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1000);
  last = g_list_model_get_item (shown, 999);
  g_assert_cmpstr (gtk_string_object_get_string (last), ==, "row 999");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A view already on screen sees every row at once. */
static void
test_all_rows_when_shown (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = list_view ();
  g_autoptr (GListModel) shown = NULL;

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
  OUTREACH_TEST_WAIT_UNTIL (gtk_widget_get_mapped (view));

  shown = outreach_screenful_model_new (numbers (1000), view);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1000);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/outreach/screenful-model/grows-after-first-frame", test_grows_after_first_frame);
  g_test_add_func ("/outreach/screenful-model/all-rows-when-shown", test_all_rows_when_shown);
  return g_test_run ();
}
