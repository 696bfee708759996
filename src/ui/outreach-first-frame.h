/* outreach-first-frame.h — run something once a widget's first frame is on screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*OutreachFirstFrameFunc) (gpointer owner);

void outreach_after_first_frame (GtkWidget              *widget,
                                 gpointer                owner,
                                 OutreachFirstFrameFunc  func);

G_END_DECLS
