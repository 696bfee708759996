/* outreach-window.h — the main window: the Jobs and Donors pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_WINDOW (outreach_window_get_type ())
G_DECLARE_FINAL_TYPE (OutreachWindow, outreach_window, OUTREACH, WINDOW, AdwApplicationWindow)

OutreachWindow *outreach_window_new             (GtkApplication *application,
                                                 OutreachStore  *store,
                                                 const GError   *store_error);
const char     *outreach_window_get_visible_page (OutreachWindow *self);

G_END_DECLS
