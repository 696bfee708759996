/* outreach-merge-fields.c — the merge fields of a donor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-merge-fields"

#include "config.h"

#include "outreach-merge-fields.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "outreach-settings.h"
#include "outreach-template.h"

G_DEFINE_QUARK (outreach-merge-fields-error-quark, outreach_merge_fields_error)

#define D OUTREACH_MERGE_FIELD_DONOR
#define O OUTREACH_MERGE_FIELD_ORGANISATION

static const OutreachMergeFieldInfo standard_fields[] = {
  { "first_name", N_("First name"), D },
  { "last_name", N_("Last name"), D },
  { "email", N_("E-mail address"), D },
  { "phone", N_("Phone number"), D },
  { "street", N_("Street"), D },
  { "city", N_("City"), D },
  { "region", N_("Region"), D },
  { "postal_code", N_("Postal code"), D },
  { "country", N_("Country"), D },
  { "last_gift_amount", N_("Last gift amount (250.00)"), D },
  { "last_gift_amount_formatted", N_("Last gift amount with currency ($250.00)"), D },
  { "last_gift_date", N_("Last gift date (2025-08-16)"), D },
  { "last_gift_date_long", N_("Last gift date, written out"), D },
  { "tags", N_("Tags (a list)"), D },
  { "donor_id", N_("Donor number"), D },
  { "id", N_("Donor number (same as donor_id)"), D },
  { "external_id", N_("Donor ID from the import"), D },
  { "do_not_contact", N_("Do not contact (true or false)"), D },
  { "org_name", N_("Organisation name"), O },
  { "sender_name", N_("Sender name"), O },
  { "sender_address", N_("Sender address"), O },
  { "reply_to", N_("Reply-to address"), O },
  { "postal_address", N_("Organisation postal address"), O },
  { "unsubscribe_url", N_("Unsubscribe link"), O },
  { "job_name", N_("Job name"), O },
  { "today", N_("Today’s date (2026-01-31)"), O },
  { "today_long", N_("Today’s date, written out"), O },
};

#undef D
#undef O

const OutreachMergeFieldInfo *
outreach_merge_fields_get_standard (guint *n_fields)
{
  g_return_val_if_fail (n_fields != NULL, NULL);

  *n_fields = G_N_ELEMENTS (standard_fields);
  return standard_fields;
}

const OutreachMergeFieldInfo *
outreach_merge_fields_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (standard_fields); i++)
    if (g_str_equal (standard_fields[i].name, name))
      return &standard_fields[i];
  return NULL;
}

/**
 * outreach_merge_fields_name_for_header:
 *
 * The field name of an `extra` key: its header lower-cased, every
 * character other than a letter or digit replaced by '_'.
 */
char *
outreach_merge_fields_name_for_header (const char *header)
{
  g_autofree char *lower = NULL;
  GString *name;

  g_return_val_if_fail (header != NULL, NULL);

  lower = g_utf8_strdown (header, -1);
  name = g_string_sized_new (strlen (lower));
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isalnum (c))
        g_string_append_unichar (name, c);
      else
        g_string_append_c (name, '_');
    }
  return g_string_free (name, FALSE);
}

char *
outreach_merge_fields_format_amount (gint64 cents)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100));
}

/* The symbol goes before the amount for the currencies a small nonprofit
 * meets most; others are written "CHF 250.00", which every reader gets. */
static const struct
{
  const char *code;
  const char *symbol;
  int decimals;
} currencies[] = {
  { "USD", "$", 2 }, { "EUR", "€", 2 }, { "GBP", "£", 2 }, { "JPY", "¥", 0 },
  { "CAD", "CA$", 2 }, { "AUD", "A$", 2 }, { "NZD", "NZ$", 2 }, { "INR", "₹", 2 },
  { "KRW", "₩", 0 }, { "BRL", "R$", 2 }, { "MXN", "MX$", 2 }, { "ILS", "₪", 2 },
  { "NGN", "₦", 2 }, { "PHP", "₱", 2 },
};

static void
append_grouped (GString *out,
                gint64   whole)
{
  char digits[32];
  int len = g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, whole);

  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
}

