/* outreach-new-job-window.c — the new-job wizard: recipients, name, message, delivery, review & launch
 *
 * One OutreachJobDraft holds everything chosen; each step edits it in
 * place and says "changed", and the wizard asks the current step what
 * still blocks it, which is what the bar at the bottom says beside a
 * disabled Next. The draft is written to its 'draft' jobs row whenever the
 * step changes and when the window closes, so closing midway loses
 * nothing and the same draft reopens at the same step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-window.h"

#include <glib/gi18n.h>

#include "outreach-job-query-watch.h"
#include "outreach-job-window.h"
#include "outreach-new-job-delivery.h"
#include "outreach-new-job-message.h"
#include "outreach-new-job-name.h"
#include "outreach-new-job-recipients.h"
#include "outreach-new-job-review.h"

struct _OutreachNewJobWindow
{
  AdwWindow parent_instance;

  OutreachStore *store;
  OutreachJobDraft *draft;
  OutreachJobDraftStep step;
  GCancellable *cancellable;
  gboolean launching;
  gboolean discarded;
  gint64 launched_job_id;
  GtkWidget *indicators[OUTREACH_JOB_DRAFT_N_STEPS];
  GtkLabel *compact_indicator; /* the current step alone, when narrow */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkBox *indicator_box;
  GtkStack *stack;
  OutreachNewJobStep *recipients_step;
  OutreachNewJobStep *name_step;
  OutreachNewJobStep *message_step;
  OutreachNewJobStep *delivery_step;
  OutreachNewJobStep *review_step;
  GtkProgressBar *launch_progress;
  GtkRevealer *unfinished_revealer;
  GtkLabel *unfinished_label;
  gint64 unfinished_id;
  GtkImage *blocker_icon;
  GtkLabel *blocker_label;
  GtkButton *back_button;
  GtkButton *next_button;
};

G_DEFINE_FINAL_TYPE (OutreachNewJobWindow, outreach_new_job_window, ADW_TYPE_WINDOW)

static const char *const step_names[] = { "recipients", "name", "message", "delivery", "review" };

static const char *
step_title (OutreachJobDraftStep step)
{
  switch (step)
    {
    case OUTREACH_JOB_DRAFT_STEP_RECIPIENTS:
      return _("Recipients");
    case OUTREACH_JOB_DRAFT_STEP_NAME:
      return _("Name");
    case OUTREACH_JOB_DRAFT_STEP_MESSAGE:
      return _("Message");
    case OUTREACH_JOB_DRAFT_STEP_DELIVERY:
      return _("Delivery");
    case OUTREACH_JOB_DRAFT_STEP_REVIEW:
    default:
      return _("Review & Launch");
    }
}

static OutreachNewJobStep *
get_step (OutreachNewJobWindow *self,
          OutreachJobDraftStep  step)
{
  OutreachNewJobStep *steps[] = { self->recipients_step, self->name_step, self->message_step,
                                  self->delivery_step, self->review_step };

  return steps[CLAMP (step, 0, OUTREACH_JOB_DRAFT_N_STEPS - 1)];
}

