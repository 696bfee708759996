/* outreach-template.c — Mustache templates, compiled once and rendered many times
 *
 * The required modules of the Mustache spec: interpolation, sections,
 * inverted sections, comments, set delimiters and partials.
 *
 * A template compiles to a flat array of nodes; a section node knows where
 * its body ends, so rendering walks index ranges and never re-parses. The
 * parser uses an explicit stack, never recursion, so no template can
 * overflow the C stack while compiling; rendering recurses only per
 * section or partial level, which OUTREACH_TEMPLATE_MAX_DEPTH bounds.
 *
 * A compiled template is never changed after outreach_template_new()
 * returns, and rendering keeps its state on the caller's stack, so any
 * number of threads may render one template at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-template"

#include "config.h"

#include "outreach-template.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (outreach-template-error-quark, outreach_template_error)

typedef enum
{
  NODE_TEXT,
  NODE_VARIABLE,        /* {{x}}: escaped in HTML */
  NODE_RAW_VARIABLE,    /* {{{x}}} and {{&x}}: never escaped */
  NODE_SECTION,
  NODE_INVERTED,
  NODE_PARTIAL,
} NodeType;

typedef struct _Compiled Compiled;

typedef struct
{
  char **parts;   /* a dotted name split on '.'; NULL for the implicit iterator "." */
  guint n_parts;
  guint slot;     /* where a render remembers the root's value for parts[0], or NO_SLOT */
  guint root_slot; /* slot for a one-part name, else NO_SLOT: write_root_string () */
} Name;

/* Field look-ups resolved ahead: every distinct first name part gets a
 * slot, and one render looks each up in the fields' hash table at most
 * once, however often the template uses it. */
#define MAX_SLOTS 64
#define NO_SLOT G_MAXUINT

typedef struct
{
  NodeType type;
  /* The literal text before the tag, written first: fusing text into the
   * next tag halves the nodes a render dispatches on. A NODE_TEXT is only
   * this. Points into the compiled source. */
  const char *prefix;
  gsize prefix_len;
  gboolean prefix_ends_line;  /* it ends with '\n' (for partial indentation) */
  Name name;             /* variables, sections */
  guint end;             /* sections: index just past the body */
  /* partials */
  char *partial_name;
  char *indent;          /* standalone partial: the whitespace before it */
  const Compiled *partial;
  gsize offset;          /* the tag's byte offset in the source, for errors */
} Node;

struct _Compiled
{
  char *name;      /* NULL for the template itself */
  char *source;
  GArray *nodes;   /* Node */
};

struct _OutreachTemplate
{
  GObject parent_instance;

  OutreachTemplateKind kind;
  Compiled *main;
  GHashTable *partials;  /* name → Compiled; a NULL value is a missing partial (lenient) */
  GStrv field_names;
  guint n_slots;
  /* slot names, and an open-addressing table from a cheap key hash to
   * slot + 1, so that a render can bind the root's members to slots by
   * walking them once instead of hashing every name */
  const char *slot_names[MAX_SLOTS];
  guint8 slot_name_lens[MAX_SLOTS];
  guint8 slot_table[4 * MAX_SLOTS];
  guint slot_table_mask;
};

G_DEFINE_FINAL_TYPE (OutreachTemplate, outreach_template, G_TYPE_OBJECT)

static void
node_clear (gpointer data)
{
  Node *node = data;

  g_strfreev (node->name.parts);
  g_free (node->partial_name);
  g_free (node->indent);
}

static void
compiled_free (Compiled *compiled)
{
  if (compiled == NULL)
    return;
  g_free (compiled->name);
  g_free (compiled->source);
  g_clear_pointer (&compiled->nodes, g_array_unref);
  g_free (compiled);
}

/* Bytes readable past the end of any literal text of a compiled template */
#define SOURCE_PADDING 16

static Compiled *
compiled_new (const char *name,
              const char *source)
{
  Compiled *compiled = g_new0 (Compiled, 1);
  gsize len = strlen (source);

  compiled->name = g_strdup (name);
  /* with SOURCE_PADDING zero bytes after it: see out_append_padded () */
  compiled->source = g_malloc0 (len + 1 + SOURCE_PADDING);
  memcpy (compiled->source, source, len);
  compiled->nodes = g_array_new (FALSE, TRUE, sizeof (Node));
  g_array_set_clear_func (compiled->nodes, node_clear);
  return compiled;
}

void
outreach_template_location_clear (OutreachTemplateLocation *location)
{
  g_clear_pointer (&location->partial, g_free);
  g_clear_pointer (&location->message, g_free);
  location->line = 0;
  location->column = 0;
}

/* Parsing */

typedef struct
{
  Compiled *compiled;
  const char *src;
  gsize len;
  char *otag;
  char *ctag;
  gsize otag_len;
  gsize ctag_len;
  /* open sections: indices into compiled->nodes */
  GArray *open;
  /* literal text not yet in a node */
  gsize pending_start;
  gsize pending_end;
  /* error */
  gsize error_offset;
  int error_code;
  char *error_message;
} Parser;

static void
offset_to_line_column (const char *src,
                       gsize       offset,
                       guint      *line,
                       guint      *column)
{
  const char *line_start = src;

  *line = 1;
  for (gsize i = 0; i < offset && src[i] != '\0'; i++)
    if (src[i] == '\n')
      {
        (*line)++;
        line_start = src + i + 1;
      }
  *column = 1 + (guint) g_utf8_strlen (line_start, src + offset - line_start);
}

static gboolean
parser_fail (Parser     *parser,
             int         code,
             gsize       offset,
             const char *format,
             ...) G_GNUC_PRINTF (4, 5);

static gboolean
parser_fail (Parser     *parser,
             int         code,
             gsize       offset,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_free (parser->error_message);
  parser->error_message = g_strdup_vprintf (format, args);
  va_end (args);
  parser->error_offset = offset;
  parser->error_code = code;
  return FALSE;
}

/* Literal text waits in the parser until the next node takes it as its
 * prefix, or flush_text() makes it a node of its own. */
static void
add_text (Parser *parser,
          gsize   start,
          gsize   end)
{
  g_assert (parser->pending_end == parser->pending_start || parser->pending_end == start);
  if (start >= end)
    return;
  if (parser->pending_end == parser->pending_start)
    parser->pending_start = start;
  parser->pending_end = end;
}

