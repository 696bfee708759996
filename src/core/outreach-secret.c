/* outreach-secret.c — provider credentials: environment first, else the keyring
 *
 * OUTREACH_SECRET_<ACCOUNT>_<KEY> (the account name upper-cased, every
 * other character '_'; OUTREACH_SECRET_<ACCOUNT> alone when the kind has
 * one secret) wins, and then libsecret is never touched. Otherwise
 * libsecret, never prompting: a headless session would wait forever on an
 * unlock prompt nobody sees, so a locked or missing keyring is an error at
 * once. Secrets never reach the database, a log or an error message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-secret"

#include "config.h"

#include "outreach-secret.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

G_DEFINE_QUARK (outreach-secret-error-quark, outreach_secret_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.outreach.Outreach.Secret", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static char *
env_part (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) ? g_ascii_toupper (*p) : '_');
  return g_string_free (out, FALSE);
}

/**
 * outreach_secret_env_name:
 * @key: (nullable): the secret's key, or %NULL for the account's only secret
 *
 * Returns: (transfer full): e.g. "OUTREACH_SECRET_MAIN_SHOP_API_KEY"
 */
char *
outreach_secret_env_name (const char *account_name,
                          const char *key)
{
  g_autofree char *account = env_part (account_name);
  g_autofree char *k = key != NULL ? env_part (key) : NULL;

  if (k == NULL)
    return g_strdup_printf ("OUTREACH_SECRET_%s", account);
  return g_strdup_printf ("OUTREACH_SECRET_%s_%s", account, k);
}

static SecretService *
get_service (GError **error)
{
  g_autoptr (GError) local = NULL;
  SecretService *service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &local);

  if (service == NULL)
    g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_NO_KEYRING,
                 _("No keyring is available (%s); start a desktop session with a keyring, "
                   "or give the secret in an OUTREACH_SECRET_… environment variable (see README)"),
                 local->message);
  return service;
}

static char *
keyring_lookup (SecretService *service,
                const char    *account_name,
                const char    *key,
                GError       **error)
{
  g_autoptr (GHashTable) attributes = secret_attributes_build (get_schema (),
                                                               "account", account_name,
                                                               "key", key, NULL);
  g_autoptr (GError) local = NULL;
  GList *items;
  char *value = NULL;

  /* No SECRET_SEARCH_UNLOCK: a locked item is reported, never prompted for. */
  items = secret_service_search_sync (service, get_schema (), attributes,
                                      SECRET_SEARCH_LOAD_SECRETS, NULL, &local);
  if (local != NULL)
    {
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_FAILED,
                   _("Could not read the secret “%s” of account “%s” from the keyring: %s"),
                   key, account_name, local->message);
      return NULL;
    }
  if (items == NULL)
    {
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_MISSING,
                   _("The keyring holds no secret “%s” for account “%s”; store it again in "
                     "Preferences or with “outreach accounts add”"),
                   key, account_name);
      return NULL;
    }
  if (!secret_item_get_locked (items->data))
    {
      g_autoptr (SecretValue) secret = secret_item_get_secret (items->data);
      if (secret != NULL)
        value = g_strdup (secret_value_get_text (secret));
    }
  if (value == NULL)
    {
      g_autofree char *env = outreach_secret_env_name (account_name, key);
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_LOCKED,
                   _("The keyring holding the secret “%s” of account “%s” is locked; unlock it "
                     "(log in to the desktop), or give the secret in the environment variable %s"),
                   key, account_name, env);
    }
  g_list_free_full (items, g_object_unref);
  return value;
}

/**
 * outreach_secret_lookup_all:
 * @kind_keys: the secret keys the account's kind knows
 * @keyring_keys: (nullable): the keys stored in the keyring for it
 *
 * Returns: (transfer full): key → value for every secret found (the
 *   environment's first), or %NULL with @error when the keyring was needed
 *   and could not answer
 */
