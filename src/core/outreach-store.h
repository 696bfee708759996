/* outreach-store.h — the SQLite database every part of Outreach shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define OUTREACH_STORE_ERROR (outreach_store_error_quark ())

typedef enum
{
  OUTREACH_STORE_ERROR_NOT_A_DATABASE,
  OUTREACH_STORE_ERROR_TOO_NEW,
  OUTREACH_STORE_ERROR_READ_ONLY,
  OUTREACH_STORE_ERROR_LOCKED,
  OUTREACH_STORE_ERROR_CORRUPT,
  OUTREACH_STORE_ERROR_FULL,
  OUTREACH_STORE_ERROR_IO,
  OUTREACH_STORE_ERROR_CONSTRAINT,
  OUTREACH_STORE_ERROR_NOT_FOUND,
  OUTREACH_STORE_ERROR_FAILED,
} OutreachStoreError;

/* The schema version this build writes; a database with a higher
 * PRAGMA user_version was made by a newer Outreach and is refused. */
#define OUTREACH_STORE_SCHEMA_VERSION 7

#define OUTREACH_TYPE_STORE (outreach_store_get_type ())
G_DECLARE_FINAL_TYPE (OutreachStore, outreach_store, OUTREACH, STORE, GObject)

GQuark         outreach_store_error_quark         (void);

char          *outreach_store_default_path        (void);
OutreachStore *outreach_store_open                (const char     *path,
                                                   GError        **error);
OutreachStore *outreach_store_reopen              (OutreachStore  *self,
                                                   GError        **error);
const char    *outreach_store_get_path            (OutreachStore  *self);
sqlite3       *outreach_store_get_db              (OutreachStore  *self);
int            outreach_store_get_schema_version  (OutreachStore  *self);

sqlite3_stmt  *outreach_store_prepare             (OutreachStore  *self,
                                                   const char     *sql,
                                                   GError        **error);
gboolean       outreach_store_exec                (OutreachStore  *self,
                                                   const char     *sql,
                                                   GError        **error);
gboolean       outreach_store_step_done           (OutreachStore  *self,
                                                   sqlite3_stmt   *stmt,
                                                   GError        **error);
gboolean       outreach_store_begin               (OutreachStore  *self,
                                                   GError        **error);
gboolean       outreach_store_commit              (OutreachStore  *self,
                                                   GError        **error);
void           outreach_store_rollback            (OutreachStore  *self);
gboolean       outreach_store_count_rows          (OutreachStore  *self,
                                                   const char     *table,
                                                   gint64         *count,
                                                   GError        **error);
gboolean       outreach_store_set_error           (OutreachStore  *self,
                                                   int             rc,
                                                   const char     *what,
                                                   GError        **error);

G_END_DECLS
