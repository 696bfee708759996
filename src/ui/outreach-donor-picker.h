/* outreach-donor-picker.h — choose donors: search, filters, all matching or one by one, with live counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "outreach-job-draft-selection.h"

G_BEGIN_DECLS

#define OUTREACH_TYPE_DONOR_PICKER (outreach_donor_picker_get_type ())
G_DECLARE_FINAL_TYPE (OutreachDonorPicker, outreach_donor_picker, OUTREACH, DONOR_PICKER, GtkWidget)

/* @selection is edited in place and must outlive the picker. */
void      outreach_donor_picker_setup        (OutreachDonorPicker          *self,
                                              OutreachStore                *store,
                                              OutreachDonorSelection       *selection);
void      outreach_donor_picker_set_by_phone (OutreachDonorPicker          *self,
                                              gboolean                      by_phone);
/* FALSE until the first count is in. */
gboolean  outreach_donor_picker_get_counts   (OutreachDonorPicker          *self,
                                              OutreachDonorSelectionCounts *counts);
gboolean  outreach_donor_picker_is_busy      (OutreachDonorPicker          *self);
char     *outreach_donor_picker_dup_blocker  (OutreachDonorPicker          *self);
/* "12 donors chosen; 10 will get the message. Left out: …" */
char     *outreach_donor_picker_describe_counts (const OutreachDonorSelectionCounts *counts,
                                                 gboolean                      by_phone);

G_END_DECLS
