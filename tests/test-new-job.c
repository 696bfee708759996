/* test-new-job.c — the new-job wizard driven as a person would, under Xvfb, to .eml files on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "outreach-donor-picker.h"
#include "outreach-new-job-message.h"
#include "outreach-new-job-recipients.h"
#include "outreach-new-job-review.h"
#include "outreach-new-job-window.h"
#include "outreach-template-editor.h"
#include "outreach-job-review-view.h"
#include "outreach-job-window.h"
#include "outreach-jobs-page.h"
#include "outreach-job-query-item.h"
#include "outreach-window.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"

typedef struct
{
  char *dir;
  char *path;
  char *out;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;

  f->dir = outreach_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "outreach.db", NULL);
  f->out = g_build_filename (f->dir, "out", NULL);
  f->store = outreach_store_open (f->path, &error);
  g_assert_no_error (error);

  /* Four gala donors with an e-mail address (one asked not to be
   * contacted, one suppressed), one with a phone only, one not at the gala. */
  outreach_test_exec (f->store,
           "INSERT INTO donors (first_name, last_name, email, phone, city, tags, do_not_contact,"
           " last_gift_amount, last_gift_date, created_at, updated_at) VALUES"
           " ('Ada', 'Lovelace', 'ada@example.org', NULL, 'London', 'gala;board', 0, 25000, '2026-03-01', 1, 1),"
           " ('Grace', 'Hopper', 'grace@example.org', NULL, 'Arlington', 'gala', 0, 5000, '2025-11-02', 1, 1),"
           " ('Alan', 'Turing', 'alan@example.org', NULL, 'Wilmslow', 'board', 0, 1000, '2024-01-01', 1, 1),"
           " ('Katherine', 'Johnson', NULL, '+15551234567', 'Hampton', 'gala', 0, NULL, NULL, 1, 1),"
           " ('Mary', 'Jackson', 'mary@example.org', NULL, 'Hampton', 'gala', 1, 100, '2026-01-01', 1, 1),"
           " ('Dorothy', 'Vaughan', 'dorothy@example.org', NULL, 'Hampton', 'gala', 0, 100, '2026-01-01', 1, 1);"
           "INSERT INTO suppressions (address, reason, created_at) VALUES ('dorothy@example.org', 'unsubscribed', 1);"
           "INSERT INTO jobs (uuid, name, status, created_at, updated_at)"
           " VALUES ('11111111-2222-3333-4444-555555555555', 'Spring appeal', 'draft', 1, 1);");
  sql = g_strdup_printf ("UPDATE accounts SET settings = json_object ('path', '%s') WHERE name = 'Folder'",
                         f->out);
  outreach_test_exec (f->store, sql);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  outreach_test_remove_tree (f->dir);
  g_free (f->out);
  g_free (f->path);
  g_free (f->dir);
}

/* The label showing exactly @text. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (root, GTK_TYPE_LABEL, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_label_get_text (found->pdata[i]), text) == 0)
      return found->pdata[i];
  g_error ("No label “%s”", text);
  return NULL;
}

static GtkWidget *
find_entry (GtkWidget  *root,
            const char *placeholder)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (root, GTK_TYPE_ENTRY, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_entry_get_placeholder_text (found->pdata[i]), placeholder) == 0)
      return found->pdata[i];
  g_error ("No entry “%s”", placeholder);
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (root, ADW_TYPE_PREFERENCES_ROW, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (found->pdata[i]), title) == 0)
      return found->pdata[i];
  g_error ("No row “%s”", title);
}

static const char *
label_starting (GtkWidget  *root,
                const char *prefix)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (root, GTK_TYPE_LABEL, found);
  for (guint i = 0; i < found->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (found->pdata[i]), prefix))
      return gtk_label_get_text (found->pdata[i]);
  return NULL;
}

static void
type_text (GtkWidget  *editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  outreach_test_iterate ();
}

static GtkWidget *
next_button (OutreachNewJobWindow *wizard)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (GTK_WIDGET (wizard), GTK_TYPE_BUTTON, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (found->pdata[i]), "wizard.next") == 0)
      return found->pdata[i];
  g_error ("No Next button");
}

static gboolean
step_settled_cb (gpointer data)
{
  g_autofree char *blocker = outreach_new_job_window_dup_blocker (data);

  return blocker == NULL || (strstr (blocker, "Counting") == NULL && strstr (blocker, "Checking") == NULL);
}

/* Next's state after the background counts and checks are in: NULL when
 * it is on, else what the wizard says beside it. */
