/* outreach-store.c — the SQLite database every part of Outreach shares
 *
 * One OutreachStore is one connection. A thread that needs the database
 * (a running job, an import) opens its own with outreach_store_reopen().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-store"

#include "config.h"

#include "outreach-store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "outreach-core-resources.h"

#define BUSY_TIMEOUT_MS 5000
#define SQL_RESOURCE_DIR "/io/github/outreach/Outreach/core/sql"

struct _OutreachStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GHashTable *statements; /* SQL text → sqlite3_stmt*, prepared once per connection */
  int schema_version;
};

G_DEFINE_FINAL_TYPE (OutreachStore, outreach_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (outreach-store-error-quark, outreach_store_error)

static void
outreach_store_finalize (GObject *object)
{
  OutreachStore *self = OUTREACH_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (outreach_store_parent_class)->finalize (object);
}

static void
outreach_store_class_init (OutreachStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
outreach_store_init (OutreachStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

/**
 * outreach_store_default_path:
 *
 * Returns: (transfer full): `$OUTREACH_DB` when set, else
 *   `$XDG_DATA_HOME/outreach/outreach.db`.
 */
char *
outreach_store_default_path (void)
{
  const char *env = g_getenv ("OUTREACH_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "outreach", "outreach.db", NULL);
}

static OutreachStoreError
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      return OUTREACH_STORE_ERROR_NOT_A_DATABASE;
    case SQLITE_READONLY:
      return OUTREACH_STORE_ERROR_READ_ONLY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return OUTREACH_STORE_ERROR_LOCKED;
    case SQLITE_CORRUPT:
      return OUTREACH_STORE_ERROR_CORRUPT;
    case SQLITE_FULL:
      return OUTREACH_STORE_ERROR_FULL;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return OUTREACH_STORE_ERROR_IO;
    case SQLITE_CONSTRAINT:
      return OUTREACH_STORE_ERROR_CONSTRAINT;
    default:
      return OUTREACH_STORE_ERROR_FAILED;
    }
}

static void
set_error_for_path (GError    **error,
                    const char *path,
                    sqlite3    *db,
                    int         rc,
                    const char *what)
{
  OutreachStoreError code = error_code_for_sqlite (rc);
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (code)
    {
    case OUTREACH_STORE_ERROR_NOT_A_DATABASE:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("%s is not an Outreach database (it is not a SQLite file); "
                     "choose another file with --db"),
                   path);
      break;
    case OUTREACH_STORE_ERROR_READ_ONLY:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("%s is read-only; give Outreach write access to it and its folder, "
                     "or choose another file with --db"),
                   path);
      break;
    case OUTREACH_STORE_ERROR_LOCKED:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("%s is locked by another program (still locked after %d s); "
                     "close the other program and try again"),
                   path, BUSY_TIMEOUT_MS / 1000);
      break;
    case OUTREACH_STORE_ERROR_CORRUPT:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("%s is damaged (%s); restore it from a backup"), path, detail);
      break;
    case OUTREACH_STORE_ERROR_FULL:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("The disk holding %s is full; free some space and try again"), path);
      break;
    case OUTREACH_STORE_ERROR_IO:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("Could not %s in %s: %s"), what, path, detail);
      break;
    default:
      g_set_error (error, OUTREACH_STORE_ERROR, code,
                   _("Could not %s in %s: %s"), what, path, detail);
      break;
    }
}

/**
 * outreach_store_set_error:
 * @rc: the SQLite result code that failed
 * @what: what was being done, as a verb phrase ("save the donor")
 *
 * Sets @error from a failed SQLite call on this connection. Always
 * returns %FALSE, so callers can `return outreach_store_set_error (…)`.
 */
gboolean
outreach_store_set_error (OutreachStore *self,
                          int            rc,
                          const char    *what,
                          GError       **error)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (self), FALSE);

  set_error_for_path (error, self->path, self->db, rc, what);
  return FALSE;
}

static gboolean
ensure_file (const char *path,
             GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, OUTREACH_STORE_ERROR, OUTREACH_STORE_ERROR_IO,
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Created here, not by SQLite, so that the file is private from its
   * first byte; SQLite gives the -wal and -shm files the same mode. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      close (fd);
      return TRUE;
    }
  if (errno == EEXIST)
    return TRUE;

  {
    int saved_errno = errno;
    g_set_error (error, OUTREACH_STORE_ERROR,
                 saved_errno == EACCES || saved_errno == EROFS ? OUTREACH_STORE_ERROR_READ_ONLY
                                                               : OUTREACH_STORE_ERROR_IO,
                 _("Could not create the database %s: %s"), path, g_strerror (saved_errno));
  }
  return FALSE;
}

