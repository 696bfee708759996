/* outreach-job-query.c — read-only queries over jobs, job_recipients and job_events
 *
 * The lists of the app are lazy: a pager knows how many rows a query has
 * and reads them in pages of PAGE_SIZE only when a list asks for an item,
 * keeping a few pages. 100,000 jobs or a million recipients cost what the
 * visible rows cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query"

#include "config.h"

#include "outreach-job-query.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define PAGE_SIZE 128
#define MAX_CACHED_PAGES 16

struct _OutreachJobQueryPager
{
  OutreachStore *store;
  GType item_type;
  OutreachJobQueryNewItem new_item;
  OutreachJobQueryUpdateItem update_item;

  char *count_sql;
  char *page_sql;   /* count_sql's rows, ordered, with " LIMIT ? OFFSET ?" appended */
  GPtrArray *params; /* GVariant: int64 or string, bound as ?1, ?2, … */

  guint n_items;
  GHashTable *pages; /* page index → GPtrArray of items */
  GQueue lru;        /* page indices, most recent first */
};

OutreachJobQueryPager *
outreach_job_query_pager_new (OutreachStore              *store,
                              GType                       item_type,
                              OutreachJobQueryNewItem     new_item,
                              OutreachJobQueryUpdateItem  update_item)
{
  OutreachJobQueryPager *self = g_new0 (OutreachJobQueryPager, 1);

  g_return_val_if_fail (OUTREACH_IS_STORE (store), self);

  self->store = g_object_ref (store);
  self->item_type = item_type;
  self->new_item = new_item;
  self->update_item = update_item;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->lru);
  return self;
}

void
outreach_job_query_pager_free (OutreachJobQueryPager *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_clear_pointer (&self->count_sql, g_free);
  g_clear_pointer (&self->page_sql, g_free);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_free (self);
}

static void
drop_pages (OutreachJobQueryPager *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static void
bind_params (OutreachJobQueryPager *self,
             sqlite3_stmt          *stmt)
{
  for (guint i = 0; self->params != NULL && i < self->params->len; i++)
    {
      GVariant *v = self->params->pdata[i];
      if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
        sqlite3_bind_int64 (stmt, i + 1, g_variant_get_int64 (v));
      else
        sqlite3_bind_text (stmt, i + 1, g_variant_get_string (v, NULL), -1, SQLITE_TRANSIENT);
    }
}

static guint
count_rows (OutreachJobQueryPager *self)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;

  if (self->count_sql == NULL)
    return 0;
  stmt = outreach_store_prepare (self->store, self->count_sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Could not count a list: %s", error->message);
      return 0;
    }
  bind_params (self, stmt);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  sqlite3_reset (stmt);
  return n;
}

/**
 * outreach_job_query_pager_set_query:
 * @count_sql: one row, one integer: how many rows the list has
 * @page_sql: the rows in order, without LIMIT
 * @params: (transfer none) (nullable): GVariants (int64 or string) for ?1…
 *
 * Replaces what the pager lists. The caller emits items-changed for the
 * whole list.
 */
void
outreach_job_query_pager_set_query (OutreachJobQueryPager *self,
                                    const char            *count_sql,
                                    const char            *page_sql,
                                    GPtrArray             *params)
{
  guint n_params = params != NULL ? params->len : 0;

  g_return_if_fail (self != NULL);

  g_free (self->count_sql);
  self->count_sql = g_strdup (count_sql);
  g_free (self->page_sql);
  self->page_sql = g_strdup_printf ("%s LIMIT ?%u OFFSET ?%u", page_sql, n_params + 1,
                                    n_params + 2);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  if (params != NULL)
    self->params = g_ptr_array_ref (params);
  drop_pages (self);
  self->n_items = count_rows (self);
}

guint
outreach_job_query_pager_get_n_items (OutreachJobQueryPager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

/* Reads page @page; with @existing, updates those items instead and
 * returns NULL if any row is another entity now. */
static GPtrArray *
read_page (OutreachJobQueryPager *self,
           guint                  page,
           GPtrArray             *existing)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  guint n_params = self->params != NULL ? self->params->len : 0;
  sqlite3_stmt *stmt;
  guint i = 0;
  int rc;

  stmt = outreach_store_prepare (self->store, self->page_sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read a list: %s", error->message);
      return NULL;
    }
  bind_params (self, stmt);
  sqlite3_bind_int64 (stmt, n_params + 1, PAGE_SIZE);
  sqlite3_bind_int64 (stmt, n_params + 2, (gint64) page * PAGE_SIZE);

  if (existing == NULL)
    items = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (existing == NULL)
        g_ptr_array_add (items, self->new_item (stmt));
      else if (i >= existing->len || !self->update_item (existing->pdata[i], stmt))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      i++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (self->store, rc, _("read a list"), &error);
      g_warning ("%s", error->message);
      return NULL;
    }
  if (existing != NULL)
    return i == existing->len ? g_ptr_array_ref (existing) : NULL;
  return g_steal_pointer (&items);
}

