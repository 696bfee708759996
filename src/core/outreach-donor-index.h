/* outreach-donor-index.h — an in-memory text index for searching donors as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-store.h"

G_BEGIN_DECLS

/* Called once, from the searching thread, with the first matches. */
typedef void (*OutreachDonorIndexPartialFunc) (GArray  *ids,
                                               gpointer user_data);

#define OUTREACH_TYPE_DONOR_INDEX (outreach_donor_index_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonorIndex, outreach_donor_index, OUTREACH, DONOR_INDEX, GObject)

char               *outreach_donor_index_fold          (const char          *text);
OutreachDonorIndex *outreach_donor_index_build         (OutreachStore       *store,
                                                        GCancellable        *cancellable,
                                                        GError             **error);
void                outreach_donor_index_build_async   (OutreachStore       *store,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
OutreachDonorIndex *outreach_donor_index_build_finish  (GAsyncResult        *result,
                                                        GError             **error);
guint               outreach_donor_index_get_n_donors  (OutreachDonorIndex  *self);
GArray             *outreach_donor_index_search        (OutreachDonorIndex  *self,
                                                        const char          *search,
                                                        const char          *tag,
                                                        guint                partial_after,
                                                        OutreachDonorIndexPartialFunc partial,
                                                        gpointer             user_data,
                                                        GCancellable        *cancellable);

G_END_DECLS