static void
update_actions (OutreachNewJobWindow *self)
{
  g_autofree char *blocker = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *subtitle = NULL;
  const char *text;

  if (!self->launching)
    {
      blocker = outreach_new_job_step_dup_blocker (get_step (self, self->step));
      if (blocker == NULL)
        warning = outreach_new_job_step_dup_warning (get_step (self, self->step));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 !self->launching && self->step > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 !self->launching && blocker == NULL);

  if (self->launching)
    text = _("Creating the job and its recipients…");
  else if (blocker != NULL)
    text = blocker;
  else if (warning != NULL)
    text = warning;
  else if (self->step == OUTREACH_JOB_DRAFT_STEP_REVIEW)
    text = _("Everything is ready. Launch creates the job and starts it.");
  else
    text = _("Ready for the next step.");
  gtk_label_set_text (self->blocker_label, text);
  gtk_image_set_from_icon_name (self->blocker_icon,
                                blocker != NULL ? "dialog-information-symbolic"
                                : warning != NULL ? "dialog-warning-symbolic"
                                : "emblem-ok-symbolic");
  if (warning != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->blocker_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->blocker_label), "warning");
  /* A disabled button cannot be hovered for a tooltip by everyone; the
   * label beside it says the same, and both reach a screen reader. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button), blocker);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);

  gtk_button_set_label (self->next_button, self->step == OUTREACH_JOB_DRAFT_STEP_REVIEW
                                             ? _("_Launch") : _("_Next"));
  /* Translators: the wizard's subtitle, "Step 2 of 5 — Name" */
  subtitle = g_strdup_printf (_("Step %d of %d — %s"), self->step + 1, OUTREACH_JOB_DRAFT_N_STEPS,
                              step_title (self->step));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  for (guint i = 0; i < OUTREACH_JOB_DRAFT_N_STEPS; i++)
    {
      GtkWidget *label = self->indicators[i];

      if (i == self->step)
        {
          gtk_label_set_label (self->compact_indicator, gtk_label_get_label (GTK_LABEL (label)));
          gtk_widget_add_css_class (label, "accent");
          gtk_widget_add_css_class (label, "heading");
          gtk_widget_remove_css_class (label, "dim-label");
        }
      else
        {
          gtk_widget_remove_css_class (label, "accent");
          gtk_widget_remove_css_class (label, "heading");
          gtk_widget_add_css_class (label, "dim-label");
        }
    }
}

static void
step_changed_cb (OutreachNewJobWindow *self,
                 OutreachNewJobStep   *step)
{
  if (step == get_step (self, self->step))
    update_actions (self);
}

static gboolean
has_input (OutreachNewJobWindow *self)
{
  OutreachJobDraft *d = self->draft;
  OutreachDonorSelection *s = d->selection;

  return d->job_id != 0 || s->all_matching || g_hash_table_size (s->toggled) > 0 ||
         (s->search != NULL && *s->search) || (s->tag != NULL && *s->tag) ||
         (d->name != NULL && *d->name) || (d->subject != NULL && *d->subject) ||
         (d->text != NULL && *d->text);
}

static void
save_draft (OutreachNewJobWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (self->launching || self->discarded || self->launched_job_id != 0 || !has_input (self))
    return;
  self->draft->step = self->step;
  if (!outreach_job_draft_save (self->draft, self->store, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* The message check's findings in a sentence or two, for the summary. */
static char *
describe_checks (OutreachNewJobMessage *message)
{
  OutreachTemplateCheckReport *report = outreach_new_job_message_get_report (message);
  g_autoptr (GString) text = NULL;

  if (report == NULL)
    return NULL;
  if (report->issues->len == 0)
    return g_strdup (_("No problems found"));
  text = g_string_new (NULL);
  for (guint i = 0; i < report->issues->len; i++)
    {
      OutreachTemplateIssue *issue = report->issues->pdata[i];

      g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", issue->message);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
outreach_new_job_window_go_to_step (OutreachNewJobWindow *self,
                                    OutreachJobDraftStep  step)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), FALSE);

  if (step >= OUTREACH_JOB_DRAFT_N_STEPS)
    return FALSE;
  self->step = step;
  save_draft (self);
  if (step == OUTREACH_JOB_DRAFT_STEP_REVIEW)
    {
      g_autofree char *checks = describe_checks (OUTREACH_NEW_JOB_MESSAGE (self->message_step));

      outreach_new_job_review_set_checks (OUTREACH_NEW_JOB_REVIEW (self->review_step), checks);
    }
  outreach_new_job_step_load (get_step (self, step));
  gtk_stack_set_visible_child_name (self->stack, step_names[step]);
  update_actions (self);
  return TRUE;
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (widget);

  if (self->step > 0 && !self->launching)
    outreach_new_job_window_go_to_step (self, self->step - 1);
}

typedef struct
{
  OutreachNewJobWindow *self;
  gint64 done;
  gint64 total;
} ProgressUpdate;

static gboolean
show_progress_cb (gpointer data)
{
  ProgressUpdate *update = data;
  g_autofree char *text = NULL;

  if (update->total > 0)
    gtk_progress_bar_set_fraction (update->self->launch_progress,
                                   (double) update->done / (double) update->total);
  /* Translators: launch progress, "12000 of 100000 recipients" */
  text = g_strdup_printf (_("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " recipients"),
                          update->done, update->total);
  gtk_progress_bar_set_text (update->self->launch_progress, text);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->self);
  g_free (update);
}

/* Runs on the launching thread. */
static void
launch_progress_cb (gint64   done,
                    gint64   total,
                    gpointer user_data)
{
  GTask *task = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->self = g_object_ref (g_task_get_source_object (task));
  update->done = done;
  update->total = total;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, show_progress_cb,
                              update, progress_update_free);
}

static void
launch_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OutreachJobDraft *draft = task_data;
  OutreachNewJobWindow *self = source_object;
  g_autoptr (GError) error = NULL;
  g_autoptr (OutreachStore) store = outreach_store_reopen (self->store, &error);
  gint64 job_id;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job_id = outreach_job_draft_launch (draft, store, launch_progress_cb, task, &error);
  if (job_id == 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, job_id);
}