static char *
settled_blocker (OutreachNewJobWindow *wizard)
{
  char *blocker;

  outreach_test_wait_for (step_settled_cb, wizard, "the step to settle");
  blocker = outreach_new_job_window_dup_blocker (wizard);
  /* The button follows the action; what it says follows the blocker. */
  if (outreach_new_job_window_get_step (wizard) != OUTREACH_JOB_DRAFT_STEP_REVIEW)
    g_assert_cmpint (gtk_widget_get_sensitive (next_button (wizard)), ==, blocker == NULL);
  return blocker;
}

static void
assert_blocked (OutreachNewJobWindow *wizard,
                const char           *expected)
{
  g_autofree char *blocker = settled_blocker (wizard);

  if (blocker == NULL || strstr (blocker, expected) == NULL)
    g_error ("Next should say “%s”, it says “%s”", expected, blocker ? blocker : "(enabled)");
  g_assert_false (gtk_widget_get_sensitive (next_button (wizard)));
}

static void
assert_ready (OutreachNewJobWindow *wizard)
{
  g_autofree char *blocker = settled_blocker (wizard);

  if (blocker != NULL)
    g_error ("Next should be on, it says “%s”", blocker);
  g_assert_true (gtk_widget_get_sensitive (next_button (wizard)));
}

static void
press_next (OutreachNewJobWindow *wizard)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  outreach_test_iterate ();
}

static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("OUTREACH_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;

  if (dir == NULL)
    return;
  for (int i = 0; i < 30; i++)
    {
      outreach_test_iterate ();
      g_usleep (10000);
    }
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root %s", path);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static OutreachNewJobWindow *
open_wizard (Fixture *f,
             gint64   draft_id)
{
  g_autoptr (GError) error = NULL;
  OutreachNewJobWindow *wizard = outreach_new_job_window_new (NULL, f->store, draft_id, &error);

  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (wizard));
  outreach_test_wait_until_mapped (GTK_WIDGET (wizard));
  return wizard;
}

static GtkWidget *
step_widget (OutreachNewJobWindow *wizard,
             OutreachJobDraftStep  step)
{
  return outreach_new_job_window_get_step_widget (wizard, step);
}

/* Step 1: by search and tag, with a bad filter on the way. */
static void
choose_gala_donors (OutreachNewJobWindow *wizard)
{
  GtkWidget *recipients = step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_RECIPIENTS);
  GtkWidget *picker = GTK_WIDGET (outreach_new_job_recipients_get_picker (OUTREACH_NEW_JOB_RECIPIENTS (recipients)));
  OutreachDonorSelectionCounts counts;

  assert_blocked (wizard, "Choose at least one donor");

  type_text (outreach_test_find_nth (picker, GTK_TYPE_SEARCH_ENTRY, 0), "example.org");
  type_text (find_entry (picker, "Tag"), "gala");
  type_text (find_entry (picker, "Gave since (YYYY-MM-DD)"), "last spring");
  assert_blocked (wizard, "“Gave since” needs a date like 2026-01-31");
  type_text (find_entry (picker, "Gave since (YYYY-MM-DD)"), "");
  type_text (find_entry (picker, "Last gift at least"), "a lot");
  assert_blocked (wizard, "“Last gift at least” needs an amount");
  type_text (find_entry (picker, "Last gift at least"), "");
  assert_blocked (wizard, "Choose at least one donor");

  g_signal_emit_by_name (outreach_test_find_button (picker, "Select _All Matching"), "clicked");
  assert_ready (wizard);
  g_assert_true (outreach_donor_picker_get_counts (OUTREACH_DONOR_PICKER (picker), &counts));
  /* Ada, Grace, Mary (do-not-contact) and Dorothy (suppressed); Katherine
   * has no e-mail address to match "example.org", Alan is not at the gala. */
  g_assert_cmpint (counts.matching, ==, 4);
  g_assert_cmpint (counts.selected, ==, 4);
  g_assert_cmpint (counts.do_not_contact, ==, 1);
  g_assert_cmpint (counts.suppressed, ==, 1);
  g_assert_cmpint (counts.reachable, ==, 2);

  /* One by one: Enter on Mary's row takes her out, and again puts her back. */
  g_signal_emit_by_name (outreach_test_find_nth (picker, GTK_TYPE_LIST_VIEW, 0), "activate", 2);
  assert_ready (wizard);
  g_assert_true (outreach_donor_picker_get_counts (OUTREACH_DONOR_PICKER (picker), &counts));
  g_assert_cmpint (counts.selected, ==, 3);
  g_assert_cmpint (counts.do_not_contact, ==, 0);
  g_signal_emit_by_name (outreach_test_find_nth (picker, GTK_TYPE_LIST_VIEW, 0), "activate", 2);
  assert_ready (wizard);
  g_assert_true (outreach_donor_picker_get_counts (OUTREACH_DONOR_PICKER (picker), &counts));
  g_assert_cmpint (counts.selected, ==, 4);
}

