/* outreach-donor-picker-model.c — the donors the picker's filters let through, read a page at a time
 *
 * The model holds only the ids of the matching donors (8 bytes each, so a
 * million fit); a row is read from the store with its page of neighbours
 * when the list first shows it, and a few pages stay cached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor-picker"

#include "config.h"

#include "outreach-donor-picker-model.h"

#define PAGE_SIZE 128
#define MAX_PAGES 32

struct _OutreachDonorPickerModel
{
  GObject parent_instance;

  OutreachStore *store;
  GArray *ids;
  GHashTable *pages; /* page number → GPtrArray of OutreachDonor, in id order */
};

static GType
get_item_type (GListModel *model)
{
  return OUTREACH_TYPE_DONOR;
}

static guint
get_n_items (GListModel *model)
{
  return OUTREACH_DONOR_PICKER_MODEL (model)->ids->len;
}

static GPtrArray *
read_page (OutreachDonorPickerModel *self,
           guint                     page)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) donors = g_ptr_array_new_with_free_func (g_object_unref);
  GString *json = g_string_new ("[");
  guint first = page * PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->ids->len);
  sqlite3_stmt *stmt;

  for (guint i = first; i < last; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                            g_array_index (self->ids, gint64, i));
  g_string_append_c (json, ']');

  stmt = outreach_store_prepare (self->store,
                                 OUTREACH_DONOR_SELECT
                                 " WHERE d.id IN (SELECT value FROM json_each (?1)) ORDER BY d.id",
                                 &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, g_string_free (json, FALSE), -1, g_free);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (donors, outreach_donor_new_from_row (stmt));
      sqlite3_reset (stmt);
    }
  else
    {
      g_string_free (json, TRUE);
      g_warning ("%s", error->message);
    }
  return g_steal_pointer (&donors);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  OutreachDonorPickerModel *self = OUTREACH_DONOR_PICKER_MODEL (model);
  guint page = position / PAGE_SIZE;
  gint64 id;
  GPtrArray *donors;

  if (position >= self->ids->len)
    return NULL;

  donors = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (donors == NULL)
    {
      if (g_hash_table_size (self->pages) >= MAX_PAGES)
        g_hash_table_remove_all (self->pages);
      donors = read_page (self, page);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), donors);
    }

  /* Rows come back in id order, as the ids are; a donor deleted since the
   * ids were read is simply missing, so look for it by id. */
  id = g_array_index (self->ids, gint64, position);
  for (guint i = 0; i < donors->len; i++)
    if (outreach_donor_get_id (donors->pdata[i]) == id)
      return g_object_ref (donors->pdata[i]);
  return donors->len > 0 ? g_object_ref (donors->pdata[0]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (OutreachDonorPickerModel, outreach_donor_picker_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
outreach_donor_picker_model_finalize (GObject *object)
{
  OutreachDonorPickerModel *self = OUTREACH_DONOR_PICKER_MODEL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (outreach_donor_picker_model_parent_class)->finalize (object);
}

static void
outreach_donor_picker_model_class_init (OutreachDonorPickerModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_donor_picker_model_finalize;
}

static void
outreach_donor_picker_model_init (OutreachDonorPickerModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

OutreachDonorPickerModel *
outreach_donor_picker_model_new (OutreachStore *store)
{
  OutreachDonorPickerModel *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_DONOR_PICKER_MODEL, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
outreach_donor_picker_model_set_ids (OutreachDonorPickerModel *self,
                                     GArray                   *ids)
{
  guint removed;

  g_return_if_fail (OUTREACH_IS_DONOR_PICKER_MODEL (self));
  g_return_if_fail (ids != NULL);

  removed = self->ids->len;
  g_array_unref (self->ids);
  self->ids = ids;
  g_hash_table_remove_all (self->pages);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, ids->len);
}

void
outreach_donor_picker_model_refresh (OutreachDonorPickerModel *self)
{
  g_return_if_fail (OUTREACH_IS_DONOR_PICKER_MODEL (self));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, self->ids->len, self->ids->len);
}