static void
launch_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (source);
  g_autoptr (GError) error = NULL;
  gint64 job_id = g_task_propagate_int (G_TASK (result), &error);
  GtkWindow *parent;

  self->launching = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);
  if (error != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->launch_progress), FALSE);
      update_actions (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The job was not created: %s"), error->message);

          gtk_label_set_text (self->blocker_label, text);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
        }
      return;
    }

  /* The draft row is gone: the job took its place. Tell the Jobs page
   * and the app's runner now rather than at their next look. */
  self->launched_job_id = job_id;
  outreach_job_query_watch_poke (outreach_job_query_watch_get_for_store (self->store));
  self->draft->job_id = 0;
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  outreach_job_window_present_job (parent, self->store, job_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
launch (OutreachNewJobWindow *self)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *blocker = outreach_new_job_window_dup_blocker (self);

  if (blocker != NULL || self->launching)
    return;

  save_draft (self);
  self->launching = TRUE;
  gtk_progress_bar_set_fraction (self->launch_progress, 0);
  gtk_progress_bar_set_text (self->launch_progress, _("Choosing the recipients…"));
  gtk_widget_set_visible (GTK_WIDGET (self->launch_progress), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
  update_actions (self);

  task = g_task_new (self, self->cancellable, launch_done_cb, NULL);
  g_task_set_source_tag (task, launch);
  g_task_set_task_data (task, outreach_job_draft_copy (self->draft),
                        (GDestroyNotify) outreach_job_draft_free);
  g_task_run_in_thread (task, launch_thread);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (widget);
  g_autofree char *blocker = NULL;

  if (self->launching)
    return;
  blocker = outreach_new_job_step_dup_blocker (get_step (self, self->step));
  if (blocker != NULL)
    {
      gtk_label_set_text (self->blocker_label, blocker);
      gtk_widget_error_bell (widget);
      return;
    }
  if (self->step == OUTREACH_JOB_DRAFT_STEP_REVIEW)
    launch (self);
  else
    outreach_new_job_window_go_to_step (self, self->step + 1);
}

static void
go_to_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (widget);
  int step = g_variant_get_int32 (parameter);

  /* Only back: the steps after this one have not been seen yet. */
  if (!self->launching && step >= 0 && step <= (int) self->step)
    outreach_new_job_window_go_to_step (self, step);
}

/* The dialog is transient for the wizard and closes itself after its
 * response: close the wizard once it has. */
static gboolean
close_later_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
close_later (OutreachNewJobWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_later_cb, g_object_ref (self), g_object_unref);
}

/* A fresh wizard offers the draft the last one left; taking it opens that
 * draft where it was and closes this (still empty) wizard. */
