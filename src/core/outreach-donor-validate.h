/* outreach-donor-validate.h — reading one donor value the way a person typed it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OUTREACH_DONOR_ERROR (outreach_donor_error_quark ())

typedef enum
{
  OUTREACH_DONOR_ERROR_INVALID,     /* a value that cannot be read */
  OUTREACH_DONOR_ERROR_NO_ADDRESS,  /* a file or row with neither e-mail nor phone */
  OUTREACH_DONOR_ERROR_MAPPING,     /* a --map that names no column or field */
  OUTREACH_DONOR_ERROR_NOT_FOUND,
} OutreachDonorError;

typedef enum
{
  OUTREACH_DATE_FORMAT_ISO, /* only YYYY-MM-DD (and ISO 8601 with a time) */
  OUTREACH_DATE_FORMAT_DMY,
  OUTREACH_DATE_FORMAT_MDY,
  OUTREACH_DATE_FORMAT_YMD,
} OutreachDateFormat;

GQuark   outreach_donor_error_quark        (void);

gboolean outreach_date_format_from_string  (const char         *name,
                                            OutreachDateFormat *format);

gboolean outreach_check_email_address      (const char         *address,
                                            GError            **error);
gboolean outreach_donor_parse_email        (const char         *text,
                                            char              **email,
                                            GError            **error);
gboolean outreach_donor_parse_phone        (const char         *text,
                                            char              **phone,
                                            GError            **error);
gboolean outreach_donor_parse_amount       (const char         *text,
                                            gint64             *cents,
                                            GError            **error);
gboolean outreach_donor_parse_date         (const char         *text,
                                            OutreachDateFormat  format,
                                            char              **iso_date,
                                            GError            **error);
gboolean outreach_donor_parse_flag         (const char         *text,
                                            gboolean           *value,
                                            GError            **error);
char    *outreach_donor_normalize_tags     (const char         *text);
char    *outreach_donor_format_amount      (gint64              cents);

G_END_DECLS
