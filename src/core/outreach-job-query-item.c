/* outreach-job-query-item.c — one job as read from the jobs table
 *
 * A row object lives as long as a list shows it. When the database
 * changes, the list reads the row again and updates the same object in
 * place ("changed"), so widgets bound to it follow without the list
 * being rebuilt (and without losing the selection).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query-item"

#include "config.h"

#include "outreach-job-query-item.h"

struct _OutreachJobQueryItem
{
  GObject parent_instance;

  OutreachJobData data;
};

G_DEFINE_FINAL_TYPE (OutreachJobQueryItem, outreach_job_query_item, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
clear_data (OutreachJobData *data)
{
  g_clear_pointer (&data->uuid, g_free);
  g_clear_pointer (&data->name, g_free);
  g_clear_pointer (&data->kind, g_free);
  g_clear_pointer (&data->account_name, g_free);
  g_clear_pointer (&data->error, g_free);
}

static void
outreach_job_query_item_finalize (GObject *object)
{
  clear_data (&OUTREACH_JOB_QUERY_ITEM (object)->data);

  G_OBJECT_CLASS (outreach_job_query_item_parent_class)->finalize (object);
}

static void
outreach_job_query_item_class_init (OutreachJobQueryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_query_item_finalize;

  /**
   * OutreachJobQueryItem::changed:
   *
   * The row was read again and differs, or a second passed while it runs
   * (its duration moved on).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
outreach_job_query_item_init (OutreachJobQueryItem *self)
{
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
read_data (OutreachJobData *data,
           sqlite3_stmt    *stmt)
{
  OutreachJobStatus status = OUTREACH_JOB_STATUS_DRAFT;

  data->id = sqlite3_column_int64 (stmt, 0);
  data->uuid = column_dup (stmt, 1);
  data->name = column_dup (stmt, 2);
  data->kind = column_dup (stmt, 3);
  outreach_job_status_from_string ((const char *) sqlite3_column_text (stmt, 4), &status);
  data->status = status;
  data->priority = sqlite3_column_int (stmt, 5);
  data->account_id = sqlite3_column_int64 (stmt, 6);
  data->account_name = column_dup (stmt, 7);
  data->total = sqlite3_column_int64 (stmt, 8);
  data->pending = sqlite3_column_int64 (stmt, 9);
  data->sent = sqlite3_column_int64 (stmt, 10);
  data->failed = sqlite3_column_int64 (stmt, 11);
  data->skipped = sqlite3_column_int64 (stmt, 12);
  data->uncertain = sqlite3_column_int64 (stmt, 13);
  data->cancelled = sqlite3_column_int64 (stmt, 14);
  data->rejected = sqlite3_column_int64 (stmt, 15);
  data->created_at = sqlite3_column_int64 (stmt, 16);
  data->scheduled_at = sqlite3_column_int64 (stmt, 17);
  data->started_at = sqlite3_column_int64 (stmt, 18);
  data->updated_at = sqlite3_column_int64 (stmt, 19);
  data->finished_at = sqlite3_column_int64 (stmt, 20);
  data->error = column_dup (stmt, 21);
}

/**
 * outreach_job_query_item_new_from_stmt:
 * @stmt: positioned on a row selecting %OUTREACH_JOB_QUERY_ITEM_COLUMNS
 */
OutreachJobQueryItem *
outreach_job_query_item_new_from_stmt (sqlite3_stmt *stmt)
{
  OutreachJobQueryItem *self = g_object_new (OUTREACH_TYPE_JOB_QUERY_ITEM, NULL);

  g_return_val_if_fail (stmt != NULL, self);

  read_data (&self->data, stmt);
  return self;
}

static gboolean
data_equal (const OutreachJobData *a,
            const OutreachJobData *b)
{
  return a->id == b->id && a->status == b->status && a->priority == b->priority &&
         a->account_id == b->account_id && a->total == b->total && a->pending == b->pending &&
         a->sent == b->sent && a->failed == b->failed && a->skipped == b->skipped &&
         a->uncertain == b->uncertain && a->cancelled == b->cancelled &&
         a->rejected == b->rejected && a->created_at == b->created_at &&
         a->scheduled_at == b->scheduled_at && a->started_at == b->started_at &&
         a->updated_at == b->updated_at && a->finished_at == b->finished_at &&
         g_strcmp0 (a->name, b->name) == 0 && g_strcmp0 (a->kind, b->kind) == 0 &&
         g_strcmp0 (a->account_name, b->account_name) == 0 &&
         g_strcmp0 (a->error, b->error) == 0;
}

/**
 * outreach_job_query_item_update:
 * @stmt: positioned on the same job's row, read again
 *
 * Returns: %FALSE when @stmt holds another job (the list moved); then
 *   nothing was changed
 */
gboolean
outreach_job_query_item_update (OutreachJobQueryItem *self,
                               sqlite3_stmt        *stmt)
{
  OutreachJobData fresh = { 0 };

  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self), FALSE);

  if (sqlite3_column_int64 (stmt, 0) != self->data.id)
    return FALSE;

  read_data (&fresh, stmt);
  if (data_equal (&fresh, &self->data))
    {
      clear_data (&fresh);
      return TRUE;
    }
  clear_data (&self->data);
  self->data = fresh;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

const OutreachJobData *
outreach_job_query_item_get_data (OutreachJobQueryItem *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self), NULL);

  return &self->data;
}

gint64
outreach_job_query_item_get_id (OutreachJobQueryItem *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self), 0);

  return self->data.id;
}

/* Recipients in a final state: what "X of Y" counts. */
gint64
outreach_job_query_item_get_done (OutreachJobQueryItem *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self), 0);

  return self->data.total - self->data.pending;
}

double
outreach_job_query_item_get_fraction (OutreachJobQueryItem *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self), 0);

  if (self->data.total <= 0)
    return self->data.status == OUTREACH_JOB_STATUS_COMPLETED ? 1.0 : 0.0;
  return (double) outreach_job_query_item_get_done (self) / (double) self->data.total;
}

/**
 * outreach_job_query_item_get_duration:
 * @now: Unix seconds
 *
 * Returns: seconds from the first start to the end, or to @now while it
 *   runs, or to its last change while it waits paused; -1 before it started
 */
gint64
outreach_job_query_item_get_duration (OutreachJobQueryItem *self,
                                     gint64               now)
{
  const OutreachJobData *d;
  gint64 end;

  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self), -1);

  d = &self->data;
  if (d->started_at == 0)
    return -1;
  if (d->finished_at != 0)
    end = d->finished_at;
  else if (d->status == OUTREACH_JOB_STATUS_RUNNING)
    end = now;
  else
    end = d->updated_at;
  return MAX (end - d->started_at, 0);
}

/* A second passed: a running job's duration moved on. */
void
outreach_job_query_item_tick (OutreachJobQueryItem *self)
{
  g_return_if_fail (OUTREACH_IS_JOB_QUERY_ITEM (self));

  if (self->data.status == OUTREACH_JOB_STATUS_RUNNING)
    g_signal_emit (self, signals[CHANGED], 0);
}
