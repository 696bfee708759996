/* outreach-account-dialog.h — the form that adds or edits a delivery account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-account.h"
#include "outreach-store.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_ACCOUNT_DIALOG (outreach_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OutreachAccountDialog, outreach_account_dialog, OUTREACH, ACCOUNT_DIALOG, AdwWindow)

OutreachAccountDialog *outreach_account_dialog_new_add  (GtkWindow       *parent,
                                                         OutreachStore   *store);
OutreachAccountDialog *outreach_account_dialog_new_edit (GtkWindow       *parent,
                                                         OutreachStore   *store,
                                                         OutreachAccount *account);
OutreachAccount       *outreach_account_dialog_get_account (OutreachAccountDialog *self);

G_END_DECLS
