/* outreach-new-job-step.c — what every step of the new-job wizard has in common
 *
 * A step edits the wizard's one OutreachJobDraft in place as the person
 * types, and says "changed"; the wizard then asks every step whether it
 * blocks, so Next can say why it is off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-new-job"

#include "config.h"

#include "outreach-new-job-step.h"

typedef struct
{
  OutreachStore *store;
  OutreachJobDraft *draft; /* borrowed from the wizard, which outlives its steps */
} OutreachNewJobStepPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (OutreachNewJobStep, outreach_new_job_step, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
outreach_new_job_step_dispose (GObject *object)
{
  OutreachNewJobStep *self = OUTREACH_NEW_JOB_STEP (object);
  OutreachNewJobStepPrivate *priv = outreach_new_job_step_get_instance_private (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&priv->store);
  priv->draft = NULL;

  G_OBJECT_CLASS (outreach_new_job_step_parent_class)->dispose (object);
}

static void
outreach_new_job_step_class_init (OutreachNewJobStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = outreach_new_job_step_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
outreach_new_job_step_init (OutreachNewJobStep *self)
{
}

void
outreach_new_job_step_setup (OutreachNewJobStep *self,
                             OutreachStore      *store,
                             OutreachJobDraft   *draft)
{
  OutreachNewJobStepPrivate *priv = outreach_new_job_step_get_instance_private (self);

  g_return_if_fail (OUTREACH_IS_NEW_JOB_STEP (self));
  g_return_if_fail (OUTREACH_IS_STORE (store));
  g_return_if_fail (draft != NULL);

  g_set_object (&priv->store, store);
  priv->draft = draft;
}

OutreachStore *
outreach_new_job_step_get_store (OutreachNewJobStep *self)
{
  OutreachNewJobStepPrivate *priv = outreach_new_job_step_get_instance_private (self);

  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_STEP (self), NULL);
  return priv->store;
}

OutreachJobDraft *
outreach_new_job_step_get_draft (OutreachNewJobStep *self)
{
  OutreachNewJobStepPrivate *priv = outreach_new_job_step_get_instance_private (self);

  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_STEP (self), NULL);
  return priv->draft;
}

void
outreach_new_job_step_load (OutreachNewJobStep *self)
{
  OutreachNewJobStepPrivate *priv = outreach_new_job_step_get_instance_private (self);

  g_return_if_fail (OUTREACH_IS_NEW_JOB_STEP (self));
  g_return_if_fail (priv->draft != NULL);

  if (OUTREACH_NEW_JOB_STEP_GET_CLASS (self)->load != NULL)
    OUTREACH_NEW_JOB_STEP_GET_CLASS (self)->load (self, priv->draft);
}

char *
outreach_new_job_step_dup_blocker (OutreachNewJobStep *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_STEP (self), NULL);

  if (OUTREACH_NEW_JOB_STEP_GET_CLASS (self)->dup_blocker == NULL)
    return NULL;
  return OUTREACH_NEW_JOB_STEP_GET_CLASS (self)->dup_blocker (self);
}

char *
outreach_new_job_step_dup_warning (OutreachNewJobStep *self)
{
  g_return_val_if_fail (OUTREACH_IS_NEW_JOB_STEP (self), NULL);

  if (OUTREACH_NEW_JOB_STEP_GET_CLASS (self)->dup_warning == NULL)
    return NULL;
  return OUTREACH_NEW_JOB_STEP_GET_CLASS (self)->dup_warning (self);
}

void
outreach_new_job_step_changed (OutreachNewJobStep *self)
{
  g_return_if_fail (OUTREACH_IS_NEW_JOB_STEP (self));

  g_signal_emit (self, signals[CHANGED], 0);
}
