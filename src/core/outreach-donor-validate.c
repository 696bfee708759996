/* outreach-donor-validate.c — reading one donor value the way a person typed it
 *
 * Each parser takes the text of one cell and either returns the value as
 * the donors table stores it or an error saying what is wrong with it;
 * the importer adds the file, line and column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#include "config.h"

#include "outreach-donor-validate.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (outreach-donor-error-quark, outreach_donor_error)

gboolean
outreach_date_format_from_string (const char         *name,
                                  OutreachDateFormat *format)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "DMY") == 0)
    *format = OUTREACH_DATE_FORMAT_DMY;
  else if (g_ascii_strcasecmp (name, "MDY") == 0)
    *format = OUTREACH_DATE_FORMAT_MDY;
  else if (g_ascii_strcasecmp (name, "YMD") == 0)
    *format = OUTREACH_DATE_FORMAT_YMD;
  else if (g_ascii_strcasecmp (name, "ISO") == 0)
    *format = OUTREACH_DATE_FORMAT_ISO;
  else
    return FALSE;

  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (OUTREACH_DONOR_ERROR, OUTREACH_DONOR_ERROR_INVALID, format, args);
  va_end (args);
  return FALSE;
}

static char *
strip_copy (const char *text)
{
  return g_strstrip (g_strdup (text));
}

/**
 * outreach_check_email_address:
 * @address: the address exactly as it would be used (nothing is trimmed)
 *
 * What a valid e-mail address is, for donors, accounts and the settings
 * alike: a practical subset of RFC 5321/6531. One `@`; a local part of
 * 1–64 bytes made of letters, digits, ``!#$%&'*+/=?^_`{|}~.-`` or any
 * non-ASCII character, not starting or ending with a dot nor holding two
 * in a row; a domain of at least two dot-separated labels of 1–63
 * letters, digits, hyphens (not first or last) or non-ASCII characters
 * (IDN), whose last label is not all digits; 254 bytes at most. Quoted
 * local parts and IP-literal domains are refused: no provider takes them.
 *
 * The error (OUTREACH_DONOR_ERROR_INVALID) says what is wrong with it;
 * a caller that names a field may word its own.
 */
gboolean
outreach_check_email_address (const char *address,
                              GError    **error)
{
  const char *at;
  gsize local_len;
  const char *label;
  guint n_labels = 0;
  gboolean last_all_digits = TRUE;

  g_return_val_if_fail (address != NULL, FALSE);

  at = strrchr (address, '@');
  if (at == NULL)
    return invalid (error, _("“%s” is not an e-mail address (there is no @)"), address);
  if (strchr (address, '@') != at)
    return invalid (error, _("“%s” is not an e-mail address (it has more than one @)"), address);
  if (strlen (address) > 254)
    return invalid (error, _("the e-mail address “%s” is longer than 254 characters"), address);

  local_len = at - address;
  if (local_len == 0 || local_len > 64)
    return invalid (error, _("“%s” is not an e-mail address (the part before @ must have "
                             "1 to 64 characters)"), address);
  for (gsize i = 0; i < local_len; i++)
    {
      guchar c = address[i];

      if (c >= 0x80 || g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~.-", c) != NULL)
        {
          if (c == '.' && (i == 0 || i == local_len - 1 || address[i + 1] == '.'))
            return invalid (error, _("“%s” is not an e-mail address (misplaced dot before @)"),
                            address);
          continue;
        }
      return invalid (error, _("“%s” is not an e-mail address (“%c” is not allowed before @)"),
                      address, c);
    }

  label = at + 1;
  if (*label == '\0')
    return invalid (error, _("“%s” is not an e-mail address (no domain after @)"), address);
  while (label != NULL)
    {
      const char *dot = strchr (label, '.');
      gsize len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (len == 0 || len > 63)
        return invalid (error, _("“%s” is not an e-mail address (the domain has an empty or "
                                 "too long part)"), address);
      if (label[0] == '-' || label[len - 1] == '-')
        return invalid (error, _("“%s” is not an e-mail address (a domain part starts or "
                                 "ends with a hyphen)"), address);
      last_all_digits = TRUE;
      for (gsize i = 0; i < len; i++)
        {
          guchar c = label[i];

          if (!(c >= 0x80 || g_ascii_isalnum (c) || c == '-'))
            return invalid (error, _("“%s” is not an e-mail address (“%c” is not allowed in "
                                     "the domain)"), address, c);
          if (!g_ascii_isdigit (c))
            last_all_digits = FALSE;
        }
      n_labels++;
      label = dot != NULL ? dot + 1 : NULL;
    }
  if (n_labels < 2 || last_all_digits)
    return invalid (error, _("“%s” is not an e-mail address (the domain needs a name and a "
                             "top-level domain, like example.org)"), address);
  return TRUE;
}

/**
 * outreach_donor_parse_email:
 * @email: (out): the address, its domain lower-cased
 *
 * The address as typed, trimmed, if outreach_check_email_address() takes it.
 */
gboolean
outreach_donor_parse_email (const char *text,
                            char      **email,
                            GError    **error)
{
  g_autofree char *address = strip_copy (text);

  if (!outreach_check_email_address (address, error))
    return FALSE;

  /* Domains are case-insensitive; local parts, strictly, are not. */
  for (char *p = strrchr (address, '@') + 1; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);

  *email = g_steal_pointer (&address);
  return TRUE;
}

/**
 * outreach_donor_parse_phone:
 * @phone: (out): the number in E.164 (`+` and 3–15 digits)
 *
 * Spaces, dots, dashes, slashes and brackets are dropped; a leading 00
 * is read as +. A number without a country code is refused, since
 * guessing the country would send messages to strangers.
 */
gboolean
outreach_donor_parse_phone (const char *text,
                            char      **phone,
                            GError    **error)
{
  g_autofree char *stripped = strip_copy (text);
  GString *digits = g_string_new ("+");
  const char *p = stripped;

  if (g_str_has_prefix (p, "+"))
    p++;
  else if (g_str_has_prefix (p, "00"))
    p += 2;
  else
    {
      g_string_free (digits, TRUE);
      return invalid (error, _("the phone number “%s” has no country code; write it with + "
                               "and the country code, like +1 503 555 0100"), stripped);
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" .-/()\t", *p) == NULL)
        {
          g_string_free (digits, TRUE);
          return invalid (error, _("“%s” is not a phone number (“%c” is not a digit)"),
                          stripped, *p);
        }
    }

  if (digits->len < 4 || digits->len > 16 || digits->str[1] == '0')
    {
      g_string_free (digits, TRUE);
      return invalid (error, _("“%s” is not a phone number (an international number has 3 "
                               "to 15 digits after the +)"), stripped);
    }

  *phone = g_string_free (digits, FALSE);
  return TRUE;
}

