/* test-new-job-draft.c — the wizard's draft and donor selection, without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "outreach-job-draft.h"
#include "outreach-job-render.h"
#include "outreach-job.h"
#include "outreach-merge-fields.h"
#include "outreach-settings.h"
#include "outreach-template-library.h"
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
  g_autoptr (GError) error = NULL;

  f->store = outreach_test_new_store (&f->dir, &f->path);
  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO donors (id, first_name, last_name, email, phone, city, tags, do_not_contact,"
    " last_gift_amount, last_gift_date, created_at, updated_at) VALUES"
    " (1, 'Ada', 'Lovelace', 'ada@example.org', '+441234567890', 'London', 'gala;board', 0, 25000, '2026-03-01', 1, 1),"
    " (2, 'Grace', 'Hopper', 'grace@example.org', NULL, 'Arlington', 'gala', 0, 5000, '2025-11-02', 1, 1),"
    " (3, 'Alan', 'Turing', 'ALAN@example.org', NULL, 'london', 'board', 0, 1000, '2024-01-01', 1, 1),"
    " (4, 'Alan', 'Twin', 'alan@example.org', NULL, 'Leeds', 'board', 0, NULL, NULL, 1, 1),"
    " (5, 'Katherine', 'Johnson', NULL, '+15551234567', 'Hampton', 'gala', 0, NULL, NULL, 1, 1),"
    " (6, 'Mary', 'Jackson', 'mary@example.org', NULL, 'Hampton', 'gala', 1, 100, '2026-01-01', 1, 1),"
    " (7, 'Dorothy', 'Vaughan', 'dorothy@example.org', NULL, 'Hampton', 'gala_2', 0, 100, '2026-01-01', 1, 1);"
    "INSERT INTO suppressions (address, reason, created_at) VALUES ('DOROTHY@example.org', 'bounced', 1);",
    &error));
  g_assert_no_error (error);
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

static char *
matching (Fixture                *f,
          OutreachDonorSelection *selection)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = outreach_donor_selection_matching_ids (selection, f->store, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  return g_string_free (out, FALSE);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (OutreachDonorSelection) s = outreach_donor_selection_new ();
  g_autofree char *all = NULL, *gala = NULL, *city = NULL, *since = NULL, *amount = NULL;
  g_autofree char *phone = NULL, *search = NULL, *literal = NULL;

  all = matching (f, s);
  g_assert_cmpstr (all, ==, "1,2,3,4,5,6,7");
  s->tag = g_strdup ("gala");  /* a whole tag: not "gala_2" */
  gala = matching (f, s);
  g_assert_cmpstr (gala, ==, "1,2,5,6");
  g_clear_pointer (&s->tag, g_free);
  s->city = g_strdup ("LONDON");
  city = matching (f, s);
  g_assert_cmpstr (city, ==, "1,3");
  g_clear_pointer (&s->city, g_free);
  s->gave_since = g_strdup ("2026-01-01");
  since = matching (f, s);
  g_assert_cmpstr (since, ==, "1,6,7");
  g_clear_pointer (&s->gave_since, g_free);
  s->min_amount = 5000;
  amount = matching (f, s);
  g_assert_cmpstr (amount, ==, "1,2");
  s->min_amount = -1;
  s->need_phone = TRUE;
  phone = matching (f, s);
  g_assert_cmpstr (phone, ==, "1,5");
  s->need_phone = FALSE;
  s->search = g_strdup ("alan");
  search = matching (f, s);
  g_assert_cmpstr (search, ==, "3,4");
  /* LIKE's wildcards are text to look for, not patterns. */
  g_free (s->search);
  s->search = g_strdup ("%");
  literal = matching (f, s);
  g_assert_cmpstr (literal, ==, "");
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (OutreachDonorSelection) s = outreach_donor_selection_new ();
  g_autoptr (GError) error = NULL;
  OutreachDonorSelectionCounts c;

  /* Nothing chosen yet. */
  g_assert_true (outreach_donor_selection_count (s, f->store, FALSE, &c, &error));
  g_assert_cmpint (c.matching, ==, 7);
  g_assert_cmpint (c.selected, ==, 0);

  /* All: Katherine has no e-mail address, Alan Twin repeats Alan Turing's
   * address (in another case), Mary asked not to be contacted, Dorothy is
   * suppressed (in another case too). */
  outreach_donor_selection_select_all (s, TRUE);
  g_assert_true (outreach_donor_selection_count (s, f->store, FALSE, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c.selected, ==, 7);
  g_assert_cmpint (c.no_address, ==, 1);
  g_assert_cmpint (c.duplicates, ==, 1);
  g_assert_cmpint (c.do_not_contact, ==, 1);
  g_assert_cmpint (c.suppressed, ==, 1);
  g_assert_cmpint (c.reachable, ==, 3);

  /* By SMS only Ada and Katherine have an address. */
  g_assert_true (outreach_donor_selection_count (s, f->store, TRUE, &c, &error));
  g_assert_cmpint (c.no_address, ==, 5);
  g_assert_cmpint (c.reachable, ==, 2);

  /* Taking Alan Turing out leaves his twin's address unrepeated. */
  outreach_donor_selection_toggle (s, 3);
  g_assert_false (outreach_donor_selection_is_selected (s, 3));
  g_assert_true (outreach_donor_selection_count (s, f->store, FALSE, &c, &error));
  g_assert_cmpint (c.selected, ==, 6);
  g_assert_cmpint (c.duplicates, ==, 0);
  g_assert_cmpint (c.reachable, ==, 3);

  /* Only the ones ticked. */
  outreach_donor_selection_select_all (s, FALSE);
  outreach_donor_selection_toggle (s, 2);
  outreach_donor_selection_toggle (s, 6);
  g_assert_true (outreach_donor_selection_count (s, f->store, FALSE, &c, &error));
  g_assert_cmpint (c.selected, ==, 2);
  g_assert_cmpint (c.reachable, ==, 1);
}