/**
 * outreach_job_query_pager_get_item:
 *
 * Returns: (transfer full) (nullable): the item at @position
 */
gpointer
outreach_job_query_pager_get_item (OutreachJobQueryPager *self,
                                   guint                  position)
{
  GPtrArray *items;
  guint page;

  g_return_val_if_fail (self != NULL, NULL);

  if (position >= self->n_items)
    return NULL;

  page = position / PAGE_SIZE;
  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    {
      items = read_page (self, page, NULL);
      if (items == NULL)
        return NULL;
      if (g_queue_get_length (&self->lru) >= MAX_CACHED_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
    }
  else if (g_queue_peek_head (&self->lru) != GUINT_TO_POINTER (page))
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
    }

  if (position % PAGE_SIZE >= items->len)
    return NULL; /* rows went away since the count; the next reload says so */
  return g_object_ref (items->pdata[position % PAGE_SIZE]);
}

/**
 * outreach_job_query_pager_reload:
 * @keep_items: try to keep the items shown, updating them in place
 *
 * Reads the list again. When the same entities are at the same positions
 * (a running job's counters moved), they are updated in place and this
 * returns %FALSE. Otherwise the cache is dropped and this returns %TRUE:
 * the caller emits items-changed (0, @old_n, @new_n).
 */
gboolean
outreach_job_query_pager_reload (OutreachJobQueryPager *self,
                                 gboolean               keep_items,
                                 guint                 *old_n,
                                 guint                 *new_n)
{
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);

  *old_n = self->n_items;
  n = count_rows (self);
  *new_n = n;

  if (keep_items && n == self->n_items)
    {
      GHashTableIter iter;
      gpointer key, value;
      gboolean same = TRUE;

      g_hash_table_iter_init (&iter, self->pages);
      while (same && g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autoptr (GPtrArray) again = read_page (self, GPOINTER_TO_UINT (key), value);
          same = again != NULL;
        }
      if (same)
        return FALSE;
    }

  self->n_items = n;
  drop_pages (self);
  return TRUE;
}

/* Calls @func on every item read and kept (the ones a list is likely showing). */
void
outreach_job_query_pager_foreach_cached (OutreachJobQueryPager *self,
                                         GFunc                  func,
                                         gpointer               user_data)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (self != NULL);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_foreach (value, func, user_data);
}

/* ---- One job ---- */

/**
 * outreach_job_query_load:
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 *   (OUTREACH_JOB_ERROR_NOT_FOUND when it does not exist)
 */
OutreachJobQueryItem *
outreach_job_query_load (OutreachStore  *store,
                         gint64          job_id,
                         GError        **error)
{
  sqlite3_stmt *stmt;
  OutreachJobQueryItem *row;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT " OUTREACH_JOB_QUERY_ITEM_COLUMNS " FROM jobs"
                                 " LEFT JOIN accounts a ON a.id = jobs.account_id"
                                 " WHERE jobs.id = ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_NOT_FOUND,
                   _("There is no job %" G_GINT64_FORMAT " (it may have been deleted)"), job_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      outreach_store_set_error (store, rc, _("read the job"), error);
      return NULL;
    }
  row = outreach_job_query_item_new_from_stmt (stmt);
  sqlite3_reset (stmt);
  return row;
}

/* The message frozen at launch. Any out parameter may be NULL. */
gboolean
outreach_job_query_load_message (OutreachStore  *store,
                                 gint64          job_id,
                                 char          **subject,
                                 char          **text_body,
                                 char          **html_body,
                                 char          **params,
                                 GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  stmt = outreach_store_prepare (store,
                                 "SELECT subject, text_body, html_body, params FROM jobs"
                                 " WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, OUTREACH_JOB_ERROR, OUTREACH_JOB_ERROR_NOT_FOUND,
                       _("There is no job %" G_GINT64_FORMAT " (it may have been deleted)"),
                       job_id);
          return FALSE;
        }
      return outreach_store_set_error (store, rc, _("read the job’s message"), error);
    }
  if (subject != NULL)
    *subject = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (text_body != NULL)
    *text_body = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (html_body != NULL)
    *html_body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (params != NULL)
    *params = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sqlite3_reset (stmt);
  return TRUE;
}

