/* outreach-job-list-model.c — every job, filtered and sorted, read on demand
 *
 * A GListModel of OutreachJobQueryItem. Filtering and sorting happen in
 * SQL and rows are read a page at a time (OutreachJobQueryPager), so the
 * Jobs page opens as fast with 100,000 jobs as with ten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-list-model"

#include "config.h"

#include "outreach-job-list-model.h"

struct _OutreachJobListModel
{
  GObject parent_instance;

  OutreachStore *store;
  OutreachJobQueryPager *pager;

  OutreachJobFilter filter;
  char *search;
  char *kind;
  gint64 created_from, created_to;
  OutreachJobSort sort;
  gboolean descending;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OutreachJobListModel, outreach_job_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return OUTREACH_TYPE_JOB_QUERY_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return outreach_job_query_pager_get_n_items (OUTREACH_JOB_LIST_MODEL (model)->pager);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return outreach_job_query_pager_get_item (OUTREACH_JOB_LIST_MODEL (model)->pager, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
outreach_job_list_model_finalize (GObject *object)
{
  OutreachJobListModel *self = OUTREACH_JOB_LIST_MODEL (object);

  g_clear_pointer (&self->pager, outreach_job_query_pager_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (outreach_job_list_model_parent_class)->finalize (object);
}

static void
outreach_job_list_model_class_init (OutreachJobListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_list_model_finalize;
}

static void
outreach_job_list_model_init (OutreachJobListModel *self)
{
  self->descending = TRUE;
}

static gpointer
new_row (sqlite3_stmt *stmt)
{
  return outreach_job_query_item_new_from_stmt (stmt);
}

static gboolean
update_row (gpointer      item,
            sqlite3_stmt *stmt)
{
  return outreach_job_query_item_update (item, stmt);
}

gboolean
outreach_job_filter_matches (OutreachJobFilter filter,
                             OutreachJobStatus status)
{
  switch (filter)
    {
    case OUTREACH_JOB_FILTER_ALL: return TRUE;
    case OUTREACH_JOB_FILTER_ACTIVE: return outreach_job_status_is_active (status);
    case OUTREACH_JOB_FILTER_COMPLETED: return status == OUTREACH_JOB_STATUS_COMPLETED;
    case OUTREACH_JOB_FILTER_FAILED: return status == OUTREACH_JOB_STATUS_FAILED;
    case OUTREACH_JOB_FILTER_CANCELLED: return status == OUTREACH_JOB_STATUS_CANCELLED;
    default: g_return_val_if_reached (FALSE);
    }
}

/* LIKE pattern for a name containing @text, with LIKE's own characters escaped. */
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

static const char *
order_by (OutreachJobSort sort)
{
  switch (sort)
    {
    case OUTREACH_JOB_SORT_NAME: return "jobs.name COLLATE NOCASE";
    /* the order a person reads the lifecycle in */
    case OUTREACH_JOB_SORT_STATUS:
      return "CASE jobs.status WHEN 'running' THEN 0 WHEN 'paused' THEN 1 WHEN 'queued' THEN 2"
             " WHEN 'draft' THEN 3 WHEN 'failed' THEN 4 WHEN 'cancelled' THEN 5 ELSE 6 END";
    case OUTREACH_JOB_SORT_PROGRESS:
      return "CASE WHEN jobs.total = 0 THEN 0"
             " ELSE (jobs.total - jobs.pending) * 1.0 / jobs.total END";
    case OUTREACH_JOB_SORT_RECIPIENTS: return "jobs.total";
    case OUTREACH_JOB_SORT_SENT: return "jobs.sent";
    case OUTREACH_JOB_SORT_DURATION:
      return "coalesce (coalesce (jobs.finished_at, jobs.updated_at) - jobs.started_at, -1)";
    case OUTREACH_JOB_SORT_CREATED:
    default:
      return "jobs.created_at";
    }
}

