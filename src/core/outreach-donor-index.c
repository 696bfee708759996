/* outreach-donor-index.c — an in-memory text index for searching donors as you type
 *
 * Why not SQL: a LIKE '%term%' scan over four columns of a million rows
 * takes about 0.4 s here, and an FTS5 trigram index, though it answers
 * in milliseconds, takes ~15 s to build, 2.5× the database's size, has
 * no diacritics folding in SQLite 3.40 and falls back to a scan under 3
 * characters. Instead, the searchable text of every donor (name, e-mail,
 * city, tags), case- and accent-folded, is held in one buffer of about
 * 70 bytes a donor; memmem() over it answers any term, any length, in
 * tens of milliseconds, and it builds in about a second, in a thread.
 * The index is a snapshot: it is immutable, shared read-only between
 * threads, and rebuilt after an import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor"

#define _GNU_SOURCE
#include "config.h"

#include "outreach-donor-index.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _OutreachDonorIndex
{
  GObject parent_instance;

  GString *text;    /* rows: "first last\x1femail\x1fcity\x1f;tag;tag;\n" */
  GArray *starts;   /* guint32 offset of each row in text */
  GArray *ids;      /* gint64 donor id of each row */
};

G_DEFINE_FINAL_TYPE (OutreachDonorIndex, outreach_donor_index, G_TYPE_OBJECT)

#define FIELD_SEP '\x1f'

static void
outreach_donor_index_finalize (GObject *object)
{
  OutreachDonorIndex *self = OUTREACH_DONOR_INDEX (object);

  g_string_free (self->text, TRUE);
  g_array_unref (self->starts);
  g_array_unref (self->ids);

  G_OBJECT_CLASS (outreach_donor_index_parent_class)->finalize (object);
}

static void
outreach_donor_index_class_init (OutreachDonorIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = outreach_donor_index_finalize;
}

static void
outreach_donor_index_init (OutreachDonorIndex *self)
{
  self->text = g_string_new (NULL);
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Appends @text lower-cased and without accents ("Zürich" → "zurich"). */
static void
append_folded (GString    *out,
               const char *text)
{
  const char *p;

  for (p = text; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    {
      for (p = text; *p != '\0'; p++)
        g_string_append_c (out, g_ascii_tolower (*p));
      return;
    }

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar decomposed[4];
      gsize n;

      if (c < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower (c));
          continue;
        }
      c = g_unichar_tolower (c);
      /* The base letter of a canonical decomposition drops the accent. */
      n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
      if (n > 0)
        c = decomposed[0];
      if (c == 0xDF) /* ß */
        g_string_append (out, "ss");
      else if (c == '\n' || c == FIELD_SEP)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
}

/**
 * outreach_donor_index_fold:
 *
 * Returns: (transfer full): @text as the index holds text: lower case,
 *   accents removed — search terms are folded the same way
 */
char *
outreach_donor_index_fold (const char *text)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  append_folded (out, text);
  return g_string_free (out, FALSE);
}

/**
 * outreach_donor_index_build:
 * @store: a connection this thread may use
 *
 * Returns: (transfer full): the index of every donor, in id order
 */