GHashTable *
outreach_secret_lookup_all (const char        *account_name,
                            const char *const *kind_keys,
                            const char *const *keyring_keys,
                            GError           **error)
{
  g_autoptr (GHashTable) secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (SecretService) service = NULL;
  guint n_keys = kind_keys != NULL ? g_strv_length ((char **) kind_keys) : 0;

  g_return_val_if_fail (account_name != NULL, NULL);

  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *name = outreach_secret_env_name (account_name, kind_keys[i]);
      const char *value = g_getenv (name);

      if (value == NULL && n_keys == 1)
        {
          g_autofree char *alone = outreach_secret_env_name (account_name, NULL);
          value = g_getenv (alone);
        }
      if (value != NULL)
        g_hash_table_insert (secrets, g_strdup (kind_keys[i]), g_strdup (value));
    }

  for (guint i = 0; keyring_keys != NULL && keyring_keys[i] != NULL; i++)
    {
      char *value;

      if (g_hash_table_contains (secrets, keyring_keys[i]))
        continue;
      if (service == NULL && (service = get_service (error)) == NULL)
        return NULL;
      value = keyring_lookup (service, account_name, keyring_keys[i], error);
      if (value == NULL)
        return NULL;
      g_hash_table_insert (secrets, g_strdup (keyring_keys[i]), value);
    }

  return g_steal_pointer (&secrets);
}

/**
 * outreach_secret_store:
 *
 * Stores a secret in the default keyring, without prompting: fails at
 * once when there is no default keyring or it is locked.
 */
gboolean
outreach_secret_store (const char *account_name,
                       const char *key,
                       const char *value,
                       GError    **error)
{
  g_autoptr (SecretService) service = get_service (error);
  g_autoptr (SecretCollection) collection = NULL;
  g_autoptr (SecretItem) item = NULL;
  g_autoptr (SecretValue) secret = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *label = NULL;

  if (service == NULL)
    return FALSE;
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &local);
  if (collection == NULL)
    {
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_NO_KEYRING,
                   _("There is no default keyring to store the secret of account “%s” in%s%s; "
                     "create one (Passwords and Keys) or use an environment variable (see README)"),
                   account_name, local != NULL ? ": " : "", local != NULL ? local->message : "");
      return FALSE;
    }
  if (secret_collection_get_locked (collection))
    {
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_LOCKED,
                   _("The default keyring is locked, so the secret of account “%s” cannot be "
                     "stored; unlock it (log in to the desktop) and try again"),
                   account_name);
      return FALSE;
    }

  attributes = secret_attributes_build (get_schema (), "account", account_name, "key", key, NULL);
  label = g_strdup_printf (_("Outreach: %s (%s)"), account_name, key);
  secret = secret_value_new (value, -1, "text/plain");
  item = secret_item_create_sync (collection, get_schema (), attributes, label, secret,
                                  SECRET_ITEM_CREATE_REPLACE, NULL, &local);
  if (item == NULL)
    {
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_FAILED,
                   _("Could not store the secret “%s” of account “%s” in the keyring: %s"),
                   key, account_name, local->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * outreach_secret_clear:
 *
 * Removes every secret of the account from the keyring (nothing to do and
 * no error when there is none).
 */
gboolean
outreach_secret_clear (const char *account_name,
                       GError    **error)
{
  g_autoptr (SecretService) service = get_service (error);
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (GError) local = NULL;

  if (service == NULL)
    return FALSE;
  attributes = secret_attributes_build (get_schema (), "account", account_name, NULL);
  if (!secret_service_clear_sync (service, get_schema (), attributes, NULL, &local) && local != NULL)
    {
      g_set_error (error, OUTREACH_SECRET_ERROR, OUTREACH_SECRET_ERROR_FAILED,
                   _("Could not remove the secrets of account “%s” from the keyring: %s"),
                   account_name, local->message);
      return FALSE;
    }
  return TRUE;
}
