/* outreach-job.c — creating a send job: who gets it, the frozen message
 *
 * In one transaction: the jobs row with the message frozen as it is now,
 * then one job_recipients row per chosen donor with the donor's merge
 * fields as they are now (so the job sends what was reviewed, even if the
 * donor changes later). Suppressed and do-not-contact donors become
 * `skipped` with the reason; an address appears at most once per job
 * (case-insensitive), the first donor with it wins.
 *
 * Fast enough for 100,000 donors in about two seconds of CPU: the
 * recipients go in by INSERT … SELECT in chunks, the snapshot is JSON text
 * written by an SQL function (no JsonObject per donor), and the message is
 * written into the jobs row last, because the counting trigger rewrites
 * that row for every recipient.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job"

#include "config.h"

#include "outreach-job.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "outreach-job-log.h"
#include "outreach-job-status.h"
#include "outreach-merge-fields.h"
#include "outreach-template-library.h"
#include "outreach-template.h"

G_DEFINE_QUARK (outreach-job-create-error-quark, outreach_job_create_error)

static gboolean
check_template (const char           *source,
                OutreachTemplateKind  kind,
                GHashTable           *partials,
                const char           *what,
                GError              **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (OutreachTemplate) template = outreach_template_new (source, kind, partials, &local);

  if (template == NULL)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_TEMPLATE,
                   _("The %s does not work as a template: %s"), what, local->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_partials (JsonBuilder *builder,
              const char  *member,
              GHashTable  *partials)
{
  GHashTableIter iter;
  gpointer name, source;

  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, partials);
  while (g_hash_table_iter_next (&iter, &name, &source))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, source);
    }
  json_builder_end_object (builder);
}

/* The job's parameters, with the saved templates frozen in as its
 * partials ({{> footer}}): editing a saved template later does not change
 * a job that was launched with it. */
static char *
params_json (const OutreachJobSpec *spec,
             GHashTable            *text_partials,
             GHashTable            *html_partials)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rate");
  json_builder_add_double_value (builder, spec->rate);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, spec->concurrency);
  json_builder_set_member_name (builder, "review");
  json_builder_add_boolean_value (builder, spec->review);
  json_builder_set_member_name (builder, "max_attempts");
  json_builder_add_int_value (builder, spec->max_attempts > 0 ? spec->max_attempts : 8);
  if (g_hash_table_size (text_partials) > 0)
    {
      json_builder_set_member_name (builder, "partials");
      json_builder_begin_object (builder);
      add_partials (builder, "text", text_partials);
      add_partials (builder, "html", html_partials);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

#define CHUNK_ROWS 2048

/* The reason a donor's address is suppressed, or NULL. */
#define SUPPRESSION \
  "(SELECT reason FROM suppressions s WHERE s.address = donors.email OR s.address = donors.phone)"

/* "FROM … WHERE (…)": the donors a selection chooses; ?1 is the LIKE
 * pattern of a search or a tag. */
static const char *
selection_sql (OutreachJobSelect select)
{
  switch (select)
    {
    case OUTREACH_JOB_SELECT_ALL:
      return "FROM donors WHERE (1)";
    case OUTREACH_JOB_SELECT_SEARCH:
      return "FROM donors WHERE ((donors.first_name || ' ' || donors.last_name) LIKE ?1"
             " OR donors.email LIKE ?1 OR donors.phone LIKE ?1 OR donors.external_id LIKE ?1)";
    case OUTREACH_JOB_SELECT_IDS:
      /* CROSS JOIN keeps the chosen ids' (ascending) order. */
      return "FROM temp.outreach_job_ids AS chosen CROSS JOIN donors ON donors.id = chosen.id"
             " WHERE (1)";
    case OUTREACH_JOB_SELECT_TAG:
    default:
      return "FROM donors WHERE (';' || lower (donors.tags) || ';' LIKE ?1)";
    }
}

typedef struct
{
  OutreachMergeFieldsBuilder *builder;
  GString *text;
  const OutreachJobSpec *spec;
  gint64 no_address;  /* read before, so progress counts them too */
  gint64 total;
  gint64 done;        /* rows with an address the INSERT read */
  gint64 last_id;     /* the last donor written */
} MergeDataContext;

/* outreach_job_merge_data (donor columns…): the donor's merge-data snapshot. */
static void
merge_data_func (sqlite3_context *context,
                 int              argc,
                 sqlite3_value  **argv)
{
  MergeDataContext *self = sqlite3_user_data (context);

  g_string_truncate (self->text, 0);
  outreach_merge_fields_builder_write_json_values (self->builder, argv, self->text);
  sqlite3_result_text (context, self->text->str, self->text->len, SQLITE_TRANSIENT);
  self->done++;
  self->last_id = sqlite3_value_int64 (argv[0]);
  if (self->spec->progress != NULL && (self->done & 1023) == 0)
    self->spec->progress (self->done + self->no_address, self->total, self->spec->progress_data);
}

/* The chosen donors that still exist go into a temporary table (in memory, this connection
 * only) so that one SELECT joins them to their rows; inside the caller's
 * transaction, so a failure leaves it empty. */
static gboolean
fill_chosen_ids (OutreachStore *store,
                 GArray        *ids,
                 gint64        *n_chosen,
                 GError       **error)
{
  sqlite3_stmt *insert;

  if (!outreach_store_exec (store, "DELETE FROM temp.outreach_job_ids", error))
    return FALSE;
  insert = outreach_store_prepare (store, "INSERT OR IGNORE INTO temp.outreach_job_ids (id)"
                                   " SELECT id FROM main.donors WHERE id = ?",
                                   error);
  if (insert == NULL)
    return FALSE;
  *n_chosen = 0;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_bind_int64 (insert, 1, g_array_index (ids, gint64, i));
      if (!outreach_store_step_done (store, insert, error))
        return FALSE;
      *n_chosen += sqlite3_changes (outreach_store_get_db (store));
    }
  return TRUE;
}