static void
take_text (Parser *parser,
           Node   *node)
{
  if (parser->pending_end == parser->pending_start)
    return;
  node->prefix = parser->compiled->source + parser->pending_start;
  node->prefix_len = parser->pending_end - parser->pending_start;
  node->prefix_ends_line = parser->src[parser->pending_end - 1] == '\n';
  parser->pending_start = parser->pending_end = 0;
}

static void
flush_text (Parser *parser)
{
  Node node = { .type = NODE_TEXT };

  if (parser->pending_end == parser->pending_start)
    return;
  node.offset = parser->pending_start;
  take_text (parser, &node);
  g_array_append_val (parser->compiled->nodes, node);
}

static void
append_node (Parser *parser,
             Node   *node)
{
  take_text (parser, node);
  g_array_append_val (parser->compiled->nodes, *node);
}

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits and checks a tag's name; returns FALSE with an error. */
static gboolean
parse_name (Parser     *parser,
            const char *start,
            const char *end,
            gsize       tag_offset,
            Name       *name)
{
  g_autofree char *text = NULL;

  if (end < start)
    end = start;
  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  if (start == end)
    return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_offset,
                        _("empty tag: put a field name between the braces, like {{first_name}}"));

  text = g_strndup (start, end - start);
  for (const char *p = text; *p != '\0'; p++)
    if (is_space (*p))
      return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_offset,
                          _("“%s” is not a field name: a name cannot contain spaces"), text);

  if (g_str_equal (text, "."))
    {
      name->parts = NULL;
      name->n_parts = 0;
      return TRUE;
    }

  name->parts = g_strsplit (text, ".", -1);
  name->n_parts = g_strv_length (name->parts);
  for (guint i = 0; i < name->n_parts; i++)
    if (name->parts[i][0] == '\0')
      {
        g_clear_pointer (&name->parts, g_strfreev);
        return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_offset,
                            _("“%s” is not a field name: a dot must sit between two names, like {{donor.city}}"),
                            text);
      }

  return TRUE;
}

static char *
name_to_string (const Name *name)
{
  return name->parts != NULL ? g_strjoinv (".", name->parts) : g_strdup (".");
}

static gboolean
set_delimiters (Parser     *parser,
                const char *start,
                const char *end,
                gsize       tag_offset)
{
  const char *open_start, *open_end, *close_start, *close_end;

  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  open_start = start;
  open_end = open_start;
  while (open_end < end && !is_space (*open_end))
    open_end++;
  close_start = open_end;
  while (close_start < end && is_space (*close_start))
    close_start++;
  close_end = close_start;
  while (close_end < end && !is_space (*close_end))
    close_end++;

  if (open_end == open_start || close_end == close_start || close_end != end
      || memchr (open_start, '=', open_end - open_start) != NULL
      || memchr (close_start, '=', close_end - close_start) != NULL)
    return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_offset,
                        _("bad delimiter change: write two delimiters separated by a space, "
                          "without “=” or spaces in them, like {{=<%% %%>=}}"));

  g_free (parser->otag);
  g_free (parser->ctag);
  parser->otag = g_strndup (open_start, open_end - open_start);
  parser->ctag = g_strndup (close_start, close_end - close_start);
  parser->otag_len = open_end - open_start;
  parser->ctag_len = close_end - close_start;
  return TRUE;
}

static const char *
find_string (const char *haystack,
             gsize       haystack_len,
             const char *needle,
             gsize       needle_len)
{
  const char *end = haystack + haystack_len;

  /* memchr for the first byte, then compare the rest: delimiters are short */
  while (haystack_len >= needle_len)
    {
      const char *p = memchr (haystack, needle[0], haystack_len - needle_len + 1);

      if (p == NULL)
        return NULL;
      if (memcmp (p + 1, needle + 1, needle_len - 1) == 0)
        return p;
      haystack = p + 1;
      haystack_len = end - haystack;
    }
  return NULL;
}

