/* test-jobs-page.c — the Jobs page as a user sees it, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "outreach-job-status-badge.h"
#include "outreach-jobs-page.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"
#include "outreach-window.h"

typedef struct
{
  char *dir;
  char *path;
  OutreachStore *store;
  GtkWidget *window;
  OutreachJobsPage *page;
} Fixture;

static const char seed_sql[] =
  "INSERT INTO jobs (id, uuid, name, kind, status, created_at, updated_at, started_at, finished_at)"
  " VALUES"
  " (1, '00000000-0000-0000-0000-000000000001', 'Spring appeal', 'send', 'completed', 100, 200, 110, 200),"
  " (2, '00000000-0000-0000-0000-000000000002', 'Gala invitation', 'send', 'running', 300, 310, 305, NULL),"
  " (3, '00000000-0000-0000-0000-000000000003', 'Address check', 'verify', 'failed', 400, 420, 401, 420),"
  " (4, '00000000-0000-0000-0000-000000000004', 'Thank you letters', 'send', 'cancelled', 500, 520, 501, 520),"
  " (5, '00000000-0000-0000-0000-000000000005', 'Autumn appeal', 'send', 'paused', 600, 620, 601, NULL),"
  " (6, '00000000-0000-0000-0000-000000000006', 'Draft newsletter', 'send', 'draft', 700, 700, NULL, NULL);"
  "INSERT INTO job_recipients (job_id, address, state, updated_at) VALUES"
  " (1, 'ada@example.org', 'sent', 150), (1, 'alan@example.org', 'failed', 160),"
  " (2, 'grace@example.org', 'sent', 306), (2, 'barbara@example.org', 'pending', 300),"
  " (5, 'edsger@example.org', 'pending', 600);";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->store = outreach_test_new_store (&f->dir, &f->path);
  g_assert_true (outreach_store_exec (f->store, seed_sql, &error));

  f->window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  outreach_test_wait_until_mapped (f->window);
  f->page = OUTREACH_JOBS_PAGE (outreach_test_find_first (f->window, OUTREACH_TYPE_JOBS_PAGE));
}

/* More jobs than the first frame shows (FIRST_FRAME_ROWS), there before
 * the window is: all of them must be listed once it is on screen. */
static void
fixture_set_up_many (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->store = outreach_test_new_store (&f->dir, &f->path);
  g_assert_true (outreach_store_exec (f->store, seed_sql, &error));
  g_assert_true (outreach_store_exec (f->store,
    "WITH RECURSIVE n(i) AS (SELECT 7 UNION ALL SELECT i + 1 FROM n WHERE i < 206)"
    " INSERT INTO jobs (id, uuid, name, kind, status, created_at, updated_at, finished_at)"
    " SELECT i, printf ('00000000-0000-0000-0000-%012d', i), printf ('Appeal %d', i), 'send',"
    " 'completed', 1000 + i, 1000 + i, 1000 + i FROM n", &error));

  f->window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  outreach_test_wait_until_mapped (f->window);
  f->page = OUTREACH_JOBS_PAGE (outreach_test_find_first (f->window, OUTREACH_TYPE_JOBS_PAGE));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  outreach_test_iterate ();
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The counter buttons as "All 6|Active 2|…", as read on screen. */
/* The status counters: toggle buttons holding a name and a count label. */
static void
collect_counters (Fixture   *f,
                  GPtrArray *found)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  outreach_test_collect (GTK_WIDGET (f->page), GTK_TYPE_TOGGLE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *child = gtk_button_get_child (buttons->pdata[i]);
      /* a name and a count (a menu button's toggle has a label and an arrow) */
      if (GTK_IS_BOX (child) && GTK_IS_LABEL (gtk_widget_get_first_child (child)) &&
          GTK_IS_LABEL (gtk_widget_get_last_child (child)) &&
          gtk_widget_get_first_child (child) != gtk_widget_get_last_child (child))
        g_ptr_array_add (found, buttons->pdata[i]);
    }
}

static char *
counters (Fixture *f)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  GString *s = g_string_new (NULL);

  collect_counters (f, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *box = gtk_button_get_child (buttons->pdata[i]);
      GtkWidget *name = gtk_widget_get_first_child (box);
      GtkWidget *count = gtk_widget_get_next_sibling (name);
      g_string_append_printf (s, "%s%s %s", i ? "|" : "", gtk_label_get_text (GTK_LABEL (name)),
                              gtk_label_get_text (GTK_LABEL (count)));
    }
  return g_string_free (s, FALSE);
}

