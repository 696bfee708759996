/* outreach-cli-jobs.c — `outreach jobs …`: create, list, show, run, control
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-cli"

#include "config.h"

#include "outreach-cli-private.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "outreach-job.h"
#include "outreach-job-control.h"
#include "outreach-job-export.h"
#include "outreach-job-lease.h"
#include "outreach-job-render.h"
#include "outreach-job-status.h"
#include "outreach-runner.h"
#include "outreach-settings.h"

static gboolean
parse_job_id (const char *text,
              gint64     *id)
{
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  *id = g_ascii_strtoll (text, &end, 10);
  return end != text && *end == '\0' && *id > 0;
}

static char *
read_text_file (const char *path,
                GError    **error)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  if (!g_utf8_validate (contents, len, NULL))
    {
      g_free (contents);
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   _("%s is not UTF-8 text; save it as UTF-8 and try again"), path);
      return NULL;
    }
  return contents;
}

static gboolean
find_account (OutreachStore *store,
              const char    *name,
              gint64        *id)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT id FROM accounts WHERE name = ?", &error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    *id = (gint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return found;
}

static int
jobs_create (OutreachCli *cli, int argc, char **argv)
{
  g_autofree char *name = NULL, *account = NULL, *search = NULL, *tag = NULL, *subject = NULL;
  g_autofree char *text_file = NULL, *html_file = NULL, *schedule = NULL, *priority = NULL;
  gboolean all = FALSE, review = FALSE;
  double rate = 0;
  int concurrency = 0;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The job's name"), N_("NAME") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("The account to send with"), N_("NAME") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Send to every donor"), NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Donors whose name, e-mail or phone contains TEXT"), N_("TEXT") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, N_("Donors with this tag"), N_("TAG") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("The subject (a template)"), N_("TEXT") },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &text_file, N_("The text body (a template file)"), N_("FILE") },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &html_file, N_("The HTML body (a template file)"), N_("FILE") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, N_("Messages per second (0 = the account's limit)"), N_("N") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, N_("Requests in flight (at most the account's)"), N_("N") },
    { "schedule", 0, 0, G_OPTION_ARG_STRING, &schedule, N_("Start at this time (ISO 8601; local time without an offset)"), N_("TIME") },
    { "review", 0, 0, G_OPTION_ARG_NONE, &review, N_("Render every message as a draft to approve first"), NULL },
    { "priority", 0, 0, G_OPTION_ARG_STRING, &priority, N_("low, normal or high"), N_("P") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *html = NULL;
  OutreachJobSpec spec = { 0 };
  int exit_code;
  gint64 id;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return outreach_cli_usage_error ("jobs", _("unexpected argument “%s”"), argv[1]);
  if (name == NULL || account == NULL || subject == NULL || text_file == NULL)
    return outreach_cli_usage_error ("jobs", _("jobs create needs --name, --account, --subject and --text"));
  if (all + (search != NULL) + (tag != NULL) != 1)
    return outreach_cli_usage_error ("jobs", _("give exactly one of --all, --search and --tag"));
  if (rate < 0 || concurrency < 0 || concurrency > 256)
    return outreach_cli_usage_error ("jobs", _("--rate must be 0 or more and --concurrency 1 to 256"));

  spec.name = name;
  spec.select = all ? OUTREACH_JOB_SELECT_ALL : search != NULL ? OUTREACH_JOB_SELECT_SEARCH : OUTREACH_JOB_SELECT_TAG;
  spec.select_text = search != NULL ? search : tag;
  spec.subject = subject;
  spec.rate = rate;
  spec.concurrency = concurrency;
  spec.review = review;
  if (priority != NULL)
    {
      if (g_str_equal (priority, "low"))
        spec.priority = -1;
      else if (g_str_equal (priority, "high"))
        spec.priority = 1;
      else if (!g_str_equal (priority, "normal"))
        return outreach_cli_usage_error ("jobs", _("--priority is low, normal or high, not “%s”"), priority);
    }
  if (schedule != NULL)
    {
      g_autoptr (GTimeZone) local = g_time_zone_new_local ();
      g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (schedule, local);
      if (when == NULL)
        return outreach_cli_usage_error ("jobs", _("--schedule “%s” is not an ISO 8601 time such as 2026-05-01T09:00"), schedule);
      spec.scheduled_at = g_date_time_to_unix (when);
    }

  text = read_text_file (text_file, &error);
  if (text == NULL)
    return outreach_cli_fail_error (error);
  spec.text = text;
  if (html_file != NULL)
    {
      html = read_text_file (html_file, &error);
      if (html == NULL)
        return outreach_cli_fail_error (error);
      spec.html = html;
    }

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  if (!find_account (store, account, &spec.account_id))
    return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT,
                              _("There is no account “%s”; “outreach accounts list” shows them"), account);

  id = outreach_job_create (store, &spec, &error);
  if (id == 0)
    return outreach_cli_fail_error (error);
  printf ("%" G_GINT64_FORMAT "\n", id);
  return OUTREACH_EXIT_OK;
}

static void
add_time (JsonBuilder  *builder,
          const char   *name,
          sqlite3_stmt *stmt,
          int           column)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column));
      g_autofree char *text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
      json_builder_add_string_value (builder, text);
    }
}

#define JOB_COLUMNS \
  "j.id, j.uuid, j.name, j.status, a.name, j.total, j.pending, j.sent, j.failed, j.skipped," \
  " j.uncertain, j.cancelled, j.created_at, j.started_at, j.finished_at, j.error, j.priority," \
  " j.scheduled_at, j.rejected"

static void
build_job (JsonBuilder  *builder,
           sqlite3_stmt *stmt)
{
  static const char *const counters[] = { "total", "pending", "sent", "failed", "skipped", "uncertain", "cancelled" };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, (gint64) sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (builder, "uuid");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 3));
  json_builder_set_member_name (builder, "account");
  if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 4));
  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    {
      json_builder_set_member_name (builder, counters[i]);
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 5 + i));
    }
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, (gint64) sqlite3_column_int64 (stmt, 18));
  add_time (builder, "created_at", stmt, 12);
  add_time (builder, "started_at", stmt, 13);
  add_time (builder, "finished_at", stmt, 14);
  add_time (builder, "scheduled_at", stmt, 17);
  json_builder_set_member_name (builder, "priority");
  json_builder_add_string_value (builder, sqlite3_column_int (stmt, 16) < 0 ? "low"
                                          : sqlite3_column_int (stmt, 16) > 0 ? "high" : "normal");
  json_builder_set_member_name (builder, "error");
  if (sqlite3_column_type (stmt, 15) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 15));
  json_builder_end_object (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static int
jobs_list (OutreachCli *cli, int argc, char **argv)
{
  g_autofree char *status = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Only jobs with this status"), N_("S") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  OutreachJobStatus filter;
  sqlite3_stmt *stmt;
  int exit_code, rc;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return outreach_cli_usage_error ("jobs", _("unexpected argument “%s”"), argv[1]);
  if (status != NULL && !outreach_job_status_from_string (status, &filter))
    return outreach_cli_usage_error ("jobs", _("--status is one of draft, queued, running, paused, "
                                               "completed, failed, cancelled; not “%s”"), status);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  stmt = outreach_store_prepare (store,
                                 "SELECT " JOB_COLUMNS " FROM jobs j LEFT JOIN accounts a ON a.id = j.account_id"
                                 " WHERE ?1 IS NULL OR j.status = ?1 ORDER BY j.id",
                                 &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);

  json_builder_begin_array (builder);
  if (!json)
    printf ("%-6s %-10s %8s %8s %8s  %s\n", _("ID"), _("STATUS"), _("TOTAL"), _("SENT"), _("FAILED"), _("NAME"));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (json)
        build_job (builder, stmt);
      else
        printf ("%-6" G_GINT64_FORMAT " %-10s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "  %s\n",
                (gint64) sqlite3_column_int64 (stmt, 0), sqlite3_column_text (stmt, 3),
                (gint64) sqlite3_column_int64 (stmt, 5), (gint64) sqlite3_column_int64 (stmt, 7),
                (gint64) sqlite3_column_int64 (stmt, 8), sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the jobs"), &error);
      return outreach_cli_fail_error (error);
    }
  if (json)
    print_json (builder);
  return OUTREACH_EXIT_OK;
}

static int
jobs_show (OutreachCli *cli, int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree char *recipient = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "recipient", 0, 0, G_OPTION_ARG_STRING, &recipient,
      N_("Show the message this recipient gets (a donor id or an address), e.g. to review a draft"), N_("R") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  sqlite3_stmt *stmt;
  int exit_code, rc;
  gint64 id;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || !parse_job_id (argv[1], &id))
    return outreach_cli_usage_error ("jobs", _("jobs show needs one job id"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  if (recipient != NULL)
    {
      g_autoptr (OutreachMessage) m = outreach_job_render_recipient (store, id, recipient, &error);
      if (m == NULL)
        return outreach_cli_fail_error (error);
      printf ("To: %s%s%s%s\n", m->name, *m->name != '\0' ? " <" : "", m->address, *m->name != '\0' ? ">" : "");
      printf ("Subject: %s\n", m->subject->str);
      printf ("X-Message-Id: %s\n", m->message_id);
      if (m->unsubscribe_url != NULL)
        printf ("List-Unsubscribe: <%s>\n", m->unsubscribe_url);
      printf ("\n%s", m->text->str);
      if (m->html != NULL)
        printf ("\n--- HTML ---\n%s\n", m->html->str);
      return OUTREACH_EXIT_OK;
    }
  stmt = outreach_store_prepare (store,
                                 "SELECT " JOB_COLUMNS " FROM jobs j LEFT JOIN accounts a ON a.id = j.account_id"
                                 " WHERE j.id = ?",
                                 &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT,
                                _("There is no job %" G_GINT64_FORMAT "; “outreach jobs list” shows them"), id);
    }
  if (json)
    {
      build_job (builder, stmt);
      sqlite3_reset (stmt);
      print_json (builder);
      return OUTREACH_EXIT_OK;
    }

  printf ("%-12s %" G_GINT64_FORMAT "\n", _("Job:"), (gint64) sqlite3_column_int64 (stmt, 0));
  printf ("%-12s %s\n", _("Name:"), sqlite3_column_text (stmt, 2));
  printf ("%-12s %s\n", _("Status:"), sqlite3_column_text (stmt, 3));
  printf ("%-12s %s\n", _("Account:"), sqlite3_column_type (stmt, 4) == SQLITE_NULL ? "-" : (const char *) sqlite3_column_text (stmt, 4));
  printf ("%-12s %" G_GINT64_FORMAT " total, %" G_GINT64_FORMAT " pending, %" G_GINT64_FORMAT " sent, %"
          G_GINT64_FORMAT " failed, %" G_GINT64_FORMAT " skipped, %" G_GINT64_FORMAT " uncertain, %"
          G_GINT64_FORMAT " cancelled, %" G_GINT64_FORMAT " rejected\n",
          _("Recipients:"), (gint64) sqlite3_column_int64 (stmt, 5), (gint64) sqlite3_column_int64 (stmt, 6),
          (gint64) sqlite3_column_int64 (stmt, 7), (gint64) sqlite3_column_int64 (stmt, 8), (gint64) sqlite3_column_int64 (stmt, 9),
          (gint64) sqlite3_column_int64 (stmt, 10), (gint64) sqlite3_column_int64 (stmt, 11), (gint64) sqlite3_column_int64 (stmt, 18));
  if (sqlite3_column_type (stmt, 15) != SQLITE_NULL)
    printf ("%-12s %s\n", _("Error:"), sqlite3_column_text (stmt, 15));
  sqlite3_reset (stmt);

  stmt = outreach_store_prepare (store,
                                 "SELECT time, level, message FROM job_events WHERE job_id = ?"
                                 " ORDER BY time DESC, id DESC LIMIT 20",
                                 &error);
  if (stmt == NULL)
    return outreach_cli_fail_error (error);
  sqlite3_bind_int64 (stmt, 1, id);
  printf ("%s\n", _("Latest log:"));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GDateTime) time = g_date_time_new_from_unix_local ((gint64) sqlite3_column_int64 (stmt, 0) / 1000);
      g_autofree char *when = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
      printf ("  %s %-7s %s\n", when, sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return OUTREACH_EXIT_OK;
}

/* ---- run ---- */

