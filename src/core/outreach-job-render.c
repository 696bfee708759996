/* outreach-job-render.c — a job's frozen message rendered for one recipient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-render"

#include "config.h"

#include "outreach-job-render.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "outreach-job-control.h"
#include "outreach-template.h"

struct _OutreachJobRenderer
{
  char *uuid;
  char *name;
  OutreachTemplate *subject;
  OutreachTemplate *text;
  OutreachTemplate *html;
  JsonParser *parser;
};

void
outreach_job_renderer_free (OutreachJobRenderer *self)
{
  if (self == NULL)
    return;
  g_free (self->uuid);
  g_free (self->name);
  g_clear_object (&self->subject);
  g_clear_object (&self->text);
  g_clear_object (&self->html);
  g_clear_object (&self->parser);
  g_free (self);
}

/* name → source of one kind of the job's frozen partials (see
 * outreach_job_create); empty when it has none. */
static GHashTable *
frozen_partials (JsonObject *params,
                 const char *kind)
{
  GHashTable *partials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *all = NULL;
  JsonObject *of_kind = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *source;

  if (params != NULL && json_object_has_member (params, "partials") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "partials")))
    all = json_object_get_object_member (params, "partials");
  if (all != NULL && json_object_has_member (all, kind) &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (all, kind)))
    of_kind = json_object_get_object_member (all, kind);
  if (of_kind == NULL)
    return partials;

  json_object_iter_init (&iter, of_kind);
  while (json_object_iter_next (&iter, &name, &source))
    if (JSON_NODE_HOLDS_VALUE (source) && json_node_get_value_type (source) == G_TYPE_STRING)
      g_hash_table_insert (partials, g_strdup (name), g_strdup (json_node_get_string (source)));

  return partials;
}

OutreachJobRenderer *
outreach_job_renderer_new (OutreachStore *store,
                           gint64         job_id,
                           GError       **error)
{
  g_autoptr (OutreachJobRenderer) self = g_new0 (OutreachJobRenderer, 1);
  sqlite3_stmt *stmt;
  g_autofree char *subject = NULL, *text = NULL, *html = NULL, *params = NULL;
  g_autoptr (JsonParser) params_parser = json_parser_new ();
  g_autoptr (GHashTable) text_partials = NULL;
  g_autoptr (GHashTable) html_partials = NULL;
  JsonObject *params_object = NULL;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store, "SELECT uuid, name, subject, text_body, html_body, params"
                                        " FROM jobs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,
                   _("There is no job %" G_GINT64_FORMAT "; “outreach jobs list” shows them"), job_id);
      return NULL;
    }
  self->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  self->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  subject = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  html = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  params = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  sqlite3_reset (stmt);

  if (params != NULL && json_parser_load_from_data (params_parser, params, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (params_parser)))
    params_object = json_node_get_object (json_parser_get_root (params_parser));
  text_partials = frozen_partials (params_object, "text");
  html_partials = frozen_partials (params_object, "html");

  self->subject = outreach_template_new (subject, OUTREACH_TEMPLATE_SUBJECT, text_partials, error);
  if (self->subject == NULL)
    return NULL;
  self->text = outreach_template_new (text, OUTREACH_TEMPLATE_TEXT, text_partials, error);
  if (self->text == NULL)
    return NULL;
  if (html != NULL)
    {
      self->html = outreach_template_new (html, OUTREACH_TEMPLATE_HTML, html_partials, error);
      if (self->html == NULL)
        return NULL;
    }
  self->parser = json_parser_new_immutable ();
  return g_steal_pointer (&self);
}

const char *
outreach_job_renderer_get_uuid (OutreachJobRenderer *self)
{
  return self->uuid;
}

/**
 * outreach_job_renderer_render:
 * @merge_data: the recipient's frozen merge fields (JSON)
 *
 * Returns: (transfer full): the message, with its stable id, the display
 *   name and the unsubscribe URL from the merge fields
 */
OutreachMessage *
outreach_job_renderer_render (OutreachJobRenderer *self,
                              gint64               recipient_id,
                              gint64               donor_id,
                              const char          *address,
                              const char          *merge_data,
                              guint                attempts)
{
  OutreachMessage *m = outreach_message_new ();
  JsonObject *fields = NULL;
  JsonNode *root;

  m->recipient_id = recipient_id;
  m->donor_id = donor_id;
  m->attempts = attempts;
  m->address = g_strdup (address);
  m->message_id = outreach_message_make_id (self->uuid, recipient_id);
  m->job_uuid = self->uuid;
  m->job_name = self->name;

  if (merge_data != NULL && json_parser_load_from_data (self->parser, merge_data, -1, NULL) &&
      (root = json_parser_get_root (self->parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    fields = json_node_get_object (root);

  if (fields != NULL)
    {
      const char *first = json_object_get_string_member_with_default (fields, "first_name", "");
      const char *last = json_object_get_string_member_with_default (fields, "last_name", "");
      const char *unsubscribe = json_object_get_string_member_with_default (fields, "unsubscribe_url", "");

      m->name = *first && *last ? g_strconcat (first, " ", last, NULL) : g_strconcat (first, last, NULL);
      if (*unsubscribe != '\0')
        m->unsubscribe_url = g_strdup (unsubscribe);
    }
  else
    m->name = g_strdup ("");

  m->subject = g_string_sized_new (128);
  outreach_template_render (self->subject, fields, m->subject);
  m->text = g_string_sized_new (1024);
  outreach_template_render (self->text, fields, m->text);
  if (self->html != NULL)
    {
      m->html = g_string_sized_new (2048);
      outreach_template_render (self->html, fields, m->html);
    }
  return m;
}

/**
 * outreach_job_render_recipient:
 * @recipient: a donor id or an address
 *
 * Returns: (transfer full): the message that recipient gets (or got)
 */
OutreachMessage *
outreach_job_render_recipient (OutreachStore *store,
                               gint64         job_id,
                               const char    *recipient,
                               GError       **error)
{
  g_autoptr (OutreachJobRenderer) renderer = outreach_job_renderer_new (store, job_id, error);
  sqlite3_stmt *stmt;
  OutreachMessage *m;
  char *end = NULL;
  gint64 donor_id;

  if (renderer == NULL)
    return NULL;
  stmt = outreach_store_prepare (store,
                                 "SELECT id, donor_id, address, merge_data, attempts FROM job_recipients"
                                 " WHERE job_id = ?1 AND (donor_id = ?2 OR address = ?3 COLLATE NOCASE)",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  donor_id = g_ascii_strtoll (recipient, &end, 10);
  if (end != recipient && *end == '\0')
    sqlite3_bind_int64 (stmt, 2, donor_id);
  sqlite3_bind_text (stmt, 3, recipient, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_JOB_CONTROL_ERROR, OUTREACH_JOB_CONTROL_ERROR_NOT_FOUND,
                   _("Job %" G_GINT64_FORMAT " has no recipient “%s” (give a donor id or an address)"),
                   job_id, recipient);
      return NULL;
    }
  m = outreach_job_renderer_render (renderer, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                                    (const char *) sqlite3_column_text (stmt, 2),
                                    (const char *) sqlite3_column_text (stmt, 3), sqlite3_column_int (stmt, 4));
  sqlite3_reset (stmt);
  /* job_uuid and job_name point into the renderer, which goes now */
  m->job_uuid = NULL;
  m->job_name = NULL;
  return m;
}
