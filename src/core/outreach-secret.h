/* outreach-secret.h — provider credentials: environment first, else the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OUTREACH_SECRET_ERROR (outreach_secret_error_quark ())

typedef enum
{
  OUTREACH_SECRET_ERROR_NO_KEYRING,  /* no secret service, or no default keyring */
  OUTREACH_SECRET_ERROR_LOCKED,      /* the keyring is locked; we never prompt */
  OUTREACH_SECRET_ERROR_MISSING,     /* nothing stored under that account and key */
  OUTREACH_SECRET_ERROR_FAILED,
} OutreachSecretError;

GQuark      outreach_secret_error_quark (void);

char       *outreach_secret_env_name    (const char         *account_name,
                                         const char         *key);
GHashTable *outreach_secret_lookup_all  (const char         *account_name,
                                         const char *const  *kind_keys,
                                         const char *const  *keyring_keys,
                                         GError            **error);
gboolean    outreach_secret_store       (const char         *account_name,
                                         const char         *key,
                                         const char         *value,
                                         GError            **error);
gboolean    outreach_secret_clear       (const char         *account_name,
                                         GError            **error);

G_END_DECLS