/* Parses one template (the main one or a partial) into parser->compiled. */
static gboolean
parse (Parser *parser)
{
  const char *src = parser->src;
  gsize len = parser->len;
  gsize text_start = 0;
  gsize pos = 0;

  parser->otag = g_strdup ("{{");
  parser->ctag = g_strdup ("}}");
  parser->otag_len = parser->ctag_len = 2;

  for (;;)
    {
      const char *found = find_string (src + pos, len - pos, parser->otag, parser->otag_len);
      gsize tag_start, content_start, content_end, tag_end;
      char sigil;
      const char *close;
      gsize line_start;
      gboolean standalone = FALSE;
      gsize after_line = 0;
      Node node = { 0 };

      if (found == NULL)
        {
          add_text (parser, text_start, len);
          flush_text (parser);
          break;
        }

      tag_start = found - src;
      content_start = tag_start + parser->otag_len;
      sigil = content_start < len ? src[content_start] : '\0';

      if (sigil == '{')
        {
          /* {{{name}}}: the closing tag is "}" then the closing delimiter */
          g_autofree char *triple_close = g_strconcat ("}", parser->ctag, NULL);

          /* after the '{': with a closing delimiter like "{", the sigil
           * itself must not count as the end */
          close = content_start + 1 <= len
                    ? find_string (src + content_start + 1, len - content_start - 1,
                                   triple_close, parser->ctag_len + 1)
                    : NULL;
          if (close == NULL)
            return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_start,
                                _("unclosed tag: “%s{” has no matching “}%s”"),
                                parser->otag, parser->ctag);
          content_end = close - src;
          tag_end = content_end + 1 + parser->ctag_len;
        }
      else if (sigil == '=')
        {
          g_autofree char *eq_close = g_strconcat ("=", parser->ctag, NULL);

          close = find_string (src + content_start + 1, len - content_start - 1,
                               eq_close, parser->ctag_len + 1);
          if (close == NULL)
            return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_start,
                                _("bad delimiter change: “%s=” has no matching “=%s”"),
                                parser->otag, parser->ctag);
          content_end = close - src;
          tag_end = content_end + 1 + parser->ctag_len;
        }
      else
        {
          /* The end is searched after the sigil, if any: with delimiters
           * set to "Y ^", "Y^^" is an inverted section whose sigil is
           * also the closing delimiter. */
          gsize body = content_start + (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!'
                                        || sigil == '>' || sigil == '&');

          close = body <= len ? find_string (src + body, len - body, parser->ctag, parser->ctag_len) : NULL;
          if (close == NULL)
            return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_start,
                                _("unclosed tag: “%s” has no matching “%s”"),
                                parser->otag, parser->ctag);
          content_end = close - src;
          tag_end = content_end + parser->ctag_len;
        }

      /* A section, inverted, closing, comment, partial or delimiter tag alone
       * on its line takes the whole line with it. */
      if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>'
          || sigil == '=')
        {
          gsize p = tag_start;

          while (p > text_start && is_blank (src[p - 1]))
            p--;
          line_start = p;
          if (p == 0 || src[p - 1] == '\n')
            {
              gsize q = tag_end;

              while (q < len && is_blank (src[q]))
                q++;
              if (q == len)
                standalone = TRUE, after_line = q;
              else if (src[q] == '\n')
                standalone = TRUE, after_line = q + 1;
              else if (src[q] == '\r' && q + 1 < len && src[q + 1] == '\n')
                standalone = TRUE, after_line = q + 2;
            }
        }
      else
        line_start = tag_start;

      if (standalone)
        add_text (parser, text_start, line_start);
      else
        add_text (parser, text_start, tag_start);

      node.offset = tag_start;
      switch (sigil)
        {
        case '!':
          /* the text after it is not contiguous with the text before */
          flush_text (parser);
          break;

        case '=':
          flush_text (parser);
          if (!set_delimiters (parser, src + content_start + 1, src + content_end, tag_start))
            return FALSE;
          break;

        case '{':
        case '&':
          node.type = NODE_RAW_VARIABLE;
          if (!parse_name (parser, src + content_start + 1, src + content_end, tag_start, &node.name))
            return FALSE;
          append_node (parser, &node);
          break;

        case '#':
        case '^':
          if (parser->open->len >= OUTREACH_TEMPLATE_MAX_DEPTH)
            return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_TOO_DEEP, tag_start,
                                _("sections are nested more than %d deep here; "
                                  "close some sections before opening more"),
                                OUTREACH_TEMPLATE_MAX_DEPTH);
          node.type = sigil == '#' ? NODE_SECTION : NODE_INVERTED;
          if (!parse_name (parser, src + content_start + 1, src + content_end, tag_start, &node.name))
            return FALSE;
          append_node (parser, &node);
          {
            guint index = parser->compiled->nodes->len - 1;
            g_array_append_val (parser->open, index);
          }
          break;

        case '/':
          {
            Name closing = { 0 };
            g_autofree char *closing_name = NULL;
            g_autofree char *open_name = NULL;
            Node *open;
            guint open_index;

            if (!parse_name (parser, src + content_start + 1, src + content_end, tag_start, &closing))
              return FALSE;
            closing_name = name_to_string (&closing);
            g_strfreev (closing.parts);

            if (parser->open->len == 0)
              return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_start,
                                  _("“%s/%s%s” closes a section that was never opened; "
                                    "remove it or add “%s#%s%s” before it"),
                                  parser->otag, closing_name, parser->ctag,
                                  parser->otag, closing_name, parser->ctag);

            open_index = g_array_index (parser->open, guint, parser->open->len - 1);
            open = &g_array_index (parser->compiled->nodes, Node, open_index);
            open_name = name_to_string (&open->name);
            if (!g_str_equal (open_name, closing_name))
              {
                guint line, column;

                offset_to_line_column (src, open->offset, &line, &column);
                return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_start,
                                    _("mismatched closing tag: “%s/%s%s” closes the section "
                                      "“%s” opened at %u:%u; close it with “%s/%s%s” first"),
                                    parser->otag, closing_name, parser->ctag,
                                    open_name, line, column,
                                    parser->otag, open_name, parser->ctag);
              }
            flush_text (parser);
            open = &g_array_index (parser->compiled->nodes, Node, open_index);
            open->end = parser->compiled->nodes->len;
            g_array_set_size (parser->open, parser->open->len - 1);
          }
          break;

        case '>':
          {
            const char *start = src + content_start + 1;
            const char *end = src + content_end;

            while (start < end && is_space (*start))
              start++;
            while (end > start && is_space (end[-1]))
              end--;
            if (start == end)
              return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, tag_start,
                                  _("a partial tag needs a name, like {{> footer}}"));
            node.type = NODE_PARTIAL;
            node.partial_name = g_strndup (start, end - start);
            if (standalone && line_start < tag_start)
              node.indent = g_strndup (src + line_start, tag_start - line_start);
            append_node (parser, &node);
          }
          break;

        default:
          node.type = NODE_VARIABLE;
          if (!parse_name (parser, src + content_start, src + content_end, tag_start, &node.name))
            return FALSE;
          append_node (parser, &node);
          break;
        }

      pos = text_start = standalone ? after_line : tag_end;
    }

  if (parser->open->len > 0)
    {
      guint open_index = g_array_index (parser->open, guint, parser->open->len - 1);
      Node *open = &g_array_index (parser->compiled->nodes, Node, open_index);
      g_autofree char *open_name = name_to_string (&open->name);

      return parser_fail (parser, OUTREACH_TEMPLATE_ERROR_SYNTAX, open->offset,
                          _("unclosed section: “%s” is never closed; add “%s/%s%s” where it ends"),
                          open_name, parser->otag, open_name, parser->ctag);
    }

  return TRUE;
}

static Compiled *
compile_one (const char                *name,
             const char                *source,
             OutreachTemplateLocation  *location,
             GError                   **error)
{
  Compiled *compiled = compiled_new (name, source);
  Parser parser = { 0 };
  gboolean ok;

  parser.compiled = compiled;
  parser.src = compiled->source;
  parser.len = strlen (compiled->source);
  parser.open = g_array_new (FALSE, FALSE, sizeof (guint));

  ok = parse (&parser);

  if (!ok)
    {
      guint line, column;

      offset_to_line_column (parser.src, parser.error_offset, &line, &column);
      if (name != NULL)
        g_set_error (error, OUTREACH_TEMPLATE_ERROR, parser.error_code,
                     _("partial “%s” %u:%u: %s"), name, line, column, parser.error_message);
      else
        g_set_error (error, OUTREACH_TEMPLATE_ERROR, parser.error_code,
                     "%u:%u: %s", line, column, parser.error_message);
      if (location != NULL)
        {
          outreach_template_location_clear (location);
          location->partial = g_strdup (name);
          location->line = line;
          location->column = column;
          location->message = g_strdup (parser.error_message);
        }
      g_clear_pointer (&compiled, compiled_free);
    }

  g_free (parser.otag);
  g_free (parser.ctag);
  g_free (parser.error_message);
  g_array_unref (parser.open);
  return compiled;
}

