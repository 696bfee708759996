/* outreach-donor.c — one donor, as read from the store
 *
 * An immutable snapshot of one row of the donors table (plus whether its
 * address is suppressed), for lists, the CLI and exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#include "config.h"

#include "outreach-donor.h"

#include "outreach-donor-validate.h"

struct _OutreachDonor
{
  GObject parent_instance;

  gint64 id;
  char *external_id;
  char *first_name;
  char *last_name;
  char *email;
  char *phone;
  char *street;
  char *city;
  char *region;
  char *postal_code;
  char *country;
  gint64 last_gift_amount;
  gboolean has_last_gift;
  char *last_gift_date;
  char *tags;
  gboolean do_not_contact;
  gboolean suppressed;
  char *extra;
};

G_DEFINE_FINAL_TYPE (OutreachDonor, outreach_donor, G_TYPE_OBJECT)

static void
outreach_donor_finalize (GObject *object)
{
  OutreachDonor *self = OUTREACH_DONOR (object);

  g_free (self->external_id);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->street);
  g_free (self->city);
  g_free (self->region);
  g_free (self->postal_code);
  g_free (self->country);
  g_free (self->last_gift_date);
  g_free (self->tags);
  g_free (self->extra);

  G_OBJECT_CLASS (outreach_donor_parent_class)->finalize (object);
}

static void
outreach_donor_class_init (OutreachDonorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_donor_finalize;
}

static void
outreach_donor_init (OutreachDonor *self)
{
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

/**
 * outreach_donor_new_from_row:
 * @stmt: a statement positioned on a row of %OUTREACH_DONOR_SELECT
 */
OutreachDonor *
outreach_donor_new_from_row (sqlite3_stmt *stmt)
{
  OutreachDonor *self;

  g_return_val_if_fail (stmt != NULL, NULL);

  self = g_object_new (OUTREACH_TYPE_DONOR, NULL);
  self->id = sqlite3_column_int64 (stmt, 0);
  self->external_id = column_dup (stmt, 1);
  self->first_name = column_dup (stmt, 2);
  self->last_name = column_dup (stmt, 3);
  self->email = column_dup (stmt, 4);
  self->phone = column_dup (stmt, 5);
  self->street = column_dup (stmt, 6);
  self->city = column_dup (stmt, 7);
  self->region = column_dup (stmt, 8);
  self->postal_code = column_dup (stmt, 9);
  self->country = column_dup (stmt, 10);
  self->has_last_gift = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  self->last_gift_amount = sqlite3_column_int64 (stmt, 11);
  self->last_gift_date = column_dup (stmt, 12);
  self->tags = column_dup (stmt, 13);
  self->do_not_contact = sqlite3_column_int (stmt, 14) != 0;
  self->extra = column_dup (stmt, 15);
  self->suppressed = sqlite3_column_int (stmt, 16) != 0;
  return self;
}

gint64
outreach_donor_get_id (OutreachDonor *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR (self), 0);
  return self->id;
}

#define STRING_GETTER(field)                                     \
  const char *                                                   \
  outreach_donor_get_##field (OutreachDonor *self)               \
  {                                                              \
    g_return_val_if_fail (OUTREACH_IS_DONOR (self), NULL);       \
    return self->field;                                          \
  }

STRING_GETTER (external_id)
STRING_GETTER (first_name)
STRING_GETTER (last_name)
STRING_GETTER (email)
STRING_GETTER (phone)
STRING_GETTER (street)
STRING_GETTER (city)
STRING_GETTER (region)
STRING_GETTER (postal_code)
STRING_GETTER (country)
STRING_GETTER (last_gift_date)
STRING_GETTER (tags)
STRING_GETTER (extra)

/**
 * outreach_donor_dup_display_name:
 *
 * Returns: (transfer full): "First Last", or the address when both are blank
 */
char *
outreach_donor_dup_display_name (OutreachDonor *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR (self), NULL);

  if (self->first_name[0] == '\0' && self->last_name[0] == '\0')
    return g_strdup (self->email != NULL ? self->email : self->phone);
  if (self->first_name[0] == '\0' || self->last_name[0] == '\0')
    return g_strconcat (self->first_name, self->last_name, NULL);
  return g_strconcat (self->first_name, " ", self->last_name, NULL);
}

gboolean
outreach_donor_get_last_gift (OutreachDonor *self,
                              gint64        *cents)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR (self), FALSE);
  if (cents != NULL)
    *cents = self->last_gift_amount;
  return self->has_last_gift;
}

gboolean
outreach_donor_get_do_not_contact (OutreachDonor *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR (self), FALSE);
  return self->do_not_contact;
}

gboolean
outreach_donor_get_suppressed (OutreachDonor *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR (self), FALSE);
  return self->suppressed;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * outreach_donor_to_json:
 *
 * Returns: (transfer full): the object `donors list --json` prints, as
 *   DESIGN.md "Interfaces" gives it
 */
JsonNode *
outreach_donor_to_json (OutreachDonor *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) tags = NULL;

  g_return_val_if_fail (OUTREACH_IS_DONOR (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  add_string (builder, "external_id", self->external_id);
  add_string (builder, "first_name", self->first_name);
  add_string (builder, "last_name", self->last_name);
  add_string (builder, "email", self->email);
  add_string (builder, "phone", self->phone);
  add_string (builder, "street", self->street);
  add_string (builder, "city", self->city);
  add_string (builder, "region", self->region);
  add_string (builder, "postal_code", self->postal_code);
  add_string (builder, "country", self->country);
  json_builder_set_member_name (builder, "last_gift_amount");
  if (self->has_last_gift)
    {
      g_autofree char *amount = outreach_donor_format_amount (self->last_gift_amount);
      json_builder_add_string_value (builder, amount);
    }
  else
    json_builder_add_null_value (builder);
  add_string (builder, "last_gift_date", self->last_gift_date);

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  tags = g_strsplit (self->tags != NULL ? self->tags : "", ";", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    if (tags[i][0] != '\0')
      json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "do_not_contact");
  json_builder_add_boolean_value (builder, self->do_not_contact);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_boolean_value (builder, self->suppressed);

  json_builder_set_member_name (builder, "extra");
  if (self->extra != NULL && json_parser_load_from_data (parser, self->extra, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
