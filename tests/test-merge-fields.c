/* test-merge-fields.c — the fields a message can use, from a real database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "outreach-merge-fields.h"
#include "outreach-settings.h"
#include "outreach-template.h"
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

  g_assert_true (outreach_store_exec (fixture->store,
    "INSERT INTO donors (id, external_id, first_name, last_name, email, phone, street, city, "
    "  region, postal_code, country, last_gift_amount, last_gift_date, tags, do_not_contact, "
    "  extra, created_at, updated_at) VALUES "
    "(7, 'D0000007', 'Zoë', 'O''Brien', 'zoe@example.org', '+41441234567', '1 Main St', 'Zürich',"
    "  'ZH', '8001', 'CH', 25000, '2025-08-16', 'board;gala-2025', 0,"
    "  '{\"Favourite Program\": \"Rivers\", \"T-Shirt Size\": \"M\", \"Visits\": 3, \"first_name\": \"X\"}',"
    "  1, 1),"
    "(8, NULL, 'Ada', '', 'ada@example.org', NULL, '', '', '', '', '', NULL, NULL, '', 1, '{}', 1, 1),"
    "(9, NULL, 'Big', 'Giver', 'big@example.org', NULL, '', '', '', '', '', 123456789, '2024-02-29',"
    "  '', 0, '{}', 1, 1)",
    &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  outreach_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
set_setting (Fixture         *fixture,
             OutreachSetting  setting,
             const char      *value)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (outreach_settings_set_string (fixture->store, setting, value, &error));
  g_assert_no_error (error);
}

static JsonObject *
fields_for (Fixture    *fixture,
            gint64      donor_id,
            const char *job_name)
{
  g_autoptr (GError) error = NULL;
  JsonObject *fields = outreach_merge_fields_for_donor (fixture->store, donor_id, job_name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fields);
  return fields;
}

static void
test_donor_fields (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (JsonObject) fields = NULL;
  JsonArray *tags;

  set_setting (fixture, OUTREACH_SETTING_ORG_NAME, "Friends of the River & Co");
  set_setting (fixture, OUTREACH_SETTING_SENDER_NAME, "Maria");
  set_setting (fixture, OUTREACH_SETTING_UNSUBSCRIBE_URL,
               "https://example.org/unsubscribe?d={{donor_id}}&e={{email}}");
  fields = fields_for (fixture, 7, "Autumn appeal");

  g_assert_cmpint (json_object_get_int_member (fields, "donor_id"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (fields, "external_id"), ==, "D0000007");
  g_assert_cmpstr (json_object_get_string_member (fields, "first_name"), ==, "Zoë");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_name"), ==, "O'Brien");
  g_assert_cmpstr (json_object_get_string_member (fields, "email"), ==, "zoe@example.org");
  g_assert_cmpstr (json_object_get_string_member (fields, "phone"), ==, "+41441234567");
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Zürich");
  g_assert_cmpstr (json_object_get_string_member (fields, "postal_code"), ==, "8001");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_gift_amount"), ==, "250.00");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_gift_amount_formatted"), ==, "$250.00");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_gift_date"), ==, "2025-08-16");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_gift_date_long"), !=, "");
  g_assert_false (json_object_get_boolean_member (fields, "do_not_contact"));
  tags = json_object_get_array_member (fields, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "gala-2025");

  /* extra keys: header lower-cased, other characters '_'; a mapped column wins */
  g_assert_cmpstr (json_object_get_string_member (fields, "favourite_program"), ==, "Rivers");
  g_assert_cmpstr (json_object_get_string_member (fields, "t_shirt_size"), ==, "M");
  g_assert_cmpstr (json_object_get_string_member (fields, "visits"), ==, "3");

  g_assert_cmpstr (json_object_get_string_member (fields, "org_name"), ==, "Friends of the River & Co");
  g_assert_cmpstr (json_object_get_string_member (fields, "sender_name"), ==, "Maria");
  g_assert_cmpstr (json_object_get_string_member (fields, "job_name"), ==, "Autumn appeal");
  g_assert_cmpuint (strlen (json_object_get_string_member (fields, "today")), ==, 10);
  /* the unsubscribe link is itself a template, rendered for the donor */
  g_assert_cmpstr (json_object_get_string_member (fields, "unsubscribe_url"), ==,
                   "https://example.org/unsubscribe?d=7&e=zoe@example.org");
}

