/* outreach-donor-picker.c — choose donors: search, filters, all matching or one by one, with live counts
 *
 * Every change to the filters or the choice is written into the
 * OutreachDonorSelection at once; reading the matching ids and counting
 * who would be left out run in a thread on a connection of the picker's
 * own, one run at a time, so typing in the search never waits for SQLite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-donor-picker"

#include "config.h"

#include "outreach-donor-picker.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "outreach-donor-picker-model.h"
#include "outreach-wrap-box.h"

#define REFRESH_DELAY_MS 150

struct _OutreachDonorPicker
{
  GtkWidget parent_instance;

  OutreachStore *store;
  OutreachStore *worker_store;        /* used by one refresh at a time */
  OutreachDonorSelection *selection;  /* borrowed */
  OutreachDonorPickerModel *model;
  GCancellable *cancellable;
  gboolean by_phone;
  gboolean loading;                   /* filling the entries from the selection */

  guint refresh_id;
  gboolean running;
  gboolean dirty;
  gboolean dirty_ids;
  gboolean have_counts;
  OutreachDonorSelectionCounts counts;
  char *filter_error;

  GtkSearchEntry *search_entry;
  GtkEntry *tag_entry;
  GtkEntry *city_entry;
  GtkEntry *since_entry;
  GtkEntry *amount_entry;
  GtkCheckButton *email_check;
  GtkCheckButton *phone_check;
  GtkLabel *matching_label;
  GtkStack *list_stack;
  GtkListView *list_view;
  GtkLabel *counts_label;
};

G_DEFINE_FINAL_TYPE (OutreachDonorPicker, outreach_donor_picker, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  OutreachStore *store;
  OutreachDonorSelection *selection;
  gboolean by_phone;
  gboolean want_ids;
} RefreshData;

typedef struct
{
  GArray *ids;
  OutreachDonorSelectionCounts counts;
} RefreshResult;

static void
refresh_data_free (RefreshData *data)
{
  g_clear_object (&data->store);
  outreach_donor_selection_free (data->selection);
  g_free (data);
}

static void
refresh_result_free (RefreshResult *result)
{
  g_clear_pointer (&result->ids, g_array_unref);
  g_free (result);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *data = task_data;
  g_autoptr (GError) error = NULL;
  RefreshResult *result = g_new0 (RefreshResult, 1);

  if (data->want_ids)
    {
      result->ids = outreach_donor_selection_matching_ids (data->selection, data->store,
                                                           cancellable, &error);
      if (result->ids == NULL)
        {
          refresh_result_free (result);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  if (!outreach_donor_selection_count (data->selection, data->store, data->by_phone,
                                       &result->counts, &error))
    {
      refresh_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) refresh_result_free);
}

static void start_refresh (OutreachDonorPicker *self);

static void
append_reason (GString    *out,
               gint64      n,
               const char *text)
{
  if (n == 0)
    return;
  if (out->len > 0)
    g_string_append (out, ", ");
  g_string_append (out, text);
}

char *
outreach_donor_picker_describe_counts (const OutreachDonorSelectionCounts *counts,
                                       gboolean                            by_phone)
{
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autofree char *chosen = NULL;
  g_autofree char *s = NULL;

  g_return_val_if_fail (counts != NULL, NULL);

  chosen = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GINT64_FORMAT " donor chosen",
                                         "%" G_GINT64_FORMAT " donors chosen",
                                         counts->selected),
                            counts->selected);
  if (counts->selected == 0)
    return g_steal_pointer (&chosen);

  s = g_strdup_printf (_("%" G_GINT64_FORMAT " suppressed"), counts->suppressed);
  append_reason (reasons, counts->suppressed, s);
  g_free (s);
  s = g_strdup_printf (_("%" G_GINT64_FORMAT " do-not-contact"), counts->do_not_contact);
  append_reason (reasons, counts->do_not_contact, s);
  g_free (s);
  s = by_phone ? g_strdup_printf (_("%" G_GINT64_FORMAT " without a phone number"), counts->no_address)
               : g_strdup_printf (_("%" G_GINT64_FORMAT " without an e-mail address"), counts->no_address);
  append_reason (reasons, counts->no_address, s);
  g_free (s);
  s = g_strdup_printf (_("%" G_GINT64_FORMAT " duplicate address"), counts->duplicates);
  append_reason (reasons, counts->duplicates, s);
  g_clear_pointer (&s, g_free);

  if (reasons->len == 0)
    /* Translators: "12 donors chosen; all of them will get the message" */
    return g_strdup_printf (_("%s; all of them will get the message"), chosen);
  /* Translators: "12 donors chosen; 10 will get the message. Excluded: 1 suppressed, …" */
  return g_strdup_printf (_("%s; %" G_GINT64_FORMAT " will get the message. Excluded: %s"),
                          chosen, counts->reachable, reasons->str);
}

