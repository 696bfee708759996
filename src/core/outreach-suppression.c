/* outreach-suppression.c — addresses nobody may send to
 *
 * The suppressions table holds e-mail addresses and phone numbers
 * (unsubscribed, bounced, complained or added by hand). Addresses are
 * stored the way donors store them, so the job engine's comparison
 * (case-insensitive) finds them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-suppression"

#include "config.h"

#include "outreach-suppression.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "outreach-donor-validate.h"

struct _OutreachSuppression
{
  GObject parent_instance;

  gint64 id;
  char *address;
  char *reason;
  gint64 created_at;
};

G_DEFINE_FINAL_TYPE (OutreachSuppression, outreach_suppression, G_TYPE_OBJECT)

static void
outreach_suppression_finalize (GObject *object)
{
  OutreachSuppression *self = OUTREACH_SUPPRESSION (object);

  g_free (self->address);
  g_free (self->reason);

  G_OBJECT_CLASS (outreach_suppression_parent_class)->finalize (object);
}

static void
outreach_suppression_class_init (OutreachSuppressionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_suppression_finalize;
}

static void
outreach_suppression_init (OutreachSuppression *self)
{
}

gboolean
outreach_suppression_reason_is_valid (const char *reason)
{
  return g_strcmp0 (reason, "unsubscribed") == 0 || g_strcmp0 (reason, "bounced") == 0 ||
         g_strcmp0 (reason, "complained") == 0 || g_strcmp0 (reason, "manual") == 0;
}

/**
 * outreach_suppression_normalize:
 *
 * Returns: (transfer full): @address as donors store it — an e-mail
 *   address with its domain lower-cased, or a phone number in E.164 —
 *   or %NULL with @error set when it is neither
 */
char *
outreach_suppression_normalize (const char *address,
                                GError    **error)
{
  g_autoptr (GError) local_error = NULL;
  char *normalized = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  if (strchr (address, '@') != NULL)
    {
      if (outreach_donor_parse_email (address, &normalized, &local_error))
        return normalized;
    }
  else if (outreach_donor_parse_phone (address, &normalized, &local_error))
    return normalized;

  g_set_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_INVALID,
               _("Cannot suppress “%s”: %s"), address, local_error->message);
  return NULL;
}

/**
 * outreach_suppression_add:
 * @reason: (nullable): unsubscribed, bounced, complained or manual (the default)
 *
 * Adds @address, or changes the reason of an address already there.
 */
gboolean
outreach_suppression_add (OutreachStore *store,
                          const char    *address,
                          const char    *reason,
                          GError       **error)
{
  g_autofree char *normalized = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (reason == NULL)
    reason = "manual";
  if (!outreach_suppression_reason_is_valid (reason))
    {
      g_set_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_INVALID,
                   _("“%s” is not a suppression reason; use unsubscribed, bounced, "
                     "complained or manual"),
                   reason);
      return FALSE;
    }
  normalized = outreach_suppression_normalize (address, error);
  if (normalized == NULL)
    return FALSE;

  stmt = outreach_store_prepare (store,
                                 "INSERT INTO suppressions (address, reason, created_at) "
                                 "VALUES (?1, ?2, unixepoch ()) "
                                 "ON CONFLICT (address) DO UPDATE SET reason = excluded.reason",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  return outreach_store_step_done (store, stmt, error);
}

gboolean
outreach_suppression_remove (OutreachStore *store,
                             const char    *address,
                             GError       **error)
{
  g_autofree char *normalized = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  normalized = outreach_suppression_normalize (address, NULL);
  stmt = outreach_store_prepare (store, "DELETE FROM suppressions WHERE address IN (?1, ?2)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, normalized != NULL ? normalized : address, -1, SQLITE_TRANSIENT);
  if (!outreach_store_step_done (store, stmt, error))
    return FALSE;

  if (sqlite3_changes (outreach_store_get_db (store)) == 0)
    {
      g_set_error (error, OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_NOT_FOUND,
                   _("“%s” is not on the suppression list"), address);
      return FALSE;
    }
  return TRUE;
}

/**
 * outreach_suppression_list:
 *
 * Returns: (transfer full): every suppressed address, newest first, as
 *   #OutreachSuppression items
 */
GListModel *
outreach_suppression_list (OutreachStore *store,
                           GError       **error)
{
  g_autoptr (GListStore) list = g_list_store_new (OUTREACH_TYPE_SUPPRESSION);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT id, address, reason, created_at FROM suppressions "
                                 "ORDER BY created_at DESC, id DESC",
                                 error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (OutreachSuppression) item = g_object_new (OUTREACH_TYPE_SUPPRESSION, NULL);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->address = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      item->created_at = sqlite3_column_int64 (stmt, 3);
      g_list_store_append (list, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the suppression list"), error);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

gint64
outreach_suppression_get_id (OutreachSuppression *self)
{
  g_return_val_if_fail (OUTREACH_IS_SUPPRESSION (self), 0);
  return self->id;
}

const char *
outreach_suppression_get_address (OutreachSuppression *self)
{
  g_return_val_if_fail (OUTREACH_IS_SUPPRESSION (self), NULL);
  return self->address;
}

const char *
outreach_suppression_get_reason (OutreachSuppression *self)
{
  g_return_val_if_fail (OUTREACH_IS_SUPPRESSION (self), NULL);
  return self->reason;
}

gint64
outreach_suppression_get_created_at (OutreachSuppression *self)
{
  g_return_val_if_fail (OUTREACH_IS_SUPPRESSION (self), 0);
  return self->created_at;
}
