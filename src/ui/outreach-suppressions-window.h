/* outreach-suppressions-window.h — the suppression list: view, add, remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_SUPPRESSIONS_WINDOW (outreach_suppressions_window_get_type ())
G_DECLARE_FINAL_TYPE (OutreachSuppressionsWindow, outreach_suppressions_window, OUTREACH,
                      SUPPRESSIONS_WINDOW, AdwWindow)

OutreachSuppressionsWindow *outreach_suppressions_window_new (OutreachStore *store);

G_END_DECLS
