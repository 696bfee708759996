/* outreach-token-bucket.h — a rate limit in messages per second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OutreachTokenBucket OutreachTokenBucket;

OutreachTokenBucket *outreach_token_bucket_new          (double               rate);
OutreachTokenBucket *outreach_token_bucket_ref          (OutreachTokenBucket *self);
void                 outreach_token_bucket_unref        (OutreachTokenBucket *self);
OutreachTokenBucket *outreach_token_bucket_for_account  (gint64               account_id,
                                                         double               rate);
void                 outreach_token_bucket_set_rate     (OutreachTokenBucket *self,
                                                         double               rate);
double               outreach_token_bucket_get_rate     (OutreachTokenBucket *self);
gint64               outreach_token_bucket_take         (OutreachTokenBucket *self,
                                                         guint                count,
                                                         gint64               now_us);
void                 outreach_token_bucket_slow_down    (OutreachTokenBucket *self,
                                                         gint64               wait_us,
                                                         gint64               now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachTokenBucket, outreach_token_bucket_unref)

G_END_DECLS