static gboolean
counters_say (Fixture    *f,
              const char *expected)
{
  g_autofree char *now = counters (f);

  return g_strcmp0 (now, expected) == 0;
}

static GtkToggleButton *
counter_button (Fixture    *f,
                const char *name)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  collect_counters (f, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *label = gtk_widget_get_first_child (gtk_button_get_child (buttons->pdata[i]));
      if (g_str_equal (gtk_label_get_text (GTK_LABEL (label)), name))
        return buttons->pdata[i];
    }
  g_assert_not_reached ();
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *
badge_texts (Fixture *f)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  GString *s = g_string_new (NULL);

  outreach_test_collect (GTK_WIDGET (f->page), OUTREACH_TYPE_JOB_STATUS_BADGE, found);
  for (guint i = 0; i < found->len; i++)
    if (gtk_widget_get_mapped (found->pdata[i]))
      g_ptr_array_add (texts, (gpointer) outreach_job_status_badge_get_text (found->pdata[i]));
  g_ptr_array_sort (texts, compare_strings);
  for (guint i = 0; i < texts->len; i++)
    g_string_append_printf (s, "%s%s", i ? "|" : "", (const char *) texts->pdata[i]);
  return g_string_free (s, FALSE);
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (outreach_jobs_page_get_selection (f->page)));
}

static void
test_seeded_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *shown = counters (f);
  g_autofree char *texts = badge_texts (f);

  g_assert_cmpstr (shown, ==, "All 6|Active 2|Completed 1|Failed 1|Cancelled 1");
  g_assert_cmpuint (n_rows (f), ==, 6);
  g_assert_cmpstr (texts, ==, "Cancelled|Completed — 1 failed|Draft|Failed|Paused|Running");
}

static void
test_many_jobs (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *shown = NULL;
  g_autoptr (OutreachJobQueryItem) last = NULL;

  /* the first frame has long been painted: every row is there */
  OUTREACH_TEST_WAIT_UNTIL (n_rows (f) == 206);
  shown = counters (f);
  g_assert_cmpstr (shown, ==, "All 206|Active 2|Completed 201|Failed 1|Cancelled 1");
  g_assert_cmpuint (n_rows (f), ==, 206);
  /* newest first: the oldest job, Spring appeal, is the last row */
  last = g_list_model_get_item (G_LIST_MODEL (outreach_jobs_page_get_selection (f->page)), 205);
  g_assert_cmpstr (outreach_job_query_item_get_data (last)->name, ==, "Spring appeal");
}

static void
test_filters_and_search (Fixture       *f,
                         gconstpointer  data)
{
  GtkEditable *search = GTK_EDITABLE (outreach_test_find_first (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY));
  g_autofree char *failed = NULL;
  g_autofree char *active = NULL;

  gtk_toggle_button_set_active (counter_button (f, "Failed"), TRUE);
  outreach_test_iterate ();
  g_assert_cmpuint (n_rows (f), ==, 1);
  failed = badge_texts (f);
  g_assert_cmpstr (failed, ==, "Failed");

  gtk_toggle_button_set_active (counter_button (f, "Active"), TRUE);
  outreach_test_iterate ();
  active = badge_texts (f);
  g_assert_cmpstr (active, ==, "Paused|Running");

  /* Search narrows within the filter, after the entry's short delay. */
  gtk_toggle_button_set_active (counter_button (f, "All"), TRUE);
  gtk_editable_set_text (search, "appeal");
  OUTREACH_TEST_WAIT_UNTIL (n_rows (f) == 2);
  g_assert_cmpuint (n_rows (f), ==, 2);

  /* Nothing matches: the page says so. */
  gtk_editable_set_text (search, "no such job");
  OUTREACH_TEST_WAIT_UNTIL (n_rows (f) == 0);
  outreach_test_iterate ();
  {
    AdwStatusPage *none = NULL;
    g_autoptr (GPtrArray) pages = g_ptr_array_new ();
    outreach_test_collect (GTK_WIDGET (f->page), ADW_TYPE_STATUS_PAGE, pages);
    for (guint i = 0; i < pages->len; i++)
      if (gtk_widget_get_mapped (pages->pdata[i]))
        none = pages->pdata[i];
    g_assert_nonnull (none);
    g_assert_cmpstr (adw_status_page_get_title (none), ==, "No Matching Jobs");
  }

  /* The type filter. */
  gtk_editable_set_text (search, "");
  g_object_set (outreach_test_find_first (GTK_WIDGET (f->page), GTK_TYPE_DROP_DOWN), "selected", 2, NULL);
  OUTREACH_TEST_WAIT_UNTIL (n_rows (f) == 1);
  g_assert_cmpuint (n_rows (f), ==, 1);
}

