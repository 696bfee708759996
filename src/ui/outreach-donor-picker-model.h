/* outreach-donor-picker-model.h — the donors the picker's filters let through, read a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "outreach-donor.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_DONOR_PICKER_MODEL (outreach_donor_picker_model_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonorPickerModel, outreach_donor_picker_model, OUTREACH,
                      DONOR_PICKER_MODEL, GObject)

OutreachDonorPickerModel *outreach_donor_picker_model_new      (OutreachStore            *store);
/* Takes @ids (gint64 donor ids, in display order). */
void                      outreach_donor_picker_model_set_ids  (OutreachDonorPickerModel *self,
                                                                GArray                   *ids);
/* Every row changed (e.g. its check mark); nothing is read again. */
void                      outreach_donor_picker_model_refresh  (OutreachDonorPickerModel *self);

G_END_DECLS
