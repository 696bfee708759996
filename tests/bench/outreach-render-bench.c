/* outreach-render-bench.c — renders a template N times, as mustache-js-bench.js does
 *
 * Usage: outreach-render-bench TEMPLATE DATA.json [N]
 *
 * The same loop as the mustache.js reference: compile once, then for each
 * render change first_name ('Zoë' + i % 100, in place) and render the HTML-escaped
 * body (mustache.js escapes {{x}} too) into a reused buffer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <time.h>

#include "outreach-template.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *source = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (OutreachTemplate) template = NULL;
  g_autoptr (GString) out = g_string_sized_new (4096);
  JsonObject *fields;
  JsonNode *first_name;
  char *names[100];
  long n;
  guint64 bytes = 0;
  gint64 start, elapsed;
  double seconds, cpu_seconds;
  struct timespec cpu_start, cpu_end;

  if (argc < 3)
    {
      g_printerr ("usage: %s TEMPLATE DATA.json [N]\n", argv[0]);
      return 2;
    }
  n = argc > 3 ? strtol (argv[3], NULL, 10) : 1000000;

  if (!g_file_get_contents (argv[1], &source, NULL, &error)
      || !json_parser_load_from_file (parser, argv[2], &error))
    {
      g_printerr ("%s\n", error->message);
      return 3;
    }
  fields = json_node_get_object (json_parser_get_root (parser));
  template = outreach_template_new (source, OUTREACH_TEMPLATE_HTML, NULL, &error);
  if (template == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 3;
    }
  for (int i = 0; i < 100; i++)
    names[i] = g_strdup_printf ("Zoë%d", i);

  first_name = json_object_get_member (fields, "first_name");
  start = g_get_monotonic_time ();
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
  for (long i = 0; i < n; i++)
    {
      /* data.first_name = …: a new value in the field's node, so nothing
       * can be carried over from the previous render */
      json_node_set_string (first_name, names[i % 100]);
      g_string_truncate (out, 0);
      outreach_template_render (template, fields, out);
      bytes += out->len;
    }
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
  elapsed = g_get_monotonic_time () - start;
  seconds = elapsed / 1e6;
  cpu_seconds = (cpu_end.tv_sec - cpu_start.tv_sec) + (cpu_end.tv_nsec - cpu_start.tv_nsec) / 1e9;

  /* wall clock, and the CPU time the process used: on a machine others
   * share, only the second compares runs made a few seconds apart */
  g_print ("outreach: %ld renders in %.3f s = %.0f renders/s (%" G_GUINT64_FORMAT " bytes)\n",
           n, seconds, n / seconds, bytes);
  g_print ("outreach-cpu: %ld renders in %.3f s = %.0f renders/s\n", n, cpu_seconds, n / cpu_seconds);

  for (int i = 0; i < 100; i++)
    g_free (names[i]);
  return 0;
}