char *
outreach_merge_fields_format_money (gint64      cents,
                                    const char *currency)
{
  GString *out = g_string_new (NULL);
  const char *symbol = NULL;
  int decimals = 2;

  if (currency == NULL || currency[0] == '\0')
    currency = "USD";
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (g_ascii_strcasecmp (currencies[i].code, currency) == 0)
      {
        symbol = currencies[i].symbol;
        decimals = currencies[i].decimals;
      }

  if (symbol != NULL)
    g_string_append (out, symbol);
  else
    g_string_append_printf (out, "%s ", currency);

  if (decimals == 0)
    append_grouped (out, (cents + 50) / 100);
  else
    {
      append_grouped (out, cents / 100);
      g_string_append_printf (out, ".%02d", (int) (cents % 100));
    }
  return g_string_free (out, FALSE);
}

/* A date written out in the user's language (LC_TIME): "August 16, 2025"
 * in American English, "16 August 2025" elsewhere; "" if @iso_date is not
 * a date. */
char *
outreach_merge_fields_format_date_long (const char *iso_date)
{
  g_autoptr (GDateTime) date = NULL;
  int year, month, day;
  const char *locale;

  if (iso_date == NULL || sscanf (iso_date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return g_strdup ("");
  date = g_date_time_new_local (year, month, day, 12, 0, 0);
  if (date == NULL)
    return g_strdup ("");

  locale = setlocale (LC_TIME, NULL);
  if (locale == NULL || g_str_has_prefix (locale, "en_US") || g_str_equal (locale, "C")
      || g_str_equal (locale, "POSIX") || g_str_has_prefix (locale, "C."))
    return g_date_time_format (date, "%B %-d, %Y");
  return g_date_time_format (date, "%-d %B %Y");
}

GStrv
outreach_merge_fields_list_extra (OutreachStore  *store,
                                  guint           max_donors,
                                  GError        **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT DISTINCT j.key FROM "
                                 "(SELECT extra FROM donors WHERE extra <> '{}' LIMIT ?1) AS d, "
                                 "json_each (d.extra) AS j ORDER BY j.key",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max_donors);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *name = outreach_merge_fields_name_for_header ((const char *) sqlite3_column_text (stmt, 0));

      if (name[0] == '\0' || outreach_merge_fields_lookup (name) != NULL
          || g_hash_table_contains (seen, name))
        {
          g_free (name);
          continue;
        }
      g_hash_table_add (seen, name);
      g_ptr_array_add (names, name);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the donors’ extra fields"), error);
      return NULL;
    }

  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* A JSON string as json-glib's generator writes it (json-glib 1.6:
 * \b \f \n \r \t, \uXXXX for the other bytes below 0x20 and for
 * 0x7f), so that write_json and the JsonObject from build agree byte for
 * byte. One deliberate difference: json-glib leaves 0x1f as it is, which
 * is not JSON (SQLite's json_valid refuses it, and a recipient row with it
 * would be dropped); here it is \u001f, which reads back the same. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *start = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;
      const char *escape = NULL;
      char unicode[7];

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
          unicode[0] = '\\';
          unicode[1] = 'u';
          unicode[2] = '0';
          unicode[3] = '0';
          unicode[4] = hex[c >> 4];
          unicode[5] = hex[c & 0xf];
          unicode[6] = '\0';
          escape = unicode;
          break;
        }
      g_string_append_len (out, start, p - start);
      g_string_append (out, escape);
      start = p + 1;
    }
  g_string_append_len (out, start, p - start);
  g_string_append_c (out, '"');
}

struct _OutreachMergeFieldsBuilder
{
  JsonObject *organisation;       /* the fields every donor shares */
  OutreachTemplate *unsubscribe;  /* NULL when the setting is empty */
  char *currency;
  JsonParser *parser;             /* for `extra`, reused */
  /* For outreach_merge_fields_builder_write_json: */
  char *organisation_json;        /* ,"org_name":…, as the generator writes them, up to… */
  char *organisation_json_after;  /* …unsubscribe_url, and after it */
  GHashTable *date_long;          /* ISO date → written out; a time zone lookup each otherwise */
  GHashTable *header_names;       /* extra header → field name */
};