static void
test_save_load (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (OutreachJobDraft) draft = outreach_job_draft_new ();
  g_autoptr (OutreachJobDraft) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  OutreachJobDraftStep step;
  gboolean taken;

  draft->step = OUTREACH_JOB_DRAFT_STEP_MESSAGE;
  draft->selection->tag = g_strdup ("gala");
  draft->selection->min_amount = 100;
  outreach_donor_selection_toggle (draft->selection, 5);
  draft->subject = (g_free (draft->subject), g_strdup ("Hello {{first_name}}"));
  draft->account_id = 1;
  draft->rate = 2.5;
  draft->priority = 1;
  draft->review = TRUE;
  g_assert_true (outreach_job_draft_save (draft, f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (draft->job_id, >, 0);

  /* A draft row needs a name before the Name step: "Untitled job". */
  g_assert_cmpint (outreach_job_draft_find_latest (f->store, &name, &step, &error), ==, draft->job_id);
  g_assert_cmpstr (name, ==, "Untitled job");
  g_assert_cmpint (step, ==, OUTREACH_JOB_DRAFT_STEP_MESSAGE);

  back = outreach_job_draft_load (f->store, draft->job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "");
  g_assert_cmpint (back->step, ==, OUTREACH_JOB_DRAFT_STEP_MESSAGE);
  g_assert_cmpstr (back->selection->tag, ==, "gala");
  g_assert_cmpint (back->selection->min_amount, ==, 100);
  g_assert_true (outreach_donor_selection_is_toggled (back->selection, 5));
  g_assert_cmpstr (back->subject, ==, "Hello {{first_name}}");
  g_assert_cmpint (back->account_id, ==, 1);
  g_assert_cmpfloat (back->rate, ==, 2.5);
  g_assert_cmpint (back->priority, ==, 1);
  g_assert_true (back->review);

  /* The draft's own name is not "another job's". */
  g_free (draft->name);
  draft->name = g_strdup ("Gala");
  g_assert_true (outreach_job_draft_save (draft, f->store, &error));
  g_assert_true (outreach_job_draft_name_taken (draft, f->store, " gala ", &taken, &error));
  g_assert_false (taken);
  {
    g_autoptr (OutreachJobDraft) other = outreach_job_draft_new ();

    g_assert_true (outreach_job_draft_name_taken (other, f->store, "GALA", &taken, &error));
    g_assert_true (taken);
  }

  g_assert_true (outreach_job_draft_discard (draft, f->store, &error));
  g_assert_null (outreach_job_draft_load (f->store, back->job_id, &error));
  g_assert_error (error, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_NOT_FOUND);
}

static void
test_suggest_name (void)
{
  g_autoptr (OutreachJobDraft) draft = outreach_job_draft_new ();
  g_autoptr (GDateTime) now = g_date_time_new_local (2026, 11, 23, 10, 0, 0);
  g_autofree char *from_template = NULL;
  g_autofree char *from_tag = NULL;
  g_autofree char *plain = NULL;

  plain = outreach_job_draft_suggest_name (draft, NULL, now);
  g_assert_cmpstr (plain, ==, "Message to donors — November 2026");
  draft->selection->tag = g_strdup ("gala");
  from_tag = outreach_job_draft_suggest_name (draft, NULL, now);
  g_assert_cmpstr (from_tag, ==, "Donors tagged gala — November 2026");
  from_template = outreach_job_draft_suggest_name (draft, " Thank-you letters ", now);
  g_assert_cmpstr (from_template, ==, "Thank-you letters — November 2026");
}

/* Launch goes through the engine's job creation with exactly the chosen
 * donors, in one transaction, and takes the draft's place. */
static void
test_launch_chosen_only (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (OutreachJobDraft) draft = outreach_job_draft_new ();
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 draft_id, job_id;
  GString *got = g_string_new (NULL);
  g_autofree char *addresses = NULL;

  draft->name = (g_free (draft->name), g_strdup ("Chosen few"));
  draft->subject = (g_free (draft->subject), g_strdup ("Hi {{first_name}}"));
  draft->text = (g_free (draft->text), g_strdup ("Dear {{first_name}}"));
  draft->account_id = 1;
  outreach_donor_selection_toggle (draft->selection, 2);
  outreach_donor_selection_toggle (draft->selection, 6);
  outreach_donor_selection_toggle (draft->selection, 3);
  g_assert_true (outreach_job_draft_save (draft, f->store, &error));
  draft_id = draft->job_id;

  job_id = outreach_job_draft_launch (draft, f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);
  g_assert_cmpint (job_id, !=, draft_id);

  stmt = outreach_store_prepare (f->store,
                                 "SELECT group_concat (address || ':' || state, ' ') FROM"
                                 " (SELECT address, state FROM job_recipients WHERE job_id = ? ORDER BY donor_id)",
                                 NULL);
  sqlite3_bind_int64 (stmt, 1, job_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append (got, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  addresses = g_string_free (got, FALSE);
  g_assert_cmpstr (addresses, ==, "grace@example.org:pending ALAN@example.org:pending mary@example.org:skipped");

  /* The draft row is gone, the real donors table is what this connection
   * sees again, and nothing else changed. */
  g_assert_null (outreach_job_draft_load (f->store, draft_id, NULL));
  {
    gint64 donors = 0;

    g_assert_true (outreach_store_count_rows (f->store, "donors", &donors, NULL));
    g_assert_cmpint (donors, ==, 7);
  }

  /* A scheduled one waits, queued, for its time. */
  {
    g_autoptr (OutreachJobDraft) later = outreach_job_draft_new ();
    g_autoptr (GError) local = NULL;
    gint64 when = g_get_real_time () / G_USEC_PER_SEC + 3600;
    gint64 later_id;

    later->name = (g_free (later->name), g_strdup ("Later"));
    later->subject = (g_free (later->subject), g_strdup ("S"));
    later->text = (g_free (later->text), g_strdup ("T"));
    later->account_id = 1;
    later->scheduled_at = when;
    later->priority = -1;
    outreach_donor_selection_toggle (later->selection, 1);
    later_id = outreach_job_draft_launch (later, f->store, NULL, NULL, &local);
    g_assert_no_error (local);
    stmt = outreach_store_prepare (f->store,
                                   "SELECT status = 'queued' AND scheduled_at = ? AND priority = -1 AND total = 1"
                                   " FROM jobs WHERE id = ?", NULL);
    sqlite3_bind_int64 (stmt, 1, when);
    sqlite3_bind_int64 (stmt, 2, later_id);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_reset (stmt);
  }

  /* Nobody chosen: nothing is created. */
  {
    g_autoptr (OutreachJobDraft) empty = outreach_job_draft_new ();
    g_autoptr (GError) none = NULL;

    empty->name = (g_free (empty->name), g_strdup ("Nobody"));
    empty->subject = (g_free (empty->subject), g_strdup ("S"));
    empty->text = (g_free (empty->text), g_strdup ("T"));
    empty->account_id = 1;
    g_assert_cmpint (outreach_job_draft_launch (empty, f->store, NULL, NULL, &none), ==, 0);
    g_assert_error (none, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_NO_RECIPIENTS);
  }
}

/* What a job snapshots for each recipient is the very text json-glib writes
 * for the donor's merge fields (the check, the preview and the runner read
 * it back), also for awkward values, extras and a templated unsubscribe link. */
static void
check_snapshots_match (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachMergeFieldsBuilder) builder = NULL;
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  OutreachJobSpec spec = { .name = "Snap \"shot\"", .account_id = 1, .select = OUTREACH_JOB_SELECT_ALL,
                           .subject = "S", .text = "T {{first_name}}" };
  sqlite3_stmt *stmt;
  gint64 job_id;
  guint compared = 0;

  builder = outreach_merge_fields_builder_new (f->store, spec.name, &error);
  g_assert_no_error (error);
  job_id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);

  stmt = outreach_store_prepare (f->store,
                                 "SELECT " OUTREACH_MERGE_FIELDS_DONOR_COLUMNS ", r.merge_data"
                                 " FROM donors JOIN job_recipients r ON r.donor_id = donors.id"
                                 " WHERE r.job_id = ? ORDER BY donors.id", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) fields = outreach_merge_fields_builder_build (builder, stmt, 0);
      g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), fields);
      g_autofree char *expected = NULL;
      g_autoptr (GString) written = g_string_new (NULL);

      json_generator_set_root (generator, root);
      expected = json_generator_to_data (generator, NULL);
      outreach_merge_fields_builder_write_json (builder, stmt, 0, written);
      g_assert_cmpstr (written->str, ==, expected);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, OUTREACH_MERGE_FIELDS_N_DONOR_COLUMNS),
                       ==, expected);
      compared++;
    }
  sqlite3_reset (stmt);
  /* 1, 2, 3, 6, 7, 8, 10, 11, 12 (5 has no address, 4 the address of 3). */
  g_assert_cmpuint (compared, ==, 9);
}

