/* outreach-test-widgets.h — what the UI tests share: finding widgets the way
 * a person would, and waiting for them
 *
 * Linked into the UI tests only: the core tests must not need GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-test-util.h"

G_BEGIN_DECLS

void       outreach_test_wait_until_mapped (GtkWidget             *widget);

void       outreach_test_collect           (GtkWidget             *root,
                                            GType                  type,
                                            GPtrArray             *found);
GtkWidget *outreach_test_find_nth          (GtkWidget             *root,
                                            GType                  type,
                                            guint                  n);
GtkWidget *outreach_test_find_first        (GtkWidget             *root,
                                            GType                  type);
GtkWidget *outreach_test_find_button       (GtkWidget             *root,
                                            const char            *label);
gboolean   outreach_test_has_mapped_label  (GtkWidget             *root,
                                            const char            *text);
GtkWindow *outreach_test_find_toplevel     (GType                  type);
void       outreach_test_destroy_toplevels (void);
void       outreach_test_load_app_style    (void);

G_END_DECLS
