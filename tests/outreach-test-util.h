/* outreach-test-util.h — what the test programs share: temp dirs, databases,
 * running the CLI, a keyring, waiting on the main loop (GLib only: no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "outreach-store.h"

G_BEGIN_DECLS

typedef struct
{
  int exit_status;   /* the process's exit code, or -1 if it did not exit normally */
  char *out;
  char *err;
} OutreachTestRun;

char     *outreach_test_make_tmp_dir   (void);
void      outreach_test_remove_tree    (const char *path);
GBytes   *outreach_test_read_bytes     (const char *path);
void      outreach_test_run_clear      (OutreachTestRun *run);
void      outreach_test_run_cli        (OutreachTestRun *run,
                                        const char *const *env_extra,
                                        const char *first_arg,
                                        ...) G_GNUC_NULL_TERMINATED;
void      outreach_test_run_argv       (OutreachTestRun *run,
                                        const char *const *env_extra,
                                        const char *const *argv);
const char *outreach_test_binary       (void);
void      outreach_test_start_keyring  (const char *dir);
void      outreach_test_run_on_private_bus (int    argc,
                                            char **argv);
gboolean  outreach_test_name_has_owner (const char *name);
gboolean  outreach_test_file_contains  (const char *path,
                                        const char *needle);
char     *outreach_test_keyring_value  (const char *account,
                                        const char *key);
char     *outreach_test_job_status     (const char *db_path,
                                        gint64      job_id);

OutreachStore *outreach_test_open_store (const char    *path);
OutreachStore *outreach_test_new_store  (char         **dir,
                                         char         **path);
void      outreach_test_exec           (OutreachStore *store,
                                        const char    *sql);
gint64    outreach_test_query_int      (OutreachStore *store,
                                        const char    *sql);
char     *outreach_test_query_text     (OutreachStore *store,
                                        const char    *sql);

typedef gboolean (*OutreachTestCondition) (gpointer data);

/* How long a test waits for something to happen (a window's first frame,
 * a thread's result, another process's change). Under Xvfb on a loaded
 * machine that can take seconds; a test that times out has really failed. */
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OutreachTestRun, outreach_test_run_clear)

G_END_DECLS
