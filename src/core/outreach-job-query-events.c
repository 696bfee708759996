/* outreach-job-query-events.c — a job's log, newest first, read on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query-events"

#include "config.h"

#include "outreach-job-query-events.h"

#include "outreach-job-query.h"

struct _OutreachJobQueryEvents
{
  GObject parent_instance;

  OutreachJobQueryPager *pager;
  gint64 job_id;
  const char *levels; /* SQL list of the levels shown */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OutreachJobQueryEvents, outreach_job_query_events, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static const struct
{
  const char *min_level;
  const char *levels;
} level_filters[] = {
  { "debug", "('debug', 'info', 'warning', 'error')" },
  { "info", "('info', 'warning', 'error')" },
  { "warning", "('warning', 'error')" },
  { "error", "('error')" },
};

static GType
get_item_type (GListModel *model)
{
  return OUTREACH_TYPE_JOB_QUERY_EVENT;
}

static guint
get_n_items (GListModel *model)
{
  return outreach_job_query_pager_get_n_items (OUTREACH_JOB_QUERY_EVENTS (model)->pager);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return outreach_job_query_pager_get_item (OUTREACH_JOB_QUERY_EVENTS (model)->pager, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
outreach_job_query_events_finalize (GObject *object)
{
  g_clear_pointer (&OUTREACH_JOB_QUERY_EVENTS (object)->pager, outreach_job_query_pager_free);

  G_OBJECT_CLASS (outreach_job_query_events_parent_class)->finalize (object);
}

static void
outreach_job_query_events_class_init (OutreachJobQueryEventsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_query_events_finalize;
}

static void
outreach_job_query_events_init (OutreachJobQueryEvents *self)
{
  self->levels = level_filters[0].levels;
}

static gpointer
new_item (sqlite3_stmt *stmt)
{
  return outreach_job_query_event_new_from_stmt (stmt);
}

static gboolean
update_item (gpointer      item,
             sqlite3_stmt *stmt)
{
  return outreach_job_query_event_update (item, stmt);
}

static void
requery (OutreachJobQueryEvents *self)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  guint old_n = outreach_job_query_pager_get_n_items (self->pager);

  g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (self->job_id)));
  count_sql = g_strdup_printf ("SELECT count(*) FROM job_events WHERE job_id = ?1"
                               " AND level IN %s", self->levels);
  page_sql = g_strdup_printf ("SELECT " OUTREACH_JOB_QUERY_EVENT_COLUMNS " FROM job_events"
                              " WHERE job_id = ?1 AND level IN %s ORDER BY time DESC, id DESC",
                              self->levels);
  outreach_job_query_pager_set_query (self->pager, count_sql, page_sql, params);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n,
                              outreach_job_query_pager_get_n_items (self->pager));
}

OutreachJobQueryEvents *
outreach_job_query_events_new (OutreachStore *store,
                               gint64         job_id)
{
  OutreachJobQueryEvents *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_JOB_QUERY_EVENTS, NULL);
  self->job_id = job_id;
  self->pager = outreach_job_query_pager_new (store, OUTREACH_TYPE_JOB_QUERY_EVENT, new_item,
                                              update_item);
  requery (self);
  return self;
}

/**
 * outreach_job_query_events_set_min_level:
 * @level: "debug" (everything), "info", "warning" or "error"
 *
 * Returns: %FALSE for an unknown level (nothing changes)
 */
gboolean
outreach_job_query_events_set_min_level (OutreachJobQueryEvents *self,
                                         const char             *level)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_EVENTS (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (level_filters); i++)
    if (g_strcmp0 (level, level_filters[i].min_level) == 0)
      {
        if (self->levels != level_filters[i].levels)
          {
            self->levels = level_filters[i].levels;
            requery (self);
          }
        return TRUE;
      }
  return FALSE;
}

/* New entries arrive at the top: a changed count rebuilds the list. */
void
outreach_job_query_events_refresh (OutreachJobQueryEvents *self)
{
  guint old_n, new_n;

  g_return_if_fail (OUTREACH_IS_JOB_QUERY_EVENTS (self));

  if (outreach_job_query_pager_reload (self->pager, TRUE, &old_n, &new_n))
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
}