static void
continue_unfinished_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (widget);
  g_autoptr (GError) error = NULL;
  OutreachNewJobWindow *other;

  if (self->unfinished_id == 0 || self->launching)
    return;
  other = outreach_new_job_window_new (gtk_window_get_transient_for (GTK_WINDOW (self)), self->store,
                                       self->unfinished_id, &error);
  if (other == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      gtk_revealer_set_reveal_child (self->unfinished_revealer, FALSE);
      return;
    }
  gtk_window_present (GTK_WINDOW (other));
  if (!has_input (self))
    close_later (self);
}

static void
dismiss_unfinished_cb (OutreachNewJobWindow *self)
{
  gtk_revealer_set_reveal_child (self->unfinished_revealer, FALSE);
}

static void
offer_unfinished (OutreachNewJobWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  OutreachJobDraftStep step = 0;

  self->unfinished_id = outreach_job_draft_find_latest (self->store, &name, &step, NULL);
  if (self->unfinished_id == 0)
    return;
  /* Translators: offered when New Job opens, "“Spring appeal” was left unfinished at the Message step." */
  text = g_strdup_printf (_("“%s” was left unfinished at the %s step."), name, step_title (step));
  gtk_label_set_text (self->unfinished_label, text);
  gtk_revealer_set_reveal_child (self->unfinished_revealer, TRUE);
}

static void
discard_response_cb (AdwMessageDialog     *dialog,
                     const char           *response,
                     OutreachNewJobWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "discard") == 0)
    {
      if (!outreach_job_draft_discard (self->draft, self->store, &error))
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }
      self->discarded = TRUE;
      close_later (self);
    }
  else if (g_strcmp0 (response, "keep") == 0)
    close_later (self);
}

static void
escape_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (widget);
  AdwMessageDialog *dialog;

  if (self->launching)
    return;
  if (!has_input (self))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Discard This Job?"),
                                                       _("What you chose and wrote so far will be "
                                                         "lost. Keep it as a draft to finish it "
                                                         "later from the Jobs page or New Job.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "keep", _("_Keep as Draft"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (discard_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
outreach_new_job_window_close_request (GtkWindow *window)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (window);

  if (self->launching)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("The job is being created; wait a moment")));
      return TRUE;
    }
  /* Closing midway keeps what was entered, as a draft job. */
  save_draft (self);
  return GTK_WINDOW_CLASS (outreach_new_job_window_parent_class)->close_request (window);
}

static void
outreach_new_job_window_dispose (GObject *object)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (object);

  /* Quitting the app destroys the window without asking it to close:
   * keep what was entered on this step too. */
  if (self->store != NULL && self->draft != NULL)
    save_draft (self);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OUTREACH_TYPE_NEW_JOB_WINDOW);

  G_OBJECT_CLASS (outreach_new_job_window_parent_class)->dispose (object);
}

static void
outreach_new_job_window_finalize (GObject *object)
{
  OutreachNewJobWindow *self = OUTREACH_NEW_JOB_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->draft, outreach_job_draft_free);

  G_OBJECT_CLASS (outreach_new_job_window_parent_class)->finalize (object);
}

static void
outreach_new_job_window_class_init (OutreachNewJobWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = outreach_new_job_window_dispose;
  object_class->finalize = outreach_new_job_window_finalize;
  window_class->close_request = outreach_new_job_window_close_request;

  g_type_ensure (OUTREACH_TYPE_NEW_JOB_RECIPIENTS);
  g_type_ensure (OUTREACH_TYPE_NEW_JOB_NAME);
  g_type_ensure (OUTREACH_TYPE_NEW_JOB_MESSAGE);
  g_type_ensure (OUTREACH_TYPE_NEW_JOB_DELIVERY);
  g_type_ensure (OUTREACH_TYPE_NEW_JOB_REVIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-new-job-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, indicator_box);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, compact_indicator);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, recipients_step);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, name_step);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, message_step);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, delivery_step);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, review_step);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, launch_progress);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, unfinished_revealer);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, unfinished_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, blocker_icon);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, blocker_label);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobWindow, next_button);

  gtk_widget_class_bind_template_callback (widget_class, dismiss_unfinished_cb);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "wizard.escape", NULL, escape_activated);
  gtk_widget_class_install_action (widget_class, "wizard.go-to", "i", go_to_activated);
  gtk_widget_class_install_action (widget_class, "wizard.continue-unfinished", NULL,
                                   continue_unfinished_activated);
}

