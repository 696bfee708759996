/* outreach-template-library.h — saved templates (the `templates` table)
 *
 * A saved template is a subject, a text body and an optional HTML body
 * under a unique name. Saved templates are also the partials: {{> footer}}
 * includes the template named "footer".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"
#include "outreach-template.h"

G_BEGIN_DECLS

#define OUTREACH_TEMPLATE_LIBRARY_ERROR (outreach_template_library_error_quark ())

typedef enum
{
  OUTREACH_TEMPLATE_LIBRARY_ERROR_NOT_FOUND,
  OUTREACH_TEMPLATE_LIBRARY_ERROR_EXISTS,
  OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_NAME,
  OUTREACH_TEMPLATE_LIBRARY_ERROR_INVALID_TEMPLATE,
} OutreachTemplateLibraryError;

typedef struct
{
  gint64 id;
  char *name;
  char *subject;
  char *text_body;
  char *html_body;  /* NULL: no HTML body */
  gint64 created_at;
  gint64 updated_at;
} OutreachSavedTemplate;

GQuark                 outreach_template_library_error_quark (void);

void                   outreach_saved_template_free     (OutreachSavedTemplate *saved);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachSavedTemplate, outreach_saved_template_free)

/* (element-type OutreachSavedTemplate), sorted by name */
GPtrArray             *outreach_template_library_list   (OutreachStore  *store,
                                                         GError        **error);
OutreachSavedTemplate *outreach_template_library_get    (OutreachStore  *store,
                                                         const char     *name,
                                                         GError        **error);
OutreachSavedTemplate *outreach_template_library_get_by_id (OutreachStore *store,
                                                            gint64         id,
                                                            GError       **error);

/* Checks all three parts compile (with the saved templates as partials)
 * and saves them. @id 0 creates a template (an existing name is
 * OUTREACH_TEMPLATE_LIBRARY_ERROR_EXISTS); otherwise updates that one,
 * name included. Returns the template's id, or 0 with an error that says
 * which part is wrong and where ("text body 3:5: …"). */
gint64                 outreach_template_library_save   (OutreachStore  *store,
                                                         gint64          id,
                                                         const char     *name,
                                                         const char     *subject,
                                                         const char     *text_body,
                                                         const char     *html_body,
                                                         GError        **error);
/* Saves a copy named "NAME (copy)" (or "(copy 2)"…); returns its id. */
gint64                 outreach_template_library_duplicate (OutreachStore *store,
                                                            gint64         id,
                                                            GError       **error);
gboolean               outreach_template_library_remove (OutreachStore  *store,
                                                         gint64          id,
                                                         GError        **error);
gboolean               outreach_template_library_remove_by_name (OutreachStore *store,
                                                                 const char    *name,
                                                                 GError       **error);

/* name → source, for OutreachTemplate's partials: each saved template's
 * HTML body for an HTML template (its text body if it has none), else
 * its text body. */
GHashTable            *outreach_template_library_partials (OutreachStore        *store,
                                                           OutreachTemplateKind  kind,
                                                           GError              **error);

/* Compiles subject, text and HTML with @partials; the error names the
 * part: "subject 1:5: …", "text body 3:2: …", "HTML body …". */
gboolean               outreach_template_library_check_parts (const char  *subject,
                                                              const char  *text_body,
                                                              const char  *html_body,
                                                              GHashTable  *text_partials,
                                                              GHashTable  *html_partials,
                                                              GError     **error);

G_END_DECLS