static void
test_sort_by_column (Fixture       *f,
                     gconstpointer  data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (outreach_test_find_first (GTK_WIDGET (f->page), GTK_TYPE_COLUMN_VIEW));
  g_autoptr (GtkColumnViewColumn) name = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  g_autoptr (GObject) first = NULL;
  g_autoptr (GObject) last = NULL;

  /* What a click on the Name header does. */
  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
  outreach_test_iterate ();
  first = g_list_model_get_item (G_LIST_MODEL (outreach_jobs_page_get_selection (f->page)), 0);
  g_assert_cmpstr (outreach_job_query_item_get_data (OUTREACH_JOB_QUERY_ITEM (first))->name, ==,
                   "Address check");

  gtk_column_view_sort_by_column (view, name, GTK_SORT_DESCENDING);
  outreach_test_iterate ();
  last = g_list_model_get_item (G_LIST_MODEL (outreach_jobs_page_get_selection (f->page)), 0);
  g_assert_cmpstr (outreach_job_query_item_get_data (OUTREACH_JOB_QUERY_ITEM (last))->name, ==,
                   "Thank you letters");
}

static void
test_bulk_cancel (Fixture       *f,
                  gconstpointer  data)
{
  GtkSelectionModel *selection = outreach_jobs_page_get_selection (f->page);
  AdwMessageDialog *dialog;
  g_autofree char *gala = NULL, *autumn = NULL, *spring = NULL, *after = NULL;

  gtk_toggle_button_set_active (counter_button (f, "Active"), TRUE);
  outreach_test_iterate ();
  g_assert_true (gtk_selection_model_select_all (selection));
  outreach_test_iterate ();

  /* Two selected: the action bar offers bulk actions. */
  g_assert_true (gtk_action_bar_get_revealed (GTK_ACTION_BAR (outreach_test_find_first (GTK_WIDGET (f->page),
                                                                        GTK_TYPE_ACTION_BAR))));
  /* The row menu opens from the keyboard (Shift+F10) on the selection. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "jobs.menu", NULL));
  outreach_test_iterate ();
  g_assert_true (gtk_widget_get_visible (outreach_test_find_first (GTK_WIDGET (f->page), GTK_TYPE_POPOVER_MENU)));
  gtk_popover_popdown (GTK_POPOVER (outreach_test_find_first (GTK_WIDGET (f->page), GTK_TYPE_POPOVER_MENU)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "jobs.cancel", NULL));
  outreach_test_iterate ();

  /* Confirmation with counts: 2 jobs, 2 recipients not sent to yet. */
  dialog = ADW_MESSAGE_DIALOG (outreach_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cancel 2 Jobs?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "2 recipients"));
  adw_message_dialog_response (dialog, "confirm");
  outreach_test_iterate ();

  gala = outreach_test_job_status (f->path, 2);
  autumn = outreach_test_job_status (f->path, 5);
  spring = outreach_test_job_status (f->path, 1);
  g_assert_cmpstr (gala, ==, "cancelled");
  g_assert_cmpstr (autumn, ==, "cancelled");
  g_assert_cmpstr (spring, ==, "completed");

  /* The page follows: nothing active any more. */
  OUTREACH_TEST_WAIT_UNTIL (n_rows (f) == 0);
  after = counters (f);
  g_assert_cmpstr (after, ==, "All 6|Active 0|Completed 1|Failed 1|Cancelled 3");
}

static void
test_other_process (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *before = counters (f);
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, "All 6|Active 2|Completed 1|Failed 1|Cancelled 1");

  /* The CLI (another connection) finishes the running job. */
  {
    g_autoptr (OutreachStore) other = outreach_store_open (f->path, NULL);
    g_assert_true (outreach_store_exec (other,
      "UPDATE job_recipients SET state = 'sent' WHERE address = 'barbara@example.org'", NULL));
    g_assert_true (outreach_job_status_apply (other, 2, OUTREACH_JOB_STATUS_COMPLETED, NULL, NULL));
  }

  OUTREACH_TEST_WAIT_UNTIL (counters_say (f, "All 6|Active 1|Completed 2|Failed 1|Cancelled 1"));
  after = counters (f);
  g_assert_cmpstr (after, ==, "All 6|Active 1|Completed 2|Failed 1|Cancelled 1");
}