static void
outreach_new_job_window_init (OutreachNewJobWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < OUTREACH_JOB_DRAFT_N_STEPS; i++)
    {
      /* Translators: a step in the wizard's indicator, "2 Name" */
      g_autofree char *text = g_strdup_printf (_("%u %s"), i + 1, step_title (i));
      GtkWidget *label = gtk_label_new (text);

      if (i > 0)
        {
          GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

          gtk_widget_add_css_class (arrow, "dim-label");
          gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
          gtk_box_append (self->indicator_box, arrow);
        }
      gtk_box_append (self->indicator_box, label);
      self->indicators[i] = label;
    }
}

/**
 * outreach_new_job_window_new:
 *
 * Returns: (transfer none): the wizard (a toplevel owned by GTK), or
 *   %NULL with @error set when the draft could not be read
 */
OutreachNewJobWindow *
outreach_new_job_window_new (GtkWindow     *parent,
                             OutreachStore *store,
                             gint64         draft_id,
                             GError       **error)
{
  g_autoptr (OutreachJobDraft) draft = NULL;
  OutreachNewJobWindow *self;
  OutreachNewJobStep *steps[OUTREACH_JOB_DRAFT_N_STEPS];

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OUTREACH_IS_STORE (store), NULL);

  if (draft_id > 0)
    {
      draft = outreach_job_draft_load (store, draft_id, error);
      if (draft == NULL)
        return NULL;
    }
  else
    draft = outreach_job_draft_new ();

  self = g_object_new (OUTREACH_TYPE_NEW_JOB_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->draft = g_steal_pointer (&draft);

  steps[0] = self->recipients_step;
  steps[1] = self->name_step;
  steps[2] = self->message_step;
  steps[3] = self->delivery_step;
  steps[4] = self->review_step;
  for (guint i = 0; i < OUTREACH_JOB_DRAFT_N_STEPS; i++)
    {
      outreach_new_job_step_setup (steps[i], store, self->draft);
      g_signal_connect_swapped (steps[i], "changed", G_CALLBACK (step_changed_cb), self);
    }
  if (draft_id == 0)
    offer_unfinished (self);
  /* The recipients step counts in the background; start it at once so
   * its counts are there whichever step the draft reopens at. */
  outreach_new_job_step_load (self->recipients_step);
  outreach_new_job_window_go_to_step (self, self->draft->step);
  return self;
}

OutreachJobDraftStep
outreach_new_job_window_get_step (OutreachNewJobWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), 0);
  return self->step;
}

char *
outreach_new_job_window_dup_blocker (OutreachNewJobWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), NULL);

  if (self->launching)
    return g_strdup (_("Creating the job and its recipients…"));
  /* On the last step, every earlier step must still hold. */
  for (guint i = 0; i <= self->step; i++)
    {
      char *blocker = outreach_new_job_step_dup_blocker (get_step (self, i));

      if (blocker != NULL)
        return blocker;
    }
  return NULL;
}

const OutreachJobDraft *
outreach_new_job_window_get_draft (OutreachNewJobWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), NULL);
  return self->draft;
}

GtkWidget *
outreach_new_job_window_get_step_widget (OutreachNewJobWindow *self,
                                         OutreachJobDraftStep  step)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), NULL);
  return GTK_WIDGET (get_step (self, step));
}

gint64
outreach_new_job_window_get_unfinished (OutreachNewJobWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), 0);
  return gtk_revealer_get_reveal_child (self->unfinished_revealer) ? self->unfinished_id : 0;
}

gint64
outreach_new_job_window_get_launched_job (OutreachNewJobWindow *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_WINDOW (self), 0);
  return self->launched_job_id;
}