static const OutreachSetting organisation_settings[] = {
  OUTREACH_SETTING_ORG_NAME, OUTREACH_SETTING_SENDER_NAME, OUTREACH_SETTING_SENDER_ADDRESS,
  OUTREACH_SETTING_REPLY_TO, OUTREACH_SETTING_POSTAL_ADDRESS,
};

OutreachMergeFieldsBuilder *
outreach_merge_fields_builder_new (OutreachStore  *store,
                                   const char     *job_name,
                                   GError        **error)
{
  g_autoptr (OutreachMergeFieldsBuilder) self = g_new0 (OutreachMergeFieldsBuilder, 1);
  g_autofree char *unsubscribe = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *today_long = outreach_merge_fields_format_date_long (today);

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->organisation = json_object_new ();
  self->parser = json_parser_new_immutable ();
  for (guint i = 0; i < G_N_ELEMENTS (organisation_settings); i++)
    {
      g_autofree char *value = outreach_settings_get_string (store, organisation_settings[i], error);

      if (value == NULL)
        return NULL;
      json_object_set_string_member (self->organisation,
                                     outreach_setting_to_key (organisation_settings[i]), value);
    }
  self->currency = outreach_settings_get_string (store, OUTREACH_SETTING_CURRENCY, error);
  if (self->currency == NULL)
    return NULL;
  json_object_set_string_member (self->organisation, "job_name", job_name != NULL ? job_name : "");
  json_object_set_string_member (self->organisation, "today", today);
  json_object_set_string_member (self->organisation, "today_long", today_long);

  unsubscribe = outreach_settings_get_string (store, OUTREACH_SETTING_UNSUBSCRIBE_URL, error);
  if (unsubscribe == NULL)
    return NULL;
  if (unsubscribe[0] != '\0')
    {
      g_autoptr (GError) local_error = NULL;

      /* A URL: nothing escaped, and never a line break in it. */
      self->unsubscribe = outreach_template_new (unsubscribe, OUTREACH_TEMPLATE_SUBJECT, NULL,
                                                 &local_error);
      if (self->unsubscribe == NULL)
        {
          g_set_error (error, OUTREACH_MERGE_FIELDS_ERROR,
                       OUTREACH_MERGE_FIELDS_ERROR_BAD_UNSUBSCRIBE_URL,
                       _("The unsubscribe link setting “%s” is not a valid template: %s. "
                         "Correct it in Preferences or with “outreach settings unsubscribe_url”"),
                       unsubscribe, local_error->message);
          return NULL;
        }
    }
  json_object_set_string_member (self->organisation, "unsubscribe_url", unsubscribe);

  {
    g_autoptr (GString) text = g_string_new (NULL);
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;

    /* In copy_organisation's order (the object's hash order, fixed once
     * built), split where the donor's own unsubscribe_url goes. */
    json_object_iter_init (&iter, self->organisation);
    while (json_object_iter_next (&iter, &name, &value))
      {
        if (g_str_equal (name, "unsubscribe_url"))
          {
            self->organisation_json = g_string_free (g_steal_pointer (&text), FALSE);
            text = g_string_new (NULL);
            continue;
          }
        g_string_append_c (text, ',');
        append_json_string (text, name);
        g_string_append_c (text, ':');
        append_json_string (text, json_node_get_string (value));
      }
    self->organisation_json_after = g_string_free (g_steal_pointer (&text), FALSE);
  }
  self->date_long = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->header_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return g_steal_pointer (&self);
}

void
outreach_merge_fields_builder_free (OutreachMergeFieldsBuilder *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->organisation, json_object_unref);
  g_clear_object (&self->unsubscribe);
  g_clear_object (&self->parser);
  g_free (self->currency);
  g_free (self->organisation_json);
  g_free (self->organisation_json_after);
  g_clear_pointer (&self->date_long, g_hash_table_unref);
  g_clear_pointer (&self->header_names, g_hash_table_unref);
  g_free (self);
}

static void
copy_organisation (OutreachMergeFieldsBuilder *self,
                   JsonObject                 *fields)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, self->organisation);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (fields, name, json_node_copy (value));
}

