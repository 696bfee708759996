/* test-settings.c — the shared settings: typed reads, checked writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "outreach-settings.h"
#include "outreach-test-util.h"

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

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *org = NULL;
  int keep = -1, parallel = -1;

  currency = outreach_settings_get_string (f->store, OUTREACH_SETTING_CURRENCY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (currency, ==, "USD");
  org = outreach_settings_get_string (f->store, OUTREACH_SETTING_ORG_NAME, &error);
  g_assert_cmpstr (org, ==, "");
  g_assert_true (outreach_settings_get_int (f->store, OUTREACH_SETTING_HISTORY_KEEP, &keep, &error));
  g_assert_cmpint (keep, ==, 100);
  g_assert_true (outreach_settings_get_int (f->store, OUTREACH_SETTING_PARALLEL_JOBS, &parallel,
                                            &error));
  g_assert_cmpint (parallel, ==, 2);

  /* Every key of the table's CHECK list maps both ways. */
  for (guint i = 0; i < OUTREACH_SETTING_COUNT; i++)
    {
      OutreachSetting s;
      g_assert_true (outreach_setting_from_key (outreach_setting_to_key (i), &s));
      g_assert_cmpint (s, ==, i);
    }
  g_assert_false (outreach_setting_from_key ("colour", &(OutreachSetting) { 0 }));
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) other = NULL;
  g_autofree char *org = NULL;
  g_autofree char *postal = NULL;
  int keep = -1;

  g_assert_true (outreach_settings_set_string (f->store, OUTREACH_SETTING_ORG_NAME,
                                               "Friends of the Library", &error));
  g_assert_true (outreach_settings_set_string (f->store, OUTREACH_SETTING_POSTAL_ADDRESS,
                                               "1 Main St\nSpringfield", &error));
  g_assert_true (outreach_settings_set_int (f->store, OUTREACH_SETTING_HISTORY_KEEP, 0, &error));
  g_assert_no_error (error);

  /* Another connection (the CLI, a runner) sees the same values. */
  other = outreach_store_open (f->path, &error);
  g_assert_no_error (error);
  org = outreach_settings_get_string (other, OUTREACH_SETTING_ORG_NAME, &error);
  g_assert_cmpstr (org, ==, "Friends of the Library");
  postal = outreach_settings_get_string (other, OUTREACH_SETTING_POSTAL_ADDRESS, &error);
  g_assert_cmpstr (postal, ==, "1 Main St\nSpringfield");
  g_assert_true (outreach_settings_get_int (other, OUTREACH_SETTING_HISTORY_KEEP, &keep, &error));
  g_assert_cmpint (keep, ==, 0);
}

static void
test_bad_values (Fixture       *f,
                 gconstpointer  data)
{
  static const struct { OutreachSetting s; const char *value; const char *mention; } bad[] = {
    { OUTREACH_SETTING_PARALLEL_JOBS, "0", "parallel_jobs must be a whole number from 1 to 64" },
    { OUTREACH_SETTING_PARALLEL_JOBS, "two", "parallel_jobs" },
    { OUTREACH_SETTING_HISTORY_KEEP, "-1", "history_keep" },
    { OUTREACH_SETTING_CURRENCY, "usd", "ISO 4217" },
    { OUTREACH_SETTING_SENDER_ADDRESS, "not an address", "sender_address" },
    { OUTREACH_SETTING_REPLY_TO, "a@b@c", "reply_to" },
    /* the rule donors' addresses are read by: a domain has a dot, no ".." */
    { OUTREACH_SETTING_SENDER_ADDRESS, "office@localhost", "sender_address" },
    { OUTREACH_SETTING_REPLY_TO, "help..desk@example.org", "reply_to" },
    { OUTREACH_SETTING_UNSUBSCRIBE_URL, "ftp://example.org", "https://" },
    { OUTREACH_SETTING_ORG_NAME, "two\nlines", "single line" },
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *parallel = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_false (outreach_settings_set_string (f->store, bad[i].s, bad[i].value, &error));
      g_assert_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, bad[i].mention));
    }

  /* Nothing was written. */
  g_clear_error (&error);
  parallel = outreach_settings_get_string (f->store, OUTREACH_SETTING_PARALLEL_JOBS, &error);
  g_assert_cmpstr (parallel, ==, "2");

  /* Good values pass. */
  g_assert_true (outreach_settings_validate (OUTREACH_SETTING_UNSUBSCRIBE_URL,
                                             "https://example.org/u?d={{donor_id}}", NULL));
  g_assert_true (outreach_settings_validate (OUTREACH_SETTING_SENDER_ADDRESS, "", NULL));
  g_assert_true (outreach_settings_validate (OUTREACH_SETTING_SENDER_ADDRESS, "josé@bücher.example", NULL));
  g_assert_true (outreach_settings_validate (OUTREACH_SETTING_CURRENCY, "EUR", NULL));
}

static void
test_hand_edited (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  int parallel = -1;

  /* A value written past the checks (sqlite3 by hand) reads as the default. */
  g_assert_true (outreach_store_exec (f->store,
                                      "UPDATE settings SET value = 'lots' WHERE key = 'parallel_jobs'",
                                      &error));
  g_assert_true (outreach_settings_get_int (f->store, OUTREACH_SETTING_PARALLEL_JOBS, &parallel,
                                            &error));
  g_assert_cmpint (parallel, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/settings/defaults", Fixture, NULL, fixture_set_up, test_defaults,
              fixture_tear_down);
  g_test_add ("/outreach/settings/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/outreach/settings/bad-values", Fixture, NULL, fixture_set_up, test_bad_values,
              fixture_tear_down);
  g_test_add ("/outreach/settings/hand-edited", Fixture, NULL, fixture_set_up, test_hand_edited,
              fixture_tear_down);

  return g_test_run ();
}