static void
show_counts (OutreachDonorPicker *self)
{
  g_autofree char *text = NULL;
  g_autofree char *matching = NULL;

  if (self->filter_error != NULL)
    {
      gtk_label_set_text (self->counts_label, self->filter_error);
      return;
    }
  if (!self->have_counts)
    {
      gtk_label_set_text (self->counts_label, _("Counting…"));
      return;
    }
  text = outreach_donor_picker_describe_counts (&self->counts, self->by_phone);
  gtk_label_set_text (self->counts_label, text);
  matching = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GINT64_FORMAT " matching",
                                           "%" G_GINT64_FORMAT " matching", self->counts.matching),
                              self->counts.matching);
  gtk_label_set_text (self->matching_label, matching);
}

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OutreachDonorPicker *self = OUTREACH_DONOR_PICKER (source);
  g_autoptr (GError) error = NULL;
  RefreshResult *res = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->running = FALSE;

  if (res == NULL)
    {
      g_warning ("Could not count the chosen donors: %s", error->message);
      gtk_label_set_text (self->counts_label, error->message);
    }
  else
    {
      if (res->ids != NULL)
        {
          gtk_stack_set_visible_child_name (self->list_stack, res->ids->len > 0 ? "list" : "empty");
          outreach_donor_picker_model_set_ids (self->model, g_steal_pointer (&res->ids));
        }
      self->counts = res->counts;
      self->have_counts = TRUE;
      refresh_result_free (res);
    }
  show_counts (self);

  if (self->dirty)
    start_refresh (self);
  else
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
start_refresh (OutreachDonorPicker *self)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  RefreshData *data;

  if (self->running || self->store == NULL)
    return;

  if (self->worker_store == NULL)
    {
      self->worker_store = outreach_store_reopen (self->store, &error);
      if (self->worker_store == NULL)
        {
          gtk_label_set_text (self->counts_label, error->message);
          return;
        }
    }

  data = g_new0 (RefreshData, 1);
  data->store = g_object_ref (self->worker_store);
  data->selection = outreach_donor_selection_copy (self->selection);
  data->by_phone = self->by_phone;
  data->want_ids = self->dirty_ids;
  self->dirty = FALSE;
  self->dirty_ids = FALSE;
  self->running = TRUE;

  task = g_task_new (self, self->cancellable, refresh_done_cb, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  OutreachDonorPicker *self = user_data;

  self->refresh_id = 0;
  start_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (OutreachDonorPicker *self,
               gboolean             ids_too,
               gboolean             at_once)
{
  self->dirty = TRUE;
  self->dirty_ids |= ids_too;
  g_signal_emit (self, signals[CHANGED], 0);
  if (self->running)
    return;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (at_once)
    start_refresh (self);
  else
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

/* "2026-01-31" → TRUE */
static gboolean
parse_date (const char *text)
{
  int y, m, d;
  char end;

  return sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 && strlen (text) == 10 &&
         g_date_valid_dmy (d, m, y);
}

/* "50", "49.95", "1,250.5" → cents; FALSE for anything else. */
static gboolean
parse_amount (const char *text,
              gint64     *cents)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  const char *dot;
  guint64 whole = 0, fraction = 0;
  int n_fraction = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ',' && *p != ' ')
      g_string_append_c (digits, *p);
  if (digits->len == 0 || digits->len > 15)
    return FALSE;
  dot = strchr (digits->str, '.');
  for (const char *p = digits->str; *p != '\0' && p != dot; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (dot != NULL)
    for (const char *p = dot + 1; *p != '\0'; p++)
      {
        if (!g_ascii_isdigit (*p) || ++n_fraction > 2)
          return FALSE;
        fraction = fraction * 10 + (*p - '0');
      }
  if (n_fraction == 1)
    fraction *= 10;
  *cents = (gint64) (whole * 100 + fraction);
  return TRUE;
}

static char *
dup_entry_text (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
filter_changed_cb (OutreachDonorPicker *self)
{
  g_autofree char *since = NULL;
  g_autofree char *amount = NULL;
  gint64 cents = -1;

  if (self->loading || self->selection == NULL)
    return;

  g_clear_pointer (&self->filter_error, g_free);
  g_free (self->selection->search);
  self->selection->search = dup_entry_text (GTK_EDITABLE (self->search_entry));
  g_free (self->selection->tag);
  self->selection->tag = dup_entry_text (GTK_EDITABLE (self->tag_entry));
  g_free (self->selection->city);
  self->selection->city = dup_entry_text (GTK_EDITABLE (self->city_entry));

  since = dup_entry_text (GTK_EDITABLE (self->since_entry));
  if (since != NULL && !parse_date (since))
    self->filter_error = g_strdup_printf (_("“Gave since” needs a date like 2026-01-31, not “%s”"),
                                          since);
  g_free (self->selection->gave_since);
  self->selection->gave_since = since != NULL && self->filter_error == NULL ? g_strdup (since) : NULL;

  amount = dup_entry_text (GTK_EDITABLE (self->amount_entry));
  if (amount != NULL && !parse_amount (amount, &cents) && self->filter_error == NULL)
    self->filter_error = g_strdup_printf (_("“Last gift at least” needs an amount like 50 or "
                                            "49.95, not “%s”"), amount);
  self->selection->min_amount = amount != NULL ? cents : -1;

  self->selection->need_email = gtk_check_button_get_active (self->email_check);
  self->selection->need_phone = gtk_check_button_get_active (self->phone_check);

  if (self->filter_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->counts_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->counts_label), "error");

  queue_refresh (self, TRUE, FALSE);
  show_counts (self);
}

static void
select_all_cb (OutreachDonorPicker *self)
{
  outreach_donor_selection_select_all (self->selection, TRUE);
  outreach_donor_picker_model_refresh (self->model);
  queue_refresh (self, FALSE, TRUE);
}

static void
select_none_cb (OutreachDonorPicker *self)
{
  outreach_donor_selection_select_all (self->selection, FALSE);
  outreach_donor_picker_model_refresh (self->model);
  queue_refresh (self, FALSE, TRUE);
}

static void
check_toggled_cb (GtkCheckButton      *check,
                  OutreachDonorPicker *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "donor-id"));
  gboolean active = gtk_check_button_get_active (check);

  if (id == 0 || outreach_donor_selection_is_selected (self->selection, id) == active)
    return;
  outreach_donor_selection_toggle (self->selection, id);
  queue_refresh (self, FALSE, FALSE);
}