static void
write_message (OutreachNewJobWindow *wizard,
               const char           *text)
{
  GtkWidget *message = step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_MESSAGE);
  GtkWidget *editor = outreach_new_job_message_get_editor (OUTREACH_NEW_JOB_MESSAGE (message));
  GtkTextView *body = GTK_TEXT_VIEW (outreach_test_find_nth (editor, GTK_TYPE_TEXT_VIEW, 0));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (body), text, -1);
  outreach_test_iterate ();
}

static void
test_wizard_to_eml (Fixture       *f,
                    gconstpointer  data)
{
  OutreachNewJobWindow *wizard = open_wizard (f, 0);
  g_autoptr (GError) error = NULL;
  g_auto (OutreachTestRun) run = { 0 };
  g_autofree char *job_dir = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *summary = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GString) emls = g_string_new (NULL);
  GtkWidget *name, *editor, *message, *delivery, *body;
  const char *file;
  gint64 job_id;
  guint n_files = 0;

  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (outreach_test_find_nth (GTK_WIDGET (wizard), ADW_TYPE_WINDOW_TITLE, 0))),
                   ==, "Step 1 of 5 — Recipients");
  choose_gala_donors (wizard);
  screenshot ("wizard-1-recipients.png");
  press_next (wizard);

  /* Step 2: a name is required; a name another job has only warns. */
  g_assert_cmpint (outreach_new_job_window_get_step (wizard), ==, OUTREACH_JOB_DRAFT_STEP_NAME);
  name = find_row (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_NAME), "Job name");
  assert_blocked (wizard, "Give the job a name");
  type_text (name, "   ");
  assert_blocked (wizard, "Give the job a name");
  type_text (name, "Spring appeal");
  assert_ready (wizard);
  {
    g_autofree char *warning = outreach_new_job_step_dup_warning (OUTREACH_NEW_JOB_STEP (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_NAME)));
    g_assert_nonnull (warning);
    g_assert_nonnull (strstr (warning, "Another job is already called “Spring appeal”"));
  }
  type_text (name, "Gala thank-you");
  assert_ready (wizard);
  screenshot ("wizard-2-name.png");
  press_next (wizard);

  /* Step 3: the message, with a merge field inserted from the menu and a
   * misspelt one that blocks Next until it is fixed. */
  g_assert_cmpint (outreach_new_job_window_get_step (wizard), ==, OUTREACH_JOB_DRAFT_STEP_MESSAGE);
  message = step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_MESSAGE);
  editor = outreach_new_job_message_get_editor (OUTREACH_NEW_JOB_MESSAGE (message));
  assert_blocked (wizard, "Write a subject");
  type_text (outreach_test_find_nth (editor, GTK_TYPE_ENTRY, 0), "Thank you for the gala & dinner, {{first_name}}");
  assert_blocked (wizard, "Write the text");
  write_message (wizard, "Dear {{frist_name}},\n");
  assert_blocked (wizard, "frist_name");
  write_message (wizard, "Dear ");
  body = outreach_test_find_nth (editor, GTK_TYPE_TEXT_VIEW, 0);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (body));
    GtkTextIter end;

    gtk_widget_grab_focus (body);
    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_place_cursor (buffer, &end);
    outreach_test_iterate ();
    g_assert_true (gtk_widget_activate_action (editor, "editor.insert-field", "s", "first_name"));
    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_insert (buffer, &end, " {{last_name}},\nthank you for coming to the gala.\n", -1);
    outreach_test_iterate ();
  }
  assert_ready (wizard);
  g_assert_cmpstr (outreach_new_job_window_get_draft (wizard)->text, ==,
                   "Dear {{first_name}} {{last_name}},\nthank you for coming to the gala.\n");
  screenshot ("wizard-3-message.png");

  /* The preview steps through the chosen donors only: Ada (1), Grace (2),
   * Mary (5) and Dorothy (6), never Alan (3) or Katherine (4). */
  {
    const gint64 expected[] = { 1, 2, 5, 6, 6 };

    outreach_template_editor_update_now (OUTREACH_TEMPLATE_EDITOR (editor));
    g_assert_cmpint (outreach_template_editor_get_preview_donor (OUTREACH_TEMPLATE_EDITOR (editor)), ==, 1);
    for (guint i = 1; i < G_N_ELEMENTS (expected); i++)
      {
        g_assert_true (gtk_widget_activate_action (editor, "editor.next-donor", NULL));
        outreach_test_iterate ();
        g_assert_cmpint (outreach_template_editor_get_preview_donor (OUTREACH_TEMPLATE_EDITOR (editor)),
                         ==, expected[i]);
      }
    /* Its place among the chosen, not among all donors. */
    g_assert_true (gtk_widget_get_visible (find_label (editor, "4 of 4: Dorothy Vaughan <dorothy@example.org>")));
    g_assert_true (gtk_widget_activate_action (editor, "editor.previous-donor", NULL));
    outreach_test_iterate ();
    g_assert_cmpint (outreach_template_editor_get_preview_donor (OUTREACH_TEMPLATE_EDITOR (editor)), ==, 5);
    {
      g_autofree char *subject = outreach_template_editor_get_preview_subject (OUTREACH_TEMPLATE_EDITOR (editor));

      g_assert_cmpstr (subject, ==, "Thank you for the gala & dinner, Mary");
    }
  }
  press_next (wizard);

  /* Step 4: the Folder account is there from the start; a bad schedule
   * blocks; a test goes out to any address. */
  g_assert_cmpint (outreach_new_job_window_get_step (wizard), ==, OUTREACH_JOB_DRAFT_STEP_DELIVERY);
  delivery = step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_DELIVERY);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (find_row (delivery, "_Send through")))),
                   ==, "Folder (folder)");
  assert_ready (wizard);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (outreach_test_find_nth (find_row (delivery, "S_chedule"), GTK_TYPE_CHECK_BUTTON, 0)), TRUE);
  type_text (find_row (delivery, "Date (YYYY-MM-DD)"), "2026-02-30");
  type_text (find_row (delivery, "Time (HH:MM, local time)"), "09:30");
  assert_blocked (wizard, "Give the start as a date like");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (outreach_test_find_nth (find_row (delivery, "Send _now"), GTK_TYPE_CHECK_BUTTON, 0)), TRUE);
  outreach_test_iterate ();
  assert_ready (wizard);

  type_text (find_row (delivery, "Send a test to…"), "me@example.net");
  g_signal_emit_by_name (outreach_test_find_button (delivery, "Send _Test"), "clicked");
  {
    AdwActionRow *result = ADW_ACTION_ROW (find_row (delivery, "Result"));

    OUTREACH_TEST_WAIT_UNTIL (g_strcmp0 (adw_action_row_get_subtitle (result), "Sending…") != 0);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (result), "Sent to me@example.net"));
  }
  screenshot ("wizard-4-delivery.png");
  press_next (wizard);

  /* Step 5: the summary, then Launch. */
  g_assert_cmpint (outreach_new_job_window_get_step (wizard), ==, OUTREACH_JOB_DRAFT_STEP_REVIEW);
  assert_ready (wizard);
  summary = outreach_new_job_review_dup_summary (OUTREACH_NEW_JOB_REVIEW (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_REVIEW)));
  g_assert_nonnull (strstr (summary, "Recipients: 4 donors chosen; 2 will get the message. Excluded: 1 suppressed, 1 do-not-contact"));
  g_assert_nonnull (strstr (summary, "Name: Gala thank-you\n"));
  g_assert_nonnull (strstr (summary, "Account: Folder (folder)\n"));
  g_assert_nonnull (strstr (summary, "When: Now\n"));
  g_assert_nonnull (strstr (summary, "Checks: The text body has no unsubscribe link"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next_button (wizard))), ==, "_Launch");
  screenshot ("wizard-5-review.png");
  press_next (wizard);
  OUTREACH_TEST_WAIT_UNTIL (wizard == NULL);
  g_assert_null (wizard);
  outreach_test_iterate ();
  screenshot ("wizard-6-launched.png");

  /* The job and its recipients, in the database; the draft is gone. */
  job_id = outreach_test_query_int (f->store, "SELECT id FROM jobs WHERE name = 'Gala thank-you'");
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count (*) FROM jobs WHERE name = 'Gala thank-you'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT status = 'queued' AND total = 4 AND pending = 2 AND skipped = 2"
                                 " AND account_id = (SELECT id FROM accounts WHERE name = 'Folder')"
                                 " FROM jobs WHERE name = 'Gala thank-you'"), ==, 1);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count (*) FROM jobs WHERE status = 'draft'"), ==, 1); /* Spring appeal */
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count (*) FROM job_recipients r JOIN jobs j ON j.id = r.job_id"
                                 " WHERE j.name = 'Gala thank-you' AND r.state = 'pending'"
                                 " AND r.address IN ('ada@example.org', 'grace@example.org')"), ==, 2);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count (*) FROM job_recipients r JOIN jobs j ON j.id = r.job_id"
                                 " WHERE j.name = 'Gala thank-you' AND r.state = 'skipped'"
                                 " AND r.address IN ('mary@example.org', 'dorothy@example.org')"), ==, 2);

  /* Close the detail window the launch opened, then run the job as a
   * person would from a terminal. */
  {
    GList *toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      gtk_window_destroy (l->data);
    g_list_free (toplevels);
    outreach_test_iterate ();
  }
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, job_id);
  outreach_test_run_cli (&run, NULL, "--db", f->path, "jobs", "run", id_text, NULL);
  if (run.exit_status != 0)
    g_error ("jobs run: exit %d: %s", run.exit_status, run.err);

  job_dir = g_build_filename (f->out, "Gala thank-you", NULL);
  dir = g_dir_open (job_dir, 0, &error);
  g_assert_no_error (error);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *eml_path = g_build_filename (job_dir, file, NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_str_has_suffix (file, ".eml"));
      g_assert_true (g_file_get_contents (eml_path, &contents, NULL, NULL));
      g_string_append (emls, contents);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 2);
  g_assert_nonnull (strstr (emls->str, "Dear Ada Lovelace,"));
  g_assert_nonnull (strstr (emls->str, "Subject: Thank you for the gala & dinner, Ada"));
  g_assert_nonnull (strstr (emls->str, "Dear Grace Hopper,"));
  g_assert_nonnull (strstr (emls->str, "Subject: Thank you for the gala & dinner, Grace"));
  g_assert_null (strstr (emls->str, "Mary"));
  g_assert_null (strstr (emls->str, "Dorothy"));

  /* The test message went to a folder of its own, not the job's. */
  {
    g_autofree char *test_dir = g_build_filename (f->out, "Gala thank-you (test)", NULL);

    g_assert_true (g_file_test (test_dir, G_FILE_TEST_IS_DIR));
  }
}

