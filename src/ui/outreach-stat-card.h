/* outreach-stat-card.h — one number with its name, e.g. "Sent 1,204"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OUTREACH_TYPE_STAT_CARD (outreach_stat_card_get_type ())
G_DECLARE_FINAL_TYPE (OutreachStatCard, outreach_stat_card, OUTREACH, STAT_CARD, GtkWidget)

void        outreach_stat_card_set_value (OutreachStatCard *self,
                                          gint64            value);
gint64      outreach_stat_card_get_value (OutreachStatCard *self);
const char *outreach_stat_card_get_title (OutreachStatCard *self);

G_END_DECLS
