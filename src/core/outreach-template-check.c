/* outreach-template-check.c — a message checked against the donors it goes to
 *
 * The template says which fields it uses; SQLite counts, in one pass over
 * the selected donors, for how many each used column is empty and names
 * the first such donor. Nothing is rendered per donor: that is what keeps
 * a million donors under a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-template-check"

#include "config.h"

#include "outreach-template-check.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "outreach-merge-fields.h"
#include "outreach-settings.h"
#include "outreach-template-library.h"
#include "outreach-template.h"

void
outreach_template_issue_free (OutreachTemplateIssue *issue)
{
  if (issue == NULL)
    return;
  g_free (issue->part);
  g_free (issue->field);
  g_free (issue->example_donor);
  g_free (issue->message);
  g_free (issue);
}

void
outreach_template_check_report_free (OutreachTemplateCheckReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->issues, g_ptr_array_unref);
  g_free (report);
}

gboolean
outreach_template_check_report_has_errors (OutreachTemplateCheckReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);

  for (guint i = 0; i < report->issues->len; i++)
    if (((OutreachTemplateIssue *) g_ptr_array_index (report->issues, i))->is_error)
      return TRUE;
  return FALSE;
}

/* When a donor column counts as empty, as SQL over `donors`; NULL: never. */
static const struct
{
  const char *field;
  const char *empty_sql;
} donor_columns[] = {
  { "donor_id", NULL }, { "id", NULL }, { "do_not_contact", NULL },
  { "external_id", "external_id IS NULL" },
  { "first_name", "first_name = ''" }, { "last_name", "last_name = ''" },
  { "email", "(email IS NULL OR email = '')" }, { "phone", "phone IS NULL" },
  { "street", "street = ''" }, { "city", "city = ''" }, { "region", "region = ''" },
  { "postal_code", "postal_code = ''" }, { "country", "country = ''" },
  { "last_gift_amount", "last_gift_amount IS NULL" },
  { "last_gift_amount_formatted", "last_gift_amount IS NULL" },
  { "last_gift_date", "last_gift_date IS NULL" },
  { "last_gift_date_long", "last_gift_date IS NULL" },
  { "tags", "tags = ''" },
};

/* Organisation fields come from a setting: empty for one, empty for all. */
static const struct
{
  const char *field;
  OutreachSetting setting;
} organisation_settings[] = {
  { "org_name", OUTREACH_SETTING_ORG_NAME },
  { "sender_name", OUTREACH_SETTING_SENDER_NAME },
  { "sender_address", OUTREACH_SETTING_SENDER_ADDRESS },
  { "reply_to", OUTREACH_SETTING_REPLY_TO },
  { "postal_address", OUTREACH_SETTING_POSTAL_ADDRESS },
  { "unsubscribe_url", OUTREACH_SETTING_UNSUBSCRIBE_URL },
};

typedef struct
{
  const char *label;
  const char *source;
  OutreachTemplateKind kind;
  OutreachTemplate *template;
} Part;

typedef struct
{
  char *field;
  const char *part;
  char *empty_sql;  /* owned */
} EmptyQuery;

static void
add_issue (OutreachTemplateCheckReport *report,
           OutreachTemplateIssueKind    kind,
           gboolean                     is_error,
           const char                  *part,
           const char                  *field,
           char                        *message)
{
  OutreachTemplateIssue *issue = g_new0 (OutreachTemplateIssue, 1);

  issue->kind = kind;
  issue->is_error = is_error;
  issue->part = g_strdup (part);
  issue->field = g_strdup (field);
  issue->message = message;
  g_ptr_array_add (report->issues, issue);
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = NULL;

  if (la > 64 || lb > 64)
    return G_MAXUINT;
  row = g_new (guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

static const char *
closest_field (const char *name,
               GHashTable *extra)
{
  const char *best = NULL;
  guint best_distance = 3;  /* suggest only a near miss */
  guint n;
  const OutreachMergeFieldInfo *standard = outreach_merge_fields_get_standard (&n);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < n; i++)
    {
      guint d = edit_distance (name, standard[i].name);
      if (d < best_distance)
        best = standard[i].name, best_distance = d;
    }
  g_hash_table_iter_init (&iter, extra);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint d = edit_distance (name, key);
      if (d < best_distance)
        best = key, best_distance = d;
    }
  return best;
}

