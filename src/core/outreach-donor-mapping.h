/* outreach-donor-mapping.h — which donor field a CSV column fills
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The donors table's columns an import can fill, in table order. */
typedef enum
{
  OUTREACH_DONOR_FIELD_EXTRA = -1,  /* kept in `extra` under the header text */
  OUTREACH_DONOR_FIELD_IGNORE = -2, /* dropped */
  OUTREACH_DONOR_FIELD_EXTERNAL_ID = 0,
  OUTREACH_DONOR_FIELD_FIRST_NAME,
  OUTREACH_DONOR_FIELD_LAST_NAME,
  OUTREACH_DONOR_FIELD_EMAIL,
  OUTREACH_DONOR_FIELD_PHONE,
  OUTREACH_DONOR_FIELD_STREET,
  OUTREACH_DONOR_FIELD_CITY,
  OUTREACH_DONOR_FIELD_REGION,
  OUTREACH_DONOR_FIELD_POSTAL_CODE,
  OUTREACH_DONOR_FIELD_COUNTRY,
  OUTREACH_DONOR_FIELD_LAST_GIFT_AMOUNT,
  OUTREACH_DONOR_FIELD_LAST_GIFT_DATE,
  OUTREACH_DONOR_FIELD_TAGS,
  OUTREACH_DONOR_FIELD_DO_NOT_CONTACT,
  OUTREACH_DONOR_N_FIELDS
} OutreachDonorField;

const char        *outreach_donor_field_to_string   (OutreachDonorField field);
const char        *outreach_donor_field_to_label    (OutreachDonorField field);
gboolean           outreach_donor_field_from_string (const char         *name,
                                                     OutreachDonorField *field);
OutreachDonorField outreach_donor_field_guess       (const char         *header);
char              *outreach_donor_header_key        (const char         *header);
char             **outreach_donor_unique_headers    (const char *const  *headers,
                                                     guint               n_headers);

G_END_DECLS
