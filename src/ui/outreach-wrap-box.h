/* outreach-wrap-box.h — children in one row, or one per row when they do not fit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OUTREACH_TYPE_WRAP_BOX (outreach_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (OutreachWrapBox, outreach_wrap_box, OUTREACH, WRAP_BOX, GtkWidget)

GtkWidget *outreach_wrap_box_new         (void);
void       outreach_wrap_box_append      (OutreachWrapBox *self,
                                          GtkWidget       *child);
gboolean   outreach_wrap_box_get_one_row (OutreachWrapBox *self);

G_END_DECLS
