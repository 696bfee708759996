/* outreach-postmark-provider.h — delivery through Postmark (providers.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_POSTMARK_PROVIDER (outreach_postmark_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachPostmarkProvider, outreach_postmark_provider, OUTREACH, POSTMARK_PROVIDER, OutreachProvider)

G_END_DECLS
