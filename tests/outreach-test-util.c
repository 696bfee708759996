/* outreach-test-util.c — what the test programs share: temp dirs, running the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "outreach-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outreach-secret.h"

/* The real `outreach` binary of this build (meson passes its path). */
const char *
outreach_test_binary (void)
{
  const char *path = g_getenv ("OUTREACH_BINARY");

  g_assert_nonnull (path);
  return path;
}

char *
outreach_test_make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("outreach-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (GFile *file)
{
  g_autoptr (GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr (GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
outreach_test_remove_tree (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  remove_tree (file);
}

GBytes *
outreach_test_read_bytes (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

void
outreach_test_run_clear (OutreachTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * outreach_test_run_argv:
 * @env_extra: (nullable): "NAME=VALUE" to add, or "NAME" alone to remove
 *
 * Runs a program to its end, capturing its output and exit code.
 */
void
outreach_test_run_argv (OutreachTestRun   *run,
                        const char *const *env_extra,
                        const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) env = g_get_environ ();
  int wait_status = 0;

  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      const char *eq = strchr (env_extra[i], '=');
      if (eq == NULL)
        env = g_environ_unsetenv (env, env_extra[i]);
      else
        {
          g_autofree char *name = g_strndup (env_extra[i], eq - env_extra[i]);
          env = g_environ_setenv (env, name, eq + 1, TRUE);
        }
    }

  memset (run, 0, sizeof *run);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  run->exit_status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

/**
 * outreach_test_run_cli:
 *
 * Runs `outreach ARGS…` with the arguments given, NULL-terminated.
 */
void
outreach_test_run_cli (OutreachTestRun   *run,
                       const char *const *env_extra,
                       const char        *first_arg,
                       ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) outreach_test_binary ());
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  outreach_test_run_argv (run, env_extra, (const char *const *) argv->pdata);
}

/**
 * outreach_test_start_keyring:
 * @dir: a private directory for the keyring's files and socket
 *
 * Starts an unlocked gnome-keyring-daemon on the session bus (a private
 * one: see test-secret.c) and waits until it owns org.freedesktop.secrets.
 * Without the wait, a first libsecret call could D-Bus-activate a second
 * daemon, which takes the name over in the middle of a later call.
 */
void
outreach_test_start_keyring (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *runtime = g_build_filename (dir, "runtime", NULL);
  g_autofree char *out = NULL;
  const char *argv[] = { "sh", "-c", "printf pw | gnome-keyring-daemon --unlock --components=secrets", NULL };
  g_auto (GStrv) env = NULL;
  gint64 deadline;
  int status;

  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  /* The daemon is not under test: G_DEBUG=fatal-warnings would make one of
   * its own warnings (it has some when items are replaced) kill it in the
   * middle of a call. */
  env = g_get_environ ();
  env = g_environ_unsetenv (env, "G_DEBUG");
  env = g_environ_unsetenv (env, "MALLOC_CHECK_");
  env = g_environ_unsetenv (env, "MALLOC_PERTURB_");
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!outreach_test_name_has_owner ("org.freedesktop.secrets"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

/**
 * outreach_test_run_on_private_bus:
 *
 * Re-runs the test program under its own `dbus-run-session` (once), so
 * that what it starts on the session bus — a keyring daemon — goes away
 * with that bus. Returns only in the re-run program.
 */
void
outreach_test_run_on_private_bus (int    argc,
                                  char **argv)
{
  g_autoptr (GPtrArray) args = NULL;

  if (g_getenv ("OUTREACH_TEST_PRIVATE_BUS") != NULL)
    return;
  args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer) "dbus-run-session");
  g_ptr_array_add (args, (gpointer) "--");
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  g_setenv ("OUTREACH_TEST_PRIVATE_BUS", "1", TRUE);
  execvp ("dbus-run-session", (char **) args->pdata);
  g_printerr ("could not run dbus-run-session\n");
  exit (99);
}

/* Whether a program owns @name on the session bus (FALSE without a bus).
 *
 * On a connection of its own, closed after: g_bus_get() would make the
 * process's shared session connection, which outlives a later change of
 * DBUS_SESSION_BUS_ADDRESS (test-secret points it nowhere to prove that
 * libsecret is not used). */
gboolean
outreach_test_name_has_owner (const char *name)
{
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (address == NULL)
    return FALSE;
  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  g_dbus_connection_close_sync (bus, NULL, NULL);
  return owned;
}

/* Whether the file at @path holds @needle anywhere (a database file has
 * NUL bytes: all of it is searched). */
gboolean
outreach_test_file_contains (const char *path,
                             const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0, n = strlen (needle);

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The secret @key of @account as the keyring (or the environment) has it. */
char *
outreach_test_keyring_value (const char *account,
                             const char *key)
{
  const char *keys[] = { key, NULL };
  g_autoptr (GHashTable) secrets = outreach_secret_lookup_all (account, NULL, keys, NULL);

  return secrets != NULL ? g_strdup (g_hash_table_lookup (secrets, key)) : NULL;
}

/* The status of job @job_id as another connection reads it from disk. */
char *
outreach_test_job_status (const char *db_path,
                          gint64      job_id)
{
  g_autoptr (OutreachStore) other = outreach_test_open_store (db_path);
  sqlite3_stmt *stmt = outreach_store_prepare (other, "SELECT status FROM jobs WHERE id = ?", NULL);
  char *status = NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return status;
}

/* A connection of the test's own to the database at @path. */
OutreachStore *
outreach_test_open_store (const char *path)
{
  g_autoptr (GError) error = NULL;
  OutreachStore *store = outreach_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/**
 * outreach_test_new_store:
 * @dir: (out): a new temporary directory, for outreach_test_remove_tree()
 * @path: (out) (optional): the database file in it
 *
 * A new database (outreach.db) in a directory of its own.
 */
OutreachStore *
outreach_test_new_store (char **dir,
                         char **path)
{
  g_autofree char *file = NULL;

  *dir = outreach_test_make_tmp_dir ();
  file = g_build_filename (*dir, "outreach.db", NULL);
  if (path != NULL)
    *path = g_strdup (file);
  return outreach_test_open_store (file);
}

/* Runs @sql (seed rows, a change made behind the code's back); it must work. */
void
outreach_test_exec (OutreachStore *store,
                    const char    *sql)
{
  g_autoptr (GError) error = NULL;

  outreach_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

static sqlite3_stmt *
query_row (OutreachStore *store,
           const char    *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = outreach_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

/* The first column of the first row of @sql, which must have one. */
gint64
outreach_test_query_int (OutreachStore *store,
                         const char    *sql)
{
  sqlite3_stmt *stmt = query_row (store, sql);
  gint64 value = sqlite3_column_int64 (stmt, 0);

  sqlite3_reset (stmt);
  return value;
}

char *
outreach_test_query_text (OutreachStore *store,
                          const char    *sql)
{
  sqlite3_stmt *stmt = query_row (store, sql);
  char *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_reset (stmt);
  return value;
}

/* ---- the main loop ---- */

/**
 * outreach_test_iterate:
 *
 * Runs what is pending on the default main context, a number of rounds
 * over, so that what one round queues (a relayout, a model's idle, a
 * thread's result that has just arrived) runs too. Use
 * outreach_test_wait_for() when something must have happened.
 */
void
outreach_test_iterate (void)
{
  for (int i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/**
 * outreach_test_spin:
 * @deadline: in g_get_monotonic_time()'s clock
 *
 * One round of the default main context, or a millisecond's sleep when
 * nothing is pending: not a blocking round, which with nothing to wake it
 * would outlast the deadline.
 *
 * Returns: %FALSE once @deadline is past
 */
gboolean
outreach_test_spin (gint64 deadline)
{
  if (g_get_monotonic_time () >= deadline)
    return FALSE;
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
  return TRUE;
}

/**
 * outreach_test_wait_until:
 *
 * Runs the default main context until @done says so, for at most
 * @seconds.
 *
 * Returns: what @done says at the end
 */
gboolean
outreach_test_wait_until (OutreachTestCondition done,
                          gpointer              data,
                          guint                 seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data) && outreach_test_spin (deadline))
    ;
  return done (data);
}

/**
 * outreach_test_wait_for:
 * @what: what is waited for, for the message when it never happens
 *
 * Runs the default main context until @done says so, then what that
 * queued (outreach_test_iterate()); fails the test if it takes longer
 * than a person would wait.
 */
void
outreach_test_wait_for (OutreachTestCondition done,
                        gpointer              data,
                        const char           *what)
{
  if (!outreach_test_wait_until (done, data, OUTREACH_TEST_WAIT_SECONDS))
    g_error ("Timed out waiting for %s", what);
  outreach_test_iterate ();
}
