/* outreach-settings.h — typed access to the settings the app, the CLI and the core share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_SETTINGS_ERROR (outreach_settings_error_quark ())

typedef enum
{
  OUTREACH_SETTINGS_ERROR_UNKNOWN_KEY,
  OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
} OutreachSettingsError;

/* The keys of the `settings` table (its CHECK constraint holds the same list). */
typedef enum
{
  OUTREACH_SETTING_ORG_NAME,
  OUTREACH_SETTING_SENDER_NAME,
  OUTREACH_SETTING_SENDER_ADDRESS,
  OUTREACH_SETTING_REPLY_TO,
  OUTREACH_SETTING_POSTAL_ADDRESS,
  OUTREACH_SETTING_UNSUBSCRIBE_URL,
  OUTREACH_SETTING_CURRENCY,
  OUTREACH_SETTING_HISTORY_KEEP,
  OUTREACH_SETTING_PARALLEL_JOBS,
} OutreachSetting;

#define OUTREACH_SETTING_COUNT (OUTREACH_SETTING_PARALLEL_JOBS + 1)

GQuark      outreach_settings_error_quark   (void);

const char *outreach_setting_to_key         (OutreachSetting  setting);
gboolean    outreach_setting_from_key       (const char      *key,
                                             OutreachSetting *setting);
const char *outreach_setting_get_default    (OutreachSetting  setting);

gboolean    outreach_settings_validate      (OutreachSetting  setting,
                                             const char      *value,
                                             GError         **error);

char       *outreach_settings_get_string    (OutreachStore   *store,
                                             OutreachSetting  setting,
                                             GError         **error);
gboolean    outreach_settings_set_string    (OutreachStore   *store,
                                             OutreachSetting  setting,
                                             const char      *value,
                                             GError         **error);
gboolean    outreach_settings_get_int       (OutreachStore   *store,
                                             OutreachSetting  setting,
                                             int             *value,
                                             GError         **error);
gboolean    outreach_settings_set_int       (OutreachStore   *store,
                                             OutreachSetting  setting,
                                             int              value,
                                             GError         **error);

G_END_DECLS
