/* outreach-preferences-window.h — Preferences: accounts, organisation, jobs, notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_PREFERENCES_WINDOW (outreach_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OutreachPreferencesWindow, outreach_preferences_window, OUTREACH,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

OutreachPreferencesWindow *outreach_preferences_window_new (GtkWindow     *parent,
                                                            OutreachStore *store);

G_END_DECLS
