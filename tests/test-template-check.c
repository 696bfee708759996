/* test-template-check.c — what the pre-launch check tells a person about
 * their message and the donors it goes to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "outreach-settings.h"
#include "outreach-template-check.h"
#include "outreach-template-library.h"
#include "outreach-test-util.h"

typedef struct
{
  char *dir;
  OutreachStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->store = outreach_test_new_store (&fixture->dir, NULL);

  /* 5 donors: 2 without a last name, 1 without a gift, 3 with a favourite program */
  g_assert_true (outreach_store_exec (fixture->store,
    "INSERT INTO donors (id, first_name, last_name, email, last_gift_amount, last_gift_date, tags,"
    "  extra, created_at, updated_at) VALUES "
    "(1, 'Ada', 'Lovelace', 'ada@example.org', 1000, '2025-01-02', 'board', '{\"Favourite Program\": \"Rivers\"}', 1, 1),"
    "(2, 'Grace', '', 'grace@example.org', 2500, '2025-03-04', '', '{\"Favourite Program\": \"\"}', 1, 1),"
    "(3, 'Linus', 'Torvalds', 'linus@example.org', NULL, NULL, '', '{\"Favourite Program\": \"Trees\"}', 1, 1),"
    "(4, 'Margaret', '', 'margaret@example.org', 500, '2024-05-06', 'board', '{}', 1, 1),"
    "(5, 'José', 'García', 'jose@example.org', 700, '2024-07-08', '', '{}', 1, 1)",
    &error));
  g_assert_no_error (error);
  g_assert_true (outreach_settings_set_string (fixture->store, OUTREACH_SETTING_ORG_NAME,
                                               "Friends of the River", &error));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  outreach_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static OutreachTemplateIssue *
find_issue (OutreachTemplateCheckReport *report,
            OutreachTemplateIssueKind    kind,
            const char                  *field)
{
  for (guint i = 0; i < report->issues->len; i++)
    {
      OutreachTemplateIssue *issue = g_ptr_array_index (report->issues, i);

      if (issue->kind == kind && g_strcmp0 (issue->field, field) == 0)
        return issue;
    }
  return NULL;
}

static void
test_clean (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplateCheckReport) report = NULL;

  report = outreach_template_check (fixture->store, "Thanks, {{first_name}}",
                                    "Dear {{first_name}},\n{{#last_name}}({{last_name}}){{/last_name}}\n"
                                    "{{org_name}}\n{{unsubscribe_url}}",
                                    NULL, NULL, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->n_donors, ==, 5);
  g_assert_false (outreach_template_check_report_has_errors (report));
  /* unsubscribe_url is used, but the setting is empty */
  g_assert_cmpuint (report->issues->len, ==, 1);
  g_assert_nonnull (find_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, "unsubscribe_url"));
}

static void
test_unknown_and_empty (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplateCheckReport) report = NULL;
  OutreachTemplateIssue *issue;

  report = outreach_template_check (fixture->store, "Thanks, {{frist_name}}",
                                    "Dear {{first_name}} {{last_name}},\nyour gift of "
                                    "{{last_gift_amount_formatted}} to {{favourite_program}} "
                                    "{{shoe_size}}\n",
                                    "<p>{{first_name}}</p>", NULL, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (outreach_template_check_report_has_errors (report));

  /* errors come first */
  issue = g_ptr_array_index (report->issues, 0);
  g_assert_true (issue->is_error);

  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD, "frist_name");
  g_assert_nonnull (issue);
  g_assert_true (issue->is_error);
  g_assert_cmpstr (issue->part, ==, "subject");
  g_assert_cmpstr (issue->message, ==, "{{frist_name}} in the subject is not a merge field; did you mean {{first_name}}?");
  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD, "shoe_size");
  g_assert_nonnull (issue);
  g_assert_cmpstr (issue->part, ==, "text body");

  /* the extra key of these donors is known, and empty for 3 of 5 (one "", two missing) */
  g_assert_null (find_issue (report, OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD, "favourite_program"));
  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, "favourite_program");
  g_assert_nonnull (issue);
  g_assert_false (issue->is_error);
  g_assert_cmpint (issue->count, ==, 3);
  g_assert_cmpint (issue->total, ==, 5);
  g_assert_cmpint (issue->example_donor_id, ==, 2);

  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, "last_name");
  g_assert_nonnull (issue);
  g_assert_cmpint (issue->count, ==, 2);
  g_assert_cmpint (issue->example_donor_id, ==, 2);
  g_assert_cmpstr (issue->message, ==,
                   "{{last_name}} in the text body is empty for 2 of 5 donors, "
                   "for example donor 2 (Grace <grace@example.org>)");

  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, "last_gift_amount_formatted");
  g_assert_nonnull (issue);
  g_assert_cmpint (issue->count, ==, 1);
  g_assert_cmpint (issue->example_donor_id, ==, 3);

  g_assert_null (find_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, "first_name"));

  /* no unsubscribe link in either body */
  g_assert_nonnull (find_issue (report, OUTREACH_TEMPLATE_ISSUE_NO_UNSUBSCRIBE, "unsubscribe_url"));
  g_assert_cmpuint (report->issues->len, ==, 7);
}