static void
test_draft_reopens (Fixture       *f,
                    gconstpointer  data)
{
  OutreachNewJobWindow *wizard = open_wizard (f, 0);
  OutreachJobDraftStep step;
  g_autofree char *draft_name = NULL;
  gint64 draft_id;
  GtkWidget *name;

  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);
  choose_gala_donors (wizard);
  press_next (wizard);
  type_text (find_row (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_NAME), "Job name"), "Half done");
  gtk_window_close (GTK_WINDOW (wizard));
  outreach_test_iterate ();
  g_assert_null (wizard);

  /* Closing midway kept a draft job at the Name step… */
  draft_id = outreach_job_draft_find_latest (f->store, &draft_name, &step, NULL);
  g_assert_cmpint (draft_id, >, 0);
  g_assert_cmpstr (draft_name, ==, "Half done");
  g_assert_cmpint (step, ==, OUTREACH_JOB_DRAFT_STEP_NAME);

  /* …which New Job offers to continue, and which reopens there, with the
   * same choices. */
  {
    OutreachNewJobWindow *fresh = open_wizard (f, 0);
    GList *toplevels;

    g_object_add_weak_pointer (G_OBJECT (fresh), (gpointer *) &fresh);
    g_assert_cmpint (outreach_new_job_window_get_unfinished (fresh), ==, draft_id);
    g_assert_nonnull (label_starting (GTK_WIDGET (fresh), "“Half done” was left unfinished at the Name step."));
    screenshot ("wizard-unfinished.png");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fresh), "wizard.continue-unfinished", NULL));
    outreach_test_iterate ();
    g_assert_null (fresh);
    toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (OUTREACH_IS_NEW_JOB_WINDOW (l->data))
        wizard = l->data;
    g_list_free (toplevels);
  }
  g_assert_nonnull (wizard);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);
  g_assert_cmpint (outreach_new_job_window_get_step (wizard), ==, OUTREACH_JOB_DRAFT_STEP_NAME);
  name = find_row (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_NAME), "Job name");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Half done");
  assert_ready (wizard);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  outreach_test_iterate ();
  assert_ready (wizard);

  /* Escape asks before discarding; Discard removes the draft. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.escape", NULL));
  outreach_test_iterate ();
  {
    GList *toplevels = gtk_window_list_toplevels ();
    AdwMessageDialog *dialog = NULL;

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_list_free (toplevels);
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard This Job?");
    screenshot ("wizard-escape.png");
    adw_message_dialog_response (dialog, "discard");
  }
  outreach_test_iterate ();
  g_assert_null (wizard);
  g_assert_cmpint (outreach_test_query_int (f->store, "SELECT count (*) FROM jobs WHERE name = 'Half done'"), ==, 0);
}

static GtkWidget *
find_review_view (GtkWidget *root)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  outreach_test_collect (root, OUTREACH_TYPE_JOB_REVIEW_VIEW, found);
  return found->len > 0 ? found->pdata[0] : NULL;
}

/* Review mode: the job's detail window gets a Review tab listing the
 * drafts rendered; only the approved ones go out. */