JsonObject *
outreach_merge_fields_builder_build_organisation (OutreachMergeFieldsBuilder *self)
{
  JsonObject *fields;

  g_return_val_if_fail (self != NULL, NULL);

  fields = json_object_new ();
  copy_organisation (self, fields);
  return fields;
}

static void
set_text_column (JsonObject   *fields,
                 const char   *name,
                 sqlite3_stmt *row,
                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (row, column);

  json_object_set_string_member (fields, name, text != NULL ? text : "");
}

static char *
json_value_to_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static void
add_extra (OutreachMergeFieldsBuilder *self,
           JsonObject                 *fields,
           const char                 *extra)
{
  JsonNode *root;
  JsonObjectIter iter;
  const char *header;
  JsonNode *value;

  if (extra == NULL || extra[0] == '\0' || g_str_equal (extra, "{}"))
    return;
  if (!json_parser_load_from_data (self->parser, extra, -1, NULL))
    return;  /* the column's CHECK (json_valid) makes this unreachable */
  root = json_parser_get_root (self->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &header, &value))
    {
      g_autofree char *name = outreach_merge_fields_name_for_header (header);
      g_autofree char *text = NULL;

      /* A mapped column always wins over an unmapped one of the same name. */
      if (name[0] == '\0' || outreach_merge_fields_lookup (name) != NULL
          || json_object_has_member (fields, name))
        continue;
      text = json_value_to_text (value);
      json_object_set_string_member (fields, name, text);
    }
}

/**
 * outreach_merge_fields_builder_build:
 * @row: a row whose columns from @first_column on are
 *   OUTREACH_MERGE_FIELDS_DONOR_COLUMNS
 *
 * Returns: (transfer full): the donor's merge fields
 */
JsonObject *
outreach_merge_fields_builder_build (OutreachMergeFieldsBuilder *self,
                                     sqlite3_stmt               *row,
                                     int                         first_column)
{
  JsonObject *fields;
  int c = first_column;
  gint64 id;
  const char *tags;
  const char *date;
  g_auto (GStrv) tag_list = NULL;
  JsonArray *tag_array;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  fields = json_object_new ();
  id = sqlite3_column_int64 (row, c);
  json_object_set_int_member (fields, "donor_id", id);
  json_object_set_int_member (fields, "id", id);
  set_text_column (fields, "external_id", row, c + 1);
  set_text_column (fields, "first_name", row, c + 2);
  set_text_column (fields, "last_name", row, c + 3);
  set_text_column (fields, "email", row, c + 4);
  set_text_column (fields, "phone", row, c + 5);
  set_text_column (fields, "street", row, c + 6);
  set_text_column (fields, "city", row, c + 7);
  set_text_column (fields, "region", row, c + 8);
  set_text_column (fields, "postal_code", row, c + 9);
  set_text_column (fields, "country", row, c + 10);

  if (sqlite3_column_type (row, c + 11) == SQLITE_NULL)
    {
      json_object_set_string_member (fields, "last_gift_amount", "");
      json_object_set_string_member (fields, "last_gift_amount_formatted", "");
    }
  else
    {
      gint64 cents = sqlite3_column_int64 (row, c + 11);
      g_autofree char *amount = outreach_merge_fields_format_amount (cents);
      g_autofree char *money = outreach_merge_fields_format_money (cents, self->currency);

      json_object_set_string_member (fields, "last_gift_amount", amount);
      json_object_set_string_member (fields, "last_gift_amount_formatted", money);
    }

  date = (const char *) sqlite3_column_text (row, c + 12);
  json_object_set_string_member (fields, "last_gift_date", date != NULL ? date : "");
  {
    g_autofree char *date_long = outreach_merge_fields_format_date_long (date);
    json_object_set_string_member (fields, "last_gift_date_long", date_long);
  }

  tags = (const char *) sqlite3_column_text (row, c + 13);
  tag_array = json_array_new ();
  if (tags != NULL && tags[0] != '\0')
    {
      tag_list = g_strsplit (tags, ";", -1);
      for (guint i = 0; tag_list[i] != NULL; i++)
        if (tag_list[i][0] != '\0')
          json_array_add_string_element (tag_array, tag_list[i]);
    }
  json_object_set_array_member (fields, "tags", tag_array);
  json_object_set_boolean_member (fields, "do_not_contact", sqlite3_column_int (row, c + 14) != 0);

  add_extra (self, fields, (const char *) sqlite3_column_text (row, c + 15));
  copy_organisation (self, fields);

  if (self->unsubscribe != NULL)
    {
      g_autoptr (GString) url = g_string_new (NULL);

      outreach_template_render (self->unsubscribe, fields, url);
      json_object_set_string_member (fields, "unsubscribe_url", url->str);
    }

  return fields;
}