static void
test_selection (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplateCheckReport) report = NULL;
  g_autoptr (OutreachTemplateCheckReport) none = NULL;
  const char *params[] = { "board", NULL };
  OutreachTemplateIssue *issue;

  /* the board: Ada and Margaret; only Margaret lacks a last name */
  report = outreach_template_check (fixture->store, "", "{{last_name}}", NULL,
                                    "(';' || tags || ';') LIKE '%;' || ?1 || ';%'", params,
                                    FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->n_donors, ==, 2);
  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, "last_name");
  g_assert_cmpint (issue->count, ==, 1);
  g_assert_cmpint (issue->example_donor_id, ==, 4);
  g_assert_null (find_issue (report, OUTREACH_TEMPLATE_ISSUE_NO_UNSUBSCRIBE, "unsubscribe_url"));

  none = outreach_template_check (fixture->store, "", "Hi", NULL, "id > 100", NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (none->n_donors, ==, 0);
  g_assert_nonnull (find_issue (none, OUTREACH_TEMPLATE_ISSUE_NO_DONORS, NULL));
}

static void
test_syntax_and_partials (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachTemplateCheckReport) report = NULL;
  OutreachTemplateIssue *issue;

  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "footer", "", "{{org_nam}}", NULL,
                                                   &error), >, 0);
  g_assert_no_error (error);

  report = outreach_template_check (fixture->store, "Hi {{first_name", "Dear {{first_name}}\n{{> footer}}",
                                    "<p>{{> nope}}</p>", NULL, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_SYNTAX, NULL);
  g_assert_nonnull (issue);
  g_assert_cmpstr (issue->message, ==, "The subject has an error at 1:4: unclosed tag: “{{” has no matching “}}”");
  /* a field inside a saved partial is checked too */
  issue = find_issue (report, OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD, "org_nam");
  g_assert_nonnull (issue);
  g_assert_nonnull (strstr (issue->message, "did you mean {{org_name}}?"));
  g_assert_cmpuint (report->issues->len, ==, 3);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  OutreachTemplateCheckReport **report = user_data;
  g_autoptr (GError) error = NULL;

  *report = outreach_template_check_finish (OUTREACH_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  OutreachTemplateCheckReport *report = NULL;

  outreach_template_check_async (fixture->store, "Hi", "{{last_name}}", NULL, NULL, NULL, FALSE, NULL,
                                 check_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (report->n_donors, ==, 5);
  g_assert_cmpint (((OutreachTemplateIssue *) g_ptr_array_index (report->issues, 0))->count, ==, 2);
  outreach_template_check_report_free (report);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/template-check/clean", Fixture, NULL, fixture_set_up, test_clean, fixture_tear_down);
  g_test_add ("/outreach/template-check/unknown-and-empty", Fixture, NULL, fixture_set_up, test_unknown_and_empty, fixture_tear_down);
  g_test_add ("/outreach/template-check/selection", Fixture, NULL, fixture_set_up, test_selection, fixture_tear_down);
  g_test_add ("/outreach/template-check/syntax-and-partials", Fixture, NULL, fixture_set_up, test_syntax_and_partials, fixture_tear_down);
  g_test_add ("/outreach/template-check/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