static void
collect_field_names (Compiled   *compiled,
                     GHashTable *names)
{
  for (guint i = 0; i < compiled->nodes->len; i++)
    {
      Node *node = &g_array_index (compiled->nodes, Node, i);

      if ((node->type == NODE_VARIABLE || node->type == NODE_RAW_VARIABLE
           || node->type == NODE_SECTION || node->type == NODE_INVERTED)
          && node->name.parts != NULL)
        g_hash_table_add (names, node->name.parts[0]);
    }
}

/* The length, the first and the last byte: names that share all three
 * are rare, so one comparison nearly always settles it. */
static inline guint
slot_key_hash (const char *key,
               gsize       len)
{
  return ((guint) len * 31 + (guchar) key[0]) * 31 + (guchar) key[len - 1];
}

static void
build_slot_table (OutreachTemplate *self)
{
  guint size = 16;

  while (size < 4 * self->n_slots)
    size *= 2;
  self->slot_table_mask = size - 1;
  for (guint slot = 0; slot < self->n_slots; slot++)
    {
      gsize len = strlen (self->slot_names[slot]);
      guint h = slot_key_hash (self->slot_names[slot], len) & self->slot_table_mask;

      /* names longer than 255 bytes are left to the plain look-up */
      if (len > 255)
        continue;
      self->slot_name_lens[slot] = (guint8) len;
      while (self->slot_table[h] != 0)
        h = (h + 1) & self->slot_table_mask;
      self->slot_table[h] = (guint8) (slot + 1);
    }
}

/* memcmp () == 0 for the short names fields have, without a call: two
 * overlapping loads of the same size compare up to twice their width. */
static inline gboolean
same_bytes (const char *a,
            const char *b,
            gsize       len)
{
  if (len >= 8 && len <= 16)
    {
      guint64 a0, a1, b0, b1;

      memcpy (&a0, a, 8);
      memcpy (&b0, b, 8);
      memcpy (&a1, a + len - 8, 8);
      memcpy (&b1, b + len - 8, 8);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
  if (len >= 4 && len < 8)
    {
      guint32 a0, a1, b0, b1;

      memcpy (&a0, a, 4);
      memcpy (&b0, b, 4);
      memcpy (&a1, a + len - 4, 4);
      memcpy (&b1, b + len - 4, 4);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
  if (len < 4)
    {
      for (gsize i = 0; i < len; i++)
        if (a[i] != b[i])
          return FALSE;
      return TRUE;
    }
  return memcmp (a, b, len) == 0;
}

static inline guint
find_slot (OutreachTemplate *self,
           const char       *key)
{
  gsize len = strlen (key);
  guint h;

  if (len == 0 || len > 255)
    return NO_SLOT;
  h = slot_key_hash (key, len) & self->slot_table_mask;
  while (self->slot_table[h] != 0)
    {
      guint slot = self->slot_table[h] - 1;

      if (self->slot_name_lens[slot] == len && same_bytes (self->slot_names[slot], key, len))
        return slot;
      h = (h + 1) & self->slot_table_mask;
    }
  return NO_SLOT;
}

static void
assign_slots (OutreachTemplate *self,
              Compiled         *compiled,
              GHashTable       *slots)
{
  for (guint i = 0; i < compiled->nodes->len; i++)
    {
      Node *node = &g_array_index (compiled->nodes, Node, i);
      gpointer slot;

      if (node->type == NODE_TEXT || node->type == NODE_PARTIAL)
        continue;
      node->name.slot = node->name.root_slot = NO_SLOT;
      if (node->name.parts == NULL)
        continue;
      if (g_hash_table_lookup_extended (slots, node->name.parts[0], NULL, &slot))
        node->name.slot = GPOINTER_TO_UINT (slot);
      else if (self->n_slots < MAX_SLOTS)
        {
          self->slot_names[self->n_slots] = node->name.parts[0];
          node->name.slot = self->n_slots++;
          g_hash_table_insert (slots, node->name.parts[0], GUINT_TO_POINTER (node->name.slot));
        }
      if (node->name.n_parts == 1)
        node->name.root_slot = node->name.slot;
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
outreach_template_finalize (GObject *object)
{
  OutreachTemplate *self = OUTREACH_TEMPLATE (object);

  g_clear_pointer (&self->main, compiled_free);
  g_clear_pointer (&self->partials, g_hash_table_unref);
  g_clear_pointer (&self->field_names, g_strfreev);

  G_OBJECT_CLASS (outreach_template_parent_class)->finalize (object);
}

static void
outreach_template_class_init (OutreachTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = outreach_template_finalize;
}

static void
outreach_template_init (OutreachTemplate *self)
{
  self->partials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) compiled_free);
}

/* Compiles every partial reachable from @compiled, breadth first with a
 * queue (a partial may include itself: it is compiled once), then points
 * each partial node at its compiled form. */
static gboolean
compile_partials (OutreachTemplate          *self,
                  GHashTable                *sources,
                  OutreachTemplateFlags      flags,
                  OutreachTemplateLocation  *location,
                  GError                   **error)
{
  g_autoptr (GPtrArray) queue = g_ptr_array_new ();
  g_autoptr (GPtrArray) all = g_ptr_array_new ();

  g_ptr_array_add (queue, self->main);
  while (queue->len > 0)
    {
      Compiled *compiled = g_ptr_array_steal_index (queue, queue->len - 1);

      g_ptr_array_add (all, compiled);
      for (guint i = 0; i < compiled->nodes->len; i++)
        {
          Node *node = &g_array_index (compiled->nodes, Node, i);
          const char *source;
          Compiled *partial;

          if (node->type != NODE_PARTIAL
              || g_hash_table_contains (self->partials, node->partial_name))
            continue;

          source = sources != NULL ? g_hash_table_lookup (sources, node->partial_name) : NULL;
          if (source == NULL)
            {
              guint line, column;

              if (flags & OUTREACH_TEMPLATE_FLAGS_LENIENT_PARTIALS)
                {
                  g_hash_table_insert (self->partials, g_strdup (node->partial_name), NULL);
                  continue;
                }

              offset_to_line_column (compiled->source, node->offset, &line, &column);
              if (location != NULL)
                {
                  outreach_template_location_clear (location);
                  location->partial = g_strdup (compiled->name);
                  location->line = line;
                  location->column = column;
                  location->message = g_strdup_printf (_("unknown partial “%s”: save a template "
                                                         "named “%s” or correct the name"),
                                                       node->partial_name, node->partial_name);
                }
              if (compiled->name != NULL)
                g_set_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_UNKNOWN_PARTIAL,
                             _("partial “%s” %u:%u: unknown partial “%s”: save a template "
                               "named “%s” or correct the name"),
                             compiled->name, line, column, node->partial_name, node->partial_name);
              else
                g_set_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_UNKNOWN_PARTIAL,
                             _("%u:%u: unknown partial “%s”: save a template named “%s” "
                               "or correct the name"),
                             line, column, node->partial_name, node->partial_name);
              return FALSE;
            }

          partial = compile_one (node->partial_name, source, location, error);
          if (partial == NULL)
            return FALSE;
          g_hash_table_insert (self->partials, g_strdup (node->partial_name), partial);
          g_ptr_array_add (queue, partial);
        }
    }

  for (guint c = 0; c < all->len; c++)
    {
      Compiled *compiled = g_ptr_array_index (all, c);

      for (guint i = 0; i < compiled->nodes->len; i++)
        {
          Node *node = &g_array_index (compiled->nodes, Node, i);

          if (node->type == NODE_PARTIAL)
            node->partial = g_hash_table_lookup (self->partials, node->partial_name);
        }
    }

  return TRUE;
}

