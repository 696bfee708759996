/* test-window.c — the main window as a user sees it, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "outreach-application.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"
#include "outreach-window.h"

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = outreach_test_new_store (&f->dir, &f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The titles of the status pages a person can see right now. */
static char *
visible_status_titles (GtkWidget *root)
{
  g_autoptr (GPtrArray) pages = g_ptr_array_new ();
  g_autoptr (GString) titles = g_string_new (NULL);

  outreach_test_collect (root, ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_get_mapped (pages->pdata[i]))
      g_string_append_printf (titles, "%s%s", titles->len ? "|" : "",
                              adw_status_page_get_title (pages->pdata[i]));

  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static void
show_page (GtkWidget  *window,
           const char *name)
{
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (outreach_test_find_first (window, ADW_TYPE_VIEW_STACK)),
                                         name);
  outreach_test_iterate ();
}

static void
test_empty_states (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  g_autofree char *jobs = NULL;
  g_autofree char *donors = NULL;

  gtk_window_present (GTK_WINDOW (window));
  outreach_test_wait_until_mapped (window);

  g_assert_cmpstr (outreach_window_get_visible_page (OUTREACH_WINDOW (window)), ==, "jobs");
  jobs = visible_status_titles (window);
  g_assert_cmpstr (jobs, ==, "No Jobs Yet");

  show_page (window, "donors");
  donors = visible_status_titles (window);
  g_assert_cmpstr (donors, ==, "No Donors Yet");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_counts_from_store (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *window;
  g_autofree char *jobs = NULL;
  g_autofree char *donors = NULL;

  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO jobs (uuid, name, created_at, updated_at)"
    " VALUES ('11111111-2222-3333-4444-555555555555', 'Spring appeal', 1, 1);"
    "INSERT INTO donors (email, created_at, updated_at) VALUES ('ada@example.org', 1, 1),"
    " ('grace@example.org', 1, 1);", NULL));

  window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  gtk_window_present (GTK_WINDOW (window));
  outreach_test_wait_until_mapped (window);

  /* The Jobs page lists the job (no empty state), with "All" counting 1. */
  jobs = visible_status_titles (window);
  g_assert_cmpstr (jobs, ==, "");
  g_assert_true (outreach_test_has_mapped_label (window, "Spring appeal"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (
                      GTK_COLUMN_VIEW (outreach_test_find_first (window, GTK_TYPE_COLUMN_VIEW))))), ==, 1);
  show_page (window, "donors");
  /* The Donors page lists them (no empty state); its count says 2. */
  OUTREACH_TEST_WAIT_UNTIL (outreach_test_has_mapped_label (window, "2 donors"));
  g_assert_true (outreach_test_has_mapped_label (window, "2 donors"));
  donors = visible_status_titles (window);
  g_assert_cmpstr (donors, ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_store_error (void)
{
  g_autoptr (GError) error = g_error_new_literal (OUTREACH_STORE_ERROR,
                                                  OUTREACH_STORE_ERROR_LOCKED,
                                                  "/x/outreach.db is locked by another program");
  GtkWidget *window = GTK_WIDGET (outreach_window_new (NULL, NULL, error));
  g_autofree char *titles = NULL;

  gtk_window_present (GTK_WINDOW (window));
  outreach_test_wait_until_mapped (window);

  titles = visible_status_titles (window);
  g_assert_cmpstr (titles, ==, "Could Not Open the Database");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_state (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  int width, height;

  gtk_window_present (GTK_WINDOW (window));
  outreach_test_wait_until_mapped (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  outreach_test_iterate ();
  gtk_window_close (GTK_WINDOW (window));
  outreach_test_iterate ();

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at that size. */
  window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static void
test_application (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (OutreachApplication) app = outreach_application_new ();
  g_auto (GStrv) accels = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *window;
  GtkMenuButton *menu_button;
  GMenuModel *menu;

  g_setenv ("OUTREACH_DB", f->path, TRUE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (OUTREACH_IS_WINDOW (window));
  outreach_test_wait_until_mapped (GTK_WIDGET (window));
  g_assert_nonnull (outreach_application_get_store (app));

  /* Ctrl+Q quits. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char *const *) accels, "<Control>q"));

  /* The primary menu: Keyboard Shortcuts, About, Quit. */
  menu_button = GTK_MENU_BUTTON (outreach_test_find_first (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON));
  menu = gtk_menu_button_get_menu_model (menu_button);
  g_assert_true (menu_has_action (menu, "win.show-help-overlay"));
  g_assert_true (menu_has_action (menu, "app.about"));
  g_assert_true (menu_has_action (menu, "app.quit"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  outreach_test_iterate ();
  g_assert_nonnull (outreach_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  outreach_test_iterate ();
  g_assert_nonnull (outreach_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  outreach_test_iterate ();
  g_unsetenv ("OUTREACH_DB");
}

/* The widest the main window may insist on being, with every page
 * filled: GNOME apps work down to phone widths (360 px); the window
 * measures 399 px today, bound by its header bar. */
#define NARROWEST_MAIN_WINDOW 480

/* Whether the Jobs page's search and its first filter share a row. */
static gboolean
search_shares_row (GtkWidget *window)
{
  graphene_rect_t search_bounds, kinds_bounds;

  return gtk_widget_compute_bounds (outreach_test_find_first (window, GTK_TYPE_SEARCH_ENTRY), window,
                                    &search_bounds) &&
         gtk_widget_compute_bounds (outreach_test_find_first (window, GTK_TYPE_DROP_DOWN), window,
                                    &kinds_bounds) &&
         kinds_bounds.origin.y == search_bounds.origin.y &&
         kinds_bounds.origin.x > search_bounds.origin.x + search_bounds.size.width;
}

static gboolean
is_narrow (GtkWidget *window)
{
  return gtk_widget_get_width (window) > 0 && gtk_widget_get_width (window) <= NARROWEST_MAIN_WINDOW;
}

/* A narrow window (the size a phone or half a small screen gives) still
 * shows every page: the page switcher moves to the bottom, the Templates
 * list and editor take turns, the preview folds behind a button. With
 * the application's style sheet, as AdwApplication loads it. */
static void
test_narrow_window (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr (GError) error = NULL;
  GtkWidget *window;
  GtkWidget *leaflet, *flap, *switcher_bar;
  int min_width, nat_width;

  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO jobs (uuid, name, status, created_at, updated_at)"
    " VALUES ('11111111-2222-3333-4444-555555555555', 'Spring appeal to every donor of the last five years', 'completed', 1, 1);"
    "INSERT INTO donors (first_name, last_name, email, city, created_at, updated_at)"
    " VALUES ('Ada', 'Lovelace', 'ada@example.org', 'London', 1, 1);"
    "INSERT INTO templates (name, subject, text_body, created_at, updated_at)"
    " VALUES ('Thank-you letter for a first gift', 'Thank you, {{first_name}}!',"
    " 'Dear {{first_name}},\n\nthank you.', 1, 1);", &error));
  g_assert_no_error (error);

  gtk_css_provider_load_from_resource (css, "/io/github/outreach/Outreach/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* the size the window opens at, as a person left it */
  g_settings_set (settings, "window-size", "(ii)", 360, 640);
  window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  gtk_window_present (GTK_WINDOW (window));
  outreach_test_wait_until_mapped (window);

  /* Every page filled, each shown once: none may widen the window. */
  show_page (window, "donors");
  show_page (window, "templates");
  show_page (window, "jobs");
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  g_test_message ("main window: minimum width %d px, natural %d px", min_width, nat_width);
  g_assert_cmpint (min_width, <=, NARROWEST_MAIN_WINDOW);
  OUTREACH_TEST_WAIT_UNTIL (is_narrow (window));
  outreach_test_iterate ();
  g_assert_cmpint (gtk_widget_get_width (window), <=, NARROWEST_MAIN_WINDOW);

  /* The Jobs page's search keeps a usable width: the filters go below it. */
  {
    GtkWidget *search = outreach_test_find_first (window, GTK_TYPE_SEARCH_ENTRY);
    GtkWidget *kinds = outreach_test_find_first (window, GTK_TYPE_DROP_DOWN);
    graphene_rect_t search_bounds, kinds_bounds;

    g_assert_true (gtk_widget_get_mapped (search));
    g_assert_cmpint (gtk_widget_get_width (search), >=, 200);
    g_assert_true (gtk_widget_compute_bounds (search, window, &search_bounds));
    g_assert_true (gtk_widget_compute_bounds (kinds, window, &kinds_bounds));
    g_assert_cmpfloat (kinds_bounds.origin.y, >=,
                       search_bounds.origin.y + search_bounds.size.height);
  }

  /* The page switcher moved from the header to a bar at the bottom. */
  switcher_bar = outreach_test_find_first (window, ADW_TYPE_VIEW_SWITCHER_BAR);
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (switcher_bar)));

  /* Templates: the list first; a template opens its editor in its place,
   * with the preview folded behind its button. */
  show_page (window, "templates");
  leaflet = outreach_test_find_first (window, ADW_TYPE_LEAFLET);
  OUTREACH_TEST_WAIT_UNTIL (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  outreach_test_iterate ();
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_true (outreach_test_has_mapped_label (window, "Thank-you letter for a first gift"));
  {
    GtkListBox *list = GTK_LIST_BOX (outreach_test_find_first (leaflet, GTK_TYPE_LIST_BOX));
    g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  }
  flap = outreach_test_find_first (leaflet, ADW_TYPE_FLAP);
  OUTREACH_TEST_WAIT_UNTIL (gtk_widget_get_mapped (flap));
  outreach_test_iterate ();
  g_assert_true (gtk_widget_get_mapped (flap));
  g_assert_true (adw_flap_get_folded (ADW_FLAP (flap)));
  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
  /* the list slides away */
  OUTREACH_TEST_WAIT_UNTIL (!outreach_test_has_mapped_label (window, "Thank-you letter for a first gift"));
  g_assert_false (outreach_test_has_mapped_label (window, "Thank-you letter for a first gift"));
  /* Preview slides it over the message. */
  {
    g_autoptr (GPtrArray) toggles = g_ptr_array_new ();
    GtkToggleButton *preview = NULL;

    outreach_test_collect (flap, GTK_TYPE_TOGGLE_BUTTON, toggles);
    for (guint i = 0; i < toggles->len; i++)
      if (g_strcmp0 (gtk_button_get_label (toggles->pdata[i]), "_Preview") == 0)
        preview = toggles->pdata[i];
    g_assert_nonnull (preview);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (preview)));
    gtk_toggle_button_set_active (preview, TRUE);
    outreach_test_iterate ();
    g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
    gtk_toggle_button_set_active (preview, FALSE);
    outreach_test_iterate ();
  }

  /* A wide window shows the list, the editor and the preview side by side. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  OUTREACH_TEST_WAIT_UNTIL (!adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  outreach_test_iterate ();
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_false (adw_flap_get_folded (ADW_FLAP (flap)));
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
  g_assert_true (outreach_test_has_mapped_label (window, "Thank-you letter for a first gift"));
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (switcher_bar)));
  /* and the Jobs page's search and filters share a row */
  show_page (window, "jobs");
  OUTREACH_TEST_WAIT_UNTIL (search_shares_row (window));
  outreach_test_iterate ();
  g_assert_true (search_shares_row (window));

  gtk_window_destroy (GTK_WINDOW (window));
  outreach_test_iterate ();
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
  g_settings_reset (settings, "window-size");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/outreach/window/empty-states", Fixture, NULL, fixture_set_up, test_empty_states,
              fixture_tear_down);
  g_test_add ("/outreach/window/counts-from-store", Fixture, NULL, fixture_set_up,
              test_counts_from_store, fixture_tear_down);
  g_test_add_func ("/outreach/window/store-error", test_store_error);
  g_test_add ("/outreach/window/window-state", Fixture, NULL, fixture_set_up, test_window_state,
              fixture_tear_down);
  g_test_add ("/outreach/window/application", Fixture, NULL, fixture_set_up, test_application,
              fixture_tear_down);
  g_test_add ("/outreach/window/narrow-window", Fixture, NULL, fixture_set_up, test_narrow_window,
              fixture_tear_down);

  return g_test_run ();
}
