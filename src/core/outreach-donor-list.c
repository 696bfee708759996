/* outreach-donor-list.c — a lazy GListModel of donors, for a million rows
 *
 * The model holds only the ids of the donors it shows (8 bytes each);
 * an OutreachDonor is made when a row asks for it, a page of 64 at a
 * time, and only the last few pages are kept — never a million objects.
 *
 * Filtering runs in a thread: on the search index (outreach-donor-index.c)
 * once it is built, with SQL before that. The first matches are shown as
 * soon as they are found, the full list (and its count) a moment later;
 * a new filter cancels the one still running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#include "config.h"

#include "outreach-donor-list.h"

#include "outreach-donor-index.h"

#define PAGE_SIZE 64
#define MAX_PAGES 16
#define FIRST_RESULTS 200

struct _OutreachDonorList
{
  GObject parent_instance;

  OutreachStore *store;
  GArray *ids;          /* gint64, what the model shows */
  GHashTable *pages;    /* page number → GPtrArray of OutreachDonor */
  char *search;
  char *tag;
  gboolean complete;    /* ids holds every match, not just the first */
  guint generation;     /* of the filter whose results are wanted */
  guint64 total;        /* donors in the store, unfiltered */
  gboolean stale;       /* rows may have changed: views must re-read them all */

  OutreachDonorIndex *index;
  GCancellable *filter_cancellable;
  GCancellable *index_cancellable;
};

enum
{
  PROP_0,
  PROP_N_ITEMS,
  PROP_COMPLETE,
  PROP_INDEXED,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OutreachDonorList, outreach_donor_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return OUTREACH_TYPE_DONOR;
}

static guint
get_n_items (GListModel *model)
{
  return OUTREACH_DONOR_LIST (model)->ids->len;
}

static GPtrArray *
fetch_page (OutreachDonorList *self,
            guint              page)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *donors = g_ptr_array_new_with_free_func (g_object_unref);
  guint first = page * PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->ids->len);
  sqlite3_stmt *stmt = outreach_store_prepare (self->store, OUTREACH_DONOR_SELECT " WHERE d.id = ?1",
                                               &error);

  if (stmt == NULL)
    {
      g_warning ("Could not read donors: %s", error->message);
      return donors;
    }
  for (guint i = first; i < last; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (self->ids, gint64, i));
      /* A donor deleted since the ids were read leaves a hole, filled
       * with NULL; the next reload drops it. */
      g_ptr_array_add (donors, sqlite3_step (stmt) == SQLITE_ROW ? outreach_donor_new_from_row (stmt)
                                                                 : NULL);
    }
  sqlite3_reset (stmt);
  return donors;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  OutreachDonorList *self = OUTREACH_DONOR_LIST (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *donors;
  gpointer donor;

  if (position >= self->ids->len)
    return NULL;

  donors = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (donors == NULL)
    {
      if (g_hash_table_size (self->pages) >= MAX_PAGES)
        g_hash_table_remove_all (self->pages);
      donors = fetch_page (self, page);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), donors);
    }

  donor = position % PAGE_SIZE < donors->len ? g_ptr_array_index (donors, position % PAGE_SIZE)
                                             : NULL;
  return donor != NULL ? g_object_ref (donor) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Shows @ids, telling views only about rows past the common prefix
 * (the first results of a search are a prefix of all of them). */
