/* outreach-jmap-provider.h — delivery through Jmap (providers.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_JMAP_PROVIDER (outreach_jmap_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachJmapProvider, outreach_jmap_provider, OUTREACH, JMAP_PROVIDER, OutreachProvider)

G_END_DECLS