/* A hundred thousand snapshots are tens of megabytes of pages: with the
 * default cache they spill to the WAL in the middle of the transaction and
 * are written twice. Returns the size to restore afterwards. */
static gint64
enlarge_cache (OutreachStore *store)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, "PRAGMA cache_size", NULL);
  gint64 old = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    old = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* Negative is KiB, positive pages (4 KiB here); 64 MiB either way. */
  if (old != 0 && (old < 0 ? -old : old * 4) < 65536)
    outreach_store_exec (store, "PRAGMA cache_size = -65536", NULL);
  else
    old = 0;
  return old;
}

static void
restore_cache (OutreachStore *store,
               gint64         old)
{
  g_autofree char *sql = NULL;

  if (old == 0)
    return;
  sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, old);
  outreach_store_exec (store, sql, NULL);
}

/**
 * outreach_job_create:
 *
 * Creates the job and queues it (a scheduled one waits for its time).
 * With OUTREACH_JOB_SELECT_IDS, the recipients are the donors in
 * @spec->donor_ids that still exist. @spec->progress hears of the donors
 * read (the total is 0 when unknown, for a search or a tag).
 *
 * Returns: the new job's id, or 0 with @error set
 */
gint64
outreach_job_create (OutreachStore         *store,
                     const OutreachJobSpec *spec,
                     GError               **error)
{
  g_autoptr (OutreachMergeFieldsBuilder) builder = NULL;
  g_autoptr (GString) merge_data = g_string_sized_new (1024);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *params = NULL;
  g_autoptr (GHashTable) text_partials = NULL;
  g_autoptr (GHashTable) html_partials = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *like = NULL;
  sqlite3_stmt *stmt;
  sqlite3_stmt *insert;
  gint64 job_id;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 old_cache;
  gint64 total = 0, done = 0;
  gboolean phone;
  gint64 added = 0, skipped = 0, duplicates = 0, no_address = 0, inserted = 0;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);
  g_return_val_if_fail (spec != NULL, 0);

  name = g_strstrip (g_strdup (spec->name != NULL ? spec->name : ""));
  if (*name == '\0' || g_utf8_strlen (name, -1) > 255)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_INVALID,
                   _("A job needs a name of 1 to 255 characters"));
      return 0;
    }
  if (spec->rate < 0 || spec->concurrency < 0 || spec->concurrency > 256)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_INVALID,
                   _("The rate must be 0 or more and the concurrency between 1 and 256"));
      return 0;
    }
  if (spec->priority < -1 || spec->priority > 1)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_INVALID,
                   _("The priority must be low, normal or high"));
      return 0;
    }
  text_partials = outreach_template_library_partials (store, OUTREACH_TEMPLATE_TEXT, error);
  if (text_partials == NULL)
    return 0;
  html_partials = outreach_template_library_partials (store, OUTREACH_TEMPLATE_HTML, error);
  if (html_partials == NULL)
    return 0;
  if (!check_template (spec->subject != NULL ? spec->subject : "", OUTREACH_TEMPLATE_SUBJECT,
                       text_partials, _("subject"), error) ||
      !check_template (spec->text != NULL ? spec->text : "", OUTREACH_TEMPLATE_TEXT,
                       text_partials, _("text body"), error) ||
      (spec->html != NULL &&
       !check_template (spec->html, OUTREACH_TEMPLATE_HTML, html_partials, _("HTML body"), error)))
    return 0;

  if (spec->select == OUTREACH_JOB_SELECT_IDS && spec->donor_ids == NULL)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_INVALID,
                   _("A job for chosen donors needs the list of their ids"));
      return 0;
    }
  if (spec->select == OUTREACH_JOB_SELECT_IDS &&
      !outreach_store_exec (store,
                            "PRAGMA temp_store = MEMORY;"
                            "CREATE TEMP TABLE IF NOT EXISTS outreach_job_ids (id INTEGER PRIMARY KEY)",
                            error))
    return 0;

  old_cache = enlarge_cache (store);
  if (!outreach_store_begin (store, error))
    {
      restore_cache (store, old_cache);
      return 0;
    }
  if (spec->select == OUTREACH_JOB_SELECT_IDS &&
      !fill_chosen_ids (store, spec->donor_ids, &total, error))
    goto fail;

  stmt = outreach_store_prepare (store, "SELECT kind FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, spec->account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (kind == NULL)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_NO_ACCOUNT,
                   _("There is no account %" G_GINT64_FORMAT "; “outreach accounts list” shows them"),
                   spec->account_id);
      goto fail;
    }
  phone = g_str_equal (kind, "twilio");

  params = params_json (spec, text_partials, html_partials);
  stmt = outreach_store_prepare (store,
                                 "INSERT INTO jobs (uuid, name, status, priority, account_id, subject,"
                                 " text_body, html_body, params, created_at, scheduled_at, updated_at)"
                                 " VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, spec->priority);
  sqlite3_bind_int64 (stmt, 4, spec->account_id);
  /* The message goes in after the recipients: the counting trigger
   * rewrites the jobs row once per recipient, and a long HTML body in it
   * would be copied a hundred thousand times. */
  sqlite3_bind_text (stmt, 5, "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, "{}", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, now);
  if (spec->scheduled_at > 0)
    sqlite3_bind_int64 (stmt, 10, spec->scheduled_at);
  sqlite3_bind_int64 (stmt, 11, now);
  if (!outreach_store_step_done (store, stmt, error))
    goto fail;
  job_id = sqlite3_last_insert_rowid (outreach_store_get_db (store));

  builder = outreach_merge_fields_builder_new (store, name, error);
  if (builder == NULL)
    goto fail;

  if (spec->select == OUTREACH_JOB_SELECT_SEARCH)
    like = g_strdup_printf ("%%%s%%", spec->select_text != NULL ? spec->select_text : "");
  else if (spec->select == OUTREACH_JOB_SELECT_TAG)
    {
      g_autofree char *lower = g_utf8_strdown (spec->select_text != NULL ? spec->select_text : "", -1);
      like = g_strdup_printf ("%%;%s;%%", lower);
    }

  /* Donors chosen but without an address are left out (and counted). */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) %s AND (%s IS NULL OR %s = '')",
                                            selection_sql (spec->select),
                                            phone ? "donors.phone" : "donors.email",
                                            phone ? "donors.phone" : "donors.email");

    stmt = outreach_store_prepare (store, sql, error);
    if (stmt == NULL)
      goto fail;
    if (like != NULL)
      sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      no_address = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    if (rc != SQLITE_ROW)
      {
        outreach_store_set_error (store, rc, _("read the donors"), error);
        goto fail;
      }
  }

  /* One INSERT … SELECT for all recipients: SQLite calls
   * outreach_job_merge_data for each row, which writes the snapshot. One
   * statement instead of one per recipient saves most of the time. In
   * donor order, so the first donor with an address keeps it. */
  {
    const char *address = phone ? "donors.phone" : "donors.email";
    const char *id_column = spec->select == OUTREACH_JOB_SELECT_IDS ? "chosen.id" : "donors.id";
    g_autofree char *sql = NULL;
    g_autofree char *suppressed_reason = g_strdup (_("The address is on the suppression list (%s)"));
    MergeDataContext context = { builder, merge_data, spec, no_address, total, 0, G_MININT64 };
    sqlite3 *db = outreach_store_get_db (store);

    rc = sqlite3_create_function (db, "outreach_job_merge_data", OUTREACH_MERGE_FIELDS_N_DONOR_COLUMNS,
                                  SQLITE_UTF8, &context, merge_data_func, NULL, NULL);
    if (rc != SQLITE_OK)
      {
        outreach_store_set_error (store, rc, _("prepare the recipients"), error);
        goto fail;
      }
    /* ON CONFLICT DO NOTHING: an address a donor earlier in the list has
     * is skipped; a row failing a CHECK fails the job's creation instead of
     * vanishing, as OR IGNORE would let it. */
    sql = g_strdup_printf ("INSERT INTO job_recipients (job_id, donor_id, address,"
                           " merge_data, state, last_error, updated_at)"
                           " SELECT ?2, donors.id, %s,"
                           " outreach_job_merge_data (" OUTREACH_MERGE_FIELDS_DONOR_COLUMNS "),"
                           " CASE WHEN donors.do_not_contact THEN 'skipped'"
                           "  WHEN " SUPPRESSION " IS NOT NULL THEN 'skipped' ELSE ?3 END,"
                           " CASE WHEN donors.do_not_contact THEN ?4"
                           "  WHEN " SUPPRESSION " IS NOT NULL THEN replace (?5, '%%s', " SUPPRESSION ") END,"
                           " ?6"
                           " %s AND %s IS NOT NULL AND %s <> '' AND %s > ?7 ORDER BY %s LIMIT ?8"
                           " ON CONFLICT DO NOTHING",
                           address, selection_sql (spec->select), address, address, id_column, id_column);
    insert = outreach_store_prepare (store, sql, error);
    if (insert != NULL)
      {
        if (like != NULL)
          sqlite3_bind_text (insert, 1, like, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 2, job_id);
        sqlite3_bind_text (insert, 3, spec->review ? "draft" : "pending", -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 4, _("The donor asked not to be contacted"), -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 5, suppressed_reason, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 6, now);
        sqlite3_bind_int (insert, 8, CHUNK_ROWS);
        /* In chunks: with the counting trigger, SQLite first copies what
         * the SELECT yields into a temporary table; a chunk of it stays
         * small and in the cache instead of tens of megabytes. */
        for (;;)
          {
            gint64 before = context.done;

            sqlite3_bind_int64 (insert, 7, context.last_id);
            if (!outreach_store_step_done (store, insert, error))
              {
                insert = NULL;
                break;
              }
            inserted += sqlite3_changes64 (db);
            if (context.done - before < CHUNK_ROWS)
              break;
          }
      }
    done = context.done;
    /* The function points at this frame: gone with it. */
    sqlite3_create_function (db, "outreach_job_merge_data", OUTREACH_MERGE_FIELDS_N_DONOR_COLUMNS,
                             SQLITE_UTF8, NULL, NULL, NULL, NULL);
    if (insert == NULL)
      goto fail;
  }

  stmt = outreach_store_prepare (store,
                                 "UPDATE jobs SET subject = ?, text_body = ?, html_body = ?, params = ?"
                                 " WHERE id = ?",
                                 error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, spec->subject != NULL ? spec->subject : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, spec->text != NULL ? spec->text : "", -1, SQLITE_STATIC);
  if (spec->html != NULL)
    sqlite3_bind_text (stmt, 3, spec->html, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, params, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, job_id);
  if (!outreach_store_step_done (store, stmt, error))
    goto fail;

  /* The triggers counted the skipped ones. */
  stmt = outreach_store_prepare (store, "SELECT skipped FROM jobs WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    skipped = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  added = inserted - skipped;
  duplicates = done - inserted;

  if (added + skipped == 0)
    {
      g_set_error (error, OUTREACH_JOB_CREATE_ERROR, OUTREACH_JOB_CREATE_ERROR_NO_RECIPIENTS,
                   _("No donor matches, so the job would send nothing; import donors or "
                     "choose other recipients"));
      goto fail;
    }

  if (!outreach_job_log (store, job_id, OUTREACH_JOB_LOG_INFO, "created", NULL, error,
                         _("Created for %u recipients (%u skipped, %u duplicate addresses left "
                           "out, %u donors without an address left out)"),
                         (guint) (added + skipped), (guint) skipped, (guint) duplicates,
                         (guint) no_address) ||
      !outreach_job_status_apply (store, job_id, OUTREACH_JOB_STATUS_QUEUED, NULL, error) ||
      (spec->select == OUTREACH_JOB_SELECT_IDS &&
       !outreach_store_exec (store, "DELETE FROM temp.outreach_job_ids", error)) ||
      !outreach_store_commit (store, error))
    goto fail;

  restore_cache (store, old_cache);
  if (spec->progress != NULL)
    spec->progress (done + no_address, total > 0 ? total : done + no_address, spec->progress_data);
  return job_id;

fail:
  outreach_store_rollback (store);
  restore_cache (store, old_cache);
  return 0;
}