static void
test_review_tab (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (OutreachJobDraft) draft = outreach_job_draft_new ();
  g_autoptr (GError) error = NULL;
  g_auto (OutreachTestRun) run = { 0 };
  g_autofree char *id_text = NULL;
  g_autofree char *job_dir = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GString) emls = g_string_new (NULL);
  OutreachJobWindow *window;
  GtkWidget *review;
  GtkListBox *list;
  guint waiting, approved, rejected, n_files = 0;
  const char *file;
  gint64 job_id;

  g_free (draft->name);
  draft->name = g_strdup ("Board letters");
  g_free (draft->subject);
  draft->subject = g_strdup ("For the board, {{first_name}}");
  g_free (draft->text);
  draft->text = g_strdup ("Dear {{first_name}}, see you at the board meeting.\n");
  draft->account_id = outreach_test_query_int (f->store, "SELECT id FROM accounts WHERE name = 'Folder'");
  draft->review = TRUE;
  draft->selection->tag = g_strdup ("board");
  outreach_donor_selection_select_all (draft->selection, TRUE);
  job_id = outreach_job_draft_launch (draft, f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  window = outreach_job_window_present_job (NULL, f->store, job_id);
  g_assert_nonnull (window);
  outreach_test_wait_until_mapped (GTK_WIDGET (window));
  review = find_review_view (GTK_WIDGET (window));
  g_assert_nonnull (review);
  g_assert_true (gtk_widget_get_mapped (review)); /* shown first: messages wait */
  outreach_job_review_view_get_counts (OUTREACH_JOB_REVIEW_VIEW (review), &waiting, &approved, &rejected);
  g_assert_cmpuint (waiting, ==, 2);  /* Ada and Alan */

  /* The first message is shown rendered for its donor. */
  g_assert_cmpstr (label_starting (review, "To: "), ==, "To: ada@example.org — Waiting for review");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (outreach_test_find_nth (review, GTK_TYPE_TEXT_VIEW, 0)));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Dear Ada, see you at the board meeting.\n");
  }
  screenshot ("review-tab.png");

  /* Reject Ada's, approve Alan's (the next one is selected by itself). */
  g_signal_emit_by_name (outreach_test_find_button (review, "_Reject"), "clicked");
  outreach_test_iterate ();
  list = GTK_LIST_BOX (outreach_test_find_nth (review, GTK_TYPE_LIST_BOX, 0));
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (list)), ==, 1);
  g_signal_emit_by_name (outreach_test_find_button (review, "_Approve"), "clicked");
  outreach_test_iterate ();
  outreach_job_review_view_get_counts (OUTREACH_JOB_REVIEW_VIEW (review), &waiting, &approved, &rejected);
  g_assert_cmpuint (waiting, ==, 0);
  g_assert_cmpuint (approved, ==, 1);
  g_assert_cmpuint (rejected, ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  outreach_test_iterate ();

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, job_id);
  outreach_test_run_cli (&run, NULL, "--db", f->path, "jobs", "run", id_text, NULL);
  if (run.exit_status != 0)
    g_error ("jobs run: exit %d: %s", run.exit_status, run.err);
  job_dir = g_build_filename (f->out, "Board letters", NULL);
  dir = g_dir_open (job_dir, 0, &error);
  g_assert_no_error (error);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *eml_path = g_build_filename (job_dir, file, NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (eml_path, &contents, NULL, NULL));
      g_string_append (emls, contents);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 1);
  g_assert_nonnull (strstr (emls->str, "Dear Alan, see you"));
  g_assert_null (strstr (emls->str, "Dear Ada"));
}

