/* outreach-job-query-recipients.c — a job's recipients, filtered, read on demand
 *
 * A GListModel of OutreachJobQueryRecipient in id order (the order they
 * were added). Unfiltered and by state, the count comes from the job's
 * own counters, so a million recipients cost nothing to open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-query-recipients"

#include "config.h"

#include "outreach-job-query-recipients.h"

#include "outreach-job-query.h"

struct _OutreachJobQueryRecipients
{
  GObject parent_instance;

  OutreachJobQueryPager *pager;
  gint64 job_id;
  char *state_group; /* NULL for all */
  char *search;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OutreachJobQueryRecipients, outreach_job_query_recipients,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* A state filter of the Recipients tab: the states it shows and the
 * jobs column that counts them. */
static const struct
{
  const char *group;
  const char *states;
  const char *counter;
} groups[] = {
  { "pending", "('draft', 'approved', 'pending', 'claimed', 'retry-wait')", "pending" },
  { "sent", "('sent')", "sent" },
  { "failed", "('failed')", "failed" },
  { "skipped", "('skipped')", "skipped" },
  { "uncertain", "('uncertain')", "uncertain" },
  { "cancelled", "('cancelled')", "cancelled" },
  { "rejected", "('rejected')", "rejected" },
};

static GType
get_item_type (GListModel *model)
{
  return OUTREACH_TYPE_JOB_QUERY_RECIPIENT;
}

static guint
get_n_items (GListModel *model)
{
  return outreach_job_query_pager_get_n_items (OUTREACH_JOB_QUERY_RECIPIENTS (model)->pager);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return outreach_job_query_pager_get_item (OUTREACH_JOB_QUERY_RECIPIENTS (model)->pager,
                                            position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
outreach_job_query_recipients_finalize (GObject *object)
{
  OutreachJobQueryRecipients *self = OUTREACH_JOB_QUERY_RECIPIENTS (object);

  g_clear_pointer (&self->pager, outreach_job_query_pager_free);
  g_clear_pointer (&self->state_group, g_free);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (outreach_job_query_recipients_parent_class)->finalize (object);
}

static void
outreach_job_query_recipients_class_init (OutreachJobQueryRecipientsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_job_query_recipients_finalize;
}

static void
outreach_job_query_recipients_init (OutreachJobQueryRecipients *self)
{
}

static gpointer
new_item (sqlite3_stmt *stmt)
{
  return outreach_job_query_recipient_new_from_stmt (stmt);
}

static gboolean
update_item (gpointer      item,
             sqlite3_stmt *stmt)
{
  return outreach_job_query_recipient_update (item, stmt);
}

static void
requery (OutreachJobQueryRecipients *self)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr (GString) where = g_string_new ("job_id = ?1");
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  const char *counter = "total";
  guint old_n = outreach_job_query_pager_get_n_items (self->pager);

  g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_int64 (self->job_id)));
  for (guint i = 0; self->state_group != NULL && i < G_N_ELEMENTS (groups); i++)
    if (g_str_equal (groups[i].group, self->state_group))
      {
        g_string_append_printf (where, " AND state IN %s", groups[i].states);
        counter = groups[i].counter;
      }

  if (self->search != NULL)
    {
      GString *pattern = g_string_new ("%");
      for (const char *p = self->search; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_take_string (
                                 g_string_free (pattern, FALSE))));
      g_string_append (where, " AND address LIKE ?2 ESCAPE '\\'");
      count_sql = g_strdup_printf ("SELECT count(*) FROM job_recipients WHERE %s", where->str);
    }
  else
    count_sql = g_strdup_printf ("SELECT %s FROM jobs WHERE id = ?1", counter);

  page_sql = g_strdup_printf ("SELECT " OUTREACH_JOB_QUERY_RECIPIENT_COLUMNS
                              " FROM job_recipients WHERE %s ORDER BY id", where->str);
  outreach_job_query_pager_set_query (self->pager, count_sql, page_sql, params);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n,
                              outreach_job_query_pager_get_n_items (self->pager));
}

OutreachJobQueryRecipients *
outreach_job_query_recipients_new (OutreachStore *store,
                                   gint64         job_id)
{
  OutreachJobQueryRecipients *self;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  self = g_object_new (OUTREACH_TYPE_JOB_QUERY_RECIPIENTS, NULL);
  self->job_id = job_id;
  self->pager = outreach_job_query_pager_new (store, OUTREACH_TYPE_JOB_QUERY_RECIPIENT, new_item,
                                              update_item);
  requery (self);
  return self;
}

/**
 * outreach_job_query_recipients_set_state:
 * @state_group: (nullable): "pending" (every state not final yet), "sent",
 *   "failed", "skipped", "uncertain", "cancelled", "rejected", or %NULL for all
 *
 * Returns: %FALSE for an unknown group (nothing changes)
 */
gboolean
outreach_job_query_recipients_set_state (OutreachJobQueryRecipients *self,
                                         const char                 *state_group)
{
  gboolean known = state_group == NULL;

  g_return_val_if_fail (OUTREACH_IS_JOB_QUERY_RECIPIENTS (self), FALSE);

  for (guint i = 0; !known && i < G_N_ELEMENTS (groups); i++)
    known = g_str_equal (groups[i].group, state_group);
  if (!known)
    return FALSE;
  if (g_strcmp0 (self->state_group, state_group) != 0)
    {
      g_free (self->state_group);
      self->state_group = g_strdup (state_group);
      requery (self);
    }
  return TRUE;
}

/* Recipients whose address contains @text; NULL or "" for all. */
void
outreach_job_query_recipients_set_search (OutreachJobQueryRecipients *self,
                                          const char                 *text)
{
  g_return_if_fail (OUTREACH_IS_JOB_QUERY_RECIPIENTS (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  requery (self);
}

/* Reads them again; rows that stayed are updated in place. */
void
outreach_job_query_recipients_refresh (OutreachJobQueryRecipients *self)
{
  guint old_n, new_n;

  g_return_if_fail (OUTREACH_IS_JOB_QUERY_RECIPIENTS (self));

  if (outreach_job_query_pager_reload (self->pager, TRUE, &old_n, &new_n))
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
}
