/* outreach-job-log.c — a job's log (job_events)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-log"

#include "config.h"

#include "outreach-job-log.h"

#include <glib/gi18n-lib.h>

static const char *const level_names[] = { "debug", "info", "warning", "error" };

/* An excerpt is for a person reading the log, not an archive. */
#define EXCERPT_MAX 2048

/**
 * outreach_job_log:
 * @excerpt: (nullable): an already-redacted request/response excerpt
 *
 * Adds one line to the job's log.
 */
gboolean
outreach_job_log (OutreachStore       *store,
                  gint64               job_id,
                  OutreachJobLogLevel  level,
                  const char          *kind,
                  const char          *excerpt,
                  GError             **error,
                  const char          *format,
                  ...)
{
  g_autofree char *message = NULL;
  sqlite3_stmt *stmt;
  va_list args;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (level <= OUTREACH_JOB_LOG_ERROR, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  stmt = outreach_store_prepare (store,
                                 "INSERT INTO job_events (job_id, time, level, kind, message, excerpt)"
                                 " VALUES (?, ?, ?, ?, ?, ?)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  sqlite3_bind_text (stmt, 3, level_names[level], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, message, -1, SQLITE_TRANSIENT);
  if (excerpt != NULL)
    sqlite3_bind_text (stmt, 6, excerpt, MIN (strlen (excerpt), EXCERPT_MAX), SQLITE_TRANSIENT);
  return outreach_store_step_done (store, stmt, error);
}

/* Header lines that carry credentials, whatever their value. */
static gboolean
is_secret_header (const char *line)
{
  static const char *const names[] = {
    "authorization:", "x-postmark-server-token:", "x-amz-security-token:",
    "webhook-signature:", "cookie:", "proxy-authorization:", "x-api-key:",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strncasecmp (line, names[i], strlen (names[i])) == 0)
      return TRUE;
  return FALSE;
}

/**
 * outreach_job_log_redact:
 * @text: a request or response as text (headers, blank line, body)
 * @secrets: (nullable) (array zero-terminated=1): values that must never
 *   appear (an API key, a password), replaced by "[redacted]"
 *
 * Returns: (transfer full): @text with credential headers' values and
 *   every known secret replaced, cut to a readable length
 */
char *
outreach_job_log_redact (const char        *text,
                         const char *const *secrets)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      if (is_secret_header (lines[i]))
        {
          const char *colon = strchr (lines[i], ':');
          g_string_append_len (out, lines[i], colon - lines[i] + 1);
          g_string_append (out, " [redacted]");
        }
      else
        g_string_append (out, lines[i]);
    }

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    if (strlen (secrets[i]) >= 4)
      g_string_replace (out, secrets[i], "[redacted]", 0);

  if (out->len > EXCERPT_MAX)
    {
      g_string_truncate (out, EXCERPT_MAX - 4);
      /* never cut inside a UTF-8 sequence */
      while (out->len > 0 && ((guchar) out->str[out->len - 1] & 0xC0) == 0x80)
        g_string_truncate (out, out->len - 1);
      if (out->len > 0 && (guchar) out->str[out->len - 1] >= 0xC0)
        g_string_truncate (out, out->len - 1);
      g_string_append (out, " […]");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