OutreachTemplate *
outreach_template_new_full (const char                *source,
                            OutreachTemplateKind       kind,
                            GHashTable                *partials,
                            OutreachTemplateFlags      flags,
                            OutreachTemplateLocation  *location,
                            GError                   **error)
{
  g_autoptr (OutreachTemplate) self = NULL;
  g_autoptr (GHashTable) names = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (kind <= OUTREACH_TEMPLATE_SUBJECT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (OUTREACH_TYPE_TEMPLATE, NULL);
  self->kind = kind;
  self->main = compile_one (NULL, source, location, error);
  if (self->main == NULL)
    return NULL;
  if (!compile_partials (self, partials, flags, location, error))
    return NULL;

  names = g_hash_table_new (g_str_hash, g_str_equal);
  collect_field_names (self->main, names);
  g_hash_table_iter_init (&iter, self->partials);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != NULL)
      collect_field_names (value, names);

  {
    g_autoptr (GHashTable) slots = g_hash_table_new (g_str_hash, g_str_equal);

    assign_slots (self, self->main, slots);
    g_hash_table_iter_init (&iter, self->partials);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (value != NULL)
        assign_slots (self, value, slots);
    build_slot_table (self);
  }

  self->field_names = g_new0 (char *, g_hash_table_size (names) + 1);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    self->field_names[n++] = g_strdup (value);
  qsort (self->field_names, n, sizeof (char *), compare_strings);

  return g_steal_pointer (&self);
}

/**
 * outreach_template_new:
 * @partials: (nullable): partial name → its source text
 *
 * Returns: (transfer full) (nullable): the compiled template, or %NULL
 *   with an error that starts with "LINE:COLUMN: "
 */
OutreachTemplate *
outreach_template_new (const char            *source,
                       OutreachTemplateKind   kind,
                       GHashTable            *partials,
                       GError               **error)
{
  return outreach_template_new_full (source, kind, partials, OUTREACH_TEMPLATE_FLAGS_NONE,
                                     NULL, error);
}

OutreachTemplateKind
outreach_template_get_kind (OutreachTemplate *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE (self), OUTREACH_TEMPLATE_TEXT);

  return self->kind;
}

const char * const *
outreach_template_get_field_names (OutreachTemplate *self)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE (self), NULL);

  return (const char * const *) self->field_names;
}

gboolean
outreach_template_uses_field (OutreachTemplate *self,
                              const char       *name)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->field_names, name);
}

static void
collect_unguarded (Compiled   *compiled,
                   GHashTable *names)
{
  /* open sections as (end index, first name part), innermost last */
  g_autoptr (GArray) open_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) open_names = g_ptr_array_new ();

  for (guint i = 0; i < compiled->nodes->len; i++)
    {
      Node *node = &g_array_index (compiled->nodes, Node, i);
      gboolean guarded = FALSE;

      while (open_ends->len > 0 && g_array_index (open_ends, guint, open_ends->len - 1) <= i)
        {
          g_array_set_size (open_ends, open_ends->len - 1);
          g_ptr_array_set_size (open_names, open_names->len - 1);
        }

      if (node->type == NODE_SECTION || node->type == NODE_INVERTED)
        {
          g_array_append_val (open_ends, node->end);
          g_ptr_array_add (open_names, node->name.parts != NULL ? node->name.parts[0] : NULL);
          continue;
        }
      if ((node->type != NODE_VARIABLE && node->type != NODE_RAW_VARIABLE) || node->name.parts == NULL)
        continue;
      for (guint k = 0; k < open_names->len; k++)
        if (g_strcmp0 (g_ptr_array_index (open_names, k), node->name.parts[0]) == 0)
          guarded = TRUE;
      if (!guarded)
        g_hash_table_add (names, node->name.parts[0]);
    }
}

/**
 * outreach_template_get_unguarded_fields:
 *
 * The fields the template writes out where an empty value would show:
 * {{phone}} counts, {{#phone}}Call {{phone}}{{/phone}} does not.
 *
 * Returns: (transfer full): first name parts, sorted, no repeats
 */
GStrv
outreach_template_get_unguarded_fields (OutreachTemplate *self)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;
  GStrv result;
  guint n = 0;

  g_return_val_if_fail (OUTREACH_IS_TEMPLATE (self), NULL);

  collect_unguarded (self->main, names);
  g_hash_table_iter_init (&iter, self->partials);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != NULL)
      collect_unguarded (value, names);

  result = g_new0 (char *, g_hash_table_size (names) + 1);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    result[n++] = g_strdup (value);
  qsort (result, n, sizeof (char *), compare_strings);
  return result;
}

/* Rendering */

#define MAX_CONTEXT (OUTREACH_TEMPLATE_MAX_DEPTH * 2 + 2)

