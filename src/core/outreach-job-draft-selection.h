/* outreach-job-draft-selection.h — which donors a new job goes to, as the wizard's picker chose them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "outreach-store.h"

G_BEGIN_DECLS

/* The filters narrow the donors down to the *matching* ones; then either
 * every matching donor is chosen except the toggled ones, or only the
 * toggled ones are. */
typedef struct
{
  char *search;        /* substring of name, e-mail, phone, city or tags; NULL = any */
  char *tag;           /* one tag, exactly (case-insensitive); NULL = any */
  char *city;          /* exactly (case-insensitive); NULL = any */
  char *gave_since;    /* ISO date: last gift on or after it; NULL = any */
  gint64 min_amount;   /* cents: last gift at least this much; -1 = any */
  gboolean need_email;
  gboolean need_phone;
  gboolean all_matching;
  GHashTable *toggled; /* gint64* donor ids → NULL */
} OutreachDonorSelection;

typedef struct
{
  gint64 matching;        /* donors the filters let through */
  gint64 selected;        /* chosen by the picker */
  gint64 suppressed;      /* of the selected: address on the suppression list */
  gint64 do_not_contact;  /* of the selected: asked not to be contacted */
  gint64 no_address;      /* of the selected: no e-mail (or phone, for SMS) */
  gint64 duplicates;      /* of the selected: an address another chosen donor has */
  gint64 reachable;       /* selected minus every exclusion above */
} OutreachDonorSelectionCounts;

OutreachDonorSelection *outreach_donor_selection_new       (void);
OutreachDonorSelection *outreach_donor_selection_copy      (const OutreachDonorSelection *self);
void                    outreach_donor_selection_free      (OutreachDonorSelection *self);

gboolean  outreach_donor_selection_is_toggled   (const OutreachDonorSelection *self,
                                                 gint64                        donor_id);
void      outreach_donor_selection_toggle       (OutreachDonorSelection       *self,
                                                 gint64                        donor_id);
gboolean  outreach_donor_selection_is_selected  (const OutreachDonorSelection *self,
                                                 gint64                        donor_id);
void      outreach_donor_selection_select_all   (OutreachDonorSelection       *self,
                                                 gboolean                      all);

/* The SQL conditions on `donors d` for the matching donors and for the
 * selected ones. They use the parameters ?1 to ?9: bind them with
 * outreach_donor_selection_bind() and number any others from ?10. */
#define OUTREACH_DONOR_SELECTION_N_PARAMS 9
const char *outreach_donor_selection_matching_sql (void);
const char *outreach_donor_selection_selected_sql (void);
void      outreach_donor_selection_bind         (const OutreachDonorSelection *self,
                                                 sqlite3_stmt                 *stmt);

/* The ids of the matching donors, in id order (for a lazy list). */
GArray   *outreach_donor_selection_matching_ids (const OutreachDonorSelection *self,
                                                 OutreachStore                *store,
                                                 GCancellable                 *cancellable,
                                                 GError                      **error);
/* @by_phone: the job goes out by SMS, so the phone number is the address. */
gboolean  outreach_donor_selection_count        (const OutreachDonorSelection *self,
                                                 OutreachStore                *store,
                                                 gboolean                      by_phone,
                                                 OutreachDonorSelectionCounts *counts,
                                                 GError                      **error);
/* Up to @limit ids of the selected donors (for a preview), in id order. */
GArray   *outreach_donor_selection_sample_ids   (const OutreachDonorSelection *self,
                                                 OutreachStore                *store,
                                                 guint                         limit,
                                                 GError                      **error);

JsonNode               *outreach_donor_selection_to_json   (const OutreachDonorSelection *self);
OutreachDonorSelection *outreach_donor_selection_from_json (JsonObject                   *object);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachDonorSelection, outreach_donor_selection_free)

G_END_DECLS
