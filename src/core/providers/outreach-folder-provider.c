/* outreach-folder-provider.c — writes each message as an .eml file
 *
 * The account a newcomer can send with: no credentials, no network. Files
 * go to `path`/<job name>/NNNNNN-<address>.eml (default path
 * $XDG_DOCUMENTS_DIR/Outreach), written atomically: a file is either
 * complete or absent, even if the process dies while writing it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-folder-provider"

#include "config.h"

#include "outreach-folder-provider.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

struct _OutreachFolderProvider
{
  OutreachProvider parent_instance;

  char *path;
};

G_DEFINE_FINAL_TYPE (OutreachFolderProvider, outreach_folder_provider, OUTREACH_TYPE_PROVIDER)

static void
outreach_folder_provider_finalize (GObject *object)
{
  OutreachFolderProvider *self = OUTREACH_FOLDER_PROVIDER (object);

  g_free (self->path);

  G_OBJECT_CLASS (outreach_folder_provider_parent_class)->finalize (object);
}

static gboolean
outreach_folder_provider_configure (OutreachProvider *provider,
                                    JsonObject       *settings,
                                    GHashTable       *secrets,
                                    GError          **error)
{
  OutreachFolderProvider *self = OUTREACH_FOLDER_PROVIDER (provider);
  const char *path = outreach_provider_setting (settings, "path");

  if (path != NULL && *path != '\0')
    {
      if (!g_path_is_absolute (path))
        {
          g_set_error (error, OUTREACH_PROVIDER_ERROR, OUTREACH_PROVIDER_ERROR_SETTING,
                       _("Account “%s” (folder): the setting “path” must be an absolute folder "
                         "path, not “%s”"),
                       outreach_provider_get_account_name (provider), path);
          return FALSE;
        }
      self->path = g_strdup (path);
    }
  else
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
      self->path = g_build_filename (documents != NULL ? documents : g_get_home_dir (),
                                     "Outreach", NULL);
    }
  return TRUE;
}

/* A file name part that is safe on any file system. */
static char *
safe_name (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '/' || c == '\\' || c == ':' || c < 0x20 || c == 0x7f || c == '*' ||
          c == '?' || c == '"' || c == '<' || c == '>' || c == '|')
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  if (out->len == 0 || g_str_equal (out->str, ".") || g_str_equal (out->str, ".."))
    g_string_assign (out, "_");
  return g_string_free (out, FALSE);
}

/**
 * outreach_folder_provider_file_name:
 *
 * Returns: (transfer full): "NNNNNN-<address>.eml" for @message
 */
char *
outreach_folder_provider_file_name (const OutreachMessage *message)
{
  g_autofree char *address = safe_name (message->address);

  return g_strdup_printf ("%06" G_GINT64_FORMAT "-%s.eml", message->recipient_id, address);
}

static void
outreach_folder_provider_deliver_local (OutreachProvider *provider,
                                        OutreachMessage  *message,
                                        OutreachDelivery *result)
{
  OutreachFolderProvider *self = OUTREACH_FOLDER_PROVIDER (provider);
  g_autofree char *job_dir_name = safe_name (message->job_name != NULL ? message->job_name : "Outreach");
  g_autofree char *dir = g_build_filename (self->path, job_dir_name, NULL);
  g_autofree char *file_name = outreach_folder_provider_file_name (message);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;
  const char *data;

  result->retry_after_ms = -1;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      result->outcome = OUTREACH_DELIVERY_FAILED;
      result->error = g_strdup_printf (_("Could not create the folder %s: %s"), dir,
                                       g_strerror (saved_errno));
      return;
    }

  bytes = outreach_message_to_mime (message, outreach_provider_get_from (provider),
                                    outreach_provider_get_from_name (provider),
                                    outreach_provider_get_reply_to (provider));
  data = g_bytes_get_data (bytes, &len);
  /* Written to a temporary file and renamed over: never a half file. */
  if (!g_file_set_contents_full (path, data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                 0600, &error))
    {
      result->outcome = OUTREACH_DELIVERY_FAILED;
      result->error = g_strdup (error->message);
      return;
    }

  result->outcome = OUTREACH_DELIVERY_SENT;
  result->provider_id = g_steal_pointer (&path);
}

static void
outreach_folder_provider_class_init (OutreachFolderProviderClass *klass)
{
  OutreachProviderClass *provider_class = OUTREACH_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = outreach_folder_provider_finalize;
  provider_class->configure = outreach_folder_provider_configure;
  provider_class->deliver_local = outreach_folder_provider_deliver_local;
}

static void
outreach_folder_provider_init (OutreachFolderProvider *self)
{
}