static void
open_draft_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  *(gint64 *) user_data = g_variant_get_int64 (parameter);
}

static guint
job_position (OutreachJobsPage *page,
              gint64            job_id)
{
  GListModel *model = G_LIST_MODEL (outreach_jobs_page_get_model (page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (OutreachJobQueryItem) item = g_list_model_get_item (model, i);

      if (outreach_job_query_item_get_id (item) == job_id)
        return i;
    }
  g_error ("Job %" G_GINT64_FORMAT " is not on the Jobs page", job_id);
  return 0;
}

/* Enter / double-click on a draft row on the Jobs page carries on in the
 * wizard (app.open-draft with its id), not in a detail window; other rows
 * still open their detail window. */
static void
test_jobs_page_opens_draft (Fixture       *f,
                            gconstpointer  data)
{
  const GActionEntry entries[] = { { "open-draft", open_draft_cb, "x" } };
  g_autoptr (GSimpleActionGroup) app = g_simple_action_group_new ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *window;
  OutreachJobsPage *page;
  GtkWidget *view;
  gint64 opened = 0;
  gint64 queued_id;
  guint windows_before;

  outreach_test_exec (f->store,
           "INSERT INTO jobs (uuid, name, status, created_at, updated_at)"
           " VALUES ('11111111-2222-3333-4444-666666666666', 'Autumn appeal', 'queued', 2, 2)");
  queued_id = outreach_test_query_int (f->store, "SELECT id FROM jobs WHERE name = 'Autumn appeal'");
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), &opened);
  window = GTK_WIDGET (outreach_window_new (NULL, f->store, NULL));
  gtk_widget_insert_action_group (window, "app", G_ACTION_GROUP (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  outreach_test_wait_until_mapped (window);
  page = OUTREACH_JOBS_PAGE (outreach_test_find_nth (window, OUTREACH_TYPE_JOBS_PAGE, 0));
  view = outreach_test_find_nth (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW, 0);
  windows_before = g_list_model_get_n_items (toplevels);

  g_signal_emit_by_name (view, "activate", job_position (page, 1));  /* the draft "Spring appeal" */
  outreach_test_iterate ();
  g_assert_cmpint (opened, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, windows_before);

  opened = 0;
  g_signal_emit_by_name (view, "activate", job_position (page, queued_id));
  outreach_test_iterate ();
  g_assert_cmpint (opened, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, windows_before + 1);

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr (GtkWindow) other = g_list_model_get_item (toplevels, i - 1);

      gtk_window_destroy (other);
    }
  outreach_test_iterate ();
}

