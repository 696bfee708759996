/* outreach-job-draft.c — a job being put together in the new-job wizard, kept as a draft job row
 *
 * What the wizard has gathered lives in a `jobs` row with status 'draft':
 * the columns a job has anyway (name, account, message, priority, schedule)
 * and, in params.wizard, the step and the donor selection. So a wizard
 * closed halfway loses nothing and the Jobs page can show the draft.
 *
 * Launching reads the ids of the chosen donors and hands them to the
 * engine's job creation (outreach_job_create with OUTREACH_JOB_SELECT_IDS),
 * which writes the job, its recipients and their snapshots in its one
 * transaction and reports progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-draft"

#include "config.h"

#include "outreach-job-draft.h"

#include <glib/gi18n-lib.h>

#include <libsoup/soup.h>

#include "outreach-account.h"
#include "outreach-job-control.h"
#include "outreach-job.h"
#include "outreach-merge-fields.h"
#include "outreach-provider.h"
#include "outreach-template.h"

G_DEFINE_QUARK (outreach-job-draft-error-quark, outreach_job_draft_error)

/* g_set_str() is GLib 2.76. */
static void
replace_str (char       **target,
             const char  *value)
{
  char *old = *target;

  *target = g_strdup (value != NULL ? value : "");
  g_free (old);
}

OutreachJobDraft *
outreach_job_draft_new (void)
{
  OutreachJobDraft *self = g_new0 (OutreachJobDraft, 1);

  self->selection = outreach_donor_selection_new ();
  self->name = g_strdup ("");
  self->subject = g_strdup ("");
  self->text = g_strdup ("");
  return self;
}

OutreachJobDraft *
outreach_job_draft_copy (const OutreachJobDraft *self)
{
  OutreachJobDraft *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->selection = outreach_donor_selection_copy (self->selection);
  copy->name = g_strdup (self->name);
  copy->subject = g_strdup (self->subject);
  copy->text = g_strdup (self->text);
  copy->html = g_strdup (self->html);
  return copy;
}

void
outreach_job_draft_free (OutreachJobDraft *self)
{
  if (self == NULL)
    return;
  outreach_donor_selection_free (self->selection);
  g_free (self->name);
  g_free (self->subject);
  g_free (self->text);
  g_free (self->html);
  g_free (self);
}

static char *
params_json (const OutreachJobDraft *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rate");
  json_builder_add_double_value (builder, self->rate);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, self->concurrency);
  json_builder_set_member_name (builder, "review");
  json_builder_add_boolean_value (builder, self->review);
  json_builder_set_member_name (builder, "wizard");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "step");
  json_builder_add_int_value (builder, self->step);
  json_builder_set_member_name (builder, "template_id");
  json_builder_add_int_value (builder, self->template_id);
  json_builder_set_member_name (builder, "selection");
  json_builder_add_value (builder, outreach_donor_selection_to_json (self->selection));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
