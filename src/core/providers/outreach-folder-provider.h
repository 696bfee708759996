/* outreach-folder-provider.h — writes each message as an .eml file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "outreach-provider.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_FOLDER_PROVIDER (outreach_folder_provider_get_type ())
G_DECLARE_FINAL_TYPE (OutreachFolderProvider, outreach_folder_provider, OUTREACH, FOLDER_PROVIDER, OutreachProvider)

char *outreach_folder_provider_file_name (const OutreachMessage *message);

G_END_DECLS