/* The narrowest the wizard gets (it was 739 px). */
#define NARROWEST_WIZARD 460

/* Every step filled in still fits a narrow window: the donor picker's
 * checks and buttons take a row each, its list scrolls sideways. And the
 * Message step's check panel is as tall as its one row, no taller. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  OutreachNewJobWindow *wizard;
  GtkWidget *message, *check_list = NULL;
  AdwSqueezer *squeezer;
  g_autoptr (GPtrArray) lists = g_ptr_array_new ();
  int min_width, nat_width, natural_height;

  outreach_test_load_app_style ();
  wizard = open_wizard (f, 0);
  choose_gala_donors (wizard);
  press_next (wizard);
  type_text (find_row (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_NAME), "Job name"), "Gala thank-you");
  press_next (wizard);
  message = step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_MESSAGE);
  type_text (outreach_test_find_nth (outreach_new_job_message_get_editor (OUTREACH_NEW_JOB_MESSAGE (message)),
                                     GTK_TYPE_ENTRY, 0),
             "Thank you for the gala & dinner, {{first_name}}");
  write_message (wizard, "Dear {{first_name}},\nthank you for coming to the gala.\n");
  outreach_test_iterate ();
  gtk_widget_measure (GTK_WIDGET (wizard), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  g_test_message ("wizard: minimum width %d px, natural %d px", min_width, nat_width);
  g_assert_cmpint (min_width, <=, NARROWEST_WIZARD);

  outreach_test_collect (message, GTK_TYPE_LIST_BOX, lists);
  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (lists->pdata[i], "boxed-list"))
      check_list = lists->pdata[i];
  g_assert_nonnull (check_list);
  /* one warning: the text has no unsubscribe link */
  OUTREACH_TEST_WAIT_UNTIL (label_starting (check_list, "The text body has no unsubscribe link") != NULL);
  g_assert_nonnull (label_starting (check_list, "The text body has no unsubscribe link"));
  outreach_test_iterate ();
  gtk_widget_measure (check_list, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (check_list),
                      NULL, &natural_height, NULL, NULL);
  g_test_message ("check panel %d px tall, its rows %d px",
                  gtk_widget_get_height (gtk_widget_get_ancestor (check_list, GTK_TYPE_SCROLLED_WINDOW)),
                  natural_height);
  g_assert_cmpint (gtk_widget_get_height (check_list), ==, natural_height);
  g_assert_cmpint (gtk_widget_get_height (gtk_widget_get_ancestor (check_list, GTK_TYPE_SCROLLED_WINDOW)),
                   ==, natural_height);

  /* At its narrowest: the row of step names gives way to the current one… */
  gtk_window_set_default_size (GTK_WINDOW (wizard), NARROWEST_WIZARD, 700);
  OUTREACH_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (wizard)) <= NARROWEST_WIZARD);
  outreach_test_iterate ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (wizard)), <=, NARROWEST_WIZARD);
  /* the preview folded behind its button, which must not widen the window */
  OUTREACH_TEST_WAIT_UNTIL (adw_flap_get_folded (ADW_FLAP (outreach_test_find_first (message, ADW_TYPE_FLAP))));
  outreach_test_iterate ();
  gtk_widget_measure (GTK_WIDGET (wizard), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_test_message ("wizard, preview folded: minimum width %d px", min_width);
  g_assert_cmpint (min_width, <=, NARROWEST_WIZARD);
  squeezer = ADW_SQUEEZER (outreach_test_find_first (GTK_WIDGET (wizard), ADW_TYPE_SQUEEZER));
  OUTREACH_TEST_WAIT_UNTIL (!outreach_test_has_mapped_label (adw_squeezer_get_visible_child (squeezer), "2 Name"));
  g_assert_false (outreach_test_has_mapped_label (adw_squeezer_get_visible_child (squeezer), "2 Name"));
  g_assert_true (outreach_test_has_mapped_label (adw_squeezer_get_visible_child (squeezer), "3 Message"));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (outreach_test_find_first (GTK_WIDGET (wizard), ADW_TYPE_WINDOW_TITLE))),
                   ==, "Step 3 of 5 — Message");
  screenshot ("wizard-narrow-message.png");

  /* …and the donor picker's buttons go below its checks. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  OUTREACH_TEST_WAIT_UNTIL (gtk_widget_get_mapped (step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_RECIPIENTS)));
  outreach_test_iterate ();
  {
    GtkWidget *picker = step_widget (wizard, OUTREACH_JOB_DRAFT_STEP_RECIPIENTS);
    GtkWidget *check = outreach_test_find_first (picker, GTK_TYPE_CHECK_BUTTON);
    GtkWidget *all = outreach_test_find_button (picker, "Select _All Matching");
    graphene_rect_t check_bounds, all_bounds;

    g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==, "Has _e-mail");
    /* (laid out on the frame after the step slides back in) */
    OUTREACH_TEST_WAIT_UNTIL (gtk_widget_compute_bounds (check, GTK_WIDGET (wizard), &check_bounds) &&
                              gtk_widget_compute_bounds (all, GTK_WIDGET (wizard), &all_bounds) &&
                              all_bounds.origin.y >= check_bounds.origin.y + check_bounds.size.height);
    g_assert_true (gtk_widget_compute_bounds (check, GTK_WIDGET (wizard), &check_bounds));
    g_assert_true (gtk_widget_compute_bounds (all, GTK_WIDGET (wizard), &all_bounds));
    g_assert_cmpfloat (all_bounds.origin.y, >=, check_bounds.origin.y + check_bounds.size.height);
    g_assert_cmpfloat (all_bounds.origin.x + all_bounds.size.width, <=, NARROWEST_WIZARD);
  }
  screenshot ("wizard-narrow-recipients.png");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/outreach/new-job/narrow", Fixture, NULL, fixture_set_up,
              test_narrow, fixture_tear_down);
  g_test_add ("/outreach/new-job/wizard-to-eml", Fixture, NULL, fixture_set_up,
              test_wizard_to_eml, fixture_tear_down);
  g_test_add ("/outreach/new-job/draft-reopens", Fixture, NULL, fixture_set_up,
              test_draft_reopens, fixture_tear_down);
  g_test_add ("/outreach/new-job/review-tab", Fixture, NULL, fixture_set_up,
              test_review_tab, fixture_tear_down);
  g_test_add ("/outreach/new-job/jobs-page-opens-draft", Fixture, NULL, fixture_set_up,
              test_jobs_page_opens_draft, fixture_tear_down);
  return g_test_run ();
}