bind_optional_id (sqlite3_stmt *stmt,
                  int           index,
                  gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

/**
 * outreach_job_draft_save:
 *
 * Writes the draft to its jobs row, creating the row the first time (or
 * again, if it was deleted or launched meanwhile). A draft with no name
 * yet is called "Untitled job", as every job row needs a name.
 */
gboolean
outreach_job_draft_save (OutreachJobDraft *self,
                         OutreachStore    *store,
                         GError          **error)
{
  g_autofree char *params = NULL;
  g_autofree char *name = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  params = params_json (self);
  name = g_strstrip (g_strdup (self->name != NULL ? self->name : ""));
  if (*name == '\0' || g_utf8_strlen (name, -1) > 255)
    replace_str (&name, _("Untitled job"));

  if (self->job_id > 0)
    {
      stmt = outreach_store_prepare (store,
                                     "UPDATE jobs SET name = ?1, priority = ?2, account_id = ?3,"
                                     " subject = ?4, text_body = ?5, html_body = ?6, params = ?7,"
                                     " scheduled_at = ?8, updated_at = ?9"
                                     " WHERE id = ?10 AND status = 'draft'",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 10, self->job_id);
    }
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      stmt = outreach_store_prepare (store,
                                     "INSERT INTO jobs (name, priority, account_id, subject, text_body,"
                                     " html_body, params, scheduled_at, updated_at, uuid, created_at,"
                                     " status)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, 'draft')",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 10, uuid, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, CLAMP (self->priority, -1, 1));
  bind_optional_id (stmt, 3, self->account_id);
  sqlite3_bind_text (stmt, 4, self->subject != NULL ? self->subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, self->text != NULL ? self->text : "", -1, SQLITE_TRANSIENT);
  if (self->html != NULL)
    sqlite3_bind_text (stmt, 6, self->html, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, params, -1, SQLITE_TRANSIENT);
  bind_optional_id (stmt, 8, self->scheduled_at);
  sqlite3_bind_int64 (stmt, 9, now);
  if (!outreach_store_step_done (store, stmt, error))
    return FALSE;

  if (self->job_id == 0)
    self->job_id = sqlite3_last_insert_rowid (outreach_store_get_db (store));
  else if (sqlite3_changes (outreach_store_get_db (store)) == 0)
    {
      /* The row went away (deleted from the Jobs page): start a new one. */
      self->job_id = 0;
      return outreach_job_draft_save (self, store, error);
    }
  return TRUE;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * outreach_job_draft_load:
 *
 * Reads a draft job back, including one the wizard did not make (a
 * duplicated job): what params does not say keeps its default.
 *
 * Returns: (transfer full): the draft, or %NULL with @error set
 */
OutreachJobDraft *
outreach_job_draft_load (OutreachStore *store,
                         gint64         job_id,
                         GError       **error)
{
  g_autoptr (OutreachJobDraft) self = NULL;
  g_autoptr (JsonObject) params = NULL;
  JsonObject *wizard, *selection;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT name, priority, account_id, subject, text_body, html_body,"
                                 " params, scheduled_at FROM jobs WHERE id = ? AND status = 'draft'",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_NOT_FOUND,
                     _("There is no draft job %" G_GINT64_FORMAT "; it may have been launched "
                       "or deleted"), job_id);
      else
        outreach_store_set_error (store, rc, _("read the draft job"), error);
      return NULL;
    }

  self = outreach_job_draft_new ();
  self->job_id = job_id;
  replace_str (&self->name, (const char *) sqlite3_column_text (stmt, 0));
  self->priority = sqlite3_column_int (stmt, 1);
  self->account_id = sqlite3_column_int64 (stmt, 2);
  replace_str (&self->subject, (const char *) sqlite3_column_text (stmt, 3));
  replace_str (&self->text, (const char *) sqlite3_column_text (stmt, 4));
  self->html = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  params = parse_object ((const char *) sqlite3_column_text (stmt, 6));
  self->scheduled_at = sqlite3_column_int64 (stmt, 7);
  sqlite3_reset (stmt);

  /* "Untitled job" is the row's placeholder, not a name anyone chose. */
  if (g_strcmp0 (self->name, _("Untitled job")) == 0)
    replace_str (&self->name, "");

  if (params != NULL)
    {
      self->rate = json_object_get_double_member_with_default (params, "rate", 0);
      self->concurrency = json_object_get_int_member_with_default (params, "concurrency", 0);
      self->review = json_object_get_boolean_member_with_default (params, "review", FALSE);
    }
  wizard = get_object_member (params, "wizard");
  if (wizard != NULL)
    {
      self->step = CLAMP (json_object_get_int_member_with_default (wizard, "step", 0),
                          0, OUTREACH_JOB_DRAFT_N_STEPS - 1);
      self->template_id = json_object_get_int_member_with_default (wizard, "template_id", 0);
      selection = get_object_member (wizard, "selection");
      if (selection != NULL)
        {
          outreach_donor_selection_free (self->selection);
          self->selection = outreach_donor_selection_from_json (selection);
        }
    }
  return g_steal_pointer (&self);
}

