/* outreach-preferences-accounts.h — the accounts list of Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

void outreach_preferences_accounts_fill (AdwPreferencesGroup *group,
                                         OutreachStore       *store);

G_END_DECLS
