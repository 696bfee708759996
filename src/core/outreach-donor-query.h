/* outreach-donor-query.h — finding donors by text and tag, in SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-donor.h"
#include "outreach-store.h"

G_BEGIN_DECLS

/* Return FALSE to stop. */
typedef gboolean (*OutreachDonorFunc) (OutreachDonor *donor,
                                       gpointer       user_data);

gboolean outreach_donor_query_foreach (OutreachStore    *store,
                                       const char       *search,
                                       const char       *tag,
                                       gint64            limit,
                                       OutreachDonorFunc func,
                                       gpointer          user_data,
                                       GCancellable     *cancellable,
                                       GError          **error);
gboolean outreach_donor_query_count   (OutreachStore    *store,
                                       const char       *search,
                                       const char       *tag,
                                       gint64           *count,
                                       GError          **error);
gboolean outreach_donor_export        (OutreachStore    *store,
                                       const char       *path,
                                       gint64           *n_exported,
                                       GError          **error);

G_END_DECLS
