/* outreach-ses-provider.h — delivery through Ses (providers.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_SES_PROVIDER (outreach_ses_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachSesProvider, outreach_ses_provider, OUTREACH, SES_PROVIDER, OutreachProvider)

G_END_DECLS
