/* outreach-job-draft-selection.c — which donors a new job goes to, as the wizard's picker chose them
 *
 * The picker filters more finely than the donor queries the CLI uses (city,
 * last gift, channel), and a person can then take donors out of "all
 * matching" or pick a few by hand. All of it is one SQL condition on the
 * donors table with fixed parameters, so a count, a page of the list and
 * the launch all see exactly the same donors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-draft"

#include "config.h"

#include "outreach-job-draft-selection.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MATCHING_SQL \
  "(?1 IS NULL OR d.first_name LIKE ?1 ESCAPE '\\' OR d.last_name LIKE ?1 ESCAPE '\\'" \
  " OR (d.first_name || ' ' || d.last_name) LIKE ?1 ESCAPE '\\' OR d.email LIKE ?1 ESCAPE '\\'" \
  " OR d.phone LIKE ?1 ESCAPE '\\' OR d.city LIKE ?1 ESCAPE '\\' OR d.tags LIKE ?1 ESCAPE '\\')" \
  " AND (?2 IS NULL OR (';' || d.tags || ';') LIKE ?2 ESCAPE '\\')" \
  " AND (?3 IS NULL OR d.city = ?3 COLLATE NOCASE)" \
  " AND (?4 IS NULL OR d.last_gift_date >= ?4)" \
  " AND (?5 IS NULL OR d.last_gift_amount >= ?5)" \
  " AND (?6 = 0 OR d.email IS NOT NULL)" \
  " AND (?7 = 0 OR d.phone IS NOT NULL)"

/* With "all matching", a toggled donor is one taken out; otherwise one put in. */
#define SELECTED_SQL \
  MATCHING_SQL " AND ((?8 = 1) <> (d.id IN (SELECT value FROM json_each (?9))))"

const char *
outreach_donor_selection_matching_sql (void)
{
  return MATCHING_SQL;
}

const char *
outreach_donor_selection_selected_sql (void)
{
  return SELECTED_SQL;
}

static void
free_id (gpointer data)
{
  g_free (data);
}

OutreachDonorSelection *
outreach_donor_selection_new (void)
{
  OutreachDonorSelection *self = g_new0 (OutreachDonorSelection, 1);

  self->min_amount = -1;
  self->toggled = g_hash_table_new_full (g_int64_hash, g_int64_equal, free_id, NULL);
  return self;
}

OutreachDonorSelection *
outreach_donor_selection_copy (const OutreachDonorSelection *self)
{
  OutreachDonorSelection *copy;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  copy = outreach_donor_selection_new ();
  copy->search = g_strdup (self->search);
  copy->tag = g_strdup (self->tag);
  copy->city = g_strdup (self->city);
  copy->gave_since = g_strdup (self->gave_since);
  copy->min_amount = self->min_amount;
  copy->need_email = self->need_email;
  copy->need_phone = self->need_phone;
  copy->all_matching = self->all_matching;
  g_hash_table_iter_init (&iter, self->toggled);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (copy->toggled, g_memdup2 (key, sizeof (gint64)));
  return copy;
}

void
outreach_donor_selection_free (OutreachDonorSelection *self)
{
  if (self == NULL)
    return;
  g_free (self->search);
  g_free (self->tag);
  g_free (self->city);
  g_free (self->gave_since);
  g_hash_table_unref (self->toggled);
  g_free (self);
}

gboolean
outreach_donor_selection_is_toggled (const OutreachDonorSelection *self,
                                     gint64                        donor_id)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->toggled, &donor_id);
}

void
outreach_donor_selection_toggle (OutreachDonorSelection *self,
                                 gint64                  donor_id)
{
  g_return_if_fail (self != NULL);

  if (!g_hash_table_remove (self->toggled, &donor_id))
    g_hash_table_add (self->toggled, g_memdup2 (&donor_id, sizeof donor_id));
}

/* Whether @donor_id (which must be a matching donor) is chosen. */
gboolean
outreach_donor_selection_is_selected (const OutreachDonorSelection *self,
                                      gint64                        donor_id)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->all_matching != outreach_donor_selection_is_toggled (self, donor_id);
}

