/* outreach-job-draft.h — a job being put together in the new-job wizard, kept as a draft job row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-job-draft-selection.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_JOB_DRAFT_ERROR (outreach_job_draft_error_quark ())

typedef enum
{
  OUTREACH_JOB_DRAFT_ERROR_NOT_FOUND,     /* no draft job with that id */
  OUTREACH_JOB_DRAFT_ERROR_NO_RECIPIENTS, /* the selection holds nobody */
  OUTREACH_JOB_DRAFT_ERROR_TEST_FAILED,   /* a test message did not go out */
} OutreachJobDraftError;

typedef enum
{
  OUTREACH_JOB_DRAFT_STEP_RECIPIENTS,
  OUTREACH_JOB_DRAFT_STEP_NAME,
  OUTREACH_JOB_DRAFT_STEP_MESSAGE,
  OUTREACH_JOB_DRAFT_STEP_DELIVERY,
  OUTREACH_JOB_DRAFT_STEP_REVIEW,
} OutreachJobDraftStep;

#define OUTREACH_JOB_DRAFT_N_STEPS (OUTREACH_JOB_DRAFT_STEP_REVIEW + 1)

typedef struct
{
  gint64 job_id;                      /* the draft's jobs row; 0 until first saved */
  OutreachJobDraftStep step;          /* where the wizard was */
  OutreachDonorSelection *selection;
  char *name;                         /* as typed; may be empty */
  gint64 template_id;                 /* the saved template it started from, 0 = none */
  char *subject;
  char *text;
  char *html;                         /* nullable: no HTML body */
  gint64 account_id;                  /* 0 = not chosen */
  gint64 scheduled_at;                /* Unix seconds UTC; 0 = send now */
  double rate;                        /* messages per second; 0 = the account's */
  int concurrency;                    /* 0 = the account's */
  int priority;                       /* -1 low, 0 normal, 1 high */
  gboolean review;                    /* each message is approved before it goes */
} OutreachJobDraft;

/* Called from the launching thread: @done of @total donors written. */
typedef void (*OutreachJobDraftProgressFunc) (gint64   done,
                                              gint64   total,
                                              gpointer user_data);

GQuark            outreach_job_draft_error_quark  (void);

OutreachJobDraft *outreach_job_draft_new          (void);
OutreachJobDraft *outreach_job_draft_copy         (const OutreachJobDraft *self);
void              outreach_job_draft_free         (OutreachJobDraft       *self);

gboolean          outreach_job_draft_save         (OutreachJobDraft       *self,
                                                   OutreachStore          *store,
                                                   GError                **error);
OutreachJobDraft *outreach_job_draft_load         (OutreachStore          *store,
                                                   gint64                  job_id,
                                                   GError                **error);
/* The most recently touched draft the wizard left unfinished, or 0. */
gint64            outreach_job_draft_find_latest  (OutreachStore          *store,
                                                   char                  **name,
                                                   OutreachJobDraftStep   *step,
                                                   GError                **error);
gboolean          outreach_job_draft_discard      (OutreachJobDraft       *self,
                                                   OutreachStore          *store,
                                                   GError                **error);

/* "Thank-you letters — November 2026": @basis (a template or subject), or
 * the recipients' tag, then the month of @now. */
char             *outreach_job_draft_suggest_name (const OutreachJobDraft *self,
                                                   const char             *basis,
                                                   GDateTime              *now);
/* Whether another job (not this draft) already has this name. */
gboolean          outreach_job_draft_name_taken   (const OutreachJobDraft *self,
                                                   OutreachStore          *store,
                                                   const char             *name,
                                                   gboolean               *taken,
                                                   GError                **error);

/* The ids (gint64, ascending) of the donors the selection chooses. */
GArray           *outreach_job_draft_dup_selected_ids (const OutreachJobDraft *self,
                                                       OutreachStore          *store,
                                                       GError                **error);

/* Creates the job (queued, or scheduled) with its recipients in one
 * transaction through the engine's job creation, then removes the draft.
 * Slow for many donors: run it in a thread on a connection of its own. */
gint64            outreach_job_draft_launch       (OutreachJobDraft       *self,
                                                   OutreachStore          *store,
                                                   OutreachJobDraftProgressFunc progress,
                                                   gpointer                user_data,
                                                   GError                **error);

/* Renders the message for one donor (0: no donor, organisation fields
 * only) and sends it to @address through the draft's account, now.
 * Blocking: call it from a thread. Returns a sentence saying what
 * happened, or NULL with @error set. */
char             *outreach_job_draft_send_test    (const OutreachJobDraft *self,
                                                   OutreachStore          *store,
                                                   gint64                  donor_id,
                                                   const char             *address,
                                                   GCancellable           *cancellable,
                                                   GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachJobDraft, outreach_job_draft_free)

G_END_DECLS
