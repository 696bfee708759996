/* outreach-test-widgets.h — what the UI tests share: running the main loop
 * until something happens, and finding widgets the way a person would
 *
 * Linked into the UI tests only: the core tests must not need GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*OutreachTestCondition) (gpointer data);

/* How long a UI test waits for something a person would see happen. Under
 * Xvfb on a loaded machine a first frame can take seconds; a test that
 * times out has really failed. */
#define OUTREACH_TEST_WAIT_SECONDS 30

/* Runs the default main context until @expr holds, for at most
 * OUTREACH_TEST_WAIT_SECONDS; the caller asserts what it expects after. */
#define OUTREACH_TEST_WAIT_UNTIL(expr)                                                        \
  G_STMT_START                                                                                \
  {                                                                                           \
    gint64 outreach_test_deadline_ = g_get_monotonic_time () +                                \
                                     OUTREACH_TEST_WAIT_SECONDS * G_USEC_PER_SEC;             \
    while (!(expr) && outreach_test_spin (outreach_test_deadline_))                           \
      ;                                                                                       \
  }                                                                                           \
  G_STMT_END

gboolean   outreach_test_spin              (gint64                 deadline);

void       outreach_test_iterate           (void);
gboolean   outreach_test_wait_until        (OutreachTestCondition  done,
                                            gpointer               data,
                                            guint                  seconds);
void       outreach_test_wait_for          (OutreachTestCondition  done,
                                            gpointer               data,
                                            const char            *what);
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

G_END_DECLS
