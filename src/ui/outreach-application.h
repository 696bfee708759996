/* outreach-application.h — the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_APPLICATION (outreach_application_get_type ())
G_DECLARE_FINAL_TYPE (OutreachApplication, outreach_application, OUTREACH, APPLICATION,
                      AdwApplication)

OutreachApplication *outreach_application_new       (void);
OutreachStore       *outreach_application_get_store (OutreachApplication *self);

G_END_DECLS
