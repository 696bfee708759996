/* outreach-account.c — a delivery account: its fields, checks, storage and connection test
 *
 * What `outreach accounts add|edit|remove|test` and Preferences → Accounts
 * share. The field tables say what each provider kind reads (see the
 * providers' configure functions and DESIGN.md "Providers"); a form is
 * built from them and every value is checked here, with a message that
 * names the field. Secret fields only ever go to the keyring
 * (outreach-secret.c); the database keeps their names in the settings'
 * "secret_keys" array so nothing asks the keyring for what was never there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-account"

#include "config.h"

#include "outreach-account.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "outreach-donor-validate.h"
#include "outreach-provider.h"
#include "outreach-secret.h"

G_DEFINE_QUARK (outreach-account-error-quark, outreach_account_error)

/* Stands in for a secret that is in the keyring when the provider only
 * checks that the account is complete: the real value is not needed for
 * that, so saving never reads the keyring. */
#define STORED_SECRET_PLACEHOLDER "stored-in-keyring"

#define DEFAULT_CONCURRENCY 4

struct _OutreachAccount
{
  GObject parent_instance;

  gint64 id;             /* 0 until saved */
  char *kind;
  char *name;
  char *saved_name;      /* the name the keyring knows it by, NULL until saved */
  JsonObject *settings;  /* the provider's non-secret settings, strings, in the order given */
  char *rate;
  char *concurrency;
  char *retry_ambiguous;
  GHashTable *new_secrets;  /* key → value typed since loading; stored on save */
  GPtrArray *stored_keys;   /* secret keys the keyring holds for it */
};

G_DEFINE_FINAL_TYPE (OutreachAccount, outreach_account, G_TYPE_OBJECT)

/* ---- what each kind needs ---- */

static const char *const mailgun_regions[] = { "us", "eu", NULL };

#define F_SECRET OUTREACH_ACCOUNT_FIELD_SECRET
#define F_REQUIRED OUTREACH_ACCOUNT_FIELD_REQUIRED
#define F_ADVANCED OUTREACH_ACCOUNT_FIELD_ADVANCED

#define FIELD_FROM(flags) \
  { "from", N_("Sender address"), N_("The From address of every message"), OUTREACH_ACCOUNT_FIELD_EMAIL, flags, NULL }
#define FIELD_FROM_NAME \
  { "from_name", N_("Sender name"), N_("Shown beside the sender address, e.g. Friends of the River"), \
    OUTREACH_ACCOUNT_FIELD_TEXT, 0, NULL }
#define FIELD_REPLY_TO \
  { "reply_to", N_("Reply-to address"), N_("Where replies go; empty for the sender address"), \
    OUTREACH_ACCOUNT_FIELD_EMAIL, 0, NULL }
#define FIELD_BASE_URL \
  { "base_url", N_("API address"), N_("Only to reach another server than the provider's own (a region or a proxy)"), \
    OUTREACH_ACCOUNT_FIELD_URL, F_ADVANCED, NULL }
#define FIELD_LIMITS \
  { "rate", N_("Messages per second"), N_("The most this account sends; 0 for no limit"), \
    OUTREACH_ACCOUNT_FIELD_RATE, F_ADVANCED, NULL }, \
  { "concurrency", N_("Requests at the same time"), N_("1 to 256"), \
    OUTREACH_ACCOUNT_FIELD_CONCURRENCY, F_ADVANCED, NULL }, \
  { "retry_ambiguous", N_("Resend after an unclear error"), \
    N_("A message whose fate is unknown (a timeout, a server error) is sent again; it may arrive twice"), \
    OUTREACH_ACCOUNT_FIELD_BOOLEAN, F_ADVANCED, NULL }

static const OutreachAccountField folder_fields[] = {
  { "path", N_("Folder"), N_("A full path; empty for Outreach in your Documents folder"),
    OUTREACH_ACCOUNT_FIELD_FOLDER, 0, NULL },
  FIELD_FROM (0), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_LIMITS,
};

static const OutreachAccountField webhook_fields[] = {
  { "url", N_("Webhook URL"), N_("Each message is posted here as JSON"), OUTREACH_ACCOUNT_FIELD_URL, F_REQUIRED, NULL },
  { "username", N_("User name"), N_("For HTTP Basic authentication; empty for none"), OUTREACH_ACCOUNT_FIELD_TEXT, 0, NULL },
  { "password", N_("Password"), N_("Needed with a user name"), OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET, NULL },
  { "signing_key", N_("Signing key"), N_("Signs every request (Standard Webhooks); optional"),
    OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET, NULL },
  FIELD_FROM (0), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_LIMITS,
};

static const OutreachAccountField mailgun_fields[] = {
  { "domain", N_("Sending domain"), N_("The domain set up in Mailgun, e.g. mg.example.org"),
    OUTREACH_ACCOUNT_FIELD_TEXT, F_REQUIRED, NULL },
  { "api_key", N_("API key"), N_("Mailgun → API Security"), OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET | F_REQUIRED, NULL },
  { "region", N_("Region"), N_("Where the domain is hosted"), OUTREACH_ACCOUNT_FIELD_CHOICE, 0, mailgun_regions },
  FIELD_FROM (F_REQUIRED), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_BASE_URL, FIELD_LIMITS,
};

static const OutreachAccountField sendgrid_fields[] = {
  { "api_key", N_("API key"), N_("SendGrid → Settings → API Keys"), OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET | F_REQUIRED, NULL },
  FIELD_FROM (F_REQUIRED), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_BASE_URL, FIELD_LIMITS,
};

static const OutreachAccountField postmark_fields[] = {
  { "server_token", N_("Server token"), N_("Postmark → Server → API Tokens"),
    OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET | F_REQUIRED, NULL },
  { "message_stream", N_("Message stream"), N_("e.g. broadcast for appeals; empty for outbound"),
    OUTREACH_ACCOUNT_FIELD_TEXT, 0, NULL },
  FIELD_FROM (F_REQUIRED), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_BASE_URL, FIELD_LIMITS,
};