typedef struct
{
  GString *out;
  gboolean html;
  /* The context stack. The root is the caller's JsonObject itself, held
   * without a reference (JsonObject's reference count is not atomic, and
   * several threads may render the same fields). */
  JsonObject *root;
  JsonNode *memo[MAX_SLOTS];  /* the root's values by slot; UNSET until looked up */
  /* the root's string values by slot, once written: NULL until then */
  const char *memo_text[MAX_SLOTS];
  gsize memo_len[MAX_SLOTS];
  /* where in out the escaped text of a slot was first written, to copy it
   * from there the next time instead of escaping again */
  gsize memo_escaped_at[MAX_SLOTS];
  gsize memo_escaped_len[MAX_SLOTS];
  /* why the root's fields cannot be read straight from their slots: no
   * root at all (1), and one for each object on the context stack, which
   * could hide a root field */
  guint root_hidden;
  JsonNode *stack[MAX_CONTEXT];
  guint n_stack;
  guint depth;            /* sections and partials entered */
  gboolean too_deep;
  gboolean too_large;
  gboolean stop;          /* too_deep or too_large: write nothing more */
  guint steps;            /* nodes visited, against OUTREACH_TEMPLATE_MAX_STEPS */
  gsize out_limit;        /* out->len may not pass this */
  const char *indent;     /* standalone partials: what goes before each line */
  gsize indent_len;
  gboolean at_line_start; /* the last template text written ended a line */
} RenderState;

/* GLib 2.74 has no inline g_string_append_len; a render is mostly short
 * appends, so this one copies straight in when there is room. */
/* Where @len more bytes go when out has room for them and 16 more, or
 * NULL (then g_string_append_len () grows it). No NUL after each piece:
 * render () terminates the string once. */
static inline char *
out_room (GString *out,
          gsize    len)
{
  if (G_UNLIKELY (out->len + len + 16 >= out->allocated_len))
    return NULL;
  return out->str + out->len;
}

static inline void
out_append (GString    *out,
            const char *text,
            gsize       len)
{
  char *dst = out_room (out, len);

  if (G_UNLIKELY (dst == NULL))
    {
      g_string_append_len (out, text, len);
      return;
    }
  /* Most pieces are a few bytes: two fixed-size, overlapping moves copy
   * them without a call. */
  if (len > 16)
    memcpy (dst, text, len);
  else if (len >= 8)
    {
      memcpy (dst, text, 8);
      memcpy (dst + len - 8, text + len - 8, 8);
    }
  else if (len >= 4)
    {
      memcpy (dst, text, 4);
      memcpy (dst + len - 4, text + len - 4, 4);
    }
  else if (len >= 2)
    {
      memcpy (dst, text, 2);
      memcpy (dst + len - 2, text + len - 2, 2);
    }
  else if (len == 1)
    dst[0] = text[0];
  out->len += len;
}

/* out_append () for text with at least 16 readable bytes after it (a
 * template's own text, padded by SOURCE_PADDING, or text already in out):
 * copied 16 or 32 bytes at once, past its end into out's spare room, which
 * takes no branch on the length for the short pieces a render is made of.
 * (memmove: text already in out may end where the copy begins.) */
static inline void
out_append_padded (GString    *out,
                   const char *text,
                   gsize       len)
{
  char *dst = out_room (out, len);

  if (G_UNLIKELY (dst == NULL))
    {
      g_string_append_len (out, text, len);
      return;
    }
  memmove (dst, text, 16);
  if (len > 32)
    memmove (dst + 16, text + 16, len - 16);
  else if (len > 16)
    memmove (dst + 16, text + 16, 16);
  out->len += len;
}

/* Any address that is not a JsonNode marks a slot not looked up yet. */
static const char memo_unset_marker;
#define UNSET ((JsonNode *) (gpointer) &memo_unset_marker)

/* Stops at the five bytes HTML escaping replaces (& < > " '), and at the end. */
static const guint8 html_special_or_nul[256] = {
  ['\0'] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

/* Escapes a NUL-terminated string in one pass: no strlen first. */
static void
append_escaped_cstr (GString    *out,
                     const char *text)
{
  const char *run = text;

  for (const char *p = text;; p++)
    {
      guchar c = (guchar) *p;

      if (G_LIKELY (!html_special_or_nul[c]))
        continue;
      if (p > run)
        out_append (out, run, p - run);
      switch (c)
        {
        case '\0': return;
        case '&': out_append (out, "&amp;", 5); break;
        case '<': out_append (out, "&lt;", 4); break;
        case '>': out_append (out, "&gt;", 4); break;
        case '"': out_append (out, "&quot;", 6); break;
        default: out_append (out, "&#39;", 5); break;
        }
      run = p + 1;
    }
}


static inline void
write_indent (RenderState *state)
{
  if (state->at_line_start)
    {
      if (state->indent_len > 0)
        out_append (state->out, state->indent, state->indent_len);
      state->at_line_start = FALSE;
    }
}

/* Text of a standalone partial: its indentation goes before each line. */
static void
write_indented_text (RenderState *state,
                     const char  *text,
                     gsize        len)
{
  const char *end = text + len;

  while (text < end)
    {
      const char *nl = memchr (text, '\n', end - text);
      const char *stop = nl != NULL ? nl + 1 : end;

      write_indent (state);
      out_append (state->out, text, stop - text);
      state->at_line_start = nl != NULL;
      text = stop;
    }
}

/* Numbers, true and false: nothing in them to escape. */
static void
write_value_text (RenderState *state,
                  const char  *text,
                  gsize        len)
{
  write_indent (state);
  out_append (state->out, text, len);
}

/* The shortest text that reads back as the same double, as JavaScript
 * prints numbers: 1.21, not 1.2099999999999999. */
static void
format_double (double value,
               char   buffer[G_ASCII_DTOSTR_BUF_SIZE])
{
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE,
                       precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", value);
      if (g_ascii_strtod (buffer, NULL) == value)
        return;
    }
}