static void
replace_ids (OutreachDonorList *self,
             GArray            *ids,
             gboolean           complete)
{
  guint old_n = self->ids->len;
  guint prefix = 0;
  guint n = MIN (old_n, ids->len);

  while (!self->stale && prefix < n &&
         g_array_index (self->ids, gint64, prefix) == g_array_index (ids, gint64, prefix))
    prefix++;
  self->stale = FALSE;

  g_array_set_size (self->ids, 0);
  g_array_append_vals (self->ids, ids->data, ids->len);
  g_hash_table_remove_all (self->pages);

  if (self->complete != complete)
    {
      self->complete = complete;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
  if (old_n != prefix || ids->len != prefix)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_n - prefix, ids->len - prefix);
  if (old_n != ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---- Filtering in a thread ---------------------------------------------- */

typedef struct
{
  GWeakRef list;
  OutreachStore *store;
  OutreachDonorIndex *index;
  char *search;
  char *tag;
  guint generation;
  GMainContext *context;
} FilterData;

static void
filter_data_free (FilterData *data)
{
  g_weak_ref_clear (&data->list);
  g_clear_object (&data->store);
  g_clear_object (&data->index);
  g_free (data->search);
  g_free (data->tag);
  g_main_context_unref (data->context);
  g_free (data);
}

typedef struct
{
  GWeakRef list;
  GArray *ids;
  guint generation;
} PartialResult;

static gboolean
partial_idle_cb (gpointer user_data)
{
  PartialResult *result = user_data;
  g_autoptr (OutreachDonorList) self = g_weak_ref_get (&result->list);

  if (self != NULL && result->generation == self->generation)
    replace_ids (self, result->ids, FALSE);
  return G_SOURCE_REMOVE;
}

static void
partial_result_free (gpointer data)
{
  PartialResult *result = data;

  g_weak_ref_clear (&result->list);
  g_array_unref (result->ids);
  g_free (result);
}

static void
partial_cb (GArray  *ids,
            gpointer user_data)
{
  FilterData *data = user_data;
  PartialResult *result = g_new0 (PartialResult, 1);
  g_autoptr (OutreachDonorList) self = g_weak_ref_get (&data->list);

  g_weak_ref_init (&result->list, self);
  result->ids = g_array_copy (ids);
  result->generation = data->generation;
  g_main_context_invoke_full (data->context, G_PRIORITY_HIGH, partial_idle_cb, result,
                              partial_result_free);
}

static GArray *filter_with_sql (OutreachStore *store,
                                FilterData    *data,
                                GCancellable  *cancellable,
                                GError       **error);

static void
filter_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FilterData *data = task_data;
  GArray *ids;

  if (data->index != NULL)
    ids = outreach_donor_index_search (data->index, data->search, data->tag, FIRST_RESULTS,
                                       partial_cb, data, cancellable);
  else
    {
      g_autoptr (OutreachStore) store = NULL;
      GError *error = NULL;

      store = outreach_store_reopen (data->store, &error);
      ids = store != NULL ? filter_with_sql (store, data, cancellable, &error)
                          : NULL;
      if (ids == NULL && error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (ids == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
filter_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FilterData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (OutreachDonorList) self = g_weak_ref_get (&data->list);
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GError) error = NULL;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || data->generation != self->generation)
    return;
  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not filter the donors: %s", error->message);
      return;
    }
  if (data->search == NULL && data->tag == NULL && self->total != ids->len)
    {
      self->total = ids->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  replace_ids (self, ids, TRUE);
}

static void
run_filter (OutreachDonorList *self)
{
  g_autoptr (GTask) task = NULL;
  FilterData *data;

  g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  self->filter_cancellable = g_cancellable_new ();
  self->generation++;

  if (self->complete)
    {
      self->complete = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }

  data = g_new0 (FilterData, 1);
  g_weak_ref_init (&data->list, self);
  data->store = g_object_ref (self->store);
  data->index = self->index != NULL ? g_object_ref (self->index) : NULL;
  data->search = g_strdup (self->search);
  data->tag = g_strdup (self->tag);
  data->generation = self->generation;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, self->filter_cancellable, filter_done_cb, NULL);
  g_task_set_source_tag (task, run_filter);
  g_task_set_task_data (task, data, (GDestroyNotify) filter_data_free);
  g_task_run_in_thread (task, filter_thread);
}

/* Until the index is built: the same match (without accent folding), by
 * a scan, with the first rows shown as soon as they are read. */
static GArray *
filter_with_sql (OutreachStore *store,
                 FilterData    *data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *like = data->search != NULL ? g_strdup_printf ("%%%s%%", data->search) : NULL;
  g_autofree char *tag_like = data->tag != NULL ? g_strdup_printf ("%%;%s;%%", data->tag) : NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = outreach_store_prepare (store,
                                 "SELECT id FROM donors WHERE (?1 IS NULL OR first_name LIKE ?1 "
                                 "OR last_name LIKE ?1 OR email LIKE ?1 OR city LIKE ?1 "
                                 "OR tags LIKE ?1) AND (?2 IS NULL OR (';' || tags || ';') LIKE ?2) "
                                 "ORDER BY id",
                                 error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, tag_like, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      if (ids->len == FIRST_RESULTS)
        partial_cb (ids, data);
      if (ids->len % 65536 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_reset (stmt);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_array_unref (ids);
      return NULL;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_array_unref (ids);
      outreach_store_set_error (store, rc, "read the donors", error);
      return NULL;
    }
  return ids;
}

static void
index_built_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (OutreachDonorList) self = user_data;
  g_autoptr (GError) error = NULL;
  OutreachDonorIndex *index = outreach_donor_index_build_finish (result, &error);

  if (index == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not index the donors for search: %s", error->message);
      return;
    }
  g_clear_object (&self->index);
  self->index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEXED]);
  /* A filter answered by SQL while the index was built is run again:
   * the index also folds accents. */
  if (self->search != NULL || self->tag != NULL)
    run_filter (self);
}

