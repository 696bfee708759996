/* outreach-settings.c — typed access to the settings the app, the CLI and the core share
 *
 * The `settings` table holds text values under a fixed list of keys. This
 * module knows each key's type and range, so a bad value is refused with
 * a message naming the key before it reaches the database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-settings"

#include "config.h"

#include "outreach-settings.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "outreach-donor-validate.h"

G_DEFINE_QUARK (outreach-settings-error-quark, outreach_settings_error)

typedef enum
{
  KIND_TEXT,
  KIND_ADDRESS,   /* empty or something@somewhere */
  KIND_URL,       /* empty or http(s)://… (a template: {{fields}} allowed) */
  KIND_CURRENCY,  /* three upper-case letters, ISO 4217 */
  KIND_COUNT,     /* an integer within [min, max] */
} Kind;

static const struct
{
  const char *key;
  const char *fallback;
  Kind kind;
  int min, max;
} setting_info[OUTREACH_SETTING_COUNT] = {
  [OUTREACH_SETTING_ORG_NAME] = { "org_name", "", KIND_TEXT },
  [OUTREACH_SETTING_SENDER_NAME] = { "sender_name", "", KIND_TEXT },
  [OUTREACH_SETTING_SENDER_ADDRESS] = { "sender_address", "", KIND_ADDRESS },
  [OUTREACH_SETTING_REPLY_TO] = { "reply_to", "", KIND_ADDRESS },
  [OUTREACH_SETTING_POSTAL_ADDRESS] = { "postal_address", "", KIND_TEXT },
  [OUTREACH_SETTING_UNSUBSCRIBE_URL] = { "unsubscribe_url", "", KIND_URL },
  [OUTREACH_SETTING_CURRENCY] = { "currency", "USD", KIND_CURRENCY },
  [OUTREACH_SETTING_HISTORY_KEEP] = { "history_keep", "100", KIND_COUNT, 0, 1000000 },
  [OUTREACH_SETTING_PARALLEL_JOBS] = { "parallel_jobs", "2", KIND_COUNT, 1, 64 },
};

const char *
outreach_setting_to_key (OutreachSetting setting)
{
  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, NULL);

  return setting_info[setting].key;
}

gboolean
outreach_setting_from_key (const char      *key,
                           OutreachSetting *setting)
{
  g_return_val_if_fail (setting != NULL, FALSE);

  for (guint i = 0; i < OUTREACH_SETTING_COUNT; i++)
    if (g_strcmp0 (key, setting_info[i].key) == 0)
      {
        *setting = i;
        return TRUE;
      }
  return FALSE;
}

/* The value a fresh database holds (the same as 001-initial.sql). */
const char *
outreach_setting_get_default (OutreachSetting setting)
{
  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, NULL);

  return setting_info[setting].fallback;
}

static gboolean
parse_count (const char *value,
             gint64     *out)
{
  char *end = NULL;

  if (value == NULL || !g_ascii_isdigit (*value))
    return FALSE;
  *out = g_ascii_strtoll (value, &end, 10);
  return end != value && *end == '\0';
}

/**
 * outreach_settings_validate:
 *
 * Checks @value for @setting. The error names the key, what is wrong and
 * what is expected, e.g. "parallel_jobs must be a whole number from 1 to 64".
 */
