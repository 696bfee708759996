/* outreach-account.h — a delivery account: its fields, checks, storage and connection test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-provider.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_ACCOUNT_ERROR (outreach_account_error_quark ())

typedef enum
{
  OUTREACH_ACCOUNT_ERROR_INVALID,    /* a field's value is wrong; the message names the field */
  OUTREACH_ACCOUNT_ERROR_NOT_FOUND,  /* no account by that name */
  OUTREACH_ACCOUNT_ERROR_EXISTS,     /* another account already has the name */
  OUTREACH_ACCOUNT_ERROR_REQUIRED,   /* a needed field is empty; the message names it */
} OutreachAccountError;

typedef enum
{
  OUTREACH_ACCOUNT_FIELD_TEXT,        /* one line of text */
  OUTREACH_ACCOUNT_FIELD_URL,         /* https://, or http:// to this computer */
  OUTREACH_ACCOUNT_FIELD_EMAIL,       /* name@example.org */
  OUTREACH_ACCOUNT_FIELD_PHONE,       /* E.164: +15558675310 */
  OUTREACH_ACCOUNT_FIELD_FOLDER,      /* an absolute path */
  OUTREACH_ACCOUNT_FIELD_CHOICE,      /* one of `choices` */
  OUTREACH_ACCOUNT_FIELD_AWS_REGION,  /* eu-west-1 */
  OUTREACH_ACCOUNT_FIELD_RATE,        /* messages per second, 0 or more */
  OUTREACH_ACCOUNT_FIELD_CONCURRENCY, /* 1 to 256 */
  OUTREACH_ACCOUNT_FIELD_BOOLEAN,     /* 1/0, true/false, yes/no */
} OutreachAccountFieldType;

typedef enum
{
  OUTREACH_ACCOUNT_FIELD_SECRET = 1 << 0,   /* kept in the keyring, never in the database */
  OUTREACH_ACCOUNT_FIELD_REQUIRED = 1 << 1, /* always needed (some are needed only with another) */
  OUTREACH_ACCOUNT_FIELD_ADVANCED = 1 << 2, /* limits and server overrides most people leave alone */
} OutreachAccountFieldFlags;

typedef struct
{
  const char *key;                 /* the setting's key, as `--set KEY=VALUE` takes it */
  const char *label;               /* untranslated; see outreach_account_field_get_label() */
  const char *hint;                /* untranslated; may be NULL */
  OutreachAccountFieldType type;
  OutreachAccountFieldFlags flags;
  const char *const *choices;      /* CHOICE only; the first is the default */
} OutreachAccountField;

typedef enum
{
  OUTREACH_ACCOUNT_TEST_LOCAL,       /* needs no connection (folder) */
  OUTREACH_ACCOUNT_TEST_UNTESTABLE,  /* settings complete; the provider has no harmless test call */
  OUTREACH_ACCOUNT_TEST_ACCEPTED,    /* the provider accepted the credentials */
  OUTREACH_ACCOUNT_TEST_UNREACHABLE, /* no answer; detail is the transport error */
  OUTREACH_ACCOUNT_TEST_REFUSED,     /* answered with an error; detail is the provider's text */
} OutreachAccountTestOutcome;

typedef struct
{
  OutreachAccountTestOutcome outcome;
  guint http_status;
  char *detail;
} OutreachAccountTestResult;

void outreach_account_test_result_free (OutreachAccountTestResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachAccountTestResult, outreach_account_test_result_free)

typedef enum
{
  OUTREACH_ACCOUNT_SAVE_DEFAULT = 0,
  OUTREACH_ACCOUNT_SAVE_REPLACE = 1 << 0, /* a new account replaces one of the same name (`accounts add`) */
} OutreachAccountSaveFlags;

#define OUTREACH_TYPE_ACCOUNT (outreach_account_get_type ())
G_DECLARE_FINAL_TYPE (OutreachAccount, outreach_account, OUTREACH, ACCOUNT, GObject)

GQuark                      outreach_account_error_quark       (void);

/* What each provider kind needs. */
const char                 *outreach_account_kind_get_label    (const char        *kind);
const char                 *outreach_account_kind_get_description (const char     *kind);
const OutreachAccountField *outreach_account_kind_get_fields   (const char        *kind,
                                                                guint             *n_fields);
const OutreachAccountField *outreach_account_kind_find_field   (const char        *kind,
                                                                const char        *key);
const char                 *outreach_account_field_get_label   (const OutreachAccountField *field);
const char                 *outreach_account_field_get_hint    (const OutreachAccountField *field);

/* One account, new or loaded, and its changes until saved. */
OutreachAccount            *outreach_account_new               (const char        *kind);
OutreachAccount            *outreach_account_load              (OutreachStore     *store,
                                                                const char        *name,
                                                                GError           **error);
gint64                      outreach_account_get_id            (OutreachAccount   *self);
const char                 *outreach_account_get_kind          (OutreachAccount   *self);
const char                 *outreach_account_get_name          (OutreachAccount   *self);
void                        outreach_account_set_name          (OutreachAccount   *self,
                                                                const char        *name);
const char                 *outreach_account_get_value         (OutreachAccount   *self,
                                                                const char        *key);
void                        outreach_account_set_value         (OutreachAccount   *self,
                                                                const char        *key,
                                                                const char        *value);
void                        outreach_account_set_secret        (OutreachAccount   *self,
                                                                const char        *key,
                                                                const char        *value);
gboolean                    outreach_account_has_stored_secret (OutreachAccount   *self,
                                                                const char        *key);
gboolean                    outreach_account_validate_name     (OutreachAccount   *self,
                                                                GError           **error);
gboolean                    outreach_account_validate_field    (OutreachAccount   *self,
                                                                const char        *key,
                                                                GError           **error);
gboolean                    outreach_account_validate          (OutreachAccount   *self,
                                                                GError           **error);
gboolean                    outreach_account_save              (OutreachAccount   *self,
                                                                OutreachStore     *store,
                                                                OutreachAccountSaveFlags flags,
                                                                GError           **error);
void                        outreach_account_save_async        (OutreachAccount   *self,
                                                                OutreachStore     *store,
                                                                OutreachAccountSaveFlags flags,
                                                                GCancellable      *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer           user_data);
gboolean                    outreach_account_save_finish       (OutreachAccount   *self,
                                                                GAsyncResult      *result,
                                                                GError           **error);

OutreachProvider           *outreach_account_new_provider      (OutreachAccount   *self,
                                                                GError           **error);
OutreachAccountTestResult  *outreach_account_test              (OutreachAccount   *self,
                                                                GCancellable      *cancellable,
                                                                GError           **error);
void                        outreach_account_test_async        (OutreachAccount   *self,
                                                                GCancellable      *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer           user_data);
OutreachAccountTestResult  *outreach_account_test_finish       (OutreachAccount   *self,
                                                                GAsyncResult      *result,
                                                                GError           **error);
char                       *outreach_account_test_result_describe (const OutreachAccountTestResult *result);
gboolean                    outreach_account_test_result_ok    (const OutreachAccountTestResult *result);

/* Accounts by name. */
gboolean                    outreach_account_remove            (OutreachStore     *store,
                                                                const char        *name,
                                                                GError           **error);
gint64                      outreach_account_count_jobs        (OutreachStore     *store,
                                                                const char        *name);

G_END_DECLS
