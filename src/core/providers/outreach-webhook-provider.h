/* outreach-webhook-provider.h — a JSON POST per message (listmonk's postback
 * shape, signed as Standard Webhooks asks)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_WEBHOOK_PROVIDER (outreach_webhook_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachWebhookProvider, outreach_webhook_provider, OUTREACH, WEBHOOK_PROVIDER, OutreachProvider)

char *outreach_webhook_signature (const char *signing_key,
                                  const char *id,
                                  gint64      timestamp,
                                  const char *body,
                                  gsize       body_len);

G_END_DECLS
