/* outreach-template-check.h — a message checked against the donors it goes to
 *
 * Before a job launches: unknown fields are errors; fields empty for K of
 * N donors are warnings (with one example donor); bulk e-mail without an
 * unsubscribe link is a warning. Counting is done by SQLite in one pass,
 * so a million donors take well under a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-store.h"

G_BEGIN_DECLS

typedef enum
{
  OUTREACH_TEMPLATE_ISSUE_SYNTAX,           /* error: a part does not compile */
  OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD,    /* error: no such merge field */
  OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD,      /* warning: empty for some donors */
  OUTREACH_TEMPLATE_ISSUE_NO_UNSUBSCRIBE,   /* warning: bulk e-mail without {{unsubscribe_url}} */
  OUTREACH_TEMPLATE_ISSUE_NO_DONORS,        /* warning: the selection is empty */
} OutreachTemplateIssueKind;

typedef struct
{
  OutreachTemplateIssueKind kind;
  gboolean is_error;          /* errors stop a launch; warnings are shown */
  char *part;                 /* "subject", "text body", "HTML body" or NULL */
  char *field;                /* the field, or NULL */
  gint64 count;               /* EMPTY_FIELD: K donors with it empty… */
  gint64 total;               /* …of N */
  gint64 example_donor_id;    /* EMPTY_FIELD: one of them; 0 if none */
  char *example_donor;        /* "Ada Lovelace <ada@example.org>" */
  char *message;              /* one sentence for a person */
} OutreachTemplateIssue;

void outreach_template_issue_free (OutreachTemplateIssue *issue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachTemplateIssue, outreach_template_issue_free)

typedef struct
{
  gint64 n_donors;     /* how many donors the selection has */
  GPtrArray *issues;   /* (element-type OutreachTemplateIssue): errors first */
} OutreachTemplateCheckReport;

void     outreach_template_check_report_free       (OutreachTemplateCheckReport *report);
gboolean outreach_template_check_report_has_errors (OutreachTemplateCheckReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachTemplateCheckReport, outreach_template_check_report_free)

/* @donor_where: (nullable): an SQL condition over the `donors` table that
 * picks the recipients, with ?1, ?2… taken from @params (NULL: every
 * donor). @bulk_email: the message goes out as e-mail to many, so it
 * needs an unsubscribe link. Partials are the saved templates. */
OutreachTemplateCheckReport *outreach_template_check        (OutreachStore        *store,
                                                             const char           *subject,
                                                             const char           *text_body,
                                                             const char           *html_body,
                                                             const char           *donor_where,
                                                             const char * const   *params,
                                                             gboolean              bulk_email,
                                                             GCancellable         *cancellable,
                                                             GError              **error);

/* The same on a worker thread with its own connection to @store's file. */
void                         outreach_template_check_async  (OutreachStore        *store,
                                                             const char           *subject,
                                                             const char           *text_body,
                                                             const char           *html_body,
                                                             const char           *donor_where,
                                                             const char * const   *params,
                                                             gboolean              bulk_email,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
OutreachTemplateCheckReport *outreach_template_check_finish (OutreachStore        *store,
                                                             GAsyncResult         *result,
                                                             GError              **error);

G_END_DECLS
