/* outreach-import-dialog.h — choosing what each CSV column means, then importing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-donor-import.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_IMPORT_DIALOG (outreach_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OutreachImportDialog, outreach_import_dialog, OUTREACH, IMPORT_DIALOG, AdwWindow)

OutreachImportDialog *outreach_import_dialog_new           (OutreachStore        *store,
                                                            const char           *path);
gboolean              outreach_import_dialog_get_ready     (OutreachImportDialog *self);
gboolean              outreach_import_dialog_set_field     (OutreachImportDialog *self,
                                                            const char           *header,
                                                            OutreachDonorField    field);
OutreachDonorField    outreach_import_dialog_get_field     (OutreachImportDialog *self,
                                                            const char           *header);
void                  outreach_import_dialog_start         (OutreachImportDialog *self);

G_END_DECLS