static void
test_snapshot_text (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) awkward = g_string_new ("Q\"b\\\\s/é€😀");
  sqlite3_stmt *stmt;

  /* Every ASCII control character and DEL in a name, in a tag and an extra
   * (0x1f apart: json-glib writes it raw, which is not valid JSON; below). */
  for (int c = 1; c < 0x1f; c++)
    g_string_append_c (awkward, (char) c);
  g_string_append_c (awkward, 0x7f);
  stmt = outreach_store_prepare (f->store,
                                 "INSERT INTO donors (id, first_name, last_name, email, street, tags,"
                                 " last_gift_amount, last_gift_date, extra, created_at, updated_at) VALUES"
                                 " (8, ?1, '', 'odd@example.org', ?1, 'a;;' || ?1 || ';', 123456789, '2026-02-30',"
                                 "  json_object ('Fav Prog', ?1, 'fav_prog', 'second loses', 'First Name', 'mapped wins',"
                                 "   'n', 5.5, 'b', json('true'), 'o', json('{\"a\":[1,\"x\"]}'), 'z', json('null'), '', 'x'),"
                                 "  1, 1)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, awkward->str, awkward->len, SQLITE_STATIC);
  outreach_store_step_done (f->store, stmt, &error);
  g_assert_no_error (error);

  /* Extras as an import writes them, with many headers (their order is
   * json-glib's), one of a mapped column's name, two for one field name,
   * a DEL, and not-quite-simple ones (a space, a repeated header). */
  g_assert_true (outreach_store_exec (f->store,
    "INSERT INTO donors (id, first_name, email, extra, created_at, updated_at) VALUES"
    " (10, 'Ten', 'ten@example.org', json_object ('Zeta', 'z', 'Alpha', 'a', 'Mid Name', 'm', 'City', 'no',"
    "  'Fav-Prog', 'first', 'fav prog', 'second', 'Größe', 'L', 'e1', '1', 'e2', '2', 'e3', '3', 'e4', '4',"
    "  'e5', '5', 'e6', '6', 'e7', '7', 'e8', '8', 'e9', '9', 'del', 'x' || char (127) || 'y', 'empty', ''), 1, 1),"
    " (11, 'Eleven', 'eleven@example.org', '{\"a\": \"spaced\", \"b\":\"c\"}', 1, 1),"
    " (12, 'Twelve', 'twelve@example.org', '{\"a\":\"one\",\"a\":\"two\"}', 1, 1)",
    &error));
  g_assert_no_error (error);

  g_assert_true (outreach_settings_set_string (f->store, OUTREACH_SETTING_ORG_NAME, "Org \"Q\"", &error));
  g_assert_no_error (error);
  check_snapshots_match (f);

  g_assert_true (outreach_settings_set_string (f->store, OUTREACH_SETTING_UNSUBSCRIBE_URL,
                                               "https://example.org/u?d={{donor_id}}&n={{first_name}}"
                                               "&f={{fav_prog}}&t={{#tags}}{{.}},{{/tags}}&o={{org_name}}",
                                               &error));
  g_assert_no_error (error);
  check_snapshots_match (f);

  /* A unit separator (0x1f) in a name: the recipient is still created,
   * with valid JSON that reads back as the name. */
  {
    OutreachJobSpec spec = { .name = "US", .account_id = 1, .select = OUTREACH_JOB_SELECT_SEARCH,
                             .select_text = "us@example.org", .subject = "S", .text = "T" };
    g_autoptr (JsonParser) parser = json_parser_new ();
    gint64 job_id;

    g_assert_true (outreach_store_exec (f->store,
      "INSERT INTO donors (id, first_name, email, created_at, updated_at)"
      " VALUES (9, 'a' || char (31) || 'b', 'us@example.org', 1, 1)", &error));
    job_id = outreach_job_create (f->store, &spec, &error);
    g_assert_no_error (error);
    stmt = outreach_store_prepare (f->store, "SELECT merge_data FROM job_recipients WHERE job_id = ?",
                                   &error);
    sqlite3_bind_int64 (stmt, 1, job_id);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1,
                                               &error));
    sqlite3_reset (stmt);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "first_name"), ==, "a\x1f" "b");
  }
}

