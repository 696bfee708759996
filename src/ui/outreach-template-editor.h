/* outreach-template-editor.h — edit a message (subject, text and HTML body)
 * with highlighting, inline errors, an "Insert field" menu and a live
 * preview for real donors
 *
 * Used by the Templates page and the new-job wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_TEMPLATE_EDITOR (outreach_template_editor_get_type ())
G_DECLARE_FINAL_TYPE (OutreachTemplateEditor, outreach_template_editor, OUTREACH, TEMPLATE_EDITOR, AdwBin)

/* How long after the last key press the preview follows. */
#define OUTREACH_TEMPLATE_EDITOR_PREVIEW_DELAY_MS 80

GtkWidget  *outreach_template_editor_new             (void);
void        outreach_template_editor_set_store       (OutreachTemplateEditor *self,
                                                      OutreachStore          *store);
/* The donors "Check Against Donors" uses: an SQL condition over `donors`
 * with ?1… from @params, as outreach_template_check() takes; NULL: all. */
void        outreach_template_editor_set_selection   (OutreachTemplateEditor *self,
                                                      const char             *donor_where,
                                                      const char * const     *params);
const char *outreach_template_editor_get_check_result (OutreachTemplateEditor *self);
/* The donors the preview steps through (previous / next), in any order;
 * NULL: every donor. The preview starts again at the first of them. */
void        outreach_template_editor_set_preview_donors (OutreachTemplateEditor *self,
                                                         GArray                 *ids);
void        outreach_template_editor_set_job_name    (OutreachTemplateEditor *self,
                                                      const char             *job_name);

/* @html_body: (nullable): NULL for a message without an HTML body */
void        outreach_template_editor_set_message     (OutreachTemplateEditor *self,
                                                      const char             *subject,
                                                      const char             *text_body,
                                                      const char             *html_body);
char       *outreach_template_editor_get_subject     (OutreachTemplateEditor *self);
char       *outreach_template_editor_get_text_body   (OutreachTemplateEditor *self);
char       *outreach_template_editor_get_html_body   (OutreachTemplateEditor *self);

/* Whether all parts compile; the "valid" property follows it. */
gboolean    outreach_template_editor_get_valid       (OutreachTemplateEditor *self);
const char *outreach_template_editor_get_error       (OutreachTemplateEditor *self);

/* What the preview shows (for tests and the wizard's review step). */
gint64      outreach_template_editor_get_preview_donor (OutreachTemplateEditor *self);
char       *outreach_template_editor_get_preview_subject (OutreachTemplateEditor *self);
char       *outreach_template_editor_get_preview_text  (OutreachTemplateEditor *self);
const char *outreach_template_editor_get_preview_html  (OutreachTemplateEditor *self);
/* The HTML preview's WebKitWebView, NULL until an HTML body was shown. */
GtkWidget  *outreach_template_editor_get_html_preview  (OutreachTemplateEditor *self);
/* Updates the preview now instead of after the typing pause. */
void        outreach_template_editor_update_now      (OutreachTemplateEditor *self);

G_END_DECLS