/* Every matching donor (@all) or none; forgets the individual choices. */
void
outreach_donor_selection_select_all (OutreachDonorSelection *self,
                                     gboolean                all)
{
  g_return_if_fail (self != NULL);

  self->all_matching = all;
  g_hash_table_remove_all (self->toggled);
}

static char *
like_pattern (const char *prefix,
              const char *text,
              const char *suffix)
{
  GString *pattern = g_string_new (prefix);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append (pattern, suffix);
  return g_string_free (pattern, FALSE);
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

static char *
toggled_json (const OutreachDonorSelection *self)
{
  GString *json = g_string_new ("[");
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->toggled);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "",
                            *(gint64 *) key);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

void
outreach_donor_selection_bind (const OutreachDonorSelection *self,
                               sqlite3_stmt                 *stmt)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (stmt != NULL);

  if (is_set (self->search))
    sqlite3_bind_text (stmt, 1, like_pattern ("%", self->search, "%"), -1, g_free);
  else
    sqlite3_bind_null (stmt, 1);
  if (is_set (self->tag))
    sqlite3_bind_text (stmt, 2, like_pattern ("%;", self->tag, ";%"), -1, g_free);
  else
    sqlite3_bind_null (stmt, 2);
  if (is_set (self->city))
    sqlite3_bind_text (stmt, 3, g_strdup (self->city), -1, g_free);
  else
    sqlite3_bind_null (stmt, 3);
  if (is_set (self->gave_since))
    sqlite3_bind_text (stmt, 4, g_strdup (self->gave_since), -1, g_free);
  else
    sqlite3_bind_null (stmt, 4);
  if (self->min_amount >= 0)
    sqlite3_bind_int64 (stmt, 5, self->min_amount);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int (stmt, 6, self->need_email ? 1 : 0);
  sqlite3_bind_int (stmt, 7, self->need_phone ? 1 : 0);
  sqlite3_bind_int (stmt, 8, self->all_matching ? 1 : 0);
  sqlite3_bind_text (stmt, 9, toggled_json (self), -1, g_free);
}

