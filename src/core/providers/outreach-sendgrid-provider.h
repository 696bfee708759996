/* outreach-sendgrid-provider.h — delivery through Sendgrid (providers.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_SENDGRID_PROVIDER (outreach_sendgrid_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachSendgridProvider, outreach_sendgrid_provider, OUTREACH, SENDGRID_PROVIDER, OutreachProvider)

G_END_DECLS