static void
test_open_detail (Fixture       *f,
                  gconstpointer  data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (outreach_test_find_first (GTK_WIDGET (f->page), GTK_TYPE_COLUMN_VIEW));
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint windows_before = g_list_model_get_n_items (toplevels);

  /* Enter / double-click on a row. */
  g_signal_emit_by_name (view, "activate", 0);
  outreach_test_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, windows_before + 1);

  /* Again: the same window is raised, not a second one. */
  g_signal_emit_by_name (view, "activate", 0);
  outreach_test_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, windows_before + 1);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (window != GTK_WINDOW (f->window) && !ADW_IS_MESSAGE_DIALOG (window))
        {
          g_assert_cmpstr (gtk_window_get_title (window), ==, "Draft newsletter");
          gtk_window_destroy (window);
          break;
        }
    }
}

/* The names of the jobs listed, sorted, as "A|B". */
static char *
listed_names (Fixture *f)
{
  GListModel *list = G_LIST_MODEL (outreach_jobs_page_get_selection (f->page));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (OutreachJobQueryItem) row = g_list_model_get_item (list, i);
      g_ptr_array_add (names, g_strdup (outreach_job_query_item_get_data (row)->name));
    }
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (s, "%s%s", i ? "|" : "", (const char *) names->pdata[i]);
  return g_string_free (s, FALSE);
}