static GArray *
read_ids (const OutreachDonorSelection *self,
          OutreachStore                *store,
          const char                   *sql,
          guint                         limit,
          GCancellable                 *cancellable,
          GError                      **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = outreach_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  outreach_donor_selection_bind (self, stmt);
  sqlite3_bind_int64 (stmt, 10, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      if ((ids->len & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the donors"), error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/**
 * outreach_donor_selection_matching_ids:
 *
 * Returns: (transfer full): the ids (gint64) of the donors the filters let
 *   through, in id order, or %NULL with @error set
 */
GArray *
outreach_donor_selection_matching_ids (const OutreachDonorSelection *self,
                                       OutreachStore                *store,
                                       GCancellable                 *cancellable,
                                       GError                      **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  return read_ids (self, store,
                   "SELECT d.id FROM donors d WHERE " MATCHING_SQL " ORDER BY d.id LIMIT ?10",
                   0, cancellable, error);
}

GArray *
outreach_donor_selection_sample_ids (const OutreachDonorSelection *self,
                                     OutreachStore                *store,
                                     guint                         limit,
                                     GError                      **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  return read_ids (self, store,
                   "SELECT d.id FROM donors d WHERE " SELECTED_SQL " ORDER BY d.id LIMIT ?10",
                   limit, NULL, error);
}

/**
 * outreach_donor_selection_count:
 *
 * Counts the chosen donors and those a job would leave out or skip, by
 * the same rules as job creation: no address → left out; an address seen
 * before (case-insensitive, first donor in id order wins) → left out;
 * do-not-contact, then suppressed → skipped.
 */
gboolean
outreach_donor_selection_count (const OutreachDonorSelection *self,
                                OutreachStore                *store,
                                gboolean                      by_phone,
                                OutreachDonorSelectionCounts *counts,
                                GError                      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);

  stmt = outreach_store_prepare (store,
                                 "SELECT count (*) FROM donors d WHERE " MATCHING_SQL,
                                 error);
  if (stmt == NULL)
    return FALSE;
  outreach_donor_selection_bind (self, stmt);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    counts->matching = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return outreach_store_set_error (store, rc, _("count the donors"), error);

  stmt = outreach_store_prepare (store,
                                 "SELECT count (*),"
                                 " coalesce (sum (a IS NULL), 0),"
                                 " coalesce (sum (a IS NOT NULL AND n > 1), 0),"
                                 " coalesce (sum (a IS NOT NULL AND n = 1 AND dnc), 0),"
                                 " coalesce (sum (a IS NOT NULL AND n = 1 AND NOT dnc AND EXISTS"
                                 "   (SELECT 1 FROM suppressions s WHERE s.address IN (email, phone))), 0)"
                                 " FROM (SELECT d.email, d.phone, d.do_not_contact AS dnc,"
                                 "         CASE WHEN ?10 THEN d.phone ELSE d.email END AS a,"
                                 "         row_number () OVER (PARTITION BY CASE WHEN ?10 THEN d.phone"
                                 "           ELSE d.email END COLLATE NOCASE ORDER BY d.id) AS n"
                                 "       FROM donors d WHERE " SELECTED_SQL ")",
                                 error);
  if (stmt == NULL)
    return FALSE;
  outreach_donor_selection_bind (self, stmt);
  sqlite3_bind_int (stmt, 10, by_phone ? 1 : 0);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      counts->selected = sqlite3_column_int64 (stmt, 0);
      counts->no_address = sqlite3_column_int64 (stmt, 1);
      counts->duplicates = sqlite3_column_int64 (stmt, 2);
      counts->do_not_contact = sqlite3_column_int64 (stmt, 3);
      counts->suppressed = sqlite3_column_int64 (stmt, 4);
      counts->reachable = counts->selected - counts->no_address - counts->duplicates
                          - counts->do_not_contact - counts->suppressed;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return outreach_store_set_error (store, rc, _("count the chosen donors"), error);
  return TRUE;
}

JsonNode *
outreach_donor_selection_to_json (const OutreachDonorSelection *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
#define ADD_STRING(member, value) \
  if (is_set (value)) \
    { \
      json_builder_set_member_name (builder, member); \
      json_builder_add_string_value (builder, value); \
    }
  ADD_STRING ("search", self->search);
  ADD_STRING ("tag", self->tag);
  ADD_STRING ("city", self->city);
  ADD_STRING ("gave_since", self->gave_since);
#undef ADD_STRING
  json_builder_set_member_name (builder, "min_amount");
  json_builder_add_int_value (builder, self->min_amount);
  json_builder_set_member_name (builder, "need_email");
  json_builder_add_boolean_value (builder, self->need_email);
  json_builder_set_member_name (builder, "need_phone");
  json_builder_add_boolean_value (builder, self->need_phone);
  json_builder_set_member_name (builder, "all_matching");
  json_builder_add_boolean_value (builder, self->all_matching);
  json_builder_set_member_name (builder, "toggled");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->toggled);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_builder_add_int_value (builder, *(gint64 *) key);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
dup_member_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* A selection saved by outreach_donor_selection_to_json(); members that
 * are missing or of the wrong type keep their defaults. */
OutreachDonorSelection *
outreach_donor_selection_from_json (JsonObject *object)
{
  OutreachDonorSelection *self = outreach_donor_selection_new ();
  JsonArray *toggled;

  g_return_val_if_fail (object != NULL, self);

  self->search = dup_member_string (object, "search");
  self->tag = dup_member_string (object, "tag");
  self->city = dup_member_string (object, "city");
  self->gave_since = dup_member_string (object, "gave_since");
  self->min_amount = json_object_get_int_member_with_default (object, "min_amount", -1);
  self->need_email = json_object_get_boolean_member_with_default (object, "need_email", FALSE);
  self->need_phone = json_object_get_boolean_member_with_default (object, "need_phone", FALSE);
  self->all_matching = json_object_get_boolean_member_with_default (object, "all_matching", FALSE);
  toggled = json_object_has_member (object, "toggled") &&
            JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "toggled"))
              ? json_object_get_array_member (object, "toggled") : NULL;
  for (guint i = 0; toggled != NULL && i < json_array_get_length (toggled); i++)
    {
      gint64 id = json_array_get_int_element (toggled, i);

      g_hash_table_add (self->toggled, g_memdup2 (&id, sizeof id));
    }
  return self;
}