static gboolean
bind_params (OutreachStore      *store,
             sqlite3_stmt       *stmt,
             const char * const *params,
             GError            **error)
{
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      int rc = sqlite3_bind_text (stmt, i + 1, params[i], -1, SQLITE_TRANSIENT);
      if (rc != SQLITE_OK)
        return outreach_store_set_error (store, rc, _("select the donors"), error);
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (OutreachStore  *store,
         const char     *sql,
         GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (outreach_store_get_db (store), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, OUTREACH_STORE_ERROR, OUTREACH_STORE_ERROR_FAILED,
                   _("Could not select the donors to check: %s"),
                   sqlite3_errmsg (outreach_store_get_db (store)));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* The extra keys of the selected donors: field name → the raw key. */
static GHashTable *
list_extra_keys (OutreachStore      *store,
                 const char         *where,
                 const char * const *params,
                 GError            **error)
{
  g_autoptr (GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *sql = g_strdup_printf ("SELECT DISTINCT j.key FROM donors, json_each (donors.extra) AS j "
                                          "WHERE donors.extra <> '{}' AND (%s)", where);
  sqlite3_stmt *stmt = prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (!bind_params (store, stmt, params, error))
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      char *name = outreach_merge_fields_name_for_header (key);

      if (name[0] != '\0' && !g_hash_table_contains (keys, name))
        g_hash_table_insert (keys, name, g_strdup (key));
      else
        g_free (name);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      outreach_store_set_error (store, rc, _("read the donors’ extra fields"), error);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

static char *
describe_donor (OutreachStore *store,
                gint64         id)
{
  sqlite3_stmt *stmt = outreach_store_prepare (store,
                                               "SELECT trim (first_name || ' ' || last_name), "
                                               "coalesce (email, phone, '') FROM donors WHERE id = ?1",
                                               NULL);
  char *text = NULL;

  if (stmt == NULL)
    return g_strdup_printf (_("donor %" G_GINT64_FORMAT), id);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *address = (const char *) sqlite3_column_text (stmt, 1);

      if (name[0] != '\0')
        text = g_strdup_printf (_("donor %" G_GINT64_FORMAT " (%s <%s>)"), id, name, address);
      else
        text = g_strdup_printf (_("donor %" G_GINT64_FORMAT " (%s)"), id, address);
    }
  sqlite3_reset (stmt);
  return text != NULL ? text : g_strdup_printf (_("donor %" G_GINT64_FORMAT), id);
}

static int
progress_cb (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

/* One slice of the donors (by id), counted on its own connection. */
typedef struct
{
  OutreachStore *store;
  const char *sql;
  const char * const *params;
  gint64 lo, hi;
  guint n_sums;
  gint64 *sums;        /* [0] the donors, then one per condition */
  GCancellable *cancellable;
  GError *error;
} Slice;

static gpointer
count_slice_thread (gpointer data)
{
  Slice *slice = data;
  sqlite3 *db = outreach_store_get_db (slice->store);
  sqlite3_stmt *stmt = prepare (slice->store, slice->sql, &slice->error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (!bind_params (slice->store, stmt, slice->params, &slice->error))
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":lo"), slice->lo);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":hi"), slice->hi);

  if (slice->cancellable != NULL)
    sqlite3_progress_handler (db, 100000, progress_cb, slice->cancellable);
  rc = sqlite3_step (stmt);
  if (slice->cancellable != NULL)
    sqlite3_progress_handler (db, 0, NULL, NULL);

  if (rc == SQLITE_ROW)
    for (guint i = 0; i < slice->n_sums; i++)
      slice->sums[i] = sqlite3_column_int64 (stmt, i);
  else if (!g_cancellable_set_error_if_cancelled (slice->cancellable, &slice->error))
    outreach_store_set_error (slice->store, rc, _("count the donors"), &slice->error);
  sqlite3_finalize (stmt);
  return NULL;
}

static gint64
first_empty_donor (OutreachStore      *store,
                   const char         *where,
                   const char         *condition,
                   const char * const *params)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM donors WHERE (%s) AND (%s) LIMIT 1",
                                          where, condition);
  sqlite3_stmt *stmt = prepare (store, sql, NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  if (bind_params (store, stmt, params, NULL) && sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return id;
}

/* Counts, for every query, the selected donors for whom its field is
 * empty: one pass, each distinct condition summed once, the id range cut
 * in slices counted in parallel on their own connections (a scan of a
 * million rows is CPU-bound in SQLite). */
static gboolean
count_empty (OutreachStore               *store,
             OutreachTemplateCheckReport *report,
             GPtrArray                   *queries,
             const char                  *where,
             const char * const          *params,
             GCancellable                *cancellable,
             GError                     **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT count(*)");
  g_autoptr (GPtrArray) conditions = g_ptr_array_new ();
  g_autofree guint *condition_of = g_new0 (guint, queries->len + 1);
  g_autofree gint64 *totals = NULL;
  sqlite3_stmt *stmt;
  gint64 min_id = 0, max_id = -1;
  guint n_slices;
  Slice slices[4] = { 0 };
  GThread *threads[4] = { NULL };
  gboolean ok = TRUE;

  for (guint i = 0; i < queries->len; i++)
    {
      EmptyQuery *query = g_ptr_array_index (queries, i);
      guint found;

      if (!g_ptr_array_find_with_equal_func (conditions, query->empty_sql, g_str_equal, &found))
        {
          found = conditions->len;
          g_ptr_array_add (conditions, query->empty_sql);
          /* FILTER skips the aggregate step for the (many) rows that do
           * not match: a third less work than sum (cond) */
          g_string_append_printf (sql, ", count(*) FILTER (WHERE %s)", query->empty_sql);
        }
      condition_of[i] = found;
    }
  g_string_append_printf (sql, " FROM donors WHERE (%s) AND id BETWEEN :lo AND :hi", where);

  /* min and max of the rowid cost nothing; count(*) would be a scan */
  stmt = outreach_store_prepare (store, "SELECT min (id), max (id), max (id) - min (id) > 50000 FROM donors",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      min_id = sqlite3_column_int64 (stmt, 0);
      max_id = sqlite3_column_int64 (stmt, 1);
    }
  n_slices = sqlite3_column_int (stmt, 2) ? CLAMP (g_get_num_processors (), 1, G_N_ELEMENTS (slices)) : 1;
  sqlite3_reset (stmt);

  totals = g_new0 (gint64, conditions->len + 1);
  for (guint k = 0; k < n_slices; k++)
    {
      gint64 span = max_id - min_id + 1;
      Slice *slice = &slices[k];

      slice->store = k == 0 ? g_object_ref (store) : outreach_store_reopen (store, &slice->error);
      slice->sql = sql->str;
      slice->params = params;
      slice->lo = min_id + span * k / n_slices;
      slice->hi = k == n_slices - 1 ? max_id : min_id + span * (k + 1) / n_slices - 1;
      slice->n_sums = conditions->len + 1;
      slice->sums = g_new0 (gint64, slice->n_sums);
      slice->cancellable = cancellable;
      if (slice->store != NULL && k > 0)
        threads[k] = g_thread_new ("outreach-check", count_slice_thread, slice);
    }
  if (slices[0].store != NULL)
    count_slice_thread (&slices[0]);
  for (guint k = 0; k < n_slices; k++)
    {
      if (threads[k] != NULL)
        g_thread_join (threads[k]);
      if (slices[k].error != NULL && ok)
        {
          g_propagate_error (error, g_steal_pointer (&slices[k].error));
          ok = FALSE;
        }
      g_clear_error (&slices[k].error);
      for (guint i = 0; ok && i < slices[k].n_sums; i++)
        totals[i] += slices[k].sums[i];
      g_free (slices[k].sums);
      g_clear_object (&slices[k].store);
    }
  if (!ok)
    return FALSE;

  report->n_donors = totals[0];
  for (guint i = 0; i < queries->len; i++)
    {
      EmptyQuery *query = g_ptr_array_index (queries, i);
      gint64 empty = totals[1 + condition_of[i]];
      gint64 example;
      OutreachTemplateIssue *issue;
      g_autofree char *who = NULL;

      if (empty == 0)
        continue;
      example = first_empty_donor (store, where, query->empty_sql, params);
      who = describe_donor (store, example);
      add_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, FALSE, query->part, query->field,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "{{%s}} in the %s is empty for %" G_GINT64_FORMAT
                                               " of %" G_GINT64_FORMAT " donor, for example %s",
                                               "{{%s}} in the %s is empty for %" G_GINT64_FORMAT
                                               " of %" G_GINT64_FORMAT " donors, for example %s",
                                               report->n_donors),
                                  query->field, query->part, empty, report->n_donors, who));
      issue = g_ptr_array_index (report->issues, report->issues->len - 1);
      issue->count = empty;
      issue->total = report->n_donors;
      issue->example_donor_id = example;
      issue->example_donor = g_steal_pointer (&who);
    }
  return TRUE;
}

