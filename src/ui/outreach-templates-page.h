/* outreach-templates-page.h — the Templates page: saved messages and partials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_TEMPLATES_PAGE (outreach_templates_page_get_type ())
G_DECLARE_FINAL_TYPE (OutreachTemplatesPage, outreach_templates_page, OUTREACH, TEMPLATES_PAGE, GtkWidget)

/* The window gives the page the application's database. */
void outreach_templates_page_set_store (OutreachTemplatesPage *self,
                                        OutreachStore         *store);
void outreach_templates_page_reload    (OutreachTemplatesPage *self);
/* Shows the saved template of that name; FALSE if there is none. */
gboolean outreach_templates_page_select (OutreachTemplatesPage *self,
                                         const char            *name);

G_END_DECLS
