/* outreach-screenful-model.h — a list's rows, one screenful until the list is first painted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GListModel *outreach_screenful_model_new (GListModel *model,
                                          GtkWidget  *view);

G_END_DECLS