/* One member of write_json: the text, and, when the unsubscribe link is
 * a template that uses the field, the same value in @used for rendering it. */
static void
write_string (GString    *out,
              JsonObject *used,
              const char *name,
              const char *value)
{
  g_string_append_c (out, ',');
  append_json_string (out, name);
  g_string_append_c (out, ':');
  append_json_string (out, value != NULL ? value : "");
  if (used != NULL)
    json_object_set_string_member (used, name, value != NULL ? value : "");
}

static const char *
lookup_date_long (OutreachMergeFieldsBuilder *self,
                  const char                 *date)
{
  char *text;

  if (date == NULL)
    date = "";
  text = g_hash_table_lookup (self->date_long, date);
  if (text == NULL)
    {
      text = outreach_merge_fields_format_date_long (date);
      g_hash_table_insert (self->date_long, g_strdup (date), text);
    }
  return text;
}

static void
write_extra_member (OutreachMergeFieldsBuilder *self,
                    GString                    *out,
                    JsonObject                 *used,
                    GPtrArray                  *written,
                    const char                 *header,
                    const char                 *text)
{
  const char *name = g_hash_table_lookup (self->header_names, header);

  if (name == NULL)
    {
      char *made = outreach_merge_fields_name_for_header (header);

      g_hash_table_insert (self->header_names, g_strdup (header), made);
      name = made;
    }
  /* As add_extra: a mapped column always wins, then the first header. */
  if (name[0] == '\0' || outreach_merge_fields_lookup (name) != NULL)
    return;
  for (guint i = 0; i < written->len; i++)
    if (g_str_equal (g_ptr_array_index (written, i), name))
      return;
  g_ptr_array_add (written, (gpointer) name);
  write_string (out, used != NULL && outreach_template_uses_field (self->unsubscribe, name)
                       ? used : NULL,
                name, text);
}

/* {"a":"b","c":"d"} as SQLite's json_object() writes an import's extras:
 * no spaces, only string values, no header twice, and (checked by the
 * caller) no backslash, so nothing to unescape. Cuts @copy into the
 * headers and values and adds them to @members in document order; a hash
 * table made as JsonObject makes its own then iterates in json-glib's
 * order. FALSE: anything else, for json-glib to parse. */
static gboolean
parse_simple_extra (char       *copy,
                    GHashTable *members)
{
  char *p = copy;

  if (*p++ != '{')
    return FALSE;
  if (*p == '}')
    return p[1] == '\0';
  for (;;)
    {
      char *header, *value;

      if (*p++ != '"')
        return FALSE;
      header = p;
      if ((p = strchr (p, '"')) == NULL)
        return FALSE;
      *p++ = '\0';
      if (*p++ != ':' || *p++ != '"')
        return FALSE;
      value = p;
      if ((p = strchr (p, '"')) == NULL)
        return FALSE;
      *p++ = '\0';
      if (g_hash_table_contains (members, header))
        return FALSE;
      g_hash_table_insert (members, header, value);
      if (*p == ',')
        p++;
      else
        return *p == '}' && p[1] == '\0';
    }
}