static void
count_progress (gint64   done,
                gint64   total,
                gpointer user_data)
{
  gint64 *last = user_data;

  g_assert_cmpint (done, <=, total);
  last[0] = done;
  last[1] = total;
}

/* The engine's job creation for an explicit choice of donors: exactly
 * those (repeats and vanished ids ignored), in id order for the duplicate
 * address rule, with progress, and without hiding the connection's donors. */
static void
test_create_for_ids (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const gint64 chosen[] = { 4, 7, 2, 4, 99, 3, 5 };
  gint64 last[2] = { -1, -1 };
  OutreachJobSpec spec = { .name = "Chosen", .account_id = 1, .select = OUTREACH_JOB_SELECT_IDS,
                           .subject = "S", .text = "T", .progress = count_progress,
                           .progress_data = last };
  sqlite3_stmt *stmt;
  gint64 job_id;

  /* Without the list: refused, nothing written. */
  g_assert_cmpint (outreach_job_create (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_INVALID);
  g_clear_error (&error);

  g_array_append_vals (ids, chosen, G_N_ELEMENTS (chosen));
  spec.donor_ids = ids;
  job_id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);
  /* 2, 3, 4, 5, 7 read (99 is no donor). */
  g_assert_cmpint (last[0], ==, 5);
  g_assert_cmpint (last[1], ==, 5);

  stmt = outreach_store_prepare (f->store,
                                 "SELECT group_concat (donor_id || ':' || state, ' ') FROM"
                                 " (SELECT donor_id, state FROM job_recipients WHERE job_id = ? ORDER BY donor_id)",
                                 &error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  /* 3 keeps alan@ (4 has it too, later), 5 has no e-mail, 7 is suppressed. */
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "2:pending 3:pending 7:skipped");
  sqlite3_reset (stmt);

  /* No stand-in for the donors table is left on the connection. */
  g_assert_cmpint (outreach_store_count_rows (f->store, "donors", &last[0], NULL), ==, TRUE);
  g_assert_cmpint (last[0], ==, 7);
  stmt = outreach_store_prepare (f->store, "SELECT count(*) FROM temp.sqlite_master WHERE type = 'view'",
                                 &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);

  /* The message, written after the recipients, is the one asked for. */
  stmt = outreach_store_prepare (f->store,
                                 "SELECT subject = 'S' AND text_body = 'T' AND html_body IS NULL"
                                 " AND json_extract (params, '$.max_attempts') = 8 AND status = 'queued'"
                                 " FROM jobs WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  /* The CLI's selections are unchanged: a tag after a choice. */
  spec.select = OUTREACH_JOB_SELECT_TAG;
  spec.select_text = "board";
  spec.donor_ids = NULL;
  job_id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);
  stmt = outreach_store_prepare (f->store, "SELECT total FROM jobs WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);  /* 1 and 3 (4 shares 3's address) */
  sqlite3_reset (stmt);

  /* A long HTML body is stored whole. */
  {
    g_autofree char *html = g_strnfill (100000, 'h');

    spec.html = html;
    job_id = outreach_job_create (f->store, &spec, &error);
    g_assert_no_error (error);
    stmt = outreach_store_prepare (f->store, "SELECT length (html_body) FROM jobs WHERE id = ?", &error);
    sqlite3_bind_int64 (stmt, 1, job_id);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 100000);
    sqlite3_reset (stmt);
  }
}

