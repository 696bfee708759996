/* outreach-template.h — Mustache templates, compiled once and rendered many times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OUTREACH_TEMPLATE_ERROR (outreach_template_error_quark ())

typedef enum
{
  OUTREACH_TEMPLATE_ERROR_SYNTAX,           /* unclosed tag or section, mismatched closing tag, bad delimiters… */
  OUTREACH_TEMPLATE_ERROR_UNKNOWN_PARTIAL,  /* {{> name}} with no partial of that name */
  OUTREACH_TEMPLATE_ERROR_TOO_DEEP,         /* sections or partials nested past OUTREACH_TEMPLATE_MAX_DEPTH */
  OUTREACH_TEMPLATE_ERROR_TOO_LARGE,        /* a render past OUTREACH_TEMPLATE_MAX_STEPS or _MAX_OUTPUT */
} OutreachTemplateError;

typedef enum
{
  OUTREACH_TEMPLATE_TEXT,     /* nothing is escaped */
  OUTREACH_TEMPLATE_HTML,     /* {{x}} escapes & < > " ' */
  OUTREACH_TEMPLATE_SUBJECT,  /* nothing is escaped; CR and LF become spaces after rendering */
} OutreachTemplateKind;

typedef enum
{
  OUTREACH_TEMPLATE_FLAGS_NONE = 0,
  /* A {{> name}} with no partial renders as nothing instead of failing, as
   * the Mustache spec asks. Outreach itself never wants this: a misspelt
   * footer must stop a launch, not vanish from every message. */
  OUTREACH_TEMPLATE_FLAGS_LENIENT_PARTIALS = 1 << 0,
} OutreachTemplateFlags;

/* Sections nested in one template, and partials within partials while
 * rendering: deeper is an error (compile) or stops there (render). */
#define OUTREACH_TEMPLATE_MAX_DEPTH 100

/* One render stops after this many tags and texts, or this much output
 * (more than e-mail providers accept in a whole message): sections over
 * lists nested in each other multiply, and a template must never be able
 * to hang a job. A real message is hundreds of times less. */
#define OUTREACH_TEMPLATE_MAX_STEPS 1000000
#define OUTREACH_TEMPLATE_MAX_OUTPUT (4 * 1024 * 1024)

/* Where a compile error is: @partial is NULL for the template itself,
 * else the name of the partial the error is in. Lines and columns count
 * from 1, columns in characters. */
typedef struct
{
  char *partial;
  guint line;
  guint column;
  char *message;  /* the message without the location */
} OutreachTemplateLocation;

void outreach_template_location_clear (OutreachTemplateLocation *location);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OutreachTemplateLocation, outreach_template_location_clear)

#define OUTREACH_TYPE_TEMPLATE (outreach_template_get_type ())
G_DECLARE_FINAL_TYPE (OutreachTemplate, outreach_template, OUTREACH, TEMPLATE, GObject)

GQuark              outreach_template_error_quark   (void);

/* Compiles @source (and every partial it reaches, from @partials:
 * name → source text). The error message starts with "LINE:COLUMN: ",
 * or "partial “NAME” LINE:COLUMN: " for an error inside a partial. */
OutreachTemplate   *outreach_template_new           (const char                *source,
                                                     OutreachTemplateKind       kind,
                                                     GHashTable                *partials,
                                                     GError                   **error);
OutreachTemplate   *outreach_template_new_full      (const char                *source,
                                                     OutreachTemplateKind       kind,
                                                     GHashTable                *partials,
                                                     OutreachTemplateFlags      flags,
                                                     OutreachTemplateLocation  *location,
                                                     GError                   **error);

OutreachTemplateKind outreach_template_get_kind     (OutreachTemplate          *self);

/* Appends the rendering for @fields (nullable: no fields) to @out.
 * Thread-safe: several threads may render one compiled template at once. */
void                outreach_template_render        (OutreachTemplate          *self,
                                                     JsonObject                *fields,
                                                     GString                   *out);
/* The same, rendering with any JSON node as the root context; FALSE with
 * OUTREACH_TEMPLATE_ERROR_TOO_DEEP when partials recursed past the limit,
 * or OUTREACH_TEMPLATE_ERROR_TOO_LARGE past the steps or output limits
 * (what was rendered up to there is still appended). */
gboolean            outreach_template_render_node   (OutreachTemplate          *self,
                                                     JsonNode                  *root,
                                                     GString                   *out,
                                                     GError                   **error);
char               *outreach_template_render_to_string (OutreachTemplate       *self,
                                                        JsonObject             *fields);

/* The field names the template (and its partials) look up, first part
 * of a dotted name only, without "."; sorted, no repeats. */
const char * const *outreach_template_get_field_names (OutreachTemplate        *self);
gboolean            outreach_template_uses_field      (OutreachTemplate        *self,
                                                       const char              *name);
/* The fields written out where an empty value would show: not those only
 * inside a section of the same name ({{#phone}}Call {{phone}}{{/phone}}). */
GStrv               outreach_template_get_unguarded_fields (OutreachTemplate   *self);

G_END_DECLS