static void
write_extra (OutreachMergeFieldsBuilder *self,
             GString                    *out,
             JsonObject                 *used,
             const char                 *extra)
{
  g_autoptr (GPtrArray) written = NULL;
  JsonNode *root;
  JsonObjectIter iter;
  const char *header;
  JsonNode *value;

  if (extra == NULL || extra[0] == '\0' || g_str_equal (extra, "{}"))
    return;

  written = g_ptr_array_new ();
  /* Most extras are simple: no JsonParser for them (a tenth of a job's creation). */
  if (strchr (extra, '\\') == NULL)
    {
      g_autofree char *copy = g_strdup (extra);
      g_autoptr (GHashTable) members = g_hash_table_new (g_str_hash, g_str_equal);

      if (parse_simple_extra (copy, members))
        {
          GHashTableIter members_iter;
          gpointer member_header, member_value;

          g_hash_table_iter_init (&members_iter, members);
          while (g_hash_table_iter_next (&members_iter, &member_header, &member_value))
            write_extra_member (self, out, used, written, member_header, member_value);
          return;
        }
    }

  if (!json_parser_load_from_data (self->parser, extra, -1, NULL))
    return;  /* the column's CHECK (json_valid) makes this unreachable */
  root = json_parser_get_root (self->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &header, &value))
    {
      g_autofree char *text = json_value_to_text (value);

      write_extra_member (self, out, used, written, header, text);
    }
}

/* The donor's columns, from a row or from an SQL function's arguments. */
typedef struct
{
  sqlite3_stmt *row;
  int first;
  sqlite3_value **values;
} Columns;

static inline gint64
column_int64 (const Columns *c,
              int            i)
{
  return c->values != NULL ? sqlite3_value_int64 (c->values[i]) : sqlite3_column_int64 (c->row, c->first + i);
}

static inline const char *
column_text (const Columns *c,
             int            i)
{
  return (const char *) (c->values != NULL ? sqlite3_value_text (c->values[i])
                                           : sqlite3_column_text (c->row, c->first + i));
}

static inline int
column_type (const Columns *c,
             int            i)
{
  return c->values != NULL ? sqlite3_value_type (c->values[i]) : sqlite3_column_type (c->row, c->first + i);
}

static void
write_json_columns (OutreachMergeFieldsBuilder *self,
                    const Columns              *c,
                    GString                    *out)
{
  static const char * const text_columns[] = {
    "external_id", "first_name", "last_name", "email", "phone", "street", "city", "region",
    "postal_code", "country",
  };
  g_autoptr (JsonObject) used = NULL;
  gint64 id;
  const char *tags;
  const char *date;

  /* Only the fields the unsubscribe link's template looks up go into an
   * object for rendering it; the rest is written straight out. */
  if (self->unsubscribe != NULL)
    used = json_object_new ();

  id = column_int64 (c, 0);
  g_string_append_printf (out, "{\"donor_id\":%" G_GINT64_FORMAT ",\"id\":%" G_GINT64_FORMAT, id, id);
  if (used != NULL)
    {
      json_object_set_int_member (used, "donor_id", id);
      json_object_set_int_member (used, "id", id);
    }
  for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
    write_string (out,
                  used != NULL && outreach_template_uses_field (self->unsubscribe, text_columns[i])
                    ? used : NULL,
                  text_columns[i], column_text (c, 1 + i));

  if (column_type (c, 11) == SQLITE_NULL)
    {
      write_string (out, used, "last_gift_amount", "");
      write_string (out, used, "last_gift_amount_formatted", "");
    }
  else
    {
      gint64 cents = column_int64 (c, 11);
      g_autofree char *amount = outreach_merge_fields_format_amount (cents);
      g_autofree char *money = outreach_merge_fields_format_money (cents, self->currency);

      write_string (out, used, "last_gift_amount", amount);
      write_string (out, used, "last_gift_amount_formatted", money);
    }

  date = column_text (c, 12);
  write_string (out, used, "last_gift_date", date);
  write_string (out, used, "last_gift_date_long", lookup_date_long (self, date));

  tags = column_text (c, 13);
  g_string_append (out, ",\"tags\":[");
  {
    JsonArray *tag_array = used != NULL ? json_array_new () : NULL;
    gboolean first = TRUE;
    const char *start = tags;

    while (start != NULL && *start != '\0')
      {
        const char *end = strchr (start, ';');
        gsize len = end != NULL ? (gsize) (end - start) : strlen (start);

        if (len > 0)
          {
            g_autofree char *tag = g_strndup (start, len);

            if (!first)
              g_string_append_c (out, ',');
            append_json_string (out, tag);
            first = FALSE;
            if (tag_array != NULL)
              json_array_add_string_element (tag_array, tag);
          }
        start = end != NULL ? end + 1 : NULL;
      }
    g_string_append_c (out, ']');
    if (tag_array != NULL)
      json_object_set_array_member (used, "tags", tag_array);
  }
  {
    gboolean do_not_contact = column_int64 (c, 14) != 0;

    g_string_append (out, do_not_contact ? ",\"do_not_contact\":true" : ",\"do_not_contact\":false");
    if (used != NULL)
      json_object_set_boolean_member (used, "do_not_contact", do_not_contact);
  }

  write_extra (self, out, used, column_text (c, 15));
  g_string_append (out, self->organisation_json);

  g_string_append (out, ",\"unsubscribe_url\":");
  if (used != NULL)
    {
      g_autoptr (GString) url = g_string_new (NULL);

      copy_organisation (self, used);
      outreach_template_render (self->unsubscribe, used, url);
      append_json_string (out, url->str);
    }
  else
    append_json_string (out, json_object_get_string_member (self->organisation, "unsubscribe_url"));
  g_string_append (out, self->organisation_json_after);
  g_string_append_c (out, '}');
}