/* Reads an amount as people write it: "1,234.56", "1.234,56", "1234,56",
 * "$250", "€ 12", "12.50 USD". A separator followed by exactly three
 * digits is a thousands separator unless it is the only separator and a
 * dot; one followed by one or two digits is the decimal separator. */
gboolean
outreach_donor_parse_amount (const char *text,
                             gint64     *cents,
                             GError    **error)
{
  g_autofree char *stripped = strip_copy (text);
  char digits[64];
  gsize n = 0;
  int decimal_at = -1; /* index in digits where the decimals start */
  const char *last_sep = NULL;
  guint n_seps = 0;
  gint64 value = 0;
  guint decimals;

  /* Find the last separator, to decide which one is the decimal point. */
  for (const char *p = stripped; *p != '\0'; p++)
    if (*p == '.' || *p == ',')
      {
        last_sep = p;
        n_seps++;
      }

  for (const char *p = stripped; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (*p))
        {
          if (n >= 15)
            return invalid (error, _("the amount “%s” is too large"), stripped);
          digits[n++] = *p;
        }
      else if (*p == '.' || *p == ',')
        {
          gsize after = strspn (p + 1, "0123456789");

          if (p == last_sep && (after <= 2 || (*p == '.' && n_seps == 1 && after != 3)))
            decimal_at = n;
          else if (p == last_sep && *p == '.' && n_seps == 1)
            return invalid (error, _("the amount “%s” is ambiguous (is the dot a decimal "
                                     "point?); write it as 1234.56"), stripped);
          else if (after != 3)
            return invalid (error, _("“%s” is not an amount"), stripped);
        }
      else if (c == '-' )
        return invalid (error, _("the amount “%s” is negative; a gift cannot be"), stripped);
      else if (!(g_unichar_isspace (c) || c == '$' || c == 0x20AC || c == 0xA3 || c == 0xA5 ||
                 c == 0x202F || c == '\'' || g_unichar_isupper (c)))
        return invalid (error, _("“%s” is not an amount (write it like 1234.56)"), stripped);
      p = g_utf8_next_char (p);
    }

  if (n == 0)
    return invalid (error, _("“%s” is not an amount (write it like 1234.56)"), stripped);

  decimals = decimal_at < 0 ? 0 : (guint) (n - decimal_at);
  if (decimals > 2)
    return invalid (error, _("the amount “%s” has more than two decimals"), stripped);
  for (gsize i = 0; i < n; i++)
    value = value * 10 + (digits[i] - '0');
  for (; decimals < 2; decimals++)
    value *= 10;

  *cents = value;
  return TRUE;
}

