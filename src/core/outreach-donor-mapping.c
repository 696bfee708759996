/* outreach-donor-mapping.c — which donor field a CSV column fills
 *
 * Spreadsheets and CRMs name the same thing many ways ("E-mail",
 * "Email Address", "EmailAddress1"); headers are compared by their
 * letters and digits only, lower-cased, against the aliases below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#include "config.h"

#include "outreach-donor-mapping.h"

#include <glib/gi18n-lib.h>

static const char *const field_names[OUTREACH_DONOR_N_FIELDS] = {
  "external_id", "first_name", "last_name", "email", "phone", "street", "city", "region",
  "postal_code", "country", "last_gift_amount", "last_gift_date", "tags", "do_not_contact",
};

static const char *const field_labels[OUTREACH_DONOR_N_FIELDS] = {
  N_("External ID"), N_("First Name"), N_("Last Name"), N_("E-mail"), N_("Phone"),
  N_("Street"), N_("City"), N_("Region"), N_("Postal Code"), N_("Country"),
  N_("Last Gift Amount"), N_("Last Gift Date"), N_("Tags"), N_("Do Not Contact"),
};

/* Header keys (see outreach_donor_header_key) each field is recognised by. */
static const struct
{
  OutreachDonorField field;
  const char *const *keys;
} aliases[] = {
  { OUTREACH_DONOR_FIELD_EXTERNAL_ID, (const char *const[]) {
      "externalid", "id", "donorid", "constituentid", "contactid", "recordid", "customerid",
      "memberid", "supporterid", "crmid", "donornumber", "constituentnumber", "accountnumber",
      "lookupid", NULL } },
  { OUTREACH_DONOR_FIELD_FIRST_NAME, (const char *const[]) {
      "firstname", "first", "givenname", "forename", "fname", "prenom", "vorname", NULL } },
  { OUTREACH_DONOR_FIELD_LAST_NAME, (const char *const[]) {
      "lastname", "last", "surname", "familyname", "lname", "nom", "nachname", NULL } },
  { OUTREACH_DONOR_FIELD_EMAIL, (const char *const[]) {
      "email", "emailaddress", "mail", "primaryemail", "emailaddress1", "email1",
      "personalemail", "homeemail", "courriel", NULL } },
  { OUTREACH_DONOR_FIELD_PHONE, (const char *const[]) {
      "phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone",
      "telephone", "tel", "sms", "homephone", "primaryphone", NULL } },
  { OUTREACH_DONOR_FIELD_STREET, (const char *const[]) {
      "street", "address", "address1", "addressline1", "streetaddress", "mailingstreet",
      "street1", "adresse", NULL } },
  { OUTREACH_DONOR_FIELD_CITY, (const char *const[]) {
      "city", "town", "locality", "mailingcity", "ville", "ort", NULL } },
  { OUTREACH_DONOR_FIELD_REGION, (const char *const[]) {
      "region", "state", "province", "county", "stateprovince", "mailingstate", NULL } },
  { OUTREACH_DONOR_FIELD_POSTAL_CODE, (const char *const[]) {
      "postalcode", "zip", "zipcode", "postcode", "postal", "mailingpostalcode", "plz",
      "codepostal", NULL } },
  { OUTREACH_DONOR_FIELD_COUNTRY, (const char *const[]) {
      "country", "countrycode", "mailingcountry", "pays", "land", NULL } },
  { OUTREACH_DONOR_FIELD_LAST_GIFT_AMOUNT, (const char *const[]) {
      "lastgiftamount", "lastgift", "giftamount", "lastdonation", "lastdonationamount",
      "amount", "lastgiftamt", NULL } },
  { OUTREACH_DONOR_FIELD_LAST_GIFT_DATE, (const char *const[]) {
      "lastgiftdate", "giftdate", "lastdonationdate", "dateoflastgift", NULL } },
  { OUTREACH_DONOR_FIELD_TAGS, (const char *const[]) {
      "tags", "tag", "groups", "labels", "segments", "categories", "lists", NULL } },
  { OUTREACH_DONOR_FIELD_DO_NOT_CONTACT, (const char *const[]) {
      "donotcontact", "donotemail", "dnc", "optout", "optedout", "emailoptout",
      "donotmail", "donotsolicit", "unsubscribed", "hasoptedoutofemail", NULL } },
};