static void
write_value (RenderState *state,
             JsonNode    *node,
             gboolean     escape)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL)
    return;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_VALUE:
      {
        /* Strings first and with one call: they are nearly every value. */
        const char *text = json_node_get_string (node);

        if (text != NULL)
          {
            write_indent (state);
            if (escape)
              append_escaped_cstr (state->out, text);
            else
              out_append (state->out, text, strlen (text));
            return;
          }
      }
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return;
        case G_TYPE_INT64:
          g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, json_node_get_int (node));
          write_value_text (state, buffer, strlen (buffer));
          return;
        case G_TYPE_DOUBLE:
          format_double (json_node_get_double (node), buffer);
          write_value_text (state, buffer, strlen (buffer));
          return;
        case G_TYPE_BOOLEAN:
          write_value_text (state, json_node_get_boolean (node) ? "true" : "false",
                            json_node_get_boolean (node) ? 4 : 5);
          return;
        default:
          return;
        }

    case JSON_NODE_ARRAY:
      {
        /* As JavaScript joins an array: "a,b,c" */
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        for (guint i = 0; i < length; i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (i > 0)
              write_value_text (state, ",", 1);
            if (JSON_NODE_HOLDS_VALUE (element))
              write_value (state, element, escape);
          }
      }
      return;

    case JSON_NODE_OBJECT:
    case JSON_NODE_NULL:
    default:
      return;
    }
}

static JsonNode *
lookup (RenderState *state,
        const Name  *name)
{
  JsonNode *found = NULL;

  if (name->parts == NULL)
    return state->n_stack > 0 ? state->stack[state->n_stack - 1] : NULL;

  /* The first part is looked up through the context stack, innermost
   * first; the rest only inside what the first part found. */
  for (guint i = state->n_stack; i > 0; i--)
    {
      JsonNode *context = state->stack[i - 1];

      if (context != NULL && JSON_NODE_HOLDS_OBJECT (context))
        {
          found = json_object_get_member (json_node_get_object (context), name->parts[0]);
          if (found != NULL)
            break;
        }
    }
  if (found == NULL && state->root != NULL)
    {
      if (name->slot != NO_SLOT)
        {
          if (state->memo[name->slot] == UNSET)
            state->memo[name->slot] = json_object_get_member (state->root, name->parts[0]);
          found = state->memo[name->slot];
        }
      else
        found = json_object_get_member (state->root, name->parts[0]);
    }

  for (guint part = 1; found != NULL && part < name->n_parts; part++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (found))
        return NULL;
      found = json_object_get_member (json_node_get_object (found), name->parts[part]);
    }

  return found;
}

/* As mustache.js decides: false, null, a missing field, 0, "" and an empty
 * list hide a section; everything else shows it. */
static gboolean
is_truthy (JsonNode *node)
{
  if (node == NULL)
    return FALSE;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return FALSE;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (node)) > 0;
    case JSON_NODE_OBJECT:
      return TRUE;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (node);
        case G_TYPE_STRING:
          return json_node_get_string (node) != NULL && json_node_get_string (node)[0] != '\0';
        case G_TYPE_INT64:
          return json_node_get_int (node) != 0;
        case G_TYPE_DOUBLE:
          return json_node_get_double (node) != 0.0;
        default:
          return FALSE;
        }
    }
}

/* The common case, made fast: a one-part name of the root fields with a
 * string value. Its text, length and whether it needs escaping are found
 * once per render, however often the template uses the field. Returns
 * FALSE when the general path must do it. */
static inline gboolean
write_root_string (RenderState *state,
                   const Name  *name,
                   gboolean     escape)
{
  guint slot = name->root_slot;
  const char *text;
  gsize len;

  if (slot == NO_SLOT || state->root_hidden != 0)
    return FALSE;

  text = state->memo_text[slot];
  if (text == NULL)
    {
      JsonNode *node = state->memo[slot];

      if (node == UNSET)
        node = state->memo[slot] = json_object_get_member (state->root, name->parts[0]);
      if (node == NULL)
        return TRUE;  /* a missing field writes nothing */
      if (!JSON_NODE_HOLDS_VALUE (node))
        return FALSE;
      text = json_node_get_string (node);
      if (text == NULL)
        return FALSE;
      state->memo_text[slot] = text;
      state->memo_len[slot] = G_MAXSIZE;
      state->memo_escaped_len[slot] = G_MAXSIZE;
    }

  write_indent (state);
  if (escape)
    {
      if (state->memo_escaped_len[slot] == G_MAXSIZE)
        {
          /* escape once, and keep where the result went */
          state->memo_escaped_at[slot] = state->out->len;
          append_escaped_cstr (state->out, text);
          state->memo_escaped_len[slot] = state->out->len - state->memo_escaped_at[slot];
        }
      else
        /* g_string_append_len copes with a source inside the string
         * when it has to grow it */
        out_append_padded (state->out, state->out->str + state->memo_escaped_at[slot],
                           state->memo_escaped_len[slot]);
      return TRUE;
    }
  if (state->memo_len[slot] == G_MAXSIZE)
    state->memo_len[slot] = strlen (text);
  len = state->memo_len[slot];
  out_append (state->out, text, len);
  return TRUE;
}

static void render_range (RenderState    *state,
                          const Compiled *compiled,
                          guint           start,
                          guint           end);

static gboolean
enter (RenderState *state)
{
  /* the output limit is checked where output can multiply: at each
   * section, list item and partial */
  if (G_UNLIKELY (state->out->len > state->out_limit))
    {
      state->too_large = state->stop = TRUE;
      return FALSE;
    }
  if (state->depth >= OUTREACH_TEMPLATE_MAX_DEPTH * 2 || state->n_stack >= MAX_CONTEXT)
    {
      state->too_deep = state->stop = TRUE;
      return FALSE;
    }
  state->depth++;
  return TRUE;
}

static void
render_section_with (RenderState    *state,
                     const Compiled *compiled,
                     guint           start,
                     guint           end,
                     JsonNode       *context)
{
  if (state->n_stack >= MAX_CONTEXT)
    {
      state->too_deep = state->stop = TRUE;
      return;
    }
  if (G_UNLIKELY (state->out->len > state->out_limit))
    {
      state->too_large = state->stop = TRUE;
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (context))
    {
      state->stack[state->n_stack++] = context;
      state->root_hidden++;
      render_range (state, compiled, start, end);
      state->root_hidden--;
      state->n_stack--;
      return;
    }
  state->stack[state->n_stack++] = context;
  render_range (state, compiled, start, end);
  state->n_stack--;
}