static const OutreachAccountField ses_fields[] = {
  { "region", N_("AWS region"), N_("e.g. eu-west-1"), OUTREACH_ACCOUNT_FIELD_AWS_REGION, F_REQUIRED, NULL },
  { "access_key_id", N_("Access key ID"), N_("Of an IAM user allowed to send with SES"),
    OUTREACH_ACCOUNT_FIELD_TEXT, F_REQUIRED, NULL },
  { "secret_access_key", N_("Secret access key"), NULL, OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET | F_REQUIRED, NULL },
  { "configuration_set", N_("Configuration set"), N_("Optional; for event publishing"), OUTREACH_ACCOUNT_FIELD_TEXT, 0, NULL },
  FIELD_FROM (F_REQUIRED), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_BASE_URL, FIELD_LIMITS,
};

static const OutreachAccountField jmap_fields[] = {
  { "url", N_("Session URL"), N_("e.g. https://mail.example.org/.well-known/jmap"),
    OUTREACH_ACCOUNT_FIELD_URL, F_REQUIRED, NULL },
  { "username", N_("User name"), NULL, OUTREACH_ACCOUNT_FIELD_TEXT, F_REQUIRED, NULL },
  { "password", N_("Password"), N_("Or an app password"), OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET | F_REQUIRED, NULL },
  FIELD_FROM (F_REQUIRED), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_LIMITS,
};

static const OutreachAccountField twilio_fields[] = {
  { "account_sid", N_("Account SID"), N_("Twilio Console → Account Info, starts with AC"),
    OUTREACH_ACCOUNT_FIELD_TEXT, F_REQUIRED, NULL },
  { "auth_token", N_("Auth token"), NULL, OUTREACH_ACCOUNT_FIELD_TEXT, F_SECRET | F_REQUIRED, NULL },
  { "from_number", N_("Sender number"), N_("In international form, e.g. +15558675310; or give a messaging service"),
    OUTREACH_ACCOUNT_FIELD_PHONE, 0, NULL },
  { "messaging_service_sid", N_("Messaging service SID"), N_("Instead of a sender number, starts with MG"),
    OUTREACH_ACCOUNT_FIELD_TEXT, 0, NULL },
  FIELD_BASE_URL, FIELD_LIMITS,
};

/* Settings every provider accepts; a kind's form may leave some out (an SMS
 * account has no sender address), but they are still checked when given. */
static const OutreachAccountField common_fields[] = {
  FIELD_FROM (0), FIELD_FROM_NAME, FIELD_REPLY_TO, FIELD_BASE_URL, FIELD_LIMITS,
};

typedef struct
{
  const char *kind;
  const char *label;
  const char *description;
  const OutreachAccountField *fields;
  guint n_fields;
} KindInfo;

static const KindInfo kind_info[] = {
  { "folder", N_("Folder"), N_("Writes every message as an .eml file into a folder; sends nothing."),
    folder_fields, G_N_ELEMENTS (folder_fields) },
  { "webhook", N_("Webhook"), N_("Posts every message as JSON to a web address of yours."),
    webhook_fields, G_N_ELEMENTS (webhook_fields) },
  { "mailgun", N_("Mailgun"), N_("E-mail through Mailgun's Messages API."),
    mailgun_fields, G_N_ELEMENTS (mailgun_fields) },
  { "sendgrid", N_("SendGrid"), N_("E-mail through SendGrid's Mail Send API."),
    sendgrid_fields, G_N_ELEMENTS (sendgrid_fields) },
  { "postmark", N_("Postmark"), N_("E-mail through Postmark's Email API."),
    postmark_fields, G_N_ELEMENTS (postmark_fields) },
  { "ses", N_("Amazon SES"), N_("E-mail through Amazon Simple Email Service (v2 API)."),
    ses_fields, G_N_ELEMENTS (ses_fields) },
  { "jmap", N_("JMAP mail server"), N_("E-mail through your own mail server's JMAP interface (RFC 8621)."),
    jmap_fields, G_N_ELEMENTS (jmap_fields) },
  { "twilio", N_("Twilio SMS"), N_("Text messages through Twilio; donors need a mobile number."),
    twilio_fields, G_N_ELEMENTS (twilio_fields) },
};

static const KindInfo *
find_kind_info (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_info); i++)
    if (g_strcmp0 (kind_info[i].kind, kind) == 0)
      return &kind_info[i];
  return NULL;
}

/**
 * outreach_account_kind_get_label:
 *
 * Returns: (transfer none): the kind as people call it ("Amazon SES"),
 *   translated; @kind itself when it is not known
 */
const char *
outreach_account_kind_get_label (const char *kind)
{
  const KindInfo *info = find_kind_info (kind);

  return info != NULL ? _(info->label) : kind;
}

/**
 * outreach_account_kind_get_description:
 *
 * Returns: (transfer none) (nullable): one translated sentence on what the kind does
 */
const char *
outreach_account_kind_get_description (const char *kind)
{
  const KindInfo *info = find_kind_info (kind);

  return info != NULL ? _(info->description) : NULL;
}

/**
 * outreach_account_kind_get_fields:
 * @n_fields: (out): how many
 *
 * Returns: (transfer none) (array length=n_fields): the fields a form for
 *   @kind shows, in order, or %NULL for an unknown kind
 */
const OutreachAccountField *
outreach_account_kind_get_fields (const char *kind,
                                  guint      *n_fields)
{
  const KindInfo *info = find_kind_info (kind);

  g_return_val_if_fail (n_fields != NULL, NULL);

  *n_fields = info != NULL ? info->n_fields : 0;
  return info != NULL ? info->fields : NULL;
}

static const OutreachAccountField *
find_in (const OutreachAccountField *fields,
         guint                       n,
         const char                 *key)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (fields[i].key, key))
      return &fields[i];
  return NULL;
}