/* More donors than one chunk of the creation's INSERT (2,048) and not a
 * multiple of it: every donor with an address once, none twice. */
static void
test_create_many (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  OutreachJobSpec spec = { .name = "Many", .account_id = 1, .select = OUTREACH_JOB_SELECT_ALL,
                           .subject = "S", .text = "T" };
  sqlite3_stmt *stmt;
  gint64 job_id;

  outreach_store_exec (f->store,
    "WITH RECURSIVE c (i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM c WHERE i < 5099)"
    " INSERT INTO donors (id, first_name, email, phone, created_at, updated_at)"
    " SELECT i, 'D' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'd' || i || '@example.org' END, '+1555' || i, 1, 1"
    " FROM c", &error);
  g_assert_no_error (error);
  job_id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);

  stmt = outreach_store_prepare (f->store,
                                 "SELECT (SELECT total FROM jobs WHERE id = ?1),"
                                 " (SELECT count (DISTINCT donor_id) FROM job_recipients WHERE job_id = ?1),"
                                 " (SELECT count (*) FROM donors d WHERE d.email IS NOT NULL AND NOT EXISTS"
                                 "   (SELECT 1 FROM donors e WHERE e.email = d.email COLLATE NOCASE AND e.id < d.id)),"
                                 " (SELECT max (donor_id) FROM job_recipients WHERE job_id = ?1)",
                                 &error);
  sqlite3_bind_int64 (stmt, 1, job_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, sqlite3_column_int64 (stmt, 2));
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, sqlite3_column_int64 (stmt, 2));
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >, 4000);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, 5099);
  sqlite3_reset (stmt);
}

