/* outreach-template-library.c — saved templates (the `templates` table)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-template-library"

#include "config.h"

#include "outreach-template-library.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (outreach-template-library-error-quark, outreach_template_library_error)

#define COLUMNS "id, name, subject, text_body, html_body, created_at, updated_at"

void
outreach_saved_template_free (OutreachSavedTemplate *saved)
{
  if (saved == NULL)
    return;
  g_free (saved->name);
  g_free (saved->subject);
  g_free (saved->text_body);
  g_free (saved->html_body);
  g_free (saved);
}

static OutreachSavedTemplate *
saved_from_row (sqlite3_stmt *stmt)
{
  OutreachSavedTemplate *saved = g_new0 (OutreachSavedTemplate, 1);

  saved->id = sqlite3_column_int64 (stmt, 0);
  saved->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  saved->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  saved->text_body = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  saved->html_body = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  saved->created_at = sqlite3_column_int64 (stmt, 5);
  saved->updated_at = sqlite3_column_int64 (stmt, 6);
  return saved;
}

GPtrArray *
outreach_template_library_list (OutreachStore  *store,
                                GError        **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) outreach_saved_template_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store, "SELECT " COLUMNS " FROM templates ORDER BY name COLLATE NOCASE, name",
                                 error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, saved_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the saved templates"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static OutreachSavedTemplate *
get_one (OutreachStore *store,
         const char    *sql,
         const char    *name,
         gint64         id,
         GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, sql, error);
  OutreachSavedTemplate *saved;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      saved = saved_from_row (stmt);
      sqlite3_reset (stmt);
      return saved;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read a saved template"), error);
      return NULL;
    }
  if (name != NULL)
    g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_NOT_FOUND,
                 _("There is no saved template named “%s”; “outreach templates list” shows them"),
                 name);
  else
    g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_NOT_FOUND,
                 _("The saved template %" G_GINT64_FORMAT " no longer exists"), id);
  return NULL;
}

OutreachSavedTemplate *
outreach_template_library_get (OutreachStore  *store,
                               const char     *name,
                               GError        **error)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return get_one (store, "SELECT " COLUMNS " FROM templates WHERE name = ?1", name, 0, error);
}

OutreachSavedTemplate *
outreach_template_library_get_by_id (OutreachStore  *store,
                                     gint64          id,
                                     GError        **error)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  return get_one (store, "SELECT " COLUMNS " FROM templates WHERE id = ?1", NULL, id, error);
}

GHashTable *
outreach_template_library_partials (OutreachStore         *store,
                                    OutreachTemplateKind   kind,
                                    GError               **error)
{
  g_autoptr (GHashTable) partials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store, "SELECT name, text_body, html_body FROM templates", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 1);
      const char *html = (const char *) sqlite3_column_text (stmt, 2);

      g_hash_table_insert (partials, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           g_strdup (kind == OUTREACH_TEMPLATE_HTML && html != NULL ? html : text));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the saved templates"), error);
      return NULL;
    }
  return g_steal_pointer (&partials);
}

static gboolean
check_part (const char            *part,
            const char            *source,
            OutreachTemplateKind   kind,
            GHashTable            *partials,
            GError               **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (OutreachTemplate) template = NULL;

  if (source == NULL)
    return TRUE;
  template = outreach_template_new (source, kind, partials, &local_error);
  if (template != NULL)
    return TRUE;

  g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_TEMPLATE,
               "%s %s", part, local_error->message);
  return FALSE;
}

gboolean
outreach_template_library_check_parts (const char  *subject,
                                       const char  *text_body,
                                       const char  *html_body,
                                       GHashTable  *text_partials,
                                       GHashTable  *html_partials,
                                       GError     **error)
{
  return check_part (_("subject"), subject, OUTREACH_TEMPLATE_SUBJECT, text_partials, error)
         && check_part (_("text body"), text_body, OUTREACH_TEMPLATE_TEXT, text_partials, error)
         && check_part (_("HTML body"), html_body, OUTREACH_TEMPLATE_HTML, html_partials, error);
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));

  if (trimmed[0] == '\0' || g_utf8_strlen (trimmed, -1) > 255 || !g_str_equal (trimmed, name)
      || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_NAME,
                   _("“%s” cannot be a template name: use 1 to 255 characters, with no space "
                     "at the start or end"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
name_taken (OutreachStore *store,
            const char    *name,
            gint64         except_id,
            gboolean      *taken,
            GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT id FROM templates WHERE name = ?1 AND id <> ?2",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, except_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return outreach_store_set_error (store, rc, _("read the saved templates"), error);
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

gint64
outreach_template_library_save (OutreachStore  *store,
                                gint64          id,
                                const char     *name,
                                const char     *subject,
                                const char     *text_body,
                                const char     *html_body,
                                GError        **error)
{
  g_autoptr (GHashTable) text_partials = NULL;
  g_autoptr (GHashTable) html_partials = NULL;
  sqlite3_stmt *stmt;
  gboolean taken;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (subject == NULL)
    subject = "";
  if (text_body == NULL)
    text_body = "";
  if (!check_name (name, error))
    return 0;

  text_partials = outreach_template_library_partials (store, OUTREACH_TEMPLATE_TEXT, error);
  if (text_partials == NULL)
    return 0;
  html_partials = outreach_template_library_partials (store, OUTREACH_TEMPLATE_HTML, error);
  if (html_partials == NULL)
    return 0;
  /* A template may include itself by its new name only through a
   * partial; what is being saved replaces what was stored. */
  g_hash_table_insert (text_partials, g_strdup (name), g_strdup (text_body));
  g_hash_table_insert (html_partials, g_strdup (name), g_strdup (html_body != NULL ? html_body : text_body));
  if (!outreach_template_library_check_parts (subject, text_body, html_body, text_partials,
                                              html_partials, error))
    return 0;

  if (!name_taken (store, name, id, &taken, error))
    return 0;
  if (taken)
    {
      g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_EXISTS,
                   _("A template named “%s” already exists; choose another name or remove it first"),
                   name);
      return 0;
    }

  if (id == 0)
    stmt = outreach_store_prepare (store,
                                   "INSERT INTO templates (name, subject, text_body, html_body, "
                                   "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                   error);
  else
    stmt = outreach_store_prepare (store,
                                   "UPDATE templates SET name = ?1, subject = ?2, text_body = ?3, "
                                   "html_body = ?4, updated_at = ?5 WHERE id = ?6",
                                   error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text_body, -1, SQLITE_TRANSIENT);
  if (html_body != NULL)
    sqlite3_bind_text (stmt, 4, html_body, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, now);
  if (id != 0)
    sqlite3_bind_int64 (stmt, 6, id);
  if (!outreach_store_step_done (store, stmt, error))
    return 0;

  if (id == 0)
    return sqlite3_last_insert_rowid (outreach_store_get_db (store));
  if (sqlite3_changes (outreach_store_get_db (store)) == 0)
    {
      g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_NOT_FOUND,
                   _("The saved template %" G_GINT64_FORMAT " no longer exists"), id);
      return 0;
    }
  return id;
}

