/* outreach-merge-fields.h — the merge fields of a donor, as DESIGN.md "Templates" names them
 *
 * Every donor column, the `extra` keys (header lower-cased, every other
 * character '_'), the amounts and dates in two forms, and the
 * organisation's fields:
 *
 *   donor_id id external_id first_name last_name email phone street city
 *   region postal_code country last_gift_amount ("250.00")
 *   last_gift_amount_formatted ("$250.00", from the currency setting)
 *   last_gift_date (ISO) last_gift_date_long (the user's locale) tags
 *   (a list) do_not_contact (true/false) org_name sender_name
 *   sender_address reply_to postal_address unsubscribe_url (itself
 *   rendered as a template with the donor's fields) job_name today (ISO)
 *   today_long
 *
 * A missing value (no phone, no gift yet) is "", so that {{#phone}}…{{/phone}}
 * leaves it out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_MERGE_FIELDS_ERROR (outreach_merge_fields_error_quark ())

typedef enum
{
  OUTREACH_MERGE_FIELDS_ERROR_NO_DONOR,
  OUTREACH_MERGE_FIELDS_ERROR_BAD_UNSUBSCRIBE_URL,  /* the unsubscribe_url setting does not compile */
} OutreachMergeFieldsError;

typedef enum
{
  OUTREACH_MERGE_FIELD_DONOR,         /* a donor column */
  OUTREACH_MERGE_FIELD_ORGANISATION,  /* the same for every donor: settings, job name, today */
} OutreachMergeFieldKind;

typedef struct
{
  const char *name;
  const char *label;  /* translatable (N_), e.g. "First name" */
  OutreachMergeFieldKind kind;
} OutreachMergeFieldInfo;

GQuark      outreach_merge_fields_error_quark      (void);

/* The fields every donor has, in the order a menu shows them. */
const OutreachMergeFieldInfo *outreach_merge_fields_get_standard (guint *n_fields);
const OutreachMergeFieldInfo *outreach_merge_fields_lookup       (const char *name);

/* "Favourite Program" → "favourite_program"; "Größe" → "größe" */
char       *outreach_merge_fields_name_for_header  (const char     *header);

/* Field names of `extra` keys found in the donors (a sample of at most
 * @max_donors donors with extras, so it stays quick on a million). */
GStrv       outreach_merge_fields_list_extra       (OutreachStore  *store,
                                                    guint           max_donors,
                                                    GError        **error);

/* The agreed call: the merge fields of one donor. */
JsonObject *outreach_merge_fields_for_donor        (OutreachStore  *store,
                                                    gint64          donor_id,
                                                    const char     *job_name,
                                                    GError        **error);

/* The bulk variant, for building the fields of many donors from one
 * SELECT: read the settings and compile unsubscribe_url once, then build
 * each donor's fields from a row that selects
 * OUTREACH_MERGE_FIELDS_DONOR_COLUMNS (in that order) from `donors`,
 * starting at column @first_column. Not thread-safe; one per thread. */
#define OUTREACH_MERGE_FIELDS_DONOR_COLUMNS \
  "donors.id, donors.external_id, donors.first_name, donors.last_name, donors.email, " \
  "donors.phone, donors.street, donors.city, donors.region, donors.postal_code, " \
  "donors.country, donors.last_gift_amount, donors.last_gift_date, donors.tags, " \
  "donors.do_not_contact, donors.extra"
#define OUTREACH_MERGE_FIELDS_N_DONOR_COLUMNS 16

typedef struct _OutreachMergeFieldsBuilder OutreachMergeFieldsBuilder;

OutreachMergeFieldsBuilder *outreach_merge_fields_builder_new  (OutreachStore              *store,
                                                                const char                 *job_name,
                                                                GError                    **error);
JsonObject *outreach_merge_fields_builder_build    (OutreachMergeFieldsBuilder *self,
                                                    sqlite3_stmt               *row,
                                                    int                         first_column);
/* The same fields as JSON text appended to @out, byte for byte what
 * json_generator_to_data writes for build's object, several times faster
 * (for snapshotting the donors of a job). */
void        outreach_merge_fields_builder_write_json (OutreachMergeFieldsBuilder *self,
                                                      sqlite3_stmt               *row,
                                                      int                         first_column,
                                                      GString                    *out);
/* The same from an SQL function's arguments (the donor columns, in order). */
void        outreach_merge_fields_builder_write_json_values (OutreachMergeFieldsBuilder *self,
                                                             sqlite3_value             **values,
                                                             GString                    *out);
/* The organisation's fields alone (no donor): for a preview without donors. */
JsonObject *outreach_merge_fields_builder_build_organisation (OutreachMergeFieldsBuilder *self);
void        outreach_merge_fields_builder_free     (OutreachMergeFieldsBuilder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutreachMergeFieldsBuilder, outreach_merge_fields_builder_free)

/* Formatting, shared with the check and the preview. */
char       *outreach_merge_fields_format_amount    (gint64          cents);
char       *outreach_merge_fields_format_money     (gint64          cents,
                                                    const char     *currency);
char       *outreach_merge_fields_format_date_long (const char     *iso_date);

G_END_DECLS