/* A saved template used as a partial ({{> footer}}) goes out with the job,
 * as it was at launch: editing it afterwards changes no launched job. */
static void
test_frozen_partials (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const gint64 chosen[] = { 2 };
  OutreachJobSpec spec = { .name = "With footer", .account_id = 1,
                           .select = OUTREACH_JOB_SELECT_IDS, .subject = "Thanks",
                           .text = "Dear {{first_name}},\n{{> footer}}",
                           .html = "<p>Dear {{first_name}}</p>{{> footer}}" };
  g_autoptr (OutreachMessage) message = NULL;
  g_autoptr (OutreachMessage) again = NULL;
  gint64 footer, job_id;

  footer = outreach_template_library_save (f->store, 0, "footer", "", "-- Sent with care",
                                           "<footer>Sent with care</footer>", &error);
  g_assert_no_error (error);

  g_array_append_vals (ids, chosen, G_N_ELEMENTS (chosen));
  spec.donor_ids = ids;
  job_id = outreach_job_create (f->store, &spec, &error);
  g_assert_no_error (error);

  message = outreach_job_render_recipient (f->store, job_id, "2", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (message->text->str, "-- Sent with care"));
  g_assert_true (g_str_has_suffix (message->html->str, "<footer>Sent with care</footer>"));

  outreach_template_library_save (f->store, footer, "footer", "", "-- Changed later", NULL, &error);
  g_assert_no_error (error);
  again = outreach_job_render_recipient (f->store, job_id, "2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->text->str, ==, message->text->str);

  /* An unknown partial is refused at creation, not at sending. */
  spec.text = "{{> signature}}";
  g_assert_cmpint (outreach_job_create (f->store, &spec, &error), ==, 0);
  g_assert_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_TEMPLATE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outreach/new-job-draft/filters", Fixture, NULL, fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/outreach/new-job-draft/counts", Fixture, NULL, fixture_set_up, test_counts, fixture_tear_down);
  g_test_add ("/outreach/new-job-draft/save-load", Fixture, NULL, fixture_set_up, test_save_load, fixture_tear_down);
  g_test_add_func ("/outreach/new-job-draft/suggest-name", test_suggest_name);
  g_test_add ("/outreach/new-job-draft/launch-chosen-only", Fixture, NULL, fixture_set_up,
              test_launch_chosen_only, fixture_tear_down);
  g_test_add ("/outreach/new-job-draft/snapshot-text", Fixture, NULL, fixture_set_up,
              test_snapshot_text, fixture_tear_down);
  g_test_add ("/outreach/new-job-draft/create-for-ids", Fixture, NULL, fixture_set_up,
              test_create_for_ids, fixture_tear_down);
  g_test_add ("/outreach/new-job-draft/create-many", Fixture, NULL, fixture_set_up,
              test_create_many, fixture_tear_down);
  g_test_add ("/outreach/new-job-draft/frozen-partials", Fixture, NULL, fixture_set_up,
              test_frozen_partials, fixture_tear_down);
  return g_test_run ();
}