static gboolean
read_user_version (OutreachStore *self,
                   int           *version,
                   GError       **error)
{
  sqlite3_stmt *stmt = outreach_store_prepare (self, "PRAGMA user_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      outreach_store_set_error (self, rc, _("read the schema version"), error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Applies every SQL resource numbered above the current user_version, in
 * one IMMEDIATE transaction, so two processes starting together migrate
 * once and a failure leaves the old schema. */
static gboolean
migrate (OutreachStore *self,
         GError       **error)
{
  g_auto (GStrv) names = NULL;
  int version = 0;

  names = g_resource_enumerate_children (outreach_core_get_resource (), SQL_RESOURCE_DIR,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return FALSE;
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);

  if (!outreach_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_user_version (self, &version, error))
    goto fail;

  for (guint i = 0; names[i] != NULL; i++)
    {
      int number = (int) g_ascii_strtoll (names[i], NULL, 10);
      g_autofree char *resource = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *set_version = NULL;

      if (number <= version)
        continue;

      resource = g_build_path ("/", SQL_RESOURCE_DIR, names[i], NULL);
      bytes = g_resource_lookup_data (outreach_core_get_resource (), resource,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        goto fail;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (!outreach_store_exec (self, sql, error))
        goto fail;
      set_version = g_strdup_printf ("PRAGMA user_version = %d", number);
      if (!outreach_store_exec (self, set_version, error))
        goto fail;
      version = number;
    }

  if (!outreach_store_exec (self, "COMMIT", error))
    goto fail;
  self->schema_version = version;
  return TRUE;

fail:
  outreach_store_rollback (self);
  return FALSE;
}

/**
 * outreach_store_open:
 * @path: the database file; created (0600, folder 0700) when missing
 *
 * Opens the database, refusing — without writing a byte to it — a file
 * that is not SQLite, one from a newer Outreach, a read-only one, or one
 * locked by another program past the busy timeout. Then brings the schema
 * up to date.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
OutreachStore *
outreach_store_open (const char *path,
                     GError    **error)
{
  g_autoptr (OutreachStore) self = NULL;
  int version = 0;
  int rc;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_file (path, error))
    return NULL;

  self = g_object_new (OUTREACH_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_error_for_path (error, path, self->db, rc, _("open the database"));
      return NULL;
    }

  /* SQLite quietly falls back to read-only; say so before anything else. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      set_error_for_path (error, path, self->db, SQLITE_READONLY, _("open the database"));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);

  /* A read first: it fails on a file that is not SQLite or is locked,
   * before any pragma below could write to it. */
  if (!read_user_version (self, &version, error))
    return NULL;

  if (version > OUTREACH_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, OUTREACH_STORE_ERROR, OUTREACH_STORE_ERROR_TOO_NEW,
                   _("%s was made by a newer version of Outreach (schema %d; this version "
                     "knows up to %d); update Outreach or choose another file with --db"),
                   path, version, OUTREACH_STORE_SCHEMA_VERSION);
      return NULL;
    }

  if (!outreach_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !outreach_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !outreach_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;

  self->schema_version = version;
  if (version < OUTREACH_STORE_SCHEMA_VERSION && !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * outreach_store_reopen:
 *
 * Opens another connection to the same file, for a thread of its own.
 *
 * Returns: (transfer full): the new store, or %NULL with @error set
 */
OutreachStore *
outreach_store_reopen (OutreachStore *self,
                       GError       **error)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (self), NULL);

  return outreach_store_open (self->path, error);
}

const char *
outreach_store_get_path (OutreachStore *self)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
outreach_store_get_db (OutreachStore *self)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (self), NULL);

  return self->db;
}

int
outreach_store_get_schema_version (OutreachStore *self)
{
  g_return_val_if_fail (OUTREACH_IS_STORE (self), 0);

  return self->schema_version;
}

/**
 * outreach_store_prepare:
 * @sql: one SQL statement; the text is the cache key
 *
 * Returns: (transfer none): a statement prepared once per connection,
 *   reset and with its bindings cleared. Do not finalize it; reset it
 *   when done if it was not stepped to the end.
 */
sqlite3_stmt *
outreach_store_prepare (OutreachStore *self,
                        const char    *sql,
                        GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      outreach_store_set_error (self, rc, _("read the database"), error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/**
 * outreach_store_exec:
 * @sql: one or more statements, with no results wanted
 */
gboolean
outreach_store_exec (OutreachStore *self,
                     const char    *sql,
                     GError       **error)
{
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (self), FALSE);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return outreach_store_set_error (self, rc, _("update the database"), error);

  return TRUE;
}

/**
 * outreach_store_step_done:
 *
 * Steps a statement that returns no rows and resets it.
 */
gboolean
outreach_store_step_done (OutreachStore *self,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return outreach_store_set_error (self, rc, _("update the database"), error);

  return TRUE;
}

gboolean
outreach_store_begin (OutreachStore *self,
                      GError       **error)
{
  return outreach_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
outreach_store_commit (OutreachStore *self,
                       GError       **error)
{
  if (outreach_store_exec (self, "COMMIT", error))
    return TRUE;

  outreach_store_rollback (self);
  return FALSE;
}

void
outreach_store_rollback (OutreachStore *self)
{
  g_return_if_fail (OUTREACH_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * outreach_store_count_rows:
 * @table: one of the schema's table names (not user input)
 */
gboolean
outreach_store_count_rows (OutreachStore *self,
                           const char    *table,
                           gint64        *count,
                           GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);
  sqlite3_stmt *stmt = outreach_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return outreach_store_set_error (self, rc, _("count rows"), error);
    }
  *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}