/**
 * outreach_account_kind_find_field:
 *
 * Returns: (transfer none) (nullable): the field @key of @kind: one of its
 *   form's, or a setting every provider accepts; %NULL when @kind has no
 *   such setting
 */
const OutreachAccountField *
outreach_account_kind_find_field (const char *kind,
                                  const char *key)
{
  const KindInfo *info = find_kind_info (kind);
  const OutreachAccountField *field;

  g_return_val_if_fail (key != NULL, NULL);

  if (info == NULL)
    return NULL;
  field = find_in (info->fields, info->n_fields, key);
  if (field == NULL)
    field = find_in (common_fields, G_N_ELEMENTS (common_fields), key);
  return field;
}

const char *
outreach_account_field_get_label (const OutreachAccountField *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return _(field->label);
}

const char *
outreach_account_field_get_hint (const OutreachAccountField *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return field->hint != NULL ? _(field->hint) : NULL;
}

static gboolean
field_is_secret (const OutreachAccountField *field)
{
  return (field->flags & OUTREACH_ACCOUNT_FIELD_SECRET) != 0;
}

/* ---- the object ---- */

static void
secret_value_free (gpointer value)
{
  /* typed secrets do not linger in freed memory */
  if (value != NULL)
    memset (value, 0, strlen (value));
  g_free (value);
}

static void
outreach_account_finalize (GObject *object)
{
  OutreachAccount *self = OUTREACH_ACCOUNT (object);

  g_free (self->kind);
  g_free (self->name);
  g_free (self->saved_name);
  g_clear_pointer (&self->settings, json_object_unref);
  g_free (self->rate);
  g_free (self->concurrency);
  g_free (self->retry_ambiguous);
  g_clear_pointer (&self->new_secrets, g_hash_table_unref);
  g_clear_pointer (&self->stored_keys, g_ptr_array_unref);

  G_OBJECT_CLASS (outreach_account_parent_class)->finalize (object);
}

static void
outreach_account_class_init (OutreachAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_account_finalize;
}

static void
outreach_account_init (OutreachAccount *self)
{
  self->settings = json_object_new ();
  self->new_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, secret_value_free);
  self->stored_keys = g_ptr_array_new_with_free_func (g_free);
}

/**
 * outreach_account_new:
 * @kind: a provider kind (outreach_provider_kinds())
 *
 * Returns: (transfer full): a new, unsaved account with the default limits
 */
OutreachAccount *
outreach_account_new (const char *kind)
{
  OutreachAccount *self;

  g_return_val_if_fail (outreach_provider_kind_known (kind), NULL);

  self = g_object_new (OUTREACH_TYPE_ACCOUNT, NULL);
  self->kind = g_strdup (kind);
  self->name = g_strdup ("");
  self->rate = g_strdup ("0");
  self->concurrency = g_strdup_printf ("%d", DEFAULT_CONCURRENCY);
  self->retry_ambiguous = g_strdup ("0");
  return self;
}

/**
 * outreach_account_load:
 *
 * Returns: (transfer full): the account named @name (any case), or %NULL
 *   with OUTREACH_ACCOUNT_ERROR_NOT_FOUND
 */
OutreachAccount *
outreach_account_load (OutreachStore *store,
                       const char    *name,
                       GError       **error)
{
  g_autoptr (OutreachAccount) self = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  JsonNode *root;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = outreach_store_prepare (store, "SELECT id, name, kind, settings, rate, concurrency, retry_ambiguous"
                                        " FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_NOT_FOUND,
                   _("There is no account “%s”"), name);
      return NULL;
    }
  self = g_object_new (OUTREACH_TYPE_ACCOUNT, NULL);
  self->id = sqlite3_column_int64 (stmt, 0);
  self->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->saved_name = g_strdup (self->name);
  self->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 3), -1, error))
    {
      sqlite3_reset (stmt);
      g_prefix_error (error, _("The settings of account “%s” are damaged: "), name);
      return NULL;
    }
  self->rate = g_strdup (g_ascii_formatd (number, sizeof number, "%g", sqlite3_column_double (stmt, 4)));
  self->concurrency = g_strdup_printf ("%d", sqlite3_column_int (stmt, 5));
  self->retry_ambiguous = g_strdup (sqlite3_column_int (stmt, 6) != 0 ? "1" : "0");
  sqlite3_reset (stmt);

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr (GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);

          if (g_str_equal (l->data, "secret_keys"))
            {
              JsonArray *keys = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
              for (guint i = 0; keys != NULL && i < json_array_get_length (keys); i++)
                g_ptr_array_add (self->stored_keys, g_strdup (json_array_get_string_element (keys, i)));
            }
          else
            json_object_set_member (self->settings, l->data, json_node_copy (node));
        }
    }
  return g_steal_pointer (&self);
}

gint64
outreach_account_get_id (OutreachAccount *self)
{
  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), 0);
  return self->id;
}

const char *
outreach_account_get_kind (OutreachAccount *self)
{
  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), NULL);
  return self->kind;
}

const char *
outreach_account_get_name (OutreachAccount *self)
{
  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), NULL);
  return self->name;
}

void
outreach_account_set_name (OutreachAccount *self,
                           const char      *name)
{
  g_return_if_fail (OUTREACH_IS_ACCOUNT (self));

  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "");
}

static char **
limit_slot (OutreachAccount *self,
            const char      *key)
{
  if (g_str_equal (key, "rate"))
    return &self->rate;
  if (g_str_equal (key, "concurrency"))
    return &self->concurrency;
  if (g_str_equal (key, "retry_ambiguous"))
    return &self->retry_ambiguous;
  return NULL;
}

/**
 * outreach_account_get_value:
 *
 * Returns: (transfer none): the non-secret setting @key as text, "" when unset
 */