/**
 * outreach_merge_fields_builder_write_json:
 * @row: a row whose columns from @first_column on are
 *   OUTREACH_MERGE_FIELDS_DONOR_COLUMNS
 * @out: where the JSON text is appended
 *
 * Appends the donor's merge fields as JSON text, the same text
 * json_generator_to_data writes for outreach_merge_fields_builder_build's
 * object, without building it: a job snapshots a hundred thousand donors.
 */
void
outreach_merge_fields_builder_write_json (OutreachMergeFieldsBuilder *self,
                                          sqlite3_stmt               *row,
                                          int                         first_column,
                                          GString                    *out)
{
  Columns c = { row, first_column, NULL };

  g_return_if_fail (self != NULL);
  g_return_if_fail (row != NULL);
  g_return_if_fail (out != NULL);

  write_json_columns (self, &c, out);
}

/**
 * outreach_merge_fields_builder_write_json_values:
 * @values: OUTREACH_MERGE_FIELDS_N_DONOR_COLUMNS values, the columns of
 *   OUTREACH_MERGE_FIELDS_DONOR_COLUMNS (an SQL function's arguments)
 *
 * The same as write_json, for a function called by SQLite for each row of
 * an INSERT … SELECT.
 */
void
outreach_merge_fields_builder_write_json_values (OutreachMergeFieldsBuilder *self,
                                                 sqlite3_value             **values,
                                                 GString                    *out)
{
  Columns c = { NULL, 0, values };

  g_return_if_fail (self != NULL);
  g_return_if_fail (values != NULL);
  g_return_if_fail (out != NULL);

  write_json_columns (self, &c, out);
}

/**
 * outreach_merge_fields_for_donor:
 * @job_name: (nullable): the job the fields are for
 *
 * Returns: (transfer full) (nullable): the donor's merge fields, or %NULL
 *   with OUTREACH_MERGE_FIELDS_ERROR_NO_DONOR if there is no such donor
 */
JsonObject *
outreach_merge_fields_for_donor (OutreachStore  *store,
                                 gint64          donor_id,
                                 const char     *job_name,
                                 GError        **error)
{
  g_autoptr (OutreachMergeFieldsBuilder) builder = NULL;
  sqlite3_stmt *stmt;
  JsonObject *fields;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  builder = outreach_merge_fields_builder_new (store, job_name, error);
  if (builder == NULL)
    return NULL;

  stmt = outreach_store_prepare (store,
                                 "SELECT " OUTREACH_MERGE_FIELDS_DONOR_COLUMNS
                                 " FROM donors WHERE donors.id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, donor_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, OUTREACH_MERGE_FIELDS_ERROR, OUTREACH_MERGE_FIELDS_ERROR_NO_DONOR,
                   _("There is no donor number %" G_GINT64_FORMAT "; “outreach donors list” "
                     "shows the donors there are"), donor_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      outreach_store_set_error (store, rc, _("read the donor"), error);
      return NULL;
    }

  fields = outreach_merge_fields_builder_build (builder, stmt, 0);
  sqlite3_reset (stmt);
  return fields;
}
