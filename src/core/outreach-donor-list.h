/* outreach-donor-list.h — a lazy GListModel of donors, for a million rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-donor.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_DONOR_LIST (outreach_donor_list_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonorList, outreach_donor_list, OUTREACH, DONOR_LIST, GObject)

OutreachDonorList *outreach_donor_list_new            (OutreachStore     *store);
void               outreach_donor_list_set_filter     (OutreachDonorList *self,
                                                       const char        *search,
                                                       const char        *tag);
void               outreach_donor_list_reload         (OutreachDonorList *self);
gboolean           outreach_donor_list_get_complete   (OutreachDonorList *self);
gboolean           outreach_donor_list_get_indexed    (OutreachDonorList *self);
guint64            outreach_donor_list_get_total      (OutreachDonorList *self);

G_END_DECLS
