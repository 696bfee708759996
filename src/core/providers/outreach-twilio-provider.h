/* outreach-twilio-provider.h — delivery through Twilio (providers.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_TWILIO_PROVIDER (outreach_twilio_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachTwilioProvider, outreach_twilio_provider, OUTREACH, TWILIO_PROVIDER, OutreachProvider)

G_END_DECLS