static void
row_activated_cb (OutreachDonorPicker *self,
                  guint                position)
{
  g_autoptr (OutreachDonor) donor = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (donor == NULL)
    return;
  outreach_donor_selection_toggle (self->selection, outreach_donor_get_id (donor));
  g_list_model_items_changed (G_LIST_MODEL (self->model), position, 1, 1);
  queue_refresh (self, FALSE, FALSE);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              OutreachDonorPicker      *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *address = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_width_chars (GTK_LABEL (name), 22);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (address), 0);
  gtk_label_set_width_chars (GTK_LABEL (address), 26);
  gtk_label_set_ellipsize (GTK_LABEL (address), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (details, TRUE);
  gtk_widget_add_css_class (address, "dim-label");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), address);
  gtk_box_append (GTK_BOX (box), details);
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             OutreachDonorPicker      *self)
{
  OutreachDonor *donor = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_next_sibling (check);
  GtkWidget *address = gtk_widget_get_next_sibling (name);
  GtkWidget *details = gtk_widget_get_next_sibling (address);
  g_autofree char *display = outreach_donor_dup_display_name (donor);
  g_autofree char *check_label = NULL;
  g_autoptr (GString) more = g_string_new (NULL);
  gint64 id = outreach_donor_get_id (donor);
  const char *email = outreach_donor_get_email (donor);
  const char *phone = outreach_donor_get_phone (donor);
  const char *tags = outreach_donor_get_tags (donor);

  g_object_set_data (G_OBJECT (check), "donor-id", NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               outreach_donor_selection_is_selected (self->selection, id));
  g_object_set_data (G_OBJECT (check), "donor-id", GSIZE_TO_POINTER ((gsize) id));
  /* Translators: the accessible name of a donor's check box, "Choose Ada Lovelace" */
  check_label = g_strdup_printf (_("Choose %s"), display);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_label, -1);

  gtk_label_set_text (GTK_LABEL (name), display);
  gtk_label_set_text (GTK_LABEL (address), email != NULL ? email : phone != NULL ? phone : "");
  if (*outreach_donor_get_city (donor) != '\0')
    g_string_append (more, outreach_donor_get_city (donor));
  if (tags != NULL && *tags != '\0')
    {
      g_auto (GStrv) split = g_strsplit (tags, ";", -1);
      g_autofree char *shown = g_strjoinv (", ", split);

      g_string_append_printf (more, "%s%s", more->len ? " · " : "", shown);
    }
  if (outreach_donor_get_do_not_contact (donor))
    g_string_append_printf (more, "%s%s", more->len ? " · " : "", _("do not contact"));
  if (outreach_donor_get_suppressed (donor))
    g_string_append_printf (more, "%s%s", more->len ? " · " : "", _("suppressed"));
  gtk_label_set_text (GTK_LABEL (details), more->str);
}

