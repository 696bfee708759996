/* outreach-sigv4.c — AWS Signature Version 4 (providers.md §4a)
 *
 * Checked against the official test vectors (tests/test-provider-ses.c).
 * The caller signs the exact bytes it sends and must include `host` and
 * `x-amz-date` in @headers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-sigv4"

#include "config.h"

#include "outreach-sigv4.h"

#include <string.h>

void
outreach_sigv4_result_clear (OutreachSigv4Result *result)
{
  g_clear_pointer (&result->canonical_request_hash, g_free);
  g_clear_pointer (&result->signature, g_free);
  g_clear_pointer (&result->authorization, g_free);
}

/* HMAC-SHA256 on raw bytes: the intermediate keys are digests, not hex. */
static void
hmac_raw (const guint8 *key,
          gsize         key_len,
          const char   *data,
          guint8        out[32])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, out, &len);
  g_hmac_unref (hmac);
}

typedef struct
{
  char *name;
  char *value;
} Canonical;

static int
compare_canonical (gconstpointer a,
                   gconstpointer b)
{
  return strcmp (((const Canonical *) a)->name, ((const Canonical *) b)->name);
}

/* Trims and collapses runs of spaces, as the canonical form wants. */
static char *
trim_value (const char *value)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  while (*value == ' ' || *value == '\t')
    value++;
  for (; *value != '\0'; value++)
    {
      if (*value == ' ' || *value == '\t')
        space = TRUE;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *value);
        }
    }
  return g_string_free (out, FALSE);
}

void
outreach_sigv4_sign (const char                *method,
                     const char                *path,
                     const char                *query,
                     const OutreachSigv4Header *headers,
                     guint                      n_headers,
                     const guint8              *body,
                     gsize                      body_len,
                     const char                *region,
                     const char                *service,
                     const char                *access_key_id,
                     const char                *secret_access_key,
                     const char                *amz_date,
                     OutreachSigv4Result       *result)
{
  g_autoptr (GString) canonical = g_string_new (NULL);
  g_autoptr (GString) signed_headers = g_string_new (NULL);
  g_autoptr (GArray) sorted = g_array_new (FALSE, FALSE, sizeof (Canonical));
  g_autofree char *payload_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, body != NULL ? body : (const guint8 *) "", body_len);
  g_autofree char *date_stamp = g_strndup (amz_date, 8);
  g_autofree char *scope = g_strdup_printf ("%s/%s/%s/aws4_request", date_stamp, region, service);
  g_autofree char *string_to_sign = NULL;
  g_autofree char *secret_key = g_strdup_printf ("AWS4%s", secret_access_key);
  g_auto (GStrv) segments = g_strsplit (path != NULL && *path != '\0' ? path : "/", "/", -1);
  guint8 k_date[32], k_region[32], k_service[32], k_signing[32];

  g_string_append_printf (canonical, "%s\n", method);
  /* each path segment URI-encoded (plain ASCII paths are unchanged) */
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (canonical, '/');
      g_string_append_uri_escaped (canonical, segments[i], NULL, FALSE);
    }
  g_string_append_printf (canonical, "\n%s\n", query != NULL ? query : "");

  for (guint i = 0; i < n_headers; i++)
    {
      Canonical c = { g_ascii_strdown (headers[i].name, -1), trim_value (headers[i].value) };
      g_array_append_val (sorted, c);
    }
  g_array_sort (sorted, compare_canonical);
  for (guint i = 0; i < sorted->len; i++)
    {
      Canonical *c = &g_array_index (sorted, Canonical, i);
      g_string_append_printf (canonical, "%s:%s\n", c->name, c->value);
      if (i > 0)
        g_string_append_c (signed_headers, ';');
      g_string_append (signed_headers, c->name);
    }
  g_string_append_printf (canonical, "\n%s\n%s", signed_headers->str, payload_hash);
  for (guint i = 0; i < sorted->len; i++)
    {
      g_free (g_array_index (sorted, Canonical, i).name);
      g_free (g_array_index (sorted, Canonical, i).value);
    }

  result->canonical_request_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical->str, canonical->len);
  string_to_sign = g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope,
                                    result->canonical_request_hash);

  hmac_raw ((const guint8 *) secret_key, strlen (secret_key), date_stamp, k_date);
  hmac_raw (k_date, 32, region, k_region);
  hmac_raw (k_region, 32, service, k_service);
  hmac_raw (k_service, 32, "aws4_request", k_signing);
  result->signature = g_compute_hmac_for_string (G_CHECKSUM_SHA256, k_signing, 32, string_to_sign, -1);
  result->authorization = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                           access_key_id, scope, signed_headers->str, result->signature);
  memset (k_signing, 0, sizeof k_signing);
}