const char *
outreach_account_get_value (OutreachAccount *self,
                            const char      *key)
{
  char **slot;
  const char *value;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  slot = limit_slot (self, key);
  if (slot != NULL)
    return *slot != NULL ? *slot : "";
  value = outreach_provider_setting (self->settings, key);
  return value != NULL ? value : "";
}

/**
 * outreach_account_set_value:
 * @value: (nullable): the new value; %NULL or "" unsets it
 *
 * Sets a non-secret setting. Secrets go through
 * outreach_account_set_secret(), so they cannot end up in the settings
 * the database keeps.
 */
void
outreach_account_set_value (OutreachAccount *self,
                            const char      *key,
                            const char      *value)
{
  const OutreachAccountField *field;
  char **slot;

  g_return_if_fail (OUTREACH_IS_ACCOUNT (self));
  g_return_if_fail (key != NULL && *key != '\0');
  field = outreach_account_kind_find_field (self->kind, key);
  g_return_if_fail (field == NULL || !field_is_secret (field));
  g_return_if_fail (!g_str_equal (key, "secret_keys"));

  slot = limit_slot (self, key);
  if (slot != NULL)
    {
      g_free (*slot);
      *slot = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
      return;
    }
  if (value == NULL || *value == '\0')
    {
      if (json_object_has_member (self->settings, key))
        json_object_remove_member (self->settings, key);
      return;
    }
  json_object_set_string_member (self->settings, key, value);
}

/**
 * outreach_account_set_secret:
 * @value: (nullable): the new secret; %NULL or "" keeps the one stored
 *
 * The secret goes to the keyring when the account is saved.
 */
void
outreach_account_set_secret (OutreachAccount *self,
                             const char      *key,
                             const char      *value)
{
  const OutreachAccountField *field;

  g_return_if_fail (OUTREACH_IS_ACCOUNT (self));
  g_return_if_fail (key != NULL);
  field = outreach_account_kind_find_field (self->kind, key);
  g_return_if_fail (field != NULL && field_is_secret (field));

  if (value == NULL || *value == '\0')
    g_hash_table_remove (self->new_secrets, key);
  else
    g_hash_table_insert (self->new_secrets, g_strdup (key), g_strdup (value));
}

/* Whether the keyring holds @key for the account (as of loading or saving). */
gboolean
outreach_account_has_stored_secret (OutreachAccount *self,
                                    const char      *key)
{
  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  for (guint i = 0; i < self->stored_keys->len; i++)
    if (g_str_equal (self->stored_keys->pdata[i], key))
      return TRUE;
  return FALSE;
}

/* A secret the account will have: typed, in the keyring, or in the
 * environment (which wins over the keyring when jobs run). */
static gboolean
has_secret (OutreachAccount *self,
            const char      *key)
{
  const char *const *kind_keys = outreach_provider_kind_secret_keys (self->kind);
  g_autofree char *env = NULL;

  if (g_hash_table_contains (self->new_secrets, key) || outreach_account_has_stored_secret (self, key))
    return TRUE;
  env = outreach_secret_env_name (*self->name != '\0' ? self->name : "-", key);
  if (g_getenv (env) != NULL)
    return TRUE;
  if (kind_keys[0] != NULL && kind_keys[1] == NULL)
    {
      g_autofree char *alone = outreach_secret_env_name (*self->name != '\0' ? self->name : "-", NULL);
      return g_getenv (alone) != NULL;
    }
  return FALSE;
}

/* ---- checks ---- */

static gboolean
fail (GError              **error,
      OutreachAccountError  code,
      const char           *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError              **error,
      OutreachAccountError  code,
      const char           *format,
      ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    {
      g_assert (*error == NULL);
      *error = g_error_new_valist (OUTREACH_ACCOUNT_ERROR, code, format, args);
    }
  va_end (args);
  return FALSE;
}

/* A wrong value. */
#define invalid(error, ...) fail ((error), OUTREACH_ACCOUNT_ERROR_INVALID, __VA_ARGS__)
/* An empty field that is needed: a form shows this only once the field was
 * touched or passed over, unlike a wrong value. */
#define required(error, ...) fail ((error), OUTREACH_ACCOUNT_ERROR_REQUIRED, __VA_ARGS__)

gboolean
outreach_account_validate_name (OutreachAccount *self,
                                GError         **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), FALSE);

  if (!g_utf8_validate (self->name, -1, NULL))
    return invalid (error, _("The name must be UTF-8 text"));
  trimmed = g_strstrip (g_strdup (self->name));
  if (*trimmed == '\0')
    return required (error, _("A name is required, e.g. Main or Newsletter"));
  if (!g_str_equal (trimmed, self->name))
    return invalid (error, _("The name must not start or end with a space"));
  if (g_utf8_strlen (self->name, -1) > 255)
    return invalid (error, _("The name is too long; use at most 255 characters"));
  for (const char *p = self->name; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return invalid (error, _("The name must be a single line of text"));
  return TRUE;
}

