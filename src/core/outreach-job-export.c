/* outreach-job-export.c — a job's results as CSV, or a ZIP with the .eml of every sent message
 *
 * The CSV has one row per recipient: donor id, address, state, attempts,
 * provider message id, error, and times in ISO 8601 UTC: last change,
 * created (with the job), first attempt, and sent (the last change of a
 * sent row: nothing changes it after). A time that has not happened is
 * empty. New columns go at the end, so scripts reading the old ones go on
 * working. A .zip holds
 * results.csv and, for each sent message, the .eml as it was rendered
 * from the frozen message and the recipient's frozen merge fields.
 * Both are written to a temporary file and renamed: never half a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-export"

#include "config.h"

#include "outreach-job-export.h"

#include <archive.h>
#include <errno.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "outreach-job-control.h"
#include "outreach-job-render.h"
#include "outreach-message.h"

static void
csv_field (GString    *out,
           const char *value)
{
  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
write_zip (const char *tmp_path,
           GString    *csv,
           GPtrArray  *names,
           GPtrArray  *files,
           GError    **error)
{
  struct archive *zip = archive_write_new ();
  gboolean ok = FALSE;

  archive_write_set_format_zip (zip);
  if (archive_write_open_filename (zip, tmp_path) != ARCHIVE_OK)
    goto out;

  for (guint i = 0; i <= files->len; i++)
    {
      const char *name = i == 0 ? "results.csv" : names->pdata[i - 1];
      gsize len = 0;
      const void *data = i == 0 ? (const void *) csv->str : g_bytes_get_data (files->pdata[i - 1], &len);
      struct archive_entry *entry = archive_entry_new ();

      if (i == 0)
        len = csv->len;
      archive_entry_set_pathname (entry, name);
      archive_entry_set_size (entry, len);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0600);
      archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);
      if (archive_write_header (zip, entry) != ARCHIVE_OK ||
          archive_write_data (zip, data, len) != (la_ssize_t) len)
        {
          archive_entry_free (entry);
          goto out;
        }
      archive_entry_free (entry);
    }
  ok = archive_write_close (zip) == ARCHIVE_OK;

out:
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s: %s"), tmp_path,
                 archive_error_string (zip) != NULL ? archive_error_string (zip) : g_strerror (errno));
  archive_write_free (zip);
  return ok;
}

/**
 * outreach_job_export:
 * @path: ends in .csv or .zip
 */
gboolean
outreach_job_export (OutreachStore *store,
                     gint64         job_id,
                     const char    *path,
                     GError       **error)
{
  g_autoptr (GString) csv = g_string_new ("donor_id,address,state,attempts,provider_message_id,"
                                           "error,updated_at,created_at,first_attempt_at,sent_at\n");
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *tmp_path = g_strdup_printf ("%s.part", path);
  g_autofree char *from = NULL, *from_name = NULL;
  gboolean zip = g_str_has_suffix (path, ".zip");
  g_autoptr (OutreachJobRenderer) renderer = outreach_job_renderer_new (store, job_id, error);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (renderer == NULL)
    return FALSE;
  stmt = outreach_store_prepare (store,
                                 "SELECT json_extract (a.settings, '$.from'), json_extract (a.settings, '$.from_name')"
                                 " FROM jobs j LEFT JOIN accounts a ON a.id = j.account_id WHERE j.id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      from = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      from_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  stmt = outreach_store_prepare (store,
                                 "SELECT r.donor_id, r.address, r.state, r.attempts, r.provider_message_id,"
                                 " r.last_error, r.updated_at, r.id, r.merge_data, j.created_at,"
                                 " r.first_attempt_at, CASE WHEN r.state = 'sent' THEN r.updated_at END"
                                 " FROM job_recipients r JOIN jobs j ON j.id = r.job_id"
                                 " WHERE r.job_id = ? ORDER BY r.id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char number[32];

      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        {
          g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
          g_string_append (csv, number);
        }
      g_string_append_c (csv, ',');
      csv_field (csv, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_c (csv, ',');
      csv_field (csv, (const char *) sqlite3_column_text (stmt, 2));
      g_string_append_printf (csv, ",%d,", sqlite3_column_int (stmt, 3));
      csv_field (csv, (const char *) sqlite3_column_text (stmt, 4));
      g_string_append_c (csv, ',');
      csv_field (csv, (const char *) sqlite3_column_text (stmt, 5));
      /* updated, created, first attempt, sent */
      for (int column = 6; column <= 11; column++)
        {
          if (column == 7 || column == 8)
            continue;
          g_string_append_c (csv, ',');
          if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
            {
              g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column));
              g_autofree char *when = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
              g_string_append (csv, when);
            }
        }
      g_string_append_c (csv, '\n');

      if (zip && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "sent") == 0)
        {
          g_autoptr (OutreachMessage) m =
            outreach_job_renderer_render (renderer, sqlite3_column_int64 (stmt, 7), sqlite3_column_int64 (stmt, 0),
                                          (const char *) sqlite3_column_text (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 8), sqlite3_column_int (stmt, 3));
          g_ptr_array_add (names, g_strdup_printf ("%06" G_GINT64_FORMAT ".eml", m->recipient_id));
          g_ptr_array_add (files, outreach_message_to_mime (m, from, from_name, NULL));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return outreach_store_set_error (store, rc, _("read the recipients"), error);

  if (zip)
    {
      if (!write_zip (tmp_path, csv, names, files, error))
        {
          g_unlink (tmp_path);
          return FALSE;
        }
    }
  else if (!g_file_set_contents_full (tmp_path, csv->str, csv->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
