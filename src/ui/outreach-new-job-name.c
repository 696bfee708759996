/* outreach-new-job-name.c — wizard step 2: the job's name
 *
 * Required, 1 to 255 characters once trimmed (the jobs table holds the
 * same rule). A name another job has is allowed, with a warning: people
 * do repeat "Monthly newsletter" on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-name.h"

#include <glib/gi18n.h>

struct _OutreachNewJobName
{
  OutreachNewJobStep parent_instance;

  gboolean loading;
  char *suggestion;

  AdwEntryRow *name_row;
  AdwActionRow *suggestion_row;
  GtkButton *suggestion_button;
  GtkLabel *warning_label;
};

G_DEFINE_FINAL_TYPE (OutreachNewJobName, outreach_new_job_name, OUTREACH_TYPE_NEW_JOB_STEP)

static char *
dup_template_name (OutreachStore *store,
                   gint64         template_id)
{
  sqlite3_stmt *stmt;
  char *name = NULL;

  if (template_id == 0)
    return NULL;
  stmt = outreach_store_prepare (store, "SELECT name FROM templates WHERE id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, template_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

static void
update_warning (OutreachNewJobName *self)
{
  OutreachNewJobStep *step = OUTREACH_NEW_JOB_STEP (self);
  g_autofree char *warning = outreach_new_job_step_dup_warning (step);

  gtk_label_set_text (self->warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning != NULL);
}

static void
name_changed_cb (OutreachNewJobName *self)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (OUTREACH_NEW_JOB_STEP (self));

  if (self->loading || draft == NULL)
    return;
  g_free (draft->name);
  draft->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  update_warning (self);
  outreach_new_job_step_changed (OUTREACH_NEW_JOB_STEP (self));
}

static void
use_suggestion_cb (OutreachNewJobName *self)
{
  if (self->suggestion != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->suggestion);
      gtk_editable_set_position (GTK_EDITABLE (self->name_row), -1);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
    }
}

static void
outreach_new_job_name_load (OutreachNewJobStep *step,
                            OutreachJobDraft   *draft)
{
  OutreachNewJobName *self = OUTREACH_NEW_JOB_NAME (step);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *basis = dup_template_name (outreach_new_job_step_get_store (step),
                                              draft->template_id);

  if (basis == NULL && draft->subject != NULL && *draft->subject != '\0' &&
      strstr (draft->subject, "{{") == NULL)
    basis = g_strdup (draft->subject);
  g_free (self->suggestion);
  self->suggestion = outreach_job_draft_suggest_name (draft, basis, now);
  adw_action_row_set_subtitle (self->suggestion_row, self->suggestion);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->suggestion_button), self->suggestion);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), draft->name != NULL ? draft->name : "");
  self->loading = FALSE;
  update_warning (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static char *
outreach_new_job_name_dup_blocker (OutreachNewJobStep *step)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);
  g_autofree char *name = g_strstrip (g_strdup (draft->name != NULL ? draft->name : ""));
  glong length = g_utf8_strlen (name, -1);

  if (length == 0)
    return g_strdup (_("Give the job a name, or use the suggestion"));
  if (length > 255)
    return g_strdup_printf (_("The name is %ld characters long; shorten it to 255 or fewer"),
                            length);
  return NULL;
}

static char *
outreach_new_job_name_dup_warning (OutreachNewJobStep *step)
{
  OutreachJobDraft *draft = outreach_new_job_step_get_draft (step);
  g_autofree char *name = g_strstrip (g_strdup (draft->name != NULL ? draft->name : ""));
  g_autoptr (GError) error = NULL;
  gboolean taken = FALSE;

  if (*name == '\0')
    return NULL;
  if (!outreach_job_draft_name_taken (draft, outreach_new_job_step_get_store (step), name,
                                      &taken, &error))
    return g_strdup (error->message);
  if (taken)
    return g_strdup_printf (_("Another job is already called “%s”. You can keep the name, "
                              "but the two will be hard to tell apart."), name);
  return NULL;
}

static void
outreach_new_job_name_dispose (GObject *object)
{
  OutreachNewJobName *self = OUTREACH_NEW_JOB_NAME (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), OUTREACH_TYPE_NEW_JOB_NAME);
  g_clear_pointer (&self->suggestion, g_free);

  G_OBJECT_CLASS (outreach_new_job_name_parent_class)->dispose (object);
}

static void
outreach_new_job_name_class_init (OutreachNewJobNameClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OutreachNewJobStepClass *step_class = OUTREACH_NEW_JOB_STEP_CLASS (klass);

  object_class->dispose = outreach_new_job_name_dispose;
  step_class->load = outreach_new_job_name_load;
  step_class->dup_blocker = outreach_new_job_name_dup_blocker;
  step_class->dup_warning = outreach_new_job_name_dup_warning;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/outreach/Outreach/outreach-new-job-name.ui");
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobName, name_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobName, suggestion_row);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobName, suggestion_button);
  gtk_widget_class_bind_template_child (widget_class, OutreachNewJobName, warning_label);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_suggestion_cb);
}

static void
outreach_new_job_name_init (OutreachNewJobName *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