/**
 * outreach_donor_list_reload:
 *
 * Reads the donors again (after an import, say), keeping the filter.
 * The search index is rebuilt in the background; until it is ready SQL
 * answers (the old index would miss the new donors).
 */
void
outreach_donor_list_reload (OutreachDonorList *self)
{
  g_return_if_fail (OUTREACH_IS_DONOR_LIST (self));

  /* Same ids do not mean same rows (a new city, a suppression). */
  self->stale = TRUE;
  g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  self->index_cancellable = g_cancellable_new ();
  if (self->index != NULL)
    {
      g_clear_object (&self->index);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEXED]);
    }
  outreach_donor_index_build_async (self->store, self->index_cancellable, index_built_cb,
                                    g_object_ref (self));
  run_filter (self);
}

/**
 * outreach_donor_list_set_filter:
 * @search: (nullable): text in the name, e-mail, city or tags
 * @tag: (nullable): only donors with this tag
 */
void
outreach_donor_list_set_filter (OutreachDonorList *self,
                                const char        *search,
                                const char        *tag)
{
  g_return_if_fail (OUTREACH_IS_DONOR_LIST (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (tag != NULL && *tag == '\0')
    tag = NULL;
  if (g_strcmp0 (search, self->search) == 0 && g_strcmp0 (tag, self->tag) == 0)
    return;

  g_free (self->search);
  g_free (self->tag);
  self->search = g_strdup (search);
  self->tag = g_strdup (tag);
  run_filter (self);
}

gboolean
outreach_donor_list_get_complete (OutreachDonorList *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_LIST (self), FALSE);
  return self->complete;
}

gboolean
outreach_donor_list_get_indexed (OutreachDonorList *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_LIST (self), FALSE);
  return self->index != NULL;
}

guint64
outreach_donor_list_get_total (OutreachDonorList *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_LIST (self), 0);
  return self->total;
}

static void
outreach_donor_list_dispose (GObject *object)
{
  OutreachDonorList *self = OUTREACH_DONOR_LIST (object);

  g_cancellable_cancel (self->filter_cancellable);
  g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->filter_cancellable);
  g_clear_object (&self->index_cancellable);
  g_clear_object (&self->index);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (outreach_donor_list_parent_class)->dispose (object);
}

static void
outreach_donor_list_finalize (GObject *object)
{
  OutreachDonorList *self = OUTREACH_DONOR_LIST (object);

  g_array_unref (self->ids);
  g_hash_table_unref (self->pages);
  g_free (self->search);
  g_free (self->tag);

  G_OBJECT_CLASS (outreach_donor_list_parent_class)->finalize (object);
}

static void
outreach_donor_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OutreachDonorList *self = OUTREACH_DONOR_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_INDEXED:
      g_value_set_boolean (value, self->index != NULL);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
outreach_donor_list_class_init (OutreachDonorListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = outreach_donor_list_dispose;
  object_class->finalize = outreach_donor_list_finalize;
  object_class->get_property = outreach_donor_list_get_property;

  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDEXED] = g_param_spec_boolean ("indexed", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
outreach_donor_list_init (OutreachDonorList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * outreach_donor_list_new:
 *
 * Returns: (transfer full): a list of every donor, loading in the
 *   background (watch `complete`); the search index is built too
 */
OutreachDonorList *
outreach_donor_list_new (OutreachStore *store)
{
  OutreachDonorList *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_DONOR_LIST, NULL);
  self->store = g_object_ref (store);
  outreach_donor_list_reload (self);
  return self;
}