static gboolean
check_value (const OutreachAccountField *field,
             const char                 *value,
             GError                    **error)
{
  const char *label = outreach_account_field_get_label (field);

  if (!g_utf8_validate (value, -1, NULL))
    return invalid (error, _("%s must be UTF-8 text"), label);
  /* CR/LF would let a value reach a header as a second header */
  if (strpbrk (value, "\r\n") != NULL)
    return invalid (error, _("%s must be a single line"), label);

  switch (field->type)
    {
    case OUTREACH_ACCOUNT_FIELD_TEXT:
      return TRUE;

    case OUTREACH_ACCOUNT_FIELD_EMAIL:
      if (!outreach_check_email_address (value, NULL))
        return invalid (error, _("%s must be an e-mail address such as name@example.org, not “%s”"),
                        label, value);
      return TRUE;

    case OUTREACH_ACCOUNT_FIELD_URL:
      {
        g_autoptr (GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

        switch (outreach_url_check (uri))
          {
          case OUTREACH_URL_OK:
            return TRUE;
          case OUTREACH_URL_NOT_A_URL:
          case OUTREACH_URL_NOT_WEB:
            return invalid (error, _("%s must be a web address starting with https://, not “%s”"),
                            label, value);
          case OUTREACH_URL_INSECURE:
            return invalid (error, _("%s uses plain http:// to %s; use https:// (plain http is allowed "
                                     "only to this computer)"),
                            label, g_uri_get_host (uri));
          }
        g_assert_not_reached ();
      }

    case OUTREACH_ACCOUNT_FIELD_PHONE:
      if (!outreach_address_is_e164 (value))
        return invalid (error, _("%s must be a phone number in international form such as "
                                 "+15558675310, not “%s”"),
                        label, value);
      return TRUE;

    case OUTREACH_ACCOUNT_FIELD_FOLDER:
      if (!g_path_is_absolute (value))
        return invalid (error, _("%s must be a full folder path such as /home/you/Outbox, not “%s”"),
                        label, value);
      return TRUE;

    case OUTREACH_ACCOUNT_FIELD_CHOICE:
      if (!g_strv_contains (field->choices, value))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) field->choices);
          return invalid (error, _("%s must be one of %s, not “%s”"), label, choices, value);
        }
      return TRUE;

    case OUTREACH_ACCOUNT_FIELD_AWS_REGION:
      for (const char *p = value; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return invalid (error, _("%s must be an AWS region such as eu-west-1, not “%s”"), label, value);
      return TRUE;

    case OUTREACH_ACCOUNT_FIELD_RATE:
      {
        char *end = NULL;
        double rate = g_ascii_strtod (value, &end);

        if (end == value || *end != '\0' || !(rate >= 0) || rate > 1e9)
          return invalid (error, _("%s must be a number of messages per second, 0 or more, not “%s”"),
                          label, value);
        return TRUE;
      }

    case OUTREACH_ACCOUNT_FIELD_CONCURRENCY:
      {
        char *end = NULL;
        gint64 n = g_ascii_strtoll (value, &end, 10);

        if (end == value || *end != '\0' || n < 1 || n > 256)
          return invalid (error, _("%s must be a whole number from 1 to 256, not “%s”"), label, value);
        return TRUE;
      }

    case OUTREACH_ACCOUNT_FIELD_BOOLEAN:
      {
        static const char *const words[] = { "0", "1", "false", "true", "no", "yes", NULL };
        g_autofree char *lower = g_ascii_strdown (value, -1);

        if (!g_strv_contains (words, lower))
          return invalid (error, _("%s must be yes or no, not “%s”"), label, value);
        return TRUE;
      }
    }
  g_assert_not_reached ();
}

/**
 * outreach_account_validate_field:
 *
 * Checks one field, as a form does while it is typed in. The error
 * names the field by its label and says what is expected:
 * OUTREACH_ACCOUNT_ERROR_REQUIRED when it is empty and needed,
 * OUTREACH_ACCOUNT_ERROR_INVALID when its value is wrong.
 */
gboolean
outreach_account_validate_field (OutreachAccount *self,
                                 const char      *key,
                                 GError         **error)
{
  const OutreachAccountField *field;
  const char *value;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  field = outreach_account_kind_find_field (self->kind, key);
  if (field == NULL)
    {
      const char *const *known = outreach_provider_kind_setting_keys (self->kind);
      g_autofree char *list = g_strjoinv (", ", (char **) known);
      return invalid (error, _("A %s account has no setting “%s”; its own settings are: %s"),
                      outreach_account_kind_get_label (self->kind), key, *list != '\0' ? list : _("none"));
    }

  if (field_is_secret (field))
    {
      const char *typed = g_hash_table_lookup (self->new_secrets, key);

      if (typed != NULL && !g_utf8_validate (typed, -1, NULL))
        return invalid (error, _("%s must be UTF-8 text"), outreach_account_field_get_label (field));
      if (typed != NULL && strpbrk (typed, "\r\n") != NULL)
        return invalid (error, _("%s must be a single line"), outreach_account_field_get_label (field));
      if ((field->flags & OUTREACH_ACCOUNT_FIELD_REQUIRED) != 0 && !has_secret (self, key))
        return required (error, _("%s is required"), outreach_account_field_get_label (field));
      /* webhook: Basic authentication takes both or neither */
      if (g_str_equal (self->kind, "webhook") && g_str_equal (key, "password") &&
          *outreach_account_get_value (self, "username") != '\0' && !has_secret (self, key))
        return required (error, _("%s is required with a user name"), outreach_account_field_get_label (field));
      return TRUE;
    }

  value = outreach_account_get_value (self, key);
  if (*value == '\0')
    {
      if ((field->flags & OUTREACH_ACCOUNT_FIELD_REQUIRED) != 0)
        return required (error, _("%s is required"), outreach_account_field_get_label (field));
      /* twilio: one of the two senders */
      if (g_str_equal (self->kind, "twilio") && g_str_equal (key, "from_number") &&
          *outreach_account_get_value (self, "messaging_service_sid") == '\0')
        return required (error, _("A sender number or a messaging service SID is required"));
      return TRUE;
    }
  return check_value (field, value, error);
}

/**
 * outreach_account_validate:
 *
 * Checks the name and every field; the first problem, in the form's order.
 */
gboolean
outreach_account_validate (OutreachAccount *self,
                           GError         **error)
{
  const OutreachAccountField *fields;
  guint n_fields;
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), FALSE);

  if (!outreach_account_validate_name (self, error))
    return FALSE;
  fields = outreach_account_kind_get_fields (self->kind, &n_fields);
  for (guint i = 0; i < n_fields; i++)
    if (!outreach_account_validate_field (self, fields[i].key, error))
      return FALSE;
  /* settings given that the form does not show (from the command line) */
  members = json_object_get_members (self->settings);
  for (GList *l = members; l != NULL; l = l->next)
    if (find_in (fields, n_fields, l->data) == NULL &&
        !outreach_account_validate_field (self, l->data, error))
      return FALSE;
  return TRUE;
}

