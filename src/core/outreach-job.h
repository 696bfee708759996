/* outreach-job.h — creating a send job: who gets it, the frozen message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_JOB_CREATE_ERROR (outreach_job_create_error_quark ())

typedef enum
{
  OUTREACH_JOB_CREATE_ERROR_INVALID,       /* a field of the spec is wrong (message names it) */
  OUTREACH_JOB_CREATE_ERROR_NO_ACCOUNT,
  OUTREACH_JOB_CREATE_ERROR_TEMPLATE,      /* the subject, text or HTML does not compile */
  OUTREACH_JOB_CREATE_ERROR_NO_RECIPIENTS,
} OutreachJobCreateError;

typedef enum
{
  OUTREACH_JOB_SELECT_ALL,
  OUTREACH_JOB_SELECT_SEARCH,  /* name, e-mail or phone contains the text */
  OUTREACH_JOB_SELECT_TAG,
  OUTREACH_JOB_SELECT_IDS,     /* exactly the donors in donor_ids (a person's choice) */
} OutreachJobSelect;

/* Called on the creating thread every 1024 donors read, and once at the end. */
typedef void (*OutreachJobProgressFunc) (gint64   done,
                                         gint64   total,
                                         gpointer user_data);

typedef struct
{
  const char *name;
  gint64 account_id;
  OutreachJobSelect select;
  const char *select_text;   /* the search text or the tag */
  GArray *donor_ids;         /* of gint64, for OUTREACH_JOB_SELECT_IDS; any order, repeats ignored */
  const char *subject;
  const char *text;
  const char *html;          /* nullable */
  double rate;               /* messages per second; 0 = the account's */
  int concurrency;           /* 0 = the account's */
  gint64 scheduled_at;       /* Unix seconds UTC; 0 = now */
  gboolean review;
  int priority;              /* -1 low, 0 normal, 1 high */
  int max_attempts;          /* 0 = 8 */
  OutreachJobProgressFunc progress;  /* nullable */
  gpointer progress_data;
} OutreachJobSpec;

GQuark  outreach_job_create_error_quark (void);

gint64  outreach_job_create             (OutreachStore          *store,
                                         const OutreachJobSpec  *spec,
                                         GError                **error);

G_END_DECLS
