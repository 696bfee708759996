/* outreach-donor.h — one donor, as read from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "outreach-store.h"

G_BEGIN_DECLS

/* The columns outreach_donor_new_from_row() reads, in order; append
 * WHERE/ORDER clauses to it. The table alias is `d`. */
#define OUTREACH_DONOR_SELECT \
  "SELECT d.id, d.external_id, d.first_name, d.last_name, d.email, d.phone, d.street, " \
  "d.city, d.region, d.postal_code, d.country, d.last_gift_amount, d.last_gift_date, " \
  "d.tags, d.do_not_contact, d.extra, " \
  "EXISTS (SELECT 1 FROM suppressions s WHERE s.address = d.email OR s.address = d.phone) " \
  "FROM donors d"

#define OUTREACH_TYPE_DONOR (outreach_donor_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonor, outreach_donor, OUTREACH, DONOR, GObject)

OutreachDonor *outreach_donor_new_from_row       (sqlite3_stmt  *stmt);
gint64         outreach_donor_get_id             (OutreachDonor *self);
const char    *outreach_donor_get_external_id    (OutreachDonor *self);
const char    *outreach_donor_get_first_name     (OutreachDonor *self);
const char    *outreach_donor_get_last_name      (OutreachDonor *self);
char          *outreach_donor_dup_display_name   (OutreachDonor *self);
const char    *outreach_donor_get_email          (OutreachDonor *self);
const char    *outreach_donor_get_phone          (OutreachDonor *self);
const char    *outreach_donor_get_street         (OutreachDonor *self);
const char    *outreach_donor_get_city           (OutreachDonor *self);
const char    *outreach_donor_get_region         (OutreachDonor *self);
const char    *outreach_donor_get_postal_code    (OutreachDonor *self);
const char    *outreach_donor_get_country        (OutreachDonor *self);
gboolean       outreach_donor_get_last_gift      (OutreachDonor *self,
                                                  gint64        *cents);
const char    *outreach_donor_get_last_gift_date (OutreachDonor *self);
const char    *outreach_donor_get_tags           (OutreachDonor *self);
gboolean       outreach_donor_get_do_not_contact (OutreachDonor *self);
gboolean       outreach_donor_get_suppressed     (OutreachDonor *self);
const char    *outreach_donor_get_extra          (OutreachDonor *self);
JsonNode      *outreach_donor_to_json            (OutreachDonor *self);

G_END_DECLS