gboolean
outreach_settings_validate (OutreachSetting  setting,
                            const char      *value,
                            GError         **error)
{
  const char *key;
  gint64 count;

  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  key = setting_info[setting].key;

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
                   _("%s must be UTF-8 text"), key);
      return FALSE;
    }

  switch (setting_info[setting].kind)
    {
    case KIND_TEXT:
      if (setting != OUTREACH_SETTING_POSTAL_ADDRESS && strpbrk (value, "\r\n") != NULL)
        {
          g_set_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
                       _("%s must be a single line"), key);
          return FALSE;
        }
      return TRUE;

    case KIND_ADDRESS:
      if (*value != '\0' && !outreach_check_email_address (value, NULL))
        {
          g_set_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
                       _("%s must be an e-mail address such as name@example.org, not “%s”"),
                       key, value);
          return FALSE;
        }
      return TRUE;

    case KIND_URL:
      if (*value == '\0')
        return TRUE;
      if ((!g_str_has_prefix (value, "https://") && !g_str_has_prefix (value, "http://")) ||
          strpbrk (value, " \t\r\n") != NULL)
        {
          g_set_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
                       _("%s must be a web address starting with https://, "
                         "e.g. https://example.org/unsubscribe?d={{donor_id}}"), key);
          return FALSE;
        }
      return TRUE;

    case KIND_CURRENCY:
      if (strlen (value) != 3 || !g_ascii_isupper (value[0]) || !g_ascii_isupper (value[1]) ||
          !g_ascii_isupper (value[2]))
        {
          g_set_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
                       _("%s must be a three-letter ISO 4217 code such as USD or EUR, not “%s”"),
                       key, value);
          return FALSE;
        }
      return TRUE;

    case KIND_COUNT:
      if (!parse_count (value, &count) || count < setting_info[setting].min ||
          count > setting_info[setting].max)
        {
          g_set_error (error, OUTREACH_SETTINGS_ERROR, OUTREACH_SETTINGS_ERROR_INVALID_VALUE,
                       _("%s must be a whole number from %d to %d, not “%s”"), key,
                       setting_info[setting].min, setting_info[setting].max, value);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/**
 * outreach_settings_get_string:
 *
 * Returns: (transfer full): the stored value, or the default when the row
 *   is missing; %NULL with @error set when the database cannot be read
 */
char *
outreach_settings_get_string (OutreachStore   *store,
                              OutreachSetting  setting,
                              GError         **error)
{
  sqlite3_stmt *stmt;
  char *value;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, NULL);

  stmt = outreach_store_prepare (store, "SELECT value FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, setting_info[setting].key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    value = g_strdup (setting_info[setting].fallback);
  else
    {
      sqlite3_reset (stmt);
      outreach_store_set_error (store, rc, _("read the settings"), error);
      return NULL;
    }
  sqlite3_reset (stmt);
  return value;
}

gboolean
outreach_settings_set_string (OutreachStore   *store,
                              OutreachSetting  setting,
                              const char      *value,
                              GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!outreach_settings_validate (setting, value, error))
    return FALSE;

  stmt = outreach_store_prepare (store,
                                 "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, setting_info[setting].key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return outreach_store_step_done (store, stmt, error);
}

/* For the KIND_COUNT settings. A stored value that no longer parses (edited
 * by hand) reads as the default rather than failing every caller. */
gboolean
outreach_settings_get_int (OutreachStore   *store,
                           OutreachSetting  setting,
                           int             *value,
                           GError         **error)
{
  g_autofree char *text = NULL;
  gint64 count;

  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, FALSE);
  g_return_val_if_fail (setting_info[setting].kind == KIND_COUNT, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  text = outreach_settings_get_string (store, setting, error);
  if (text == NULL)
    return FALSE;

  if (!outreach_settings_validate (setting, text, NULL) || !parse_count (text, &count))
    {
      g_message ("The stored %s “%s” is not valid; using %s", setting_info[setting].key, text,
                 setting_info[setting].fallback);
      count = g_ascii_strtoll (setting_info[setting].fallback, NULL, 10);
    }
  *value = (int) count;
  return TRUE;
}

gboolean
outreach_settings_set_int (OutreachStore   *store,
                           OutreachSetting  setting,
                           int              value,
                           GError         **error)
{
  g_autofree char *text = g_strdup_printf ("%d", value);

  g_return_val_if_fail (setting < OUTREACH_SETTING_COUNT, FALSE);
  g_return_val_if_fail (setting_info[setting].kind == KIND_COUNT, FALSE);

  return outreach_settings_set_string (store, setting, text, error);
}