static void
empty_query_free (gpointer data)
{
  EmptyQuery *query = data;

  g_free (query->field);
  g_free (query->empty_sql);
  g_free (query);
}

static int
issues_errors_first (gconstpointer a,
                     gconstpointer b)
{
  const OutreachTemplateIssue *ia = *(OutreachTemplateIssue * const *) a;
  const OutreachTemplateIssue *ib = *(OutreachTemplateIssue * const *) b;

  return (ib->is_error - ia->is_error);
}

OutreachTemplateCheckReport *
outreach_template_check (OutreachStore       *store,
                         const char          *subject,
                         const char          *text_body,
                         const char          *html_body,
                         const char          *donor_where,
                         const char * const  *params,
                         gboolean             bulk_email,
                         GCancellable        *cancellable,
                         GError             **error)
{
  g_autoptr (OutreachTemplateCheckReport) report = g_new0 (OutreachTemplateCheckReport, 1);
  g_autoptr (GHashTable) text_partials = NULL;
  g_autoptr (GHashTable) html_partials = NULL;
  g_autoptr (GHashTable) extra = NULL;
  g_autoptr (GHashTable) seen_unknown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) seen_empty = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) queries = g_ptr_array_new_with_free_func (empty_query_free);
  const char *where = donor_where != NULL && donor_where[0] != '\0' ? donor_where : "1";
  Part parts[3] = {
    { _("subject"), subject, OUTREACH_TEMPLATE_SUBJECT, NULL },
    { _("text body"), text_body, OUTREACH_TEMPLATE_TEXT, NULL },
    { _("HTML body"), html_body, OUTREACH_TEMPLATE_HTML, NULL },
  };
  gboolean needs_extra = FALSE;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) outreach_template_issue_free);

  text_partials = outreach_template_library_partials (store, OUTREACH_TEMPLATE_TEXT, error);
  if (text_partials == NULL)
    return NULL;
  html_partials = outreach_template_library_partials (store, OUTREACH_TEMPLATE_HTML, error);
  if (html_partials == NULL)
    return NULL;

  /* 1. Each part compiles. */
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autoptr (GError) local_error = NULL;

      if (parts[p].source == NULL)
        continue;
      parts[p].template = outreach_template_new (parts[p].source, parts[p].kind,
                                                 parts[p].kind == OUTREACH_TEMPLATE_HTML ? html_partials
                                                                                         : text_partials,
                                                 &local_error);
      if (parts[p].template == NULL)
        {
          add_issue (report, OUTREACH_TEMPLATE_ISSUE_SYNTAX, TRUE, parts[p].label, NULL,
                     g_strdup_printf (_("The %s has an error at %s"), parts[p].label, local_error->message));
          continue;
        }
      for (const char * const *name = outreach_template_get_field_names (parts[p].template);
           *name != NULL; name++)
        if (outreach_merge_fields_lookup (*name) == NULL)
          needs_extra = TRUE;
    }

  /* 2. Every field is known: a standard one or an extra key of these donors. */
  extra = needs_extra ? list_extra_keys (store, where, params, error)
                      : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (extra == NULL)
    goto out_fail;

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_auto (GStrv) unguarded = NULL;

      if (parts[p].template == NULL)
        continue;
      for (const char * const *name = outreach_template_get_field_names (parts[p].template);
           *name != NULL; name++)
        {
          const char *suggestion;

          if (outreach_merge_fields_lookup (*name) != NULL || g_hash_table_contains (extra, *name)
              || g_hash_table_contains (seen_unknown, *name))
            continue;
          g_hash_table_add (seen_unknown, (gpointer) *name);
          suggestion = closest_field (*name, extra);
          if (suggestion != NULL)
            add_issue (report, OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD, TRUE, parts[p].label, *name,
                       g_strdup_printf (_("{{%s}} in the %s is not a merge field; did you mean {{%s}}?"),
                                        *name, parts[p].label, suggestion));
          else
            add_issue (report, OUTREACH_TEMPLATE_ISSUE_UNKNOWN_FIELD, TRUE, parts[p].label, *name,
                       g_strdup_printf (_("{{%s}} in the %s is not a merge field of these donors; "
                                          "pick one from “Insert field”"),
                                        *name, parts[p].label));
        }

      /* 3. What is written out where an empty value would show. */
      unguarded = outreach_template_get_unguarded_fields (parts[p].template);
      for (guint i = 0; unguarded[i] != NULL; i++)
        {
          const char *name = unguarded[i];
          const char *empty_sql = NULL;
          EmptyQuery *query;

          if (g_hash_table_contains (seen_empty, name) || g_hash_table_contains (seen_unknown, name))
            continue;
          g_hash_table_add (seen_empty, (gpointer) g_intern_string (name));

          for (guint k = 0; k < G_N_ELEMENTS (organisation_settings); k++)
            if (g_str_equal (organisation_settings[k].field, name))
              {
                g_autofree char *value = outreach_settings_get_string (store, organisation_settings[k].setting, NULL);

                if (value != NULL && value[0] == '\0')
                  add_issue (report, OUTREACH_TEMPLATE_ISSUE_EMPTY_FIELD, FALSE, parts[p].label, name,
                             g_strdup_printf (_("{{%s}} in the %s is empty for every donor: set it in "
                                                "Preferences, or with “outreach settings %s VALUE”"),
                                              name, parts[p].label, name));
              }

          for (guint k = 0; k < G_N_ELEMENTS (donor_columns); k++)
            if (g_str_equal (donor_columns[k].field, name))
              empty_sql = donor_columns[k].empty_sql;

          query = g_new0 (EmptyQuery, 1);
          query->field = g_strdup (name);
          query->part = parts[p].label;
          if (empty_sql != NULL)
            query->empty_sql = g_strdup (empty_sql);
          else if (g_hash_table_contains (extra, name))
            {
              g_autofree char *path = g_strdup_printf ("$.\"%s\"", (const char *) g_hash_table_lookup (extra, name));
              char *quoted = sqlite3_mprintf ("%Q", path);

              query->empty_sql = g_strdup_printf ("coalesce (json_extract (extra, %s), '') = ''", quoted);
              sqlite3_free (quoted);
            }
          if (query->empty_sql != NULL)
            g_ptr_array_add (queries, query);
          else
            empty_query_free (query);
        }
    }

  /* 4. Count, in one pass over the selected donors. */
  if (!count_empty (store, report, queries, where, params, cancellable, error))
    goto out_fail;
  if (report->n_donors == 0)
    add_issue (report, OUTREACH_TEMPLATE_ISSUE_NO_DONORS, FALSE, NULL, NULL,
               g_strdup (_("No donors are selected, so nothing would be sent")));

  /* 5. Bulk e-mail needs a way out. */
  if (bulk_email)
    for (guint p = 1; p < G_N_ELEMENTS (parts); p++)
      if (parts[p].template != NULL && !outreach_template_uses_field (parts[p].template, "unsubscribe_url"))
        add_issue (report, OUTREACH_TEMPLATE_ISSUE_NO_UNSUBSCRIBE, FALSE, parts[p].label, "unsubscribe_url",
                   g_strdup_printf (_("The %s has no unsubscribe link: add {{unsubscribe_url}} so "
                                      "donors can stop these e-mails"), parts[p].label));

  g_ptr_array_sort (report->issues, issues_errors_first);
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    g_clear_object (&parts[p].template);
  return g_steal_pointer (&report);

