/* outreach-sigv4.h — AWS Signature Version 4 (providers.md §4a)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;   /* as sent; lower-cased for signing */
  const char *value;
} OutreachSigv4Header;

typedef struct
{
  char *canonical_request_hash;  /* hex SHA-256 of the canonical request */
  char *signature;               /* hex */
  char *authorization;           /* the Authorization header value */
} OutreachSigv4Result;

void outreach_sigv4_result_clear (OutreachSigv4Result *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OutreachSigv4Result, outreach_sigv4_result_clear)

void outreach_sigv4_sign (const char                *method,
                          const char                *path,
                          const char                *query,
                          const OutreachSigv4Header *headers,
                          guint                      n_headers,
                          const guint8              *body,
                          gsize                      body_len,
                          const char                *region,
                          const char                *service,
                          const char                *access_key_id,
                          const char                *secret_access_key,
                          const char                *amz_date,
                          OutreachSigv4Result       *result);

G_END_DECLS