gint64
outreach_template_library_duplicate (OutreachStore  *store,
                                     gint64          id,
                                     GError        **error)
{
  g_autoptr (OutreachSavedTemplate) saved = NULL;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);

  saved = outreach_template_library_get_by_id (store, id, error);
  if (saved == NULL)
    return 0;

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf (_("%s (copy)"), saved->name)
                                     : g_strdup_printf (_("%s (copy %u)"), saved->name, n);
      gboolean taken;

      if (!name_taken (store, name, 0, &taken, error))
        return 0;
      if (!taken)
        return outreach_template_library_save (store, 0, name, saved->subject, saved->text_body,
                                               saved->html_body, error);
    }

  g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_EXISTS,
               _("“%s” has too many copies already; rename or remove some"), saved->name);
  return 0;
}

gboolean
outreach_template_library_remove (OutreachStore  *store,
                                  gint64          id,
                                  GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  stmt = outreach_store_prepare (store, "DELETE FROM templates WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!outreach_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (outreach_store_get_db (store)) == 0)
    {
      g_set_error (error, OUTREACH_TEMPLATE_LIBRARY_ERROR, OUTREACH_TEMPLATE_LIBRARY_ERROR_NOT_FOUND,
                   _("The saved template %" G_GINT64_FORMAT " no longer exists"), id);
      return FALSE;
    }
  return TRUE;
}

gboolean
outreach_template_library_remove_by_name (OutreachStore  *store,
                                          const char     *name,
                                          GError        **error)
{
  g_autoptr (OutreachSavedTemplate) saved = NULL;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  saved = outreach_template_library_get (store, name, error);
  if (saved == NULL)
    return FALSE;
  return outreach_template_library_remove (store, saved->id, error);
}