static void
milestone_free (gpointer data)
{
  OutreachJobMilestone *m = data;

  g_free (m->kind);
  g_free (m->message);
  g_free (m);
}

/**
 * outreach_job_query_milestones:
 *
 * The log entries that mark the job's life (start, pauses, resumes,
 * recovery, retries, the end), oldest first.
 *
 * Returns: (transfer container) (element-type OutreachJobMilestone):
 *   the milestones, or %NULL with @error set
 */
GPtrArray *
outreach_job_query_milestones (OutreachStore  *store,
                               gint64          job_id,
                               GError        **error)
{
  g_autoptr (GPtrArray) milestones = g_ptr_array_new_with_free_func (milestone_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT time, kind, message FROM job_events"
                                 " WHERE job_id = ? AND kind IN ('queued', 'started', 'paused',"
                                 " 'resumed', 'recovered', 'retried', 'completed', 'failed',"
                                 " 'cancelled', 'marked-complete', 'account-changed')"
                                 " ORDER BY time, id LIMIT 200",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OutreachJobMilestone *m = g_new0 (OutreachJobMilestone, 1);
      m->time_ms = sqlite3_column_int64 (stmt, 0);
      m->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      m->message = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (milestones, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the job’s log"), error);
      return NULL;
    }
  return g_steal_pointer (&milestones);
}

#define FINAL_STATES "('sent', 'failed', 'skipped', 'uncertain', 'cancelled', 'rejected')"

gboolean
outreach_job_query_throughput (OutreachStore  *store,
                               gint64          job_id,
                               gint64          start,
                               gint64          bucket_seconds,
                               guint           n_buckets,
                               guint          *counts,
                               GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (bucket_seconds > 0, FALSE);
  g_return_val_if_fail (counts != NULL || n_buckets == 0, FALSE);

  memset (counts, 0, n_buckets * sizeof *counts);
  stmt = outreach_store_prepare (store,
                                 "SELECT (updated_at - ?2) / ?3, count(*) FROM job_recipients"
                                 " WHERE job_id = ?1 AND state IN " FINAL_STATES
                                 " AND state != 'cancelled' GROUP BY 1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, bucket_seconds);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 bucket = sqlite3_column_int64 (stmt, 0);
      if (bucket >= 0)
        counts[MIN (bucket, (gint64) n_buckets - 1)] += sqlite3_column_int64 (stmt, 1);
      else if (n_buckets > 0)
        counts[0] += sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return outreach_store_set_error (store, rc, _("read the job’s recipients"), error);
  return TRUE;
}

gboolean
outreach_job_query_recent_done (OutreachStore  *store,
                                gint64          job_id,
                                gint64          now,
                                gint64         *count,
                                GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  stmt = outreach_store_prepare (store,
                                 "SELECT count(*) FROM job_recipients WHERE job_id = ?1"
                                 " AND state IN ('sent', 'failed', 'skipped', 'uncertain')"
                                 " AND updated_at > ?2",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, now - 60);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return outreach_store_set_error (store, rc, _("read the job’s recipients"), error);
  return TRUE;
}

/* ---- All jobs ---- */

gboolean
outreach_job_query_count_by_status (OutreachStore *store,
                                    gint64        *counts,
                                    GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  memset (counts, 0, OUTREACH_JOB_STATUS_COUNT * sizeof *counts);
  /* kept by triggers (sql/007-job-status-counts.sql): no count of the jobs */
  stmt = outreach_store_prepare (store, "SELECT status, n FROM job_status_counts", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OutreachJobStatus status;
      if (outreach_job_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
        counts[status] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return outreach_store_set_error (store, rc, _("count the jobs"), error);
  return TRUE;
}

/**
 * outreach_job_query_active_jobs:
 *
 * Returns: (transfer full): job id (gint64*) → OutreachJobStatus
 *   (GINT_TO_POINTER) for every queued, running or paused job, or %NULL
 *   with @error set
 */
GHashTable *
outreach_job_query_active_jobs (OutreachStore  *store,
                                GError        **error)
{
  g_autoptr (GHashTable) active = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT id, status FROM jobs"
                                 " WHERE status IN ('queued', 'running', 'paused')",
                                 error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OutreachJobStatus status = OUTREACH_JOB_STATUS_QUEUED;
      outreach_job_status_from_string ((const char *) sqlite3_column_text (stmt, 1), &status);
      g_hash_table_insert (active, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) },
                                              sizeof (gint64)),
                           GINT_TO_POINTER (status));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the jobs"), error);
      return NULL;
    }
  return g_steal_pointer (&active);
}