static void
render_range (RenderState    *state,
              const Compiled *compiled,
              guint           start,
              guint           end)
{
  const Node *nodes = (const Node *) (void *) compiled->nodes->data;

  /* state->stop can only be set by a section or partial: checked after them */
  for (guint i = start; i < end; i++)
    {
      const Node *node = &nodes[i];

      if (G_UNLIKELY (++state->steps > OUTREACH_TEMPLATE_MAX_STEPS))
        {
          state->too_large = state->stop = TRUE;
          break;
        }

      if (node->prefix_len > 0)
        {
          if (G_LIKELY (state->indent_len == 0))
            out_append_padded (state->out, node->prefix, node->prefix_len);
          else
            write_indented_text (state, node->prefix, node->prefix_len);
          state->at_line_start = node->prefix_ends_line;
        }

      switch (node->type)
        {
        case NODE_TEXT:
          break;

        case NODE_VARIABLE:
          if (!write_root_string (state, &node->name, state->html))
            write_value (state, lookup (state, &node->name), state->html);
          break;

        case NODE_RAW_VARIABLE:
          if (!write_root_string (state, &node->name, FALSE))
            write_value (state, lookup (state, &node->name), FALSE);
          break;

        case NODE_SECTION:
          {
            JsonNode *value = lookup (state, &node->name);

            if (is_truthy (value) && enter (state))
              {
                if (JSON_NODE_HOLDS_ARRAY (value))
                  {
                    JsonArray *array = json_node_get_array (value);
                    guint length = json_array_get_length (array);

                    for (guint k = 0; k < length && !state->stop; k++)
                      render_section_with (state, compiled, i + 1, node->end,
                                           json_array_get_element (array, k));
                  }
                else
                  render_section_with (state, compiled, i + 1, node->end, value);
                state->depth--;
              }
            if (G_UNLIKELY (state->stop))
              return;
            i = node->end - 1;
          }
          break;

        case NODE_INVERTED:
          if (!is_truthy (lookup (state, &node->name)) && enter (state))
            {
              render_range (state, compiled, i + 1, node->end);
              state->depth--;
            }
          if (G_UNLIKELY (state->stop))
            return;
          i = node->end - 1;
          break;

        case NODE_PARTIAL:
          if (node->partial != NULL && enter (state))
            {
              const char *saved_indent = state->indent;
              gsize saved_indent_len = state->indent_len;
              char *indent = NULL;

              if (node->indent != NULL)
                {
                  /* A standalone partial: every line it writes gets the
                   * whitespace that stood before the tag. */
                  indent = g_strconcat (saved_indent != NULL ? saved_indent : "", node->indent, NULL);
                  state->indent = indent;
                  state->indent_len = strlen (indent);
                  state->at_line_start = TRUE;
                }
              render_range (state, node->partial, 0, node->partial->nodes->len);
              state->indent = saved_indent;
              state->indent_len = saved_indent_len;
              g_free (indent);
              state->depth--;
            }
          if (G_UNLIKELY (state->stop))
            return;
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static gboolean
render (OutreachTemplate  *self,
        JsonObject        *root_object,
        JsonNode          *root,
        GString           *out,
        GError           **error)
{
  RenderState state;
  gsize start;

  state.root = root_object;
  if (root_object != NULL && self->n_slots > 0
      && json_object_get_size (root_object) <= 4 * self->n_slots)
    {
      /* Few members: walk them once and bind each to its slot, which is
       * cheaper than hashing every name the template uses. */
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      for (guint i = 0; i < self->n_slots; i++)
        state.memo[i] = self->slot_name_lens[i] > 0 ? NULL : UNSET;
      json_object_iter_init (&iter, root_object);
      while (json_object_iter_next (&iter, &member, &value))
        {
          guint slot = find_slot (self, member);

          if (slot != NO_SLOT)
            state.memo[slot] = value;
        }
    }
  else
    for (guint i = 0; i < self->n_slots; i++)
      state.memo[i] = UNSET;
  memset (state.memo_text, 0, self->n_slots * sizeof (char *));
  state.root_hidden = root_object == NULL ? 1 : 0;
  state.out = out;
  state.html = self->kind == OUTREACH_TEMPLATE_HTML;
  state.n_stack = 0;
  state.depth = 0;
  state.too_deep = FALSE;
  state.too_large = FALSE;
  state.stop = FALSE;
  state.steps = 0;
  state.out_limit = out->len + OUTREACH_TEMPLATE_MAX_OUTPUT;
  state.indent = NULL;
  state.indent_len = 0;
  state.at_line_start = TRUE;
  if (root != NULL)
    state.stack[state.n_stack++] = root;

  start = out->len;
  render_range (&state, self->main, 0, self->main->nodes->len);
  out->str[out->len] = '\0';

  if (self->kind == OUTREACH_TEMPLATE_SUBJECT)
    {
      /* A subject is one header line: a line break in a field must never
       * start a new header. */
      for (gsize i = start; i < out->len; i++)
        if (out->str[i] == '\r' || out->str[i] == '\n')
          out->str[i] = ' ';
    }

  if (state.too_large)
    {
      g_set_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_TOO_LARGE,
                   _("the template repeats itself too much for these fields (more than %d steps or "
                     "%d MB); look for sections over lists nested inside each other"),
                   OUTREACH_TEMPLATE_MAX_STEPS, OUTREACH_TEMPLATE_MAX_OUTPUT / (1024 * 1024));
      return FALSE;
    }
  if (state.too_deep)
    {
      g_set_error (error, OUTREACH_TEMPLATE_ERROR, OUTREACH_TEMPLATE_ERROR_TOO_DEEP,
                   _("partials and sections nest more than %d deep while rendering; "
                     "a partial probably includes itself without end"),
                   OUTREACH_TEMPLATE_MAX_DEPTH);
      return FALSE;
    }

  return TRUE;
}

gboolean
outreach_template_render_node (OutreachTemplate  *self,
                               JsonNode          *root,
                               GString           *out,
                               GError           **error)
{
  g_return_val_if_fail (OUTREACH_IS_TEMPLATE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return render (self, NULL, root, out, error);
}

/**
 * outreach_template_render:
 * @fields: (nullable): the merge fields
 * @out: where the rendering is appended
 */
void
outreach_template_render (OutreachTemplate *self,
                          JsonObject       *fields,
                          GString          *out)
{
  g_return_if_fail (OUTREACH_IS_TEMPLATE (self));
  g_return_if_fail (out != NULL);

  render (self, fields, NULL, out, NULL);
}

char *
outreach_template_render_to_string (OutreachTemplate *self,
                                    JsonObject       *fields)
{
  GString *out;

  g_return_val_if_fail (OUTREACH_IS_TEMPLATE (self), NULL);

  out = g_string_new (NULL);
  outreach_template_render (self, fields, out);
  return g_string_free (out, FALSE);
}