out_fail:
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    g_clear_object (&parts[p].template);
  return NULL;
}

typedef struct
{
  OutreachStore *store;  /* the worker's own connection */
  char *subject;
  char *text_body;
  char *html_body;
  char *donor_where;
  GStrv params;
  gboolean bulk_email;
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *check = data;

  g_clear_object (&check->store);
  g_free (check->subject);
  g_free (check->text_body);
  g_free (check->html_body);
  g_free (check->donor_where);
  g_strfreev (check->params);
  g_free (check);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *check = task_data;
  g_autoptr (GError) error = NULL;
  OutreachTemplateCheckReport *report;

  report = outreach_template_check (check->store, check->subject, check->text_body, check->html_body,
                                    check->donor_where, (const char * const *) check->params,
                                    check->bulk_email, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) outreach_template_check_report_free);
}

void
outreach_template_check_async (OutreachStore        *store,
                               const char           *subject,
                               const char           *text_body,
                               const char           *html_body,
                               const char           *donor_where,
                               const char * const   *params,
                               gboolean              bulk_email,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  CheckData *check;

  g_return_if_fail (OUTREACH_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, outreach_template_check_async);

  check = g_new0 (CheckData, 1);
  check->store = outreach_store_reopen (store, &error);
  check->subject = g_strdup (subject);
  check->text_body = g_strdup (text_body);
  check->html_body = g_strdup (html_body);
  check->donor_where = g_strdup (donor_where);
  check->params = g_strdupv ((char **) params);
  check->bulk_email = bulk_email;
  g_task_set_task_data (task, check, check_data_free);

  if (check->store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, check_thread);
}

OutreachTemplateCheckReport *
outreach_template_check_finish (OutreachStore  *store,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