static void
select_days (GPtrArray  *calendars,
             GTimeZone  *tz,
             int         from_day,
             int         to_day)
{
  g_autoptr (GDateTime) from = g_date_time_new (tz, 2026, 3, from_day, 12, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new (tz, 2026, 3, to_day, 12, 0, 0);

  gtk_calendar_select_day (calendars->pdata[0], from);
  gtk_calendar_select_day (calendars->pdata[1], to);
}

static void
set_created (Fixture   *f,
             GTimeZone *tz,
             gint64     id,
             int        day,
             int        hour,
             int        minute,
             int        second)
{
  g_autoptr (GDateTime) time = g_date_time_new (tz, 2026, 3, day, hour, minute, second);
  g_autofree char *sql = g_strdup_printf ("UPDATE jobs SET created_at = %" G_GINT64_FORMAT
                                          " WHERE id = %" G_GINT64_FORMAT,
                                          g_date_time_to_unix (time), id);

  g_assert_true (outreach_store_exec (f->store, sql, NULL));
}

/* "Custom range…": From and To days, both included, in local time
 * (main() sets TZ to New Zealand, 13 hours ahead of UTC in March, so a
 * range read as UTC days would take other jobs). */
static void
test_custom_date_range (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Pacific/Auckland");
  g_autoptr (GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr (GPtrArray) calendars = g_ptr_array_new ();
  GtkDropDown *dates;
  GtkWidget *range_button = NULL;
  GtkWidget *popover;
  GtkWidget *error_label = NULL;
  g_autofree char *before = counters (f);
  g_autofree char *two_days = NULL, *one_day = NULL, *still = NULL, *after = NULL, *all = NULL;
  g_autofree char *counts_in_range = NULL;

  g_assert_nonnull (tz);
  /* 1 Mar 23:59:59, 2 Mar 00:00:00, 5 Mar 23:59:59 and 6 Mar 00:00:00, local */
  set_created (f, tz, 2, 1, 23, 59, 59);
  set_created (f, tz, 1, 2, 0, 0, 0);
  set_created (f, tz, 3, 5, 23, 59, 59);
  set_created (f, tz, 4, 6, 0, 0, 0);

  outreach_test_collect (GTK_WIDGET (f->page), GTK_TYPE_DROP_DOWN, dropdowns);
  dates = dropdowns->pdata[1];
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (dates)), ==,
                   "Any time");

  /* Choosing "Custom range…" opens the calendars at once. */
  gtk_drop_down_set_selected (dates, 6);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (dates)), ==,
                   "Custom range…");
  {
    g_autoptr (GPtrArray) menu_buttons = g_ptr_array_new ();
    outreach_test_collect (GTK_WIDGET (f->page), GTK_TYPE_MENU_BUTTON, menu_buttons);
    for (guint i = 0; i < menu_buttons->len; i++)
      if (gtk_widget_is_ancestor (GTK_WIDGET (dates), gtk_widget_get_parent (menu_buttons->pdata[i])) ||
          gtk_widget_get_parent (menu_buttons->pdata[i]) == gtk_widget_get_parent (GTK_WIDGET (dates)))
        range_button = menu_buttons->pdata[i];
  }
  g_assert_nonnull (range_button);
  OUTREACH_TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (range_button)))));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (range_button)));
  g_assert_true (gtk_widget_get_visible (range_button));
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (outreach_test_find_first (range_button, GTK_TYPE_LABEL))), ==, "Choose Dates…");
  g_assert_cmpuint (n_rows (f), ==, 6); /* nothing chosen yet: nothing hidden */

  outreach_test_collect (popover, GTK_TYPE_CALENDAR, calendars);
  g_assert_cmpuint (calendars->len, ==, 2);

  /* 2 – 5 March: the jobs of the 2nd at midnight and the 5th just before the next. */
  select_days (calendars, tz, 2, 5);
  g_signal_emit_by_name (outreach_test_find_button (popover, "_Apply"), "clicked");
  outreach_test_iterate ();
  two_days = listed_names (f);
  g_assert_cmpstr (two_days, ==, "Address check|Spring appeal");
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (outreach_test_find_first (range_button, GTK_TYPE_LABEL))), ==,
                   "2 Mar 2026 – 5 Mar 2026");
  /* The counters count every job, as with the other date choices. */
  counts_in_range = counters (f);
  g_assert_cmpstr (counts_in_range, ==, before);

  /* The range combines with the status filters. */
  gtk_toggle_button_set_active (counter_button (f, "Failed"), TRUE);
  outreach_test_iterate ();
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_toggle_button_set_active (counter_button (f, "All"), TRUE);
  outreach_test_iterate ();

  /* From after To is refused, with the reason, and the list stays as it was. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (range_button));
  outreach_test_iterate ();
  g_assert_true (gtk_widget_get_visible (popover));
  select_days (calendars, tz, 10, 5);
  g_signal_emit_by_name (outreach_test_find_button (popover, "_Apply"), "clicked");
  outreach_test_iterate ();
  {
    g_autoptr (GPtrArray) labels = g_ptr_array_new ();
    outreach_test_collect (popover, GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (gtk_widget_has_css_class (labels->pdata[i], "error"))
        error_label = labels->pdata[i];
  }
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "The range starts on 10 Mar 2026, after it ends on 5 Mar 2026. "
                   "Choose a From day on or before the To day.");
  g_assert_true (gtk_widget_get_visible (popover));
  still = listed_names (f);
  g_assert_cmpstr (still, ==, "Address check|Spring appeal");

  /* One day, From = To: the whole of 6 March and nothing of the 5th. */
  select_days (calendars, tz, 6, 6);
  g_signal_emit_by_name (outreach_test_find_button (popover, "_Apply"), "clicked");
  outreach_test_iterate ();
  g_assert_false (gtk_widget_get_visible (error_label));
  one_day = listed_names (f);
  g_assert_cmpstr (one_day, ==, "Thank you letters");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (outreach_test_find_first (range_button, GTK_TYPE_LABEL))), ==, "6 Mar 2026");

  /* A preset replaces the range; going back to "Custom range…" finds it again. */
  gtk_drop_down_set_selected (dates, 0);
  outreach_test_iterate ();
  g_assert_false (gtk_widget_get_visible (range_button));
  g_assert_cmpuint (n_rows (f), ==, 6);
  gtk_drop_down_set_selected (dates, 6);
  outreach_test_iterate ();
  after = listed_names (f);
  g_assert_cmpstr (after, ==, "Thank you letters");

  /* Clear: every job again, and the drop-down says so. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (range_button));
  outreach_test_iterate ();
  g_signal_emit_by_name (outreach_test_find_button (popover, "C_lear"), "clicked");
  outreach_test_iterate ();
  all = listed_names (f);
  g_assert_cmpuint (n_rows (f), ==, 6);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (dates)), ==,
                   "Any time");
  g_assert_false (gtk_widget_get_visible (range_button));
}

int
main (int    argc,
      char **argv)
{
  /* Local time for the date filters is New Zealand's (see test_custom_date_range). */
  g_setenv ("TZ", "Pacific/Auckland", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/outreach/jobs-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("seeded-list", test_seeded_list);
  ADD ("filters-and-search", test_filters_and_search);
  ADD ("sort-by-column", test_sort_by_column);
  ADD ("bulk-cancel", test_bulk_cancel);
  ADD ("other-process", test_other_process);
  ADD ("open-detail", test_open_detail);
  ADD ("custom-date-range", test_custom_date_range);
#undef ADD
  g_test_add ("/outreach/jobs-page/many-jobs", Fixture, NULL, fixture_set_up_many, test_many_jobs,
              fixture_tear_down);

  return g_test_run ();
}