static gboolean
read_number (const char **p,
             guint        max_digits,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      *value = *value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  return n > 0 && !g_ascii_isdigit (**p);
}

/**
 * outreach_donor_parse_date:
 * @format: how to read a date that is not ISO 8601
 * @iso_date: (out): YYYY-MM-DD
 */
gboolean
outreach_donor_parse_date (const char        *text,
                           OutreachDateFormat format,
                           char             **iso_date,
                           GError           **error)
{
  g_autofree char *stripped = strip_copy (text);
  const char *p = stripped;
  guint a, b, c, year, month, day;
  char sep;

  if (!read_number (&p, 4, &a))
    goto bad;
  sep = *p;
  if (sep != '-' && sep != '/' && sep != '.')
    goto bad;
  p++;
  if (!read_number (&p, 2, &b) || *p != sep)
    goto bad;
  p++;
  if (!read_number (&p, 4, &c))
    goto bad;
  /* ISO 8601 may go on with a time, which a gift date does not need. */
  if (*p != '\0' && !(*p == 'T' || *p == ' '))
    goto bad;

  if (p - stripped >= 8 && stripped[4] == '-' && sep == '-')
    {
      year = a, month = b, day = c;
    }
  else
    {
      switch (format)
        {
        case OUTREACH_DATE_FORMAT_DMY:
          day = a, month = b, year = c;
          break;
        case OUTREACH_DATE_FORMAT_MDY:
          month = a, day = b, year = c;
          break;
        case OUTREACH_DATE_FORMAT_YMD:
          year = a, month = b, day = c;
          break;
        case OUTREACH_DATE_FORMAT_ISO:
        default:
          return invalid (error, _("the date “%s” is not YYYY-MM-DD; say how the file writes "
                                   "dates with --date-format DMY, MDY or YMD"), stripped);
        }
    }

  if (year < 1000 || !g_date_valid_dmy (day, month, year))
    return invalid (error, _("“%s” is not a valid date"), stripped);

  *iso_date = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  return TRUE;

bad:
  return invalid (error, _("“%s” is not a date (write it as YYYY-MM-DD)"), stripped);
}

/**
 * outreach_donor_parse_flag:
 *
 * yes/no, true/false, y/n, 1/0, x (a ticked box) or empty (= no).
 */
gboolean
outreach_donor_parse_flag (const char *text,
                           gboolean   *value,
                           GError    **error)
{
  static const char *const yes[] = { "yes", "y", "true", "t", "1", "x", "on", NULL };
  static const char *const no[] = { "no", "n", "false", "f", "0", "", "off", NULL };
  g_autofree char *stripped = strip_copy (text);

  for (guint i = 0; yes[i] != NULL; i++)
    if (g_ascii_strcasecmp (stripped, yes[i]) == 0)
      {
        *value = TRUE;
        return TRUE;
      }
  for (guint i = 0; no[i] != NULL; i++)
    if (g_ascii_strcasecmp (stripped, no[i]) == 0)
      {
        *value = FALSE;
        return TRUE;
      }

  return invalid (error, _("“%s” is not yes or no (write yes, no, true, false, 1, 0 or x)"),
                  stripped);
}

/**
 * outreach_donor_normalize_tags:
 *
 * Returns: (transfer full): the tags of @text (split on `;` `,` or `|`),
 *   trimmed, without blanks or repeats, joined with `;`
 */
char *
outreach_donor_normalize_tags (const char *text)
{
  g_auto (GStrv) parts = g_strsplit_set (text, ";,|", -1);
  GString *tags = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *tag = g_strstrip (parts[i]);
      gboolean repeat = FALSE;

      if (*tag == '\0')
        continue;
      for (guint k = 0; k < i && !repeat; k++)
        repeat = g_str_equal (parts[k], tag);
      if (repeat)
        continue;
      if (tags->len > 0)
        g_string_append_c (tags, ';');
      g_string_append (tags, tag);
    }

  return g_string_free (tags, FALSE);
}

/**
 * outreach_donor_format_amount:
 *
 * Returns: (transfer full): @cents as a decimal string, "1234.56"
 */
char *
outreach_donor_format_amount (gint64 cents)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100));
}
