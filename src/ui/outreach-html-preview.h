/* outreach-html-preview.h — a web view for HTML previews, WebKitGTK loaded on first use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OUTREACH_HTML_PREVIEW_ERROR (outreach_html_preview_error_quark ())

typedef enum
{
  OUTREACH_HTML_PREVIEW_ERROR_NO_WEBKIT,
} OutreachHtmlPreviewError;

GQuark     outreach_html_preview_error_quark (void);

GtkWidget *outreach_html_preview_new         (GError    **error);
void       outreach_html_preview_show        (GtkWidget  *preview,
                                              const char *html);

G_END_DECLS
