/* outreach-suppression.h — addresses nobody may send to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_SUPPRESSION (outreach_suppression_get_type ())
G_DECLARE_FINAL_TYPE (OutreachSuppression, outreach_suppression, OUTREACH, SUPPRESSION, GObject)

gboolean    outreach_suppression_reason_is_valid (const char     *reason);
char       *outreach_suppression_normalize       (const char     *address,
                                                  GError        **error);
gboolean    outreach_suppression_add             (OutreachStore  *store,
                                                  const char     *address,
                                                  const char     *reason,
                                                  GError        **error);
gboolean    outreach_suppression_remove          (OutreachStore  *store,
                                                  const char     *address,
                                                  GError        **error);
GListModel *outreach_suppression_list            (OutreachStore  *store,
                                                  GError        **error);

gint64      outreach_suppression_get_id          (OutreachSuppression *self);
const char *outreach_suppression_get_address     (OutreachSuppression *self);
const char *outreach_suppression_get_reason      (OutreachSuppression *self);
gint64      outreach_suppression_get_created_at  (OutreachSuppression *self);

G_END_DECLS