static void
test_missing_values (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr (JsonObject) fields = fields_for (fixture, 8, NULL);
  g_autoptr (OutreachTemplate) template = NULL;
  g_autofree char *out = NULL;

  /* a missing value is "", so a section leaves it out */
  g_assert_cmpstr (json_object_get_string_member (fields, "phone"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_gift_amount"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_gift_date_long"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (fields, "unsubscribe_url"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (fields, "job_name"), ==, "");
  g_assert_true (json_object_get_boolean_member (fields, "do_not_contact"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fields, "tags")), ==, 0);

  template = outreach_template_new ("Hi {{first_name}}{{#phone}}, call {{phone}}{{/phone}}"
                                    "{{^last_gift_amount}}. First gift?{{/last_gift_amount}}",
                                    OUTREACH_TEMPLATE_TEXT, NULL, NULL);
  out = outreach_template_render_to_string (template, fields);
  g_assert_cmpstr (out, ==, "Hi Ada. First gift?");
}

static void
test_currency (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (JsonObject) usd = fields_for (fixture, 9, NULL);
  g_autoptr (JsonObject) eur = NULL;
  g_autoptr (JsonObject) chf = NULL;
  g_autoptr (JsonObject) jpy = NULL;

  g_assert_cmpstr (json_object_get_string_member (usd, "last_gift_amount"), ==, "1234567.89");
  g_assert_cmpstr (json_object_get_string_member (usd, "last_gift_amount_formatted"), ==, "$1,234,567.89");
  set_setting (fixture, OUTREACH_SETTING_CURRENCY, "EUR");
  eur = fields_for (fixture, 9, NULL);
  g_assert_cmpstr (json_object_get_string_member (eur, "last_gift_amount_formatted"), ==, "€1,234,567.89");
  set_setting (fixture, OUTREACH_SETTING_CURRENCY, "CHF");
  chf = fields_for (fixture, 9, NULL);
  g_assert_cmpstr (json_object_get_string_member (chf, "last_gift_amount_formatted"), ==, "CHF 1,234,567.89");
  set_setting (fixture, OUTREACH_SETTING_CURRENCY, "JPY");
  jpy = fields_for (fixture, 9, NULL);
  g_assert_cmpstr (json_object_get_string_member (jpy, "last_gift_amount_formatted"), ==, "¥1,234,568");
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  JsonObject *fields;

  fields = outreach_merge_fields_for_donor (fixture->store, 4242, NULL, &error);
  g_assert_null (fields);
  g_assert_error (error, OUTREACH_MERGE_FIELDS_ERROR, OUTREACH_MERGE_FIELDS_ERROR_NO_DONOR);
  g_assert_nonnull (strstr (error->message, "4242"));
  g_clear_error (&error);

  set_setting (fixture, OUTREACH_SETTING_UNSUBSCRIBE_URL, "https://example.org/u?d={{donor_id");
  fields = outreach_merge_fields_for_donor (fixture->store, 7, NULL, &error);
  g_assert_null (fields);
  g_assert_error (error, OUTREACH_MERGE_FIELDS_ERROR, OUTREACH_MERGE_FIELDS_ERROR_BAD_UNSUBSCRIBE_URL);
  g_assert_nonnull (strstr (error->message, "1:25: unclosed tag"));
}

static void
test_names (void)
{
  const char *cases[][2] = {
    { "Favourite Program", "favourite_program" },
    { "T-Shirt Size", "t_shirt_size" },
    { "Größe", "größe" },
    { "e-mail 2", "e_mail_2" },
    { "", "" },
  };
  guint n;
  const OutreachMergeFieldInfo *standard = outreach_merge_fields_get_standard (&n);
  g_autofree char *date = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = outreach_merge_fields_name_for_header (cases[i][0]);
      g_assert_cmpstr (name, ==, cases[i][1]);
    }

  /* every field DESIGN.md names is in the menu */
  g_assert_cmpuint (n, >=, 20);
  for (const char *const *name = (const char *const[]) { "org_name", "sender_name", "unsubscribe_url",
                                                        "job_name", "today", "last_gift_amount_formatted",
                                                        "last_gift_date_long", NULL };
       *name != NULL; name++)
    g_assert_nonnull (outreach_merge_fields_lookup (*name));
  g_assert_nonnull (standard[0].label);

  date = outreach_merge_fields_format_date_long ("2025-08-16");
  g_assert_nonnull (strstr (date, "2025"));
  g_assert_nonnull (strstr (date, "16"));
}

static void
test_list_extra (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) extra = outreach_merge_fields_list_extra (fixture->store, 1000, &error);
  const char *expected[] = { "favourite_program", "t_shirt_size", "visits", NULL };

  g_assert_no_error (error);
  g_assert_cmpstrv (extra, expected);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/merge-fields/donor", Fixture, NULL, fixture_set_up, test_donor_fields, fixture_tear_down);
  g_test_add ("/outreach/merge-fields/missing-values", Fixture, NULL, fixture_set_up, test_missing_values, fixture_tear_down);
  g_test_add ("/outreach/merge-fields/currency", Fixture, NULL, fixture_set_up, test_currency, fixture_tear_down);
  g_test_add ("/outreach/merge-fields/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/outreach/merge-fields/list-extra", Fixture, NULL, fixture_set_up, test_list_extra, fixture_tear_down);
  g_test_add_func ("/outreach/merge-fields/names", test_names);

  return g_test_run ();
}