typedef struct
{
  GMainLoop *loop;
  gint64 job_id;
  gboolean tty;
  gboolean have_progress;
  OutreachJobProgress last;
  gint64 last_line_us;
  OutreachJobStatus status;
  GError *error;
  guint pending_runs;
  GCancellable *cancellable;
} RunState;

static void
progress_cb (OutreachRunner            *runner,
             gint64                     job_id,
             const OutreachJobProgress *p,
             RunState                  *state)
{
  gint64 done = p->total - p->pending;
  gint64 now = g_get_monotonic_time ();

  if (state->job_id != 0 && job_id != state->job_id)
    return;
  state->last = *p;
  state->have_progress = TRUE;

  if (state->tty)
    {
      int width = 30;
      int filled = p->total > 0 ? (int) (width * done / p->total) : width;
      g_autofree char *bar = g_strnfill (filled, '#');
      g_autofree char *rest = g_strnfill (width - filled, ' ');
      fprintf (stderr, _("\rJob %" G_GINT64_FORMAT " [%s%s] %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                         "  sent %" G_GINT64_FORMAT "  failed %" G_GINT64_FORMAT "  %.0f/s   "),
               job_id, bar, rest, done, p->total, p->sent, p->failed, p->rate);
    }
  else if (now - state->last_line_us >= 5 * G_USEC_PER_SEC)
    {
      state->last_line_us = now;
      fprintf (stderr, _("Job %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                         " done, %" G_GINT64_FORMAT " sent, %" G_GINT64_FORMAT " failed\n"),
               job_id, done, p->total, p->sent, p->failed);
    }
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  RunState *state = data;
  GError *error = NULL;

  state->status = outreach_runner_run_job_finish (OUTREACH_RUNNER (source), result, &error);
  if (error != NULL && state->error == NULL)
    state->error = error;
  else
    g_clear_error (&error);
  if (--state->pending_runs == 0)
    g_main_loop_quit (state->loop);
}

static gboolean
interrupt_cb (gpointer data)
{
  RunState *state = data;

  fprintf (stderr, _("\nPausing: waiting for the messages on their way…\n"));
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
purge_history (OutreachStore *store,
               int            keep)
{
  g_autoptr (GError) error = NULL;

  if (keep < 0 && !outreach_settings_get_int (store, OUTREACH_SETTING_HISTORY_KEEP, &keep, &error))
    keep = 100;
  if (!outreach_job_purge_history (store, (guint) MAX (keep, 0), NULL, &error))
    {
      g_printerr ("outreach: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
jobs_run (OutreachCli *cli, int argc, char **argv)
{
  int keep = -1;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, N_("Finished jobs to keep (overrides the history_keep setting; 0 = all)"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (OutreachRunner) runner = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RunState state = { 0 };
  guint sigint, sigterm;
  int exit_code;
  gint64 id;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || !parse_job_id (argv[1], &id))
    return outreach_cli_usage_error ("jobs", _("jobs run needs one job id"));
  if (keep < -1)
    return outreach_cli_usage_error ("jobs", _("--keep must be 0 or more"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  runner = outreach_runner_new (store);
  state.loop = loop;
  state.job_id = id;
  state.tty = isatty (STDERR_FILENO);
  state.cancellable = cancellable;
  state.pending_runs = 1;
  g_signal_connect (runner, "progress", G_CALLBACK (progress_cb), &state);
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, &state);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, &state);
  outreach_runner_run_job_async (runner, id, cancellable, run_done_cb, &state);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (state.tty && state.have_progress)
    fputc ('\n', stderr);

  if (state.error != NULL)
    {
      exit_code = outreach_cli_fail_error (state.error);
      g_clear_error (&state.error);
      return exit_code;
    }
  purge_history (store, keep);

  {
    OutreachJobProgress *p = &state.last;
    g_autoptr (GError) error = NULL;
    g_autofree char *message = NULL;
    sqlite3_stmt *stmt = outreach_store_prepare (store, "SELECT error FROM jobs WHERE id = ?", &error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
          message = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        sqlite3_reset (stmt);
      }

    switch (state.status)
      {
      case OUTREACH_JOB_STATUS_COMPLETED:
        fprintf (stderr, _("Job %" G_GINT64_FORMAT " completed: %" G_GINT64_FORMAT " sent, %" G_GINT64_FORMAT
                           " failed, %" G_GINT64_FORMAT " uncertain, %" G_GINT64_FORMAT " skipped\n"),
                 id, p->sent, p->failed, p->uncertain, p->skipped);
        return p->failed + p->uncertain > 0 ? OUTREACH_EXIT_FAILURES : OUTREACH_EXIT_OK;
      case OUTREACH_JOB_STATUS_FAILED:
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Job %" G_GINT64_FORMAT " failed: %s"), id,
                                  message != NULL ? message : _("no reason given"));
      case OUTREACH_JOB_STATUS_CANCELLED:
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Job %" G_GINT64_FORMAT " was cancelled"), id);
      default:
        return outreach_cli_fail (OUTREACH_EXIT_COULD_NOT, _("Job %" G_GINT64_FORMAT " is %s%s%s"), id,
                                  outreach_job_status_to_string (state.status),
                                  message != NULL ? ": " : "", message != NULL ? message : "");
      }
  }
}

static void
finished_cb (OutreachRunner   *runner,
             gint64            job_id,
             OutreachJobStatus status,
             const char       *error,
             RunState         *state)
{
  fprintf (stderr, _("Job %" G_GINT64_FORMAT ": %s%s%s\n"), job_id, outreach_job_status_to_string (status),
           error != NULL ? " — " : "", error != NULL ? error : "");
  if (status == OUTREACH_JOB_STATUS_FAILED || status == OUTREACH_JOB_STATUS_CANCELLED)
    state->status = status;
}

static int
jobs_run_due (OutreachCli *cli, int argc, char **argv)
{
  int keep = -1;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, N_("Finished jobs to keep (overrides the history_keep setting; 0 = all)"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", entries);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (OutreachRunner) runner = NULL;
  g_autoptr (GError) error = NULL;
  RunState state = { 0 };
  int exit_code;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return outreach_cli_usage_error ("jobs", _("unexpected argument “%s”"), argv[1]);

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  runner = outreach_runner_new (store);
  state.status = OUTREACH_JOB_STATUS_COMPLETED;
  g_signal_connect (runner, "job-finished", G_CALLBACK (finished_cb), &state);

  /* Start what is due, up to the parallel-jobs limit; when one ends, start the next. */
  outreach_runner_start_due (runner, &error);
  if (error != NULL)
    return outreach_cli_fail_error (error);
  for (guint running = outreach_runner_get_n_running (runner); running > 0;)
    {
      guint now;

      g_main_context_iteration (NULL, TRUE);
      now = outreach_runner_get_n_running (runner);
      if (now < running)
        {
          outreach_runner_start_due (runner, &error);
          if (error != NULL)
            return outreach_cli_fail_error (error);
          now = outreach_runner_get_n_running (runner);
        }
      running = now;
    }
  purge_history (store, keep);
  return state.status == OUTREACH_JOB_STATUS_COMPLETED ? OUTREACH_EXIT_OK : OUTREACH_EXIT_COULD_NOT;
}

static int
jobs_simple (OutreachCli *cli, const char *verb, int argc, char **argv)
{
  gboolean failed = FALSE, uncertain = FALSE, all = FALSE;
  g_auto (GStrv) recipients = NULL;
  const GOptionEntry retry_entries[] = {
    { "failed", 0, 0, G_OPTION_ARG_NONE, &failed, N_("Retry the failed recipients (the default)"), NULL },
    { "uncertain", 0, 0, G_OPTION_ARG_NONE, &uncertain, N_("Retry the uncertain recipients (may send twice)"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Retry failed, uncertain and cancelled recipients"), NULL },
    { NULL }
  };
  const GOptionEntry review_entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every message awaiting review"), NULL },
    { "recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &recipients, N_("A donor id or address"), N_("R") },
    { NULL }
  };
  gboolean is_retry = g_str_equal (verb, "retry");
  gboolean is_review = g_str_equal (verb, "approve") || g_str_equal (verb, "reject");
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", is_retry ? retry_entries
                                                                                  : is_review ? review_entries : NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;
  int exit_code;
  gint64 id;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || !parse_job_id (argv[1], &id))
    return outreach_cli_usage_error ("jobs", _("jobs %s needs one job id"), verb);
  if (is_retry && failed + uncertain + all > 1)
    return outreach_cli_usage_error ("jobs", _("give at most one of --failed, --uncertain and --all"));
  if (g_str_equal (verb, "approve") && all == (recipients != NULL))
    return outreach_cli_usage_error ("jobs", _("jobs approve needs --all or --recipient"));
  if (g_str_equal (verb, "reject") && recipients == NULL)
    return outreach_cli_usage_error ("jobs", _("jobs reject needs --recipient"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;

  if (g_str_equal (verb, "pause"))
    ok = outreach_job_pause (store, id, &error);
  else if (g_str_equal (verb, "resume"))
    ok = outreach_job_resume (store, id, &error);
  else if (g_str_equal (verb, "cancel"))
    ok = outreach_job_cancel (store, id, &error);
  else if (g_str_equal (verb, "delete"))
    ok = outreach_job_delete (store, id, &error);
  else if (is_retry)
    ok = outreach_job_retry (store, id, uncertain ? OUTREACH_JOB_RETRY_UNCERTAIN
                                        : all ? OUTREACH_JOB_RETRY_ALL : OUTREACH_JOB_RETRY_FAILED, &error);
  else if (is_review)
    {
      guint total = 0, count = 0;
      ok = TRUE;
      if (recipients == NULL)
        ok = outreach_job_approve (store, id, NULL, &total, &error);
      for (guint i = 0; ok && recipients != NULL && recipients[i] != NULL; i++)
        {
          ok = g_str_equal (verb, "approve") ? outreach_job_approve (store, id, recipients[i], &count, &error)
                                             : outreach_job_reject (store, id, recipients[i], &count, &error);
          total += count;
        }
      if (ok)
        printf ("%u\n", total);
    }
  if (!ok)
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}

static int
jobs_export (OutreachCli *cli, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", NULL);
  g_autoptr (OutreachStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int exit_code;
  gint64 id;

  if (!outreach_cli_parse (context, "jobs", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 3 || !parse_job_id (argv[1], &id))
    return outreach_cli_usage_error ("jobs", _("jobs export needs a job id and a FILE.csv or FILE.zip"));
  if (!g_str_has_suffix (argv[2], ".csv") && !g_str_has_suffix (argv[2], ".zip"))
    return outreach_cli_usage_error ("jobs", _("the export file must end in .csv or .zip"));

  store = outreach_cli_open_store (cli);
  if (store == NULL)
    return OUTREACH_EXIT_COULD_NOT;
  if (!outreach_job_export (store, id, argv[2], &error))
    return outreach_cli_fail_error (error);
  return OUTREACH_EXIT_OK;
}

int
outreach_cli_jobs (OutreachCli *cli,
                   int          argc,
                   char       **argv)
{
  const char *verb = argc > 1 ? argv[1] : NULL;

  if (verb == NULL || g_str_equal (verb, "--help") || g_str_equal (verb, "-h"))
    {
      g_autoptr (GOptionContext) context = outreach_cli_option_context (cli, "jobs", NULL);
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      printf ("%s", help);
      return verb == NULL ? OUTREACH_EXIT_USAGE : OUTREACH_EXIT_OK;
    }

  /* argv[1] becomes the program name for the verb's own parser */
  argc--;
  argv++;
  if (g_str_equal (verb, "create"))
    return jobs_create (cli, argc, argv);
  if (g_str_equal (verb, "list"))
    return jobs_list (cli, argc, argv);
  if (g_str_equal (verb, "show"))
    return jobs_show (cli, argc, argv);
  if (g_str_equal (verb, "run"))
    return jobs_run (cli, argc, argv);
  if (g_str_equal (verb, "run-due"))
    return jobs_run_due (cli, argc, argv);
  if (g_str_equal (verb, "export"))
    return jobs_export (cli, argc, argv);
  if (g_str_equal (verb, "pause") || g_str_equal (verb, "resume") || g_str_equal (verb, "cancel") ||
      g_str_equal (verb, "delete") || g_str_equal (verb, "retry") || g_str_equal (verb, "approve") ||
      g_str_equal (verb, "reject"))
    return jobs_simple (cli, verb, argc, argv);

  return outreach_cli_usage_error ("jobs", _("“%s” is not a jobs command; use create, list, show, run, "
                                             "run-due, pause, resume, cancel, retry, approve, reject, "
                                             "export or delete"), verb);
}
