/* outreach-donors-page.h — the Donors page: the people jobs are sent to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_DONORS_PAGE (outreach_donors_page_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonorsPage, outreach_donors_page, OUTREACH, DONORS_PAGE, GtkWidget)

void       outreach_donors_page_set_store   (OutreachDonorsPage *self,
                                             OutreachStore      *store);
void       outreach_donors_page_reload      (OutreachDonorsPage *self);
GtkWindow *outreach_donors_page_import_file (OutreachDonorsPage *self,
                                             const char         *path);
GListModel *outreach_donors_page_get_model  (OutreachDonorsPage *self);

G_END_DECLS
