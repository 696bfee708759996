/* outreach-donor-query.c — finding donors by text and tag, in SQL; exporting them
 *
 * The search matches a substring, case-insensitively (ASCII), of the
 * first and last name, e-mail, city or tags. This is the plain SQL path
 * the CLI and exports use; the Donors page searches through
 * OutreachDonorIndex, which answers a keystroke faster.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#include "config.h"

#include "outreach-donor-query.h"

#include <csv.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "outreach-donor-mapping.h"
#include "outreach-donor-validate.h"

static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static const char *const where_clause =
  " WHERE (?1 IS NULL OR d.first_name LIKE ?1 ESCAPE '\\' OR d.last_name LIKE ?1 ESCAPE '\\'"
  " OR d.email LIKE ?1 ESCAPE '\\' OR d.city LIKE ?1 ESCAPE '\\' OR d.tags LIKE ?1 ESCAPE '\\'"
  " OR (d.first_name || ' ' || d.last_name) LIKE ?1 ESCAPE '\\')"
  " AND (?2 IS NULL OR (';' || d.tags || ';') LIKE ?2 ESCAPE '\\')";

static void
bind_filters (sqlite3_stmt *stmt,
              const char   *search,
              const char   *tag)
{
  if (search != NULL && *search != '\0')
    sqlite3_bind_text (stmt, 1, like_pattern (search), -1, g_free);
  if (tag != NULL && *tag != '\0')
    {
      g_autofree char *wrapped = g_strdup_printf (";%s;", tag);
      sqlite3_bind_text (stmt, 2, like_pattern (wrapped), -1, g_free);
    }
}

/**
 * outreach_donor_query_foreach:
 * @search: (nullable): text to find in names, e-mail, city or tags
 * @tag: (nullable): only donors with this tag
 * @limit: at most this many, or -1 for all
 *
 * Calls @func with each matching donor, in id order.
 */
gboolean
outreach_donor_query_foreach (OutreachStore    *store,
                              const char       *search,
                              const char       *tag,
                              gint64            limit,
                              OutreachDonorFunc func,
                              gpointer          user_data,
                              GCancellable     *cancellable,
                              GError          **error)
{
  g_autofree char *sql = g_strconcat (OUTREACH_DONOR_SELECT, where_clause,
                                      " ORDER BY d.id LIMIT ?3", NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = outreach_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (stmt, search, tag);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (OutreachDonor) donor = outreach_donor_new_from_row (stmt);

      if (!func (donor, user_data))
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return outreach_store_set_error (store, rc, _("read the donors"), error);
  return TRUE;
}

gboolean
outreach_donor_query_count (OutreachStore *store,
                            const char    *search,
                            const char    *tag,
                            gint64        *count,
                            GError       **error)
{
  g_autofree char *sql = g_strconcat ("SELECT count(*) FROM donors d", where_clause, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  stmt = outreach_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (stmt, search, tag);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return outreach_store_set_error (store, rc, _("count the donors"), error);
  return TRUE;
}

/* ---- Export ------------------------------------------------------------- */

typedef struct
{
  FILE *file;
  char **extra_keys;
  gint64 n;
  gboolean failed;
} ExportState;

static void
write_field (FILE       *file,
             const char *value,
             gboolean    last)
{
  csv_fwrite (file, value != NULL ? value : "", value != NULL ? strlen (value) : 0);
  fputs (last ? "\r\n" : ",", file);
}

static gboolean
export_donor_cb (OutreachDonor *donor,
                 gpointer       user_data)
{
  ExportState *state = user_data;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *amount = NULL;
  JsonObject *extra = NULL;
  gint64 cents;

  if (outreach_donor_get_last_gift (donor, &cents))
    amount = outreach_donor_format_amount (cents);
  if (json_parser_load_from_data (parser, outreach_donor_get_extra (donor), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    extra = json_node_get_object (json_parser_get_root (parser));

  write_field (state->file, outreach_donor_get_external_id (donor), FALSE);
  write_field (state->file, outreach_donor_get_first_name (donor), FALSE);
  write_field (state->file, outreach_donor_get_last_name (donor), FALSE);
  write_field (state->file, outreach_donor_get_email (donor), FALSE);
  write_field (state->file, outreach_donor_get_phone (donor), FALSE);
  write_field (state->file, outreach_donor_get_street (donor), FALSE);
  write_field (state->file, outreach_donor_get_city (donor), FALSE);
  write_field (state->file, outreach_donor_get_region (donor), FALSE);
  write_field (state->file, outreach_donor_get_postal_code (donor), FALSE);
  write_field (state->file, outreach_donor_get_country (donor), FALSE);
  write_field (state->file, amount, FALSE);
  write_field (state->file, outreach_donor_get_last_gift_date (donor), FALSE);
  write_field (state->file, outreach_donor_get_tags (donor), FALSE);
  write_field (state->file, outreach_donor_get_do_not_contact (donor) ? "yes" : "no",
               state->extra_keys[0] == NULL);
  for (guint i = 0; state->extra_keys[i] != NULL; i++)
    {
      const char *value = NULL;

      if (extra != NULL && json_object_has_member (extra, state->extra_keys[i]))
        value = json_object_get_string_member_with_default (extra, state->extra_keys[i], "");
      write_field (state->file, value, state->extra_keys[i + 1] == NULL);
    }

  state->n++;
  if (ferror (state->file))
    {
      state->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

static char **
extra_keys (OutreachStore *store,
            GError       **error)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = outreach_store_prepare (store,
                                 "SELECT DISTINCT j.key FROM donors, json_each (donors.extra) j "
                                 "ORDER BY j.key",
                                 error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the donors"), error);
      return NULL;
    }
  g_ptr_array_add (keys, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

/**
 * outreach_donor_export:
 * @n_exported: (out) (optional): how many donors were written
 *
 * Writes every donor to @path as CSV (UTF-8, CRLF): one column per donor
 * field, under the field's name, then one per `extra` key — so that
 * importing the file gives back the same donors. The file is written
 * beside @path and renamed over it, so a failure leaves no half file.
 */
gboolean
outreach_donor_export (OutreachStore *store,
                       const char    *path,
                       gint64        *n_exported,
                       GError       **error)
{
  g_autofree char *tmp_path = NULL;
  g_auto (GStrv) keys = NULL;
  ExportState state = { 0 };
  gboolean ok;
  int fd;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  keys = extra_keys (store, error);
  if (keys == NULL)
    return FALSE;

  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 || (state.file = fdopen (fd, "w")) == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  state.extra_keys = keys;

  for (int f = 0; f < OUTREACH_DONOR_N_FIELDS; f++)
    write_field (state.file, outreach_donor_field_to_string (f),
                 f == OUTREACH_DONOR_N_FIELDS - 1 && keys[0] == NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    write_field (state.file, keys[i], keys[i + 1] == NULL);

  ok = outreach_donor_query_foreach (store, NULL, NULL, -1, export_donor_cb, &state, NULL, error);
  if (fclose (state.file) != 0 || state.failed)
    {
      if (ok)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not write %s: %s"), path, g_strerror (saved_errno));
        }
      ok = FALSE;
    }
  if (ok && g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp_path);
  else if (n_exported != NULL)
    *n_exported = state.n;
  return ok;
}