/* ---- saving ---- */

/* A copy of the settings of its own (json_node_copy() would share the object). */
static JsonObject *
copy_settings (OutreachAccount *self)
{
  JsonObject *copy = json_object_new ();
  g_autoptr (GList) members = json_object_get_members (self->settings);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (self->settings, l->data)));
  return copy;
}

/* The provider for the settings as they are, with @secrets and, over
 * them, the secrets set since loading. */
static OutreachProvider *
provider_with_secrets (OutreachAccount *self,
                       GHashTable      *secrets,
                       GError         **error)
{
  g_autoptr (JsonObject) settings = copy_settings (self);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->new_secrets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (secrets, g_strdup (key), g_strdup (value));
  return outreach_provider_new (self->kind, self->name, settings, secrets, error);
}

/* The provider's own check, so an account that is saved can be sent with. */
static gboolean
check_with_provider (OutreachAccount *self,
                     GError         **error)
{
  const char *const *kind_keys = outreach_provider_kind_secret_keys (self->kind);
  g_autoptr (GHashTable) secrets = outreach_secret_lookup_all (self->name, kind_keys, NULL, NULL);
  g_autoptr (OutreachProvider) provider = NULL;

  for (guint i = 0; i < self->stored_keys->len; i++)
    if (!g_hash_table_contains (secrets, self->stored_keys->pdata[i]))
      g_hash_table_insert (secrets, g_strdup (self->stored_keys->pdata[i]), g_strdup (STORED_SECRET_PLACEHOLDER));
  provider = provider_with_secrets (self, secrets, error);
  return provider != NULL;
}

static gboolean
parse_boolean (const char *value)
{
  return value != NULL && (g_ascii_strcasecmp (value, "1") == 0 || g_ascii_strcasecmp (value, "true") == 0 ||
                           g_ascii_strcasecmp (value, "yes") == 0);
}

/* Secrets kept under the old name move with a rename: the keyring finds
 * them by the account's name. Read from the keyring only, never the
 * environment, so a variable's value is not copied into the keyring. */
static gboolean
move_stored_secrets (OutreachAccount *self,
                     GError         **error)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  g_autoptr (GHashTable) old = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < self->stored_keys->len; i++)
    if (!g_hash_table_contains (self->new_secrets, self->stored_keys->pdata[i]))
      g_ptr_array_add (keys, self->stored_keys->pdata[i]);
  if (keys->len == 0)
    return TRUE;
  g_ptr_array_add (keys, NULL);
  old = outreach_secret_lookup_all (self->saved_name, NULL, (const char *const *) keys->pdata, error);
  if (old == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, old);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!outreach_secret_store (self->name, key, value, error))
      return FALSE;
  return TRUE;
}

