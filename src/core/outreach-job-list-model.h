/* outreach-job-list-model.h — every job, filtered and sorted, read on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-query.h"

G_BEGIN_DECLS

/* The status counters of the Jobs page, which double as filters. */
typedef enum
{
  OUTREACH_JOB_FILTER_ALL,
  OUTREACH_JOB_FILTER_ACTIVE,    /* queued, running, paused */
  OUTREACH_JOB_FILTER_COMPLETED,
  OUTREACH_JOB_FILTER_FAILED,
  OUTREACH_JOB_FILTER_CANCELLED,
} OutreachJobFilter;

#define OUTREACH_JOB_FILTER_COUNT (OUTREACH_JOB_FILTER_CANCELLED + 1)

typedef enum
{
  OUTREACH_JOB_SORT_CREATED,
  OUTREACH_JOB_SORT_NAME,
  OUTREACH_JOB_SORT_STATUS,
  OUTREACH_JOB_SORT_PROGRESS,
  OUTREACH_JOB_SORT_RECIPIENTS,
  OUTREACH_JOB_SORT_SENT,
  OUTREACH_JOB_SORT_DURATION,
} OutreachJobSort;

#define OUTREACH_TYPE_JOB_LIST_MODEL (outreach_job_list_model_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJobListModel, outreach_job_list_model, OUTREACH, JOB_LIST_MODEL,
                      GObject)

OutreachJobListModel *outreach_job_list_model_new          (OutreachStore        *store);
void                  outreach_job_list_model_set_filter   (OutreachJobListModel *self,
                                                            OutreachJobFilter     filter);
OutreachJobFilter     outreach_job_list_model_get_filter   (OutreachJobListModel *self);
void                  outreach_job_list_model_set_search   (OutreachJobListModel *self,
                                                            const char           *text);
void                  outreach_job_list_model_set_kind     (OutreachJobListModel *self,
                                                            const char           *kind);
void                  outreach_job_list_model_set_created_range (OutreachJobListModel *self,
                                                                 gint64                from,
                                                                 gint64                to);
void                  outreach_job_list_model_set_sort     (OutreachJobListModel *self,
                                                            OutreachJobSort       sort,
                                                            gboolean              descending);
void                  outreach_job_list_model_refresh      (OutreachJobListModel *self);
void                  outreach_job_list_model_tick         (OutreachJobListModel *self);

gboolean              outreach_job_filter_matches          (OutreachJobFilter     filter,
                                                            OutreachJobStatus     status);

G_END_DECLS
