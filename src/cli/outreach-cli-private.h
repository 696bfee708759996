/* outreach-cli-private.h — what the subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "outreach-store.h"

G_BEGIN_DECLS

/* Exit codes, as DESIGN.md "Interfaces" gives them. */
typedef enum
{
  OUTREACH_EXIT_OK = 0,
  OUTREACH_EXIT_FAILURES = 1,   /* the work finished, with failures */
  OUTREACH_EXIT_USAGE = 2,      /* the command line is wrong */
  OUTREACH_EXIT_COULD_NOT = 3,  /* bad input, a failed job, a lease held elsewhere… */
} OutreachExit;

typedef struct
{
  char *db_path; /* from --db, else NULL for the default */
} OutreachCli;

typedef int (*OutreachCliCommandFunc) (OutreachCli *cli,
                                       int          argc,
                                       char       **argv);

typedef struct
{
  const char *name;
  const char *synopsis;  /* after "outreach NAME " */
  const char *summary;   /* one line, translatable */
  OutreachCliCommandFunc run;
} OutreachCliCommand;

OutreachStore *outreach_cli_open_store    (OutreachCli  *cli);
int            outreach_cli_usage_error   (const char   *command,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int            outreach_cli_fail          (OutreachExit  code,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int            outreach_cli_fail_error    (const GError *error);
GOptionContext *outreach_cli_option_context (OutreachCli      *cli,
                                             const char       *command,
                                             const GOptionEntry *entries);
gboolean       outreach_cli_parse         (GOptionContext *context,
                                           const char     *command,
                                           int            *argc,
                                           char         ***argv,
                                           int            *exit_code);

/* The subcommands, one file each. */
int outreach_cli_info (OutreachCli *cli, int argc, char **argv);
int outreach_cli_donors (OutreachCli *cli, int argc, char **argv);
int outreach_cli_suppress (OutreachCli *cli, int argc, char **argv);
int outreach_cli_jobs (OutreachCli *cli, int argc, char **argv);
int outreach_cli_accounts (OutreachCli *cli, int argc, char **argv);
int outreach_cli_settings (OutreachCli *cli, int argc, char **argv);
int outreach_cli_render (OutreachCli *cli, int argc, char **argv);
int outreach_cli_templates (OutreachCli *cli, int argc, char **argv);

G_END_DECLS