const char *
outreach_donor_field_to_string (OutreachDonorField field)
{
  if (field == OUTREACH_DONOR_FIELD_EXTRA)
    return "extra";
  if (field == OUTREACH_DONOR_FIELD_IGNORE)
    return "ignore";
  g_return_val_if_fail (field >= 0 && field < OUTREACH_DONOR_N_FIELDS, NULL);
  return field_names[field];
}

const char *
outreach_donor_field_to_label (OutreachDonorField field)
{
  if (field == OUTREACH_DONOR_FIELD_EXTRA)
    return _("Keep as Merge Field");
  if (field == OUTREACH_DONOR_FIELD_IGNORE)
    return _("Ignore");
  g_return_val_if_fail (field >= 0 && field < OUTREACH_DONOR_N_FIELDS, NULL);
  return _(field_labels[field]);
}

/**
 * outreach_donor_field_from_string:
 * @name: a field name as `--map` takes it ("email", "extra", "ignore"),
 *   or any alias the automatic mapping knows
 */
gboolean
outreach_donor_field_from_string (const char         *name,
                                  OutreachDonorField *field)
{
  g_autofree char *key = NULL;
  OutreachDonorField guess;

  g_return_val_if_fail (name != NULL, FALSE);

  for (int i = 0; i < OUTREACH_DONOR_N_FIELDS; i++)
    if (g_ascii_strcasecmp (name, field_names[i]) == 0)
      {
        *field = i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (name, "extra") == 0)
    {
      *field = OUTREACH_DONOR_FIELD_EXTRA;
      return TRUE;
    }
  if (g_ascii_strcasecmp (name, "ignore") == 0 || g_str_equal (name, "-"))
    {
      *field = OUTREACH_DONOR_FIELD_IGNORE;
      return TRUE;
    }

  guess = outreach_donor_field_guess (name);
  if (guess == OUTREACH_DONOR_FIELD_EXTRA)
    return FALSE;
  *field = guess;
  return TRUE;
}

/**
 * outreach_donor_header_key:
 *
 * Returns: (transfer full): @header's letters and digits, lower-cased
 *   ("E-mail Address" → "emailaddress")
 */
char *
outreach_donor_header_key (const char *header)
{
  GString *key = g_string_new (NULL);

  for (const char *p = header; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (key, g_unichar_tolower (c));
    }

  return g_string_free (key, FALSE);
}

/**
 * outreach_donor_field_guess:
 *
 * Returns: the field a column with this header fills, or
 *   %OUTREACH_DONOR_FIELD_EXTRA when no alias matches
 */
OutreachDonorField
outreach_donor_field_guess (const char *header)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (header != NULL, OUTREACH_DONOR_FIELD_EXTRA);

  key = outreach_donor_header_key (header);
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    for (guint k = 0; aliases[i].keys[k] != NULL; k++)
      if (g_str_equal (key, aliases[i].keys[k]))
        return aliases[i].field;

  return OUTREACH_DONOR_FIELD_EXTRA;
}

/**
 * outreach_donor_unique_headers:
 *
 * Trims each header, names a blank one "Column N" and suffixes one that
 * repeats an earlier one ("Email (2)"), as DESIGN.md "Interfaces" says.
 *
 * Returns: (transfer full): @n_headers unique strings
 */
char **
outreach_donor_unique_headers (const char *const *headers,
                               guint              n_headers)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  char **unique = g_new0 (char *, n_headers + 1);

  for (guint i = 0; i < n_headers; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (headers[i]));
      char *name;

      if (*trimmed == '\0')
        name = g_strdup_printf (_("Column %u"), i + 1);
      else
        name = g_strdup (trimmed);

      for (guint n = 2; g_hash_table_contains (seen, name); n++)
        {
          g_free (name);
          name = *trimmed == '\0' ? g_strdup_printf ("%s %u (%u)", _("Column"), i + 1, n)
                                  : g_strdup_printf ("%s (%u)", trimmed, n);
        }
      g_hash_table_add (seen, name);
      unique[i] = name;
    }

  return unique;
}