static void
rebuild_query (OutreachJobListModel *self)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr (GString) where = g_string_new ("1");
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  const char *dir = self->descending ? "DESC" : "ASC";

  switch (self->filter)
    {
    case OUTREACH_JOB_FILTER_ACTIVE:
      g_string_append (where, " AND jobs.status IN ('queued', 'running', 'paused')");
      break;
    case OUTREACH_JOB_FILTER_COMPLETED:
      g_string_append (where, " AND jobs.status = 'completed'");
      break;
    case OUTREACH_JOB_FILTER_FAILED:
      g_string_append (where, " AND jobs.status = 'failed'");
      break;
    case OUTREACH_JOB_FILTER_CANCELLED:
      g_string_append (where, " AND jobs.status = 'cancelled'");
      break;
    case OUTREACH_JOB_FILTER_ALL:
    default:
      break;
    }

  if (self->search != NULL && *self->search != '\0')
    {
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_take_string (
                                 like_pattern (self->search))));
      g_string_append_printf (where, " AND jobs.name LIKE ?%u ESCAPE '\\'", params->len);
    }
  if (self->kind != NULL)
    {
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (self->kind)));
      g_string_append_printf (where, " AND jobs.kind = ?%u", params->len);
    }
  if (self->created_from > 0)
    {
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (self->created_from)));
      g_string_append_printf (where, " AND jobs.created_at >= ?%u", params->len);
    }
  if (self->created_to > 0)
    {
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (self->created_to)));
      g_string_append_printf (where, " AND jobs.created_at < ?%u", params->len);
    }

  count_sql = g_strdup_printf ("SELECT count(*) FROM jobs WHERE %s", where->str);
  page_sql = g_strdup_printf ("SELECT " OUTREACH_JOB_QUERY_ITEM_COLUMNS " FROM jobs"
                              " LEFT JOIN accounts a ON a.id = jobs.account_id"
                              " WHERE %s ORDER BY %s %s, jobs.id %s",
                              where->str, order_by (self->sort), dir, dir);
  outreach_job_query_pager_set_query (self->pager, count_sql, page_sql, params);
}

static void
requery (OutreachJobListModel *self)
{
  guint old_n = outreach_job_query_pager_get_n_items (self->pager);

  rebuild_query (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n,
                              outreach_job_query_pager_get_n_items (self->pager));
}

OutreachJobListModel *
outreach_job_list_model_new (OutreachStore *store)
{
  OutreachJobListModel *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_JOB_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  self->pager = outreach_job_query_pager_new (store, OUTREACH_TYPE_JOB_QUERY_ITEM, new_row,
                                              update_row);
  rebuild_query (self);
  return self;
}

void
outreach_job_list_model_set_filter (OutreachJobListModel *self,
                                    OutreachJobFilter     filter)
{
  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));
  g_return_if_fail (filter < OUTREACH_JOB_FILTER_COUNT);

  if (self->filter == filter)
    return;
  self->filter = filter;
  requery (self);
}

OutreachJobFilter
outreach_job_list_model_get_filter (OutreachJobListModel *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self), OUTREACH_JOB_FILTER_ALL);

  return self->filter;
}

/* Jobs whose name contains @text (case-insensitive); NULL or "" for all. */
void
outreach_job_list_model_set_search (OutreachJobListModel *self,
                                    const char           *text)
{
  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  requery (self);
}

/* Only jobs of @kind ("send", "verify", "import"); NULL for all. */
void
outreach_job_list_model_set_kind (OutreachJobListModel *self,
                                  const char           *kind)
{
  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;
  g_free (self->kind);
  self->kind = g_strdup (kind);
  requery (self);
}

/* Jobs created in [@from, @to) (Unix seconds); 0 leaves that end open. */
void
outreach_job_list_model_set_created_range (OutreachJobListModel *self,
                                           gint64                from,
                                           gint64                to)
{
  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));

  if (self->created_from == from && self->created_to == to)
    return;
  self->created_from = from;
  self->created_to = to;
  requery (self);
}

void
outreach_job_list_model_set_sort (OutreachJobListModel *self,
                                  OutreachJobSort       sort,
                                  gboolean              descending)
{
  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));

  if (self->sort == sort && self->descending == !!descending)
    return;
  self->sort = sort;
  self->descending = !!descending;
  requery (self);
}

/**
 * outreach_job_list_model_refresh:
 *
 * Reads the jobs again after the database changed. Rows that stay where
 * they were are updated in place (their "changed" signal); only when
 * jobs came, went or moved is items-changed emitted.
 */
void
outreach_job_list_model_refresh (OutreachJobListModel *self)
{
  guint old_n, new_n;

  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));

  if (outreach_job_query_pager_reload (self->pager, TRUE, &old_n, &new_n))
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
}

static void
tick_cb (gpointer item,
         gpointer user_data)
{
  outreach_job_query_item_tick (item);
}

/* A second passed: running rows that are shown update their duration. */
void
outreach_job_list_model_tick (OutreachJobListModel *self)
{
  g_return_if_fail (OUTREACH_IS_JOB_LIST_MODEL (self));

  outreach_job_query_pager_foreach_cached (self->pager, tick_cb, NULL);
}