gint64
outreach_job_draft_find_latest (OutreachStore        *store,
                                char                **name,
                                OutreachJobDraftStep *step,
                                GError              **error)
{
  sqlite3_stmt *stmt;
  gint64 job_id = 0;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);

  stmt = outreach_store_prepare (store,
                                 "SELECT id, name, json_extract (params, '$.wizard.step') FROM jobs"
                                 " WHERE status = 'draft' AND json_type (params, '$.wizard') = 'object'"
                                 " ORDER BY updated_at DESC, id DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      job_id = sqlite3_column_int64 (stmt, 0);
      if (name != NULL)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (step != NULL)
        *step = CLAMP (sqlite3_column_int (stmt, 2), 0, OUTREACH_JOB_DRAFT_N_STEPS - 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    outreach_store_set_error (store, rc, _("look for an unfinished job"), error);
  return job_id;
}

gboolean
outreach_job_draft_discard (OutreachJobDraft *self,
                            OutreachStore    *store,
                            GError          **error)
{
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (self->job_id == 0)
    return TRUE;
  if (!outreach_job_delete (store, self->job_id, &local) &&
      !g_error_matches (local, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  self->job_id = 0;
  return TRUE;
}

char *
outreach_job_draft_suggest_name (const OutreachJobDraft *self,
                                 const char             *basis,
                                 GDateTime              *now)
{
  g_autofree char *month = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (basis != NULL && *basis != '\0')
    what = g_strstrip (g_strdup (basis));
  else if (self->selection->tag != NULL && *self->selection->tag != '\0')
    /* Translators: a job name suggestion, e.g. "Donors tagged gala" */
    what = g_strdup_printf (_("Donors tagged %s"), self->selection->tag);
  else
    what = g_strdup (_("Message to donors"));

  /* Translators: month and year, as in "November 2026" (strftime format) */
  month = g_date_time_format (now, _("%B %Y"));
  /* Translators: a job name suggestion, "<what it is> — <month year>" */
  return g_strdup_printf (_("%s — %s"), what, month);
}

gboolean
outreach_job_draft_name_taken (const OutreachJobDraft *self,
                               OutreachStore          *store,
                               const char             *name,
                               gboolean               *taken,
                               GError                **error)
{
  g_autofree char *trimmed = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (taken != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  stmt = outreach_store_prepare (store,
                                 "SELECT EXISTS (SELECT 1 FROM jobs WHERE name = ?1 COLLATE NOCASE"
                                 " AND id IS NOT ?2)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_TRANSIENT);
  bind_optional_id (stmt, 2, self->job_id);
  rc = sqlite3_step (stmt);
  *taken = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return outreach_store_set_error (store, rc, _("look for jobs with the same name"), error);
  return TRUE;
}

/**
 * outreach_job_draft_dup_selected_ids:
 *
 * Returns: (transfer full) (element-type gint64): the chosen donors' ids,
 *   ascending, or NULL with @error set
 */
GArray *
outreach_job_draft_dup_selected_ids (const OutreachJobDraft *self,
                                     OutreachStore          *store,
                                     GError                **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = g_strconcat ("SELECT d.id FROM main.donors d WHERE ",
                                      outreach_donor_selection_selected_sql (), " ORDER BY d.id",
                                      NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  outreach_donor_selection_bind (self->selection, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the chosen donors"), error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gint64
outreach_job_draft_launch (OutreachJobDraft            *self,
                           OutreachStore               *store,
                           OutreachJobDraftProgressFunc progress_func,
                           gpointer                     user_data,
                           GError                     **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GArray) ids = NULL;
  OutreachJobSpec spec = { 0 };
  gint64 job_id;
  gint64 draft_id;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);

  ids = outreach_job_draft_dup_selected_ids (self, store, error);
  if (ids == NULL)
    return 0;
  if (ids->len == 0)
    {
      g_set_error (error, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_NO_RECIPIENTS,
                   _("No donor is chosen, so the job would send nothing; choose recipients "
                     "first"));
      return 0;
    }

  spec.name = self->name;
  spec.account_id = self->account_id;
  spec.select = OUTREACH_JOB_SELECT_IDS;
  spec.donor_ids = ids;
  spec.subject = self->subject;
  spec.text = self->text;
  spec.html = self->html;
  spec.rate = self->rate;
  spec.concurrency = self->concurrency;
  spec.scheduled_at = self->scheduled_at;
  spec.review = self->review;
  spec.priority = self->priority;
  spec.progress = progress_func;
  spec.progress_data = user_data;
  job_id = outreach_job_create (store, &spec, &local);
  if (job_id == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }

  draft_id = self->job_id;
  if (draft_id > 0 && !outreach_job_draft_discard (self, store, &local))
    g_warning ("The draft of job %" G_GINT64_FORMAT " stays after its launch: %s",
               draft_id, local->message);
  return job_id;
}

static OutreachProvider *
provider_for_account (OutreachStore *store,
                      gint64         account_id,
                      GError       **error)
{
  g_autoptr (OutreachAccount) account = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;

  stmt = outreach_store_prepare (store, "SELECT name FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (name == NULL)
    {
      g_set_error (error, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_TEST_FAILED,
                   _("Choose an account first: the job has none"));
      return NULL;
    }

  account = outreach_account_load (store, name, error);
  if (account == NULL)
    return NULL;
  return outreach_account_new_provider (account, error);
}

static gboolean
render_part (const char            *source,
             OutreachTemplateKind   kind,
             JsonObject            *fields,
             GString              **out,
             GError               **error)
{
  g_autoptr (OutreachTemplate) template = outreach_template_new (source, kind, NULL, error);

  if (template == NULL)
    return FALSE;
  *out = g_string_new (NULL);
  outreach_template_render (template, fields, *out);
  return TRUE;
}

char *
outreach_job_draft_send_test (const OutreachJobDraft *self,
                              OutreachStore          *store,
                              gint64                  donor_id,
                              const char             *address,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_autoptr (OutreachProvider) provider = NULL;
  g_autoptr (OutreachMessage) message = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *job_name = NULL;
  OutreachDelivery result = { 0 };
  char *said;
  const char *first, *last, *unsubscribe;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  provider = provider_for_account (store, self->account_id, error);
  if (provider == NULL)
    return NULL;
  if (!outreach_provider_accepts_address (provider, address))
    {
      g_set_error (error, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_TEST_FAILED,
                   _("The account “%s” cannot send to “%s”; give an e-mail address (or a phone "
                     "number like +15551234567 for SMS)"),
                   outreach_provider_get_account_name (provider), address);
      return NULL;
    }

  /* Translators: the job name a test message goes out under, "Spring appeal (test)" */
  job_name = g_strdup_printf (_("%s (test)"), self->name != NULL && *self->name != '\0'
                                                ? self->name : _("Untitled job"));
  if (donor_id > 0)
    fields = outreach_merge_fields_for_donor (store, donor_id, job_name, error);
  else
    {
      g_autoptr (OutreachMergeFieldsBuilder) builder = outreach_merge_fields_builder_new (store, job_name, error);

      if (builder != NULL)
        fields = outreach_merge_fields_builder_build_organisation (builder);
    }
  if (fields == NULL)
    return NULL;

  message = outreach_message_new ();
  message->address = g_strdup (address);
  first = json_object_get_string_member_with_default (fields, "first_name", "");
  last = json_object_get_string_member_with_default (fields, "last_name", "");
  message->name = g_strstrip (g_strconcat (first, " ", last, NULL));
  message->message_id = g_strconcat ("test-", uuid, NULL);
  message->job_uuid = uuid;
  message->job_name = job_name;
  unsubscribe = json_object_get_string_member_with_default (fields, "unsubscribe_url", "");
  if (*unsubscribe != '\0')
    message->unsubscribe_url = g_strdup (unsubscribe);
  if (!render_part (self->subject, OUTREACH_TEMPLATE_SUBJECT, fields, &message->subject, error) ||
      !render_part (self->text, OUTREACH_TEMPLATE_TEXT, fields, &message->text, error) ||
      (self->html != NULL &&
       !render_part (self->html, OUTREACH_TEMPLATE_HTML, fields, &message->html, error)))
    return NULL;

  if (outreach_provider_is_local (provider))
    outreach_provider_deliver_local (provider, message, &result);
  else
    {
      g_autoptr (SoupSession) session = soup_session_new ();
      g_autoptr (SoupMessage) request = NULL;
      g_autoptr (GBytes) body = NULL;
      g_autoptr (GError) local = NULL;
      OutreachMessage *messages[] = { message };

      request = outreach_provider_build_request (provider, messages, 1, error);
      if (request == NULL)
        return NULL;
      body = soup_session_send_and_read (session, request, cancellable, &local);
      if (body == NULL)
        outreach_provider_classify_transport (provider, local, TRUE, &result);
      else
        outreach_provider_parse_response (provider, request, body, messages, 1, &result);
    }

  if (result.outcome != OUTREACH_DELIVERY_SENT)
    {
      g_set_error (error, OUTREACH_JOB_DRAFT_ERROR, OUTREACH_JOB_DRAFT_ERROR_TEST_FAILED,
                   _("The test to %s did not go out: %s"), address,
                   result.error != NULL ? result.error : _("the provider gave no reason"));
      outreach_delivery_clear (&result);
      return NULL;
    }
  if (result.provider_id != NULL)
    said = g_strdup_printf (_("Sent to %s (%s)"), address, result.provider_id);
  else
    said = g_strdup_printf (_("Sent to %s"), address);
  outreach_delivery_clear (&result);
  return said;
}