static void
outreach_donor_picker_dispose (GObject *object)
{
  OutreachDonorPicker *self = OUTREACH_DONOR_PICKER (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_DONOR_PICKER);
  /* The template's root box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_object (&self->worker_store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->filter_error, g_free);
  self->selection = NULL;

  G_OBJECT_CLASS (outreach_donor_picker_parent_class)->dispose (object);
}

static void
outreach_donor_picker_class_init (OutreachDonorPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_donor_picker_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (OUTREACH_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-donor-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, city_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, since_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, email_check);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, phone_check);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, matching_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, OutreachDonorPicker, counts_label);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, select_all_cb);
  gtk_widget_class_bind_template_callback (widget_class, select_none_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
outreach_donor_picker_init (OutreachDonorPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

static void
set_entry (GtkEditable *editable,
           const char  *text)
{
  gtk_editable_set_text (editable, text != NULL ? text : "");
}

void
outreach_donor_picker_setup (OutreachDonorPicker    *self,
                             OutreachStore          *store,
                             OutreachDonorSelection *selection)
{
  GtkListItemFactory *factory;
  g_autofree char *amount = NULL;

  g_return_if_fail (OUTREACH_IS_DONOR_PICKER (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));
  g_return_if_fail (selection != NULL);

  g_set_object (&self->store, store);
  g_clear_object (&self->worker_store);
  self->selection = selection;

  if (self->model == NULL)
    {
      self->model = outreach_donor_picker_model_new (store);
      factory = gtk_signal_list_item_factory_new ();
      g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
      gtk_list_view_set_factory (self->list_view, factory);
      g_object_unref (factory);
      gtk_list_view_set_model (self->list_view,
                               GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)))));
    }

  self->loading = TRUE;
  set_entry (GTK_EDITABLE (self->search_entry), selection->search);
  set_entry (GTK_EDITABLE (self->tag_entry), selection->tag);
  set_entry (GTK_EDITABLE (self->city_entry), selection->city);
  set_entry (GTK_EDITABLE (self->since_entry), selection->gave_since);
  if (selection->min_amount >= 0)
    amount = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", selection->min_amount / 100,
                              (int) (selection->min_amount % 100));
  set_entry (GTK_EDITABLE (self->amount_entry), amount);
  gtk_check_button_set_active (self->email_check, selection->need_email);
  gtk_check_button_set_active (self->phone_check, selection->need_phone);
  self->loading = FALSE;

  queue_refresh (self, TRUE, TRUE);
}

void
outreach_donor_picker_set_by_phone (OutreachDonorPicker *self,
                                    gboolean             by_phone)
{
  g_return_if_fail (OUTREACH_IS_DONOR_PICKER (self));

  if (self->by_phone == !!by_phone)
    return;
  self->by_phone = !!by_phone;
  if (self->selection != NULL)
    queue_refresh (self, FALSE, TRUE);
}

gboolean
outreach_donor_picker_get_counts (OutreachDonorPicker          *self,
                                  OutreachDonorSelectionCounts *counts)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_PICKER (self), FALSE);

  if (counts != NULL)
    *counts = self->counts;
  return self->have_counts;
}

gboolean
outreach_donor_picker_is_busy (OutreachDonorPicker *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_PICKER (self), FALSE);

  return self->running || self->dirty;
}

char *
outreach_donor_picker_dup_blocker (OutreachDonorPicker *self)
{
  g_return_val_if_fail (OUTREACH_IS_DONOR_PICKER (self), NULL);

  if (self->filter_error != NULL)
    return g_strdup (self->filter_error);
  if (!self->have_counts || self->running || self->dirty)
    return g_strdup (_("Counting the chosen donors…"));
  if (self->counts.selected == 0)
    return g_strdup (_("Choose at least one donor: tick donors in the list or use "
                       "“Select All Matching”"));
  if (self->counts.reachable == 0)
    return g_strdup (_("None of the chosen donors can get the message; see why below the list"));
  return NULL;
}