OutreachDonorIndex *
outreach_donor_index_build (OutreachStore *store,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr (OutreachDonorIndex) self = g_object_new (OUTREACH_TYPE_DONOR_INDEX, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  stmt = outreach_store_prepare (store,
                                 "SELECT id, first_name, last_name, coalesce (email, phone), city, "
                                 "tags FROM donors ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint32 start = self->text->len;
      gint64 id = sqlite3_column_int64 (stmt, 0);

      append_folded (self->text, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_c (self->text, ' ');
      append_folded (self->text, (const char *) sqlite3_column_text (stmt, 2));
      g_string_append_c (self->text, FIELD_SEP);
      append_folded (self->text, (const char *) sqlite3_column_text (stmt, 3));
      g_string_append_c (self->text, FIELD_SEP);
      append_folded (self->text, (const char *) sqlite3_column_text (stmt, 4));
      g_string_append_c (self->text, FIELD_SEP);
      g_string_append_c (self->text, ';');
      append_folded (self->text, (const char *) sqlite3_column_text (stmt, 5));
      g_string_append (self->text, ";\n");
      g_array_append_val (self->starts, start);
      g_array_append_val (self->ids, id);

      if (self->ids->len % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
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

  return g_steal_pointer (&self);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr (OutreachStore) store = NULL;
  OutreachDonorIndex *index;
  GError *error = NULL;

  store = outreach_store_reopen (task_data, &error);
  if (store == NULL || (index = outreach_donor_index_build (store, cancellable, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, g_object_unref);
}

void
outreach_donor_index_build_async (OutreachStore      *store,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (OUTREACH_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, outreach_donor_index_build_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, build_thread);
}

OutreachDonorIndex *
outreach_donor_index_build_finish (GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
outreach_donor_index_get_n_donors (OutreachDonorIndex *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_INDEX (self), 0);
  return self->ids->len;
}

/* The row holding byte @offset of the text. */
static guint
row_at (OutreachDonorIndex *self,
        gsize               offset)
{
  const guint32 *starts = (const guint32 *) (gpointer) self->starts->data;
  guint lo = 0, hi = self->starts->len;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (starts[mid] <= offset)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
row_has_tag (OutreachDonorIndex *self,
             guint               row,
             const char         *wrapped_tag,
             gsize               tag_len)
{
  const char *start = self->text->str + g_array_index (self->starts, guint32, row);
  const char *end = row + 1 < self->starts->len
                      ? self->text->str + g_array_index (self->starts, guint32, row + 1)
                      : self->text->str + self->text->len;
  const char *tags = memrchr (start, FIELD_SEP, end - start);

  return tags != NULL && memmem (tags, end - tags, wrapped_tag, tag_len) != NULL;
}

/**
 * outreach_donor_index_search:
 * @search: (nullable): text to find (folded here)
 * @tag: (nullable): only donors with this tag
 * @partial_after: call @partial once this many matches are found
 * @partial: (nullable): gets the first matches while the rest are found
 *
 * Safe to call from any thread.
 *
 * Returns: (transfer full) (element-type gint64): the ids of the
 *   matching donors, in id order, or %NULL when cancelled
 */
GArray *
outreach_donor_index_search (OutreachDonorIndex           *self,
                             const char                   *search,
                             const char                   *tag,
                             guint                         partial_after,
                             OutreachDonorIndexPartialFunc partial,
                             gpointer                      user_data,
                             GCancellable                 *cancellable)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *needle = NULL;
  g_autofree char *wrapped_tag = NULL;
  gsize needle_len = 0, tag_len = 0;
  const char *text = self->text->str;
  gsize text_len = self->text->len;
  gboolean partial_sent = partial == NULL;

  g_return_val_if_fail (OUTREACH_IS_DONOR_INDEX (self), NULL);

  if (search != NULL && *search != '\0')
    {
      needle = outreach_donor_index_fold (search);
      needle_len = strlen (needle);
    }
  if (tag != NULL && *tag != '\0')
    {
      g_autofree char *folded = outreach_donor_index_fold (tag);
      wrapped_tag = g_strdup_printf (";%s;", folded);
      tag_len = strlen (wrapped_tag);
    }

  if (needle_len == 0)
    {
      for (guint row = 0; row < self->ids->len; row++)
        {
          if (tag_len > 0 && !row_has_tag (self, row, wrapped_tag, tag_len))
            continue;
          g_array_append_val (ids, g_array_index (self->ids, gint64, row));
          if (!partial_sent && ids->len >= partial_after)
            {
              partial_sent = TRUE;
              partial (ids, user_data);
            }
          if (row % 65536 == 0 && g_cancellable_is_cancelled (cancellable))
            return NULL;
        }
      return g_steal_pointer (&ids);
    }

  for (gsize offset = 0; offset < text_len;)
    {
      const char *hit = memmem (text + offset, text_len - offset, needle, needle_len);
      guint row;

      if (hit == NULL)
        break;
      row = row_at (self, hit - text);
      if (tag_len == 0 || row_has_tag (self, row, wrapped_tag, tag_len))
        {
          g_array_append_val (ids, g_array_index (self->ids, gint64, row));
          if (!partial_sent && ids->len >= partial_after)
            {
              partial_sent = TRUE;
              partial (ids, user_data);
            }
          if (ids->len % 16384 == 0 && g_cancellable_is_cancelled (cancellable))
            return NULL;
        }
      /* On to the next row: one match per donor. */
      offset = row + 1 < self->starts->len ? g_array_index (self->starts, guint32, row + 1)
                                           : text_len;
    }

  if (g_cancellable_is_cancelled (cancellable))
    return NULL;
  return g_steal_pointer (&ids);
}