static char *
settings_json (OutreachAccount *self,
               GPtrArray       *secret_keys)
{
  g_autoptr (JsonObject) settings = copy_settings (self);
  g_autoptr (JsonArray) keys = json_array_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  for (guint i = 0; i < secret_keys->len; i++)
    json_array_add_string_element (keys, secret_keys->pdata[i]);
  json_object_set_array_member (settings, "secret_keys", g_steal_pointer (&keys));
  root = json_node_init_object (json_node_alloc (), settings);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * outreach_account_save:
 *
 * Checks the account (outreach_account_validate() and the provider's own
 * check), stores the typed secrets in the keyring, then writes the account
 * (a new row, or the loaded one). A new account whose name is taken is
 * refused with OUTREACH_ACCOUNT_ERROR_EXISTS unless @flags has
 * OUTREACH_ACCOUNT_SAVE_REPLACE.
 */
gboolean
outreach_account_save (OutreachAccount          *self,
                       OutreachStore            *store,
                       OutreachAccountSaveFlags  flags,
                       GError                  **error)
{
  g_autoptr (GPtrArray) secret_keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *json = NULL;
  gboolean renamed;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 taken_by = 0;
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key, value;
  double rate;
  int concurrency;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);

  if (!outreach_account_validate (self, error) || !check_with_provider (self, error))
    return FALSE;

  stmt = outreach_store_prepare (store, "SELECT id FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    taken_by = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (taken_by != 0 && taken_by != self->id &&
      !(self->id == 0 && (flags & OUTREACH_ACCOUNT_SAVE_REPLACE) != 0))
    {
      g_set_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_EXISTS,
                   _("There is already an account named “%s”; choose another name"), self->name);
      return FALSE;
    }

  renamed = self->saved_name != NULL && !g_str_equal (self->saved_name, self->name);
  if (renamed && !move_stored_secrets (self, error))
    return FALSE;

  /* An account added again over an old one keeps only what it is given
   * now (what `accounts add` has always done); an edit keeps the rest. */
  if (self->id != 0)
    for (guint i = 0; i < self->stored_keys->len; i++)
      g_ptr_array_add (secret_keys, g_strdup (self->stored_keys->pdata[i]));
  g_hash_table_iter_init (&iter, self->new_secrets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!outreach_secret_store (self->name, key, value, error))
        return FALSE;
      if (!g_ptr_array_find_with_equal_func (secret_keys, key, g_str_equal, NULL))
        g_ptr_array_add (secret_keys, g_strdup (key));
    }

  json = settings_json (self, secret_keys);
  rate = self->rate != NULL ? g_ascii_strtod (self->rate, NULL) : 0;
  concurrency = self->concurrency != NULL ? (int) g_ascii_strtoll (self->concurrency, NULL, 10)
                                          : DEFAULT_CONCURRENCY;
  if (self->id == 0)
    stmt = outreach_store_prepare (store,
                                   "INSERT INTO accounts (name, kind, settings, rate, concurrency, retry_ambiguous,"
                                   " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
                                   " ON CONFLICT (name) DO UPDATE SET kind = ?2, settings = ?3, rate = ?4,"
                                   " concurrency = ?5, retry_ambiguous = ?6, updated_at = ?7",
                                   error);
  else
    stmt = outreach_store_prepare (store,
                                   "UPDATE accounts SET name = ?1, settings = ?3, rate = ?4, concurrency = ?5,"
                                   " retry_ambiguous = ?6, updated_at = ?7 WHERE id = ?8 AND kind = ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 4, rate);
  sqlite3_bind_int (stmt, 5, concurrency);
  sqlite3_bind_int (stmt, 6, parse_boolean (self->retry_ambiguous));
  sqlite3_bind_int64 (stmt, 7, now);
  if (self->id != 0)
    sqlite3_bind_int64 (stmt, 8, self->id);
  if (!outreach_store_step_done (store, stmt, error))
    return FALSE;
  if (self->id != 0 && sqlite3_changes (outreach_store_get_db (store)) == 0)
    {
      g_set_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_NOT_FOUND,
                   _("The account “%s” no longer exists; add it again"), self->saved_name);
      return FALSE;
    }
  if (self->id == 0)
    {
      stmt = outreach_store_prepare (store, "SELECT id FROM accounts WHERE name = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, self->name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        self->id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  /* The old name's secrets were copied to the new one above. */
  if (renamed && self->stored_keys->len > 0)
    {
      g_autoptr (GError) local = NULL;
      if (!outreach_secret_clear (self->saved_name, &local))
        g_warning ("Account renamed, but its old keyring entries stay: %s", local->message);
    }

  g_ptr_array_unref (self->stored_keys);
  self->stored_keys = g_steal_pointer (&secret_keys);
  g_hash_table_remove_all (self->new_secrets);
  g_free (self->saved_name);
  self->saved_name = g_strdup (self->name);
  return TRUE;
}

/* ---- removing ---- */

/**
 * outreach_account_remove:
 *
 * Removes the account and its keyring secrets. Jobs that used it keep
 * their history and have no account until another is chosen (the schema
 * sets their account to NULL). OUTREACH_ACCOUNT_ERROR_NOT_FOUND when there
 * is no such account.
 */
gboolean
outreach_account_remove (OutreachStore *store,
                         const char    *name,
                         GError       **error)
{
  sqlite3_stmt *stmt;
  int n_secrets;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = outreach_store_prepare (store, "SELECT json_array_length (settings, '$.secret_keys')"
                                        " FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_ACCOUNT_ERROR, OUTREACH_ACCOUNT_ERROR_NOT_FOUND,
                   _("There is no account “%s”"), name);
      return FALSE;
    }
  n_secrets = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  /* Only touch the keyring when something was stored there. */
  if (n_secrets > 0 && !outreach_secret_clear (name, error))
    return FALSE;

  stmt = outreach_store_prepare (store, "DELETE FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return outreach_store_step_done (store, stmt, error);
}

/* How many jobs name the account, for the confirmation before removing it. */
gint64
outreach_account_count_jobs (OutreachStore *store,
                             const char    *name)
{
  sqlite3_stmt *stmt;
  gint64 used = 0;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), 0);
  g_return_val_if_fail (name != NULL, 0);

  stmt = outreach_store_prepare (store, "SELECT count(*) FROM jobs j JOIN accounts a"
                                        " ON a.id = j.account_id WHERE a.name = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    used = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return used;
}

/* ---- the connection test ---- */

void
outreach_account_test_result_free (OutreachAccountTestResult *result)
{
  if (result == NULL)
    return;
  g_free (result->detail);
  g_free (result);
}

static OutreachAccountTestResult *
test_result_new (OutreachAccountTestOutcome outcome,
                 guint                      http_status,
                 const char                *detail)
{
  OutreachAccountTestResult *result = g_new0 (OutreachAccountTestResult, 1);

  result->outcome = outcome;
  result->http_status = http_status;
  result->detail = g_strdup (detail);
  return result;
}

/**
 * outreach_account_new_provider:
 *
 * The provider this account sends with: its settings as they are now, the
 * secrets set since it was loaded, the others from the keyring (never
 * asking for a password). The runner, a test send and "Test connection"
 * all make theirs here.
 *
 * Returns: (transfer full): the provider, or %NULL with the keyring's or
 *   the provider's error
 */
OutreachProvider *
outreach_account_new_provider (OutreachAccount *self,
                               GError         **error)
{
  const char *const *kind_keys;
  g_autoptr (GPtrArray) keyring_keys = g_ptr_array_new ();
  g_autoptr (GHashTable) secrets = NULL;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), NULL);

  kind_keys = outreach_provider_kind_secret_keys (self->kind);
  for (guint i = 0; i < self->stored_keys->len; i++)
    if (!g_hash_table_contains (self->new_secrets, self->stored_keys->pdata[i]))
      g_ptr_array_add (keyring_keys, self->stored_keys->pdata[i]);
  g_ptr_array_add (keyring_keys, NULL);
  /* the keyring knows the secrets by the saved name */
  secrets = outreach_secret_lookup_all (self->saved_name != NULL ? self->saved_name : self->name, kind_keys,
                                        (const char *const *) keyring_keys->pdata, error);
  if (secrets == NULL)
    return NULL;
  return provider_with_secrets (self, secrets, error);
}

/**
 * outreach_account_test:
 *
 * Builds the account's provider with the values as they are now (typed
 * secrets first, then the environment, then the keyring) and sends the
 * provider's harmless authenticated request. Blocks: run it in a thread
 * (outreach_account_test_async()) from a UI. An error means the test could
 * not be made (the keyring is locked, the settings are incomplete); an
 * answer, good or bad, is a result.
 *
 * Returns: (transfer full): what happened, or %NULL with @error
 */
