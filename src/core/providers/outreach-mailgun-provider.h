/* outreach-mailgun-provider.h — delivery through Mailgun (providers.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_MAILGUN_PROVIDER (outreach_mailgun_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachMailgunProvider, outreach_mailgun_provider, OUTREACH, MAILGUN_PROVIDER, OutreachProvider)

G_END_DECLS
