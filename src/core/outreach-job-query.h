/* outreach-job-query.h — read-only queries over jobs, job_recipients and job_events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-query-item.h"

G_BEGIN_DECLS

/* ---- Paging: what the lazy list models share ---- */

/* Makes an item from the current row of a page query. */
typedef gpointer (*OutreachJobQueryNewItem)    (sqlite3_stmt *stmt);
/* Updates @item from the same entity's row read again; FALSE when the
 * row is another entity (then the list has moved). */
typedef gboolean (*OutreachJobQueryUpdateItem) (gpointer      item,
                                                sqlite3_stmt *stmt);

typedef struct _OutreachJobQueryPager OutreachJobQueryPager;

OutreachJobQueryPager *outreach_job_query_pager_new       (OutreachStore              *store,
                                                           GType                       item_type,
                                                           OutreachJobQueryNewItem     new_item,
                                                           OutreachJobQueryUpdateItem  update_item);
void                   outreach_job_query_pager_free      (OutreachJobQueryPager      *self);
void                   outreach_job_query_pager_set_query (OutreachJobQueryPager      *self,
                                                           const char                 *count_sql,
                                                           const char                 *page_sql,
                                                           GPtrArray                  *params);
guint                  outreach_job_query_pager_get_n_items (OutreachJobQueryPager    *self);
gpointer               outreach_job_query_pager_get_item  (OutreachJobQueryPager      *self,
                                                           guint                       position);
gboolean               outreach_job_query_pager_reload    (OutreachJobQueryPager      *self,
                                                           gboolean                    keep_items,
                                                           guint                      *old_n,
                                                           guint                      *new_n);
void                   outreach_job_query_pager_foreach_cached (OutreachJobQueryPager *self,
                                                                GFunc                  func,
                                                                gpointer               user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachJobQueryPager, outreach_job_query_pager_free)

/* ---- One job ---- */

OutreachJobQueryItem *outreach_job_query_load          (OutreachStore  *store,
                                                       gint64          job_id,
                                                       GError        **error);
gboolean             outreach_job_query_load_message  (OutreachStore  *store,
                                                       gint64          job_id,
                                                       char          **subject,
                                                       char          **text_body,
                                                       char          **html_body,
                                                       char          **params,
                                                       GError        **error);

typedef struct
{
  gint64 time_ms;
  char *kind;
  char *message;
} OutreachJobMilestone;

GPtrArray           *outreach_job_query_milestones    (OutreachStore  *store,
                                                       gint64          job_id,
                                                       GError        **error);

/* Recipients that reached a final state per time bucket, from @start
 * (Unix seconds) in @n_buckets buckets of @bucket_seconds. */
gboolean             outreach_job_query_throughput    (OutreachStore  *store,
                                                       gint64          job_id,
                                                       gint64          start,
                                                       gint64          bucket_seconds,
                                                       guint           n_buckets,
                                                       guint          *counts,
                                                       GError        **error);

/* Recipients that reached a final state in the 60 s before @now. */
gboolean             outreach_job_query_recent_done   (OutreachStore  *store,
                                                       gint64          job_id,
                                                       gint64          now,
                                                       gint64         *count,
                                                       GError        **error);

/* ---- All jobs ---- */

/* counts[status] for every OutreachJobStatus. */
gboolean             outreach_job_query_count_by_status (OutreachStore *store,
                                                         gint64        *counts,
                                                         GError       **error);
/* The ids of the jobs that are queued, running or paused, with their status. */
GHashTable          *outreach_job_query_active_jobs  (OutreachStore  *store,
                                                      GError        **error);

G_END_DECLS