OutreachAccountTestResult *
outreach_account_test (OutreachAccount *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr (OutreachProvider) provider = NULL;
  g_autoptr (SoupMessage) request = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) local = NULL;
  guint status;

  g_return_val_if_fail (OUTREACH_IS_ACCOUNT (self), NULL);

  provider = outreach_account_new_provider (self, error);
  if (provider == NULL)
    return NULL;
  if (outreach_provider_is_local (provider))
    return test_result_new (OUTREACH_ACCOUNT_TEST_LOCAL, 0, NULL);
  request = outreach_provider_build_test_request (provider, &local);
  if (request == NULL)
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      return test_result_new (OUTREACH_ACCOUNT_TEST_UNTESTABLE, 0, NULL);
    }

  session = soup_session_new_with_options ("timeout", 30, "user-agent", "Outreach/" PACKAGE_VERSION, NULL);
  body = soup_session_send_and_read (session, request, cancellable, &local);
  if (body == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      return test_result_new (OUTREACH_ACCOUNT_TEST_UNREACHABLE, 0, local->message);
    }
  status = soup_message_get_status (request);
  if (status >= 200 && status < 300)
    return test_result_new (OUTREACH_ACCOUNT_TEST_ACCEPTED, status, NULL);
  {
    OutreachDelivery d = { 0 };
    OutreachAccountTestResult *result;

    outreach_provider_classify_status (provider, request, body, NULL, &d);
    result = test_result_new (OUTREACH_ACCOUNT_TEST_REFUSED, status, d.error);
    outreach_delivery_clear (&d);
    return result;
  }
}

/* What the thread works on: a copy, so the form may go on changing the account. */
static OutreachAccount *
copy_for_thread (OutreachAccount *self)
{
  OutreachAccount *copy = g_object_new (OUTREACH_TYPE_ACCOUNT, NULL);
  GHashTableIter iter;
  gpointer key, value;

  copy->id = self->id;
  copy->kind = g_strdup (self->kind);
  copy->name = g_strdup (self->name);
  copy->saved_name = g_strdup (self->saved_name);
  json_object_unref (copy->settings);
  copy->settings = copy_settings (self);
  copy->rate = g_strdup (self->rate);
  copy->concurrency = g_strdup (self->concurrency);
  copy->retry_ambiguous = g_strdup (self->retry_ambiguous);
  g_hash_table_iter_init (&iter, self->new_secrets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->new_secrets, g_strdup (key), g_strdup (value));
  for (guint i = 0; i < self->stored_keys->len; i++)
    g_ptr_array_add (copy->stored_keys, g_strdup (self->stored_keys->pdata[i]));
  return copy;
}

/* ---- saving in a thread ---- */

typedef struct
{
  OutreachAccount *copy;
  OutreachStore *store;  /* a connection of the thread's own */
  OutreachAccountSaveFlags flags;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->copy);
  g_clear_object (&data->store);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (data->store == NULL || !outreach_account_save (data->copy, data->store, data->flags, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * outreach_account_save_async:
 *
 * outreach_account_save() in a thread, with a connection of its own, on
 * the values the account has now (the keyring may take a moment to
 * answer, and a window must not wait for it). Change nothing until it
 * finishes: outreach_account_save_finish() takes over what the save
 * learnt (the new id, the secrets now stored).
 */
void
outreach_account_save_async (OutreachAccount          *self,
                             OutreachStore            *store,
                             OutreachAccountSaveFlags  flags,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  SaveData *data;

  g_return_if_fail (OUTREACH_IS_ACCOUNT (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, outreach_account_save_async);
  data = g_new0 (SaveData, 1);
  data->copy = copy_for_thread (self);
  data->flags = flags;
  data->store = outreach_store_reopen (store, &error);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  if (data->store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, save_thread);
}

gboolean
outreach_account_save_finish (OutreachAccount *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  SaveData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  self->id = data->copy->id;
  g_free (self->saved_name);
  self->saved_name = g_strdup (data->copy->saved_name);
  g_ptr_array_unref (self->stored_keys);
  self->stored_keys = g_ptr_array_ref (data->copy->stored_keys);
  g_hash_table_remove_all (self->new_secrets);
  return TRUE;
}

static void
test_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  OutreachAccountTestResult *result = outreach_account_test (task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) outreach_account_test_result_free);
}

/**
 * outreach_account_test_async:
 *
 * outreach_account_test() in a thread, on the values the account has now.
 */
void
outreach_account_test_async (OutreachAccount    *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (OUTREACH_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, outreach_account_test_async);
  g_task_set_task_data (task, copy_for_thread (self), g_object_unref);
  g_task_run_in_thread (task, test_thread);
}

OutreachAccountTestResult *
outreach_account_test_finish (OutreachAccount *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Whether the test found nothing wrong. */
gboolean
outreach_account_test_result_ok (const OutreachAccountTestResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  return result->outcome == OUTREACH_ACCOUNT_TEST_LOCAL || result->outcome == OUTREACH_ACCOUNT_TEST_UNTESTABLE ||
         result->outcome == OUTREACH_ACCOUNT_TEST_ACCEPTED;
}

/**
 * outreach_account_test_result_describe:
 *
 * Returns: (transfer full): the result as one sentence for a form or a row
 */
char *
outreach_account_test_result_describe (const OutreachAccountTestResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  switch (result->outcome)
    {
    case OUTREACH_ACCOUNT_TEST_LOCAL:
      return g_strdup (_("Ready: this account needs no connection"));
    case OUTREACH_ACCOUNT_TEST_UNTESTABLE:
      return g_strdup (_("The settings are complete; this provider has no harmless test call"));
    case OUTREACH_ACCOUNT_TEST_ACCEPTED:
      return g_strdup_printf (_("The provider accepted the credentials (HTTP %u)"), result->http_status);
    case OUTREACH_ACCOUNT_TEST_UNREACHABLE:
      return g_strdup_printf (_("Could not reach the provider: %s"), result->detail);
    case OUTREACH_ACCOUNT_TEST_REFUSED:
      return g_strdup_printf (_("The provider answered: %s"), result->detail);
    }
  g_assert_not_reached ();
}
