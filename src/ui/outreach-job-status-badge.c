/* outreach-job-status-badge.c — a job's status as icon, colour and word
 *
 * Colour alone never carries the meaning: the icon and the word say it
 * too, and the accessible label reads the word ("Completed, 3 failed").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-job-status-badge"

#include "config.h"

#include "outreach-job-status-badge.h"

#include <glib/gi18n.h>

struct _OutreachJobStatusBadge
{
  GtkWidget parent_instance;

  GtkWidget *icon;
  GtkWidget *label;
  const char *css_class;
  const char *icon_name;
};

G_DEFINE_FINAL_TYPE (OutreachJobStatusBadge, outreach_job_status_badge, GTK_TYPE_WIDGET)

static void
outreach_job_status_badge_dispose (GObject *object)
{
  OutreachJobStatusBadge *self = OUTREACH_JOB_STATUS_BADGE (object);

  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (outreach_job_status_badge_parent_class)->dispose (object);
}

static void
outreach_job_status_badge_class_init (OutreachJobStatusBadgeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = outreach_job_status_badge_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jobstatusbadge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
outreach_job_status_badge_init (OutreachJobStatusBadge *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->icon = gtk_image_new ();
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
}

GtkWidget *
outreach_job_status_badge_new (void)
{
  return g_object_new (OUTREACH_TYPE_JOB_STATUS_BADGE, NULL);
}

/**
 * outreach_job_status_badge_set_status:
 * @failed: failed recipients, mentioned for a completed job
 * @scheduled_at: a queued job with a start in the future shows "Scheduled"
 */
void
outreach_job_status_badge_set_status (OutreachJobStatusBadge *self,
                                      OutreachJobStatus       status,
                                      gint64                  failed,
                                      gint64                  scheduled_at)
{
  g_autofree char *text = NULL;
  const char *css_class;

  g_return_if_fail (OUTREACH_IS_JOB_STATUS_BADGE (self));

  switch (status)
    {
    case OUTREACH_JOB_STATUS_DRAFT:
      self->icon_name = "document-edit-symbolic";
      css_class = "status-draft";
      break;
    case OUTREACH_JOB_STATUS_QUEUED:
      self->icon_name = "alarm-symbolic";
      css_class = "status-queued";
      break;
    case OUTREACH_JOB_STATUS_RUNNING:
      self->icon_name = "media-playback-start-symbolic";
      css_class = "status-running";
      break;
    case OUTREACH_JOB_STATUS_PAUSED:
      self->icon_name = "media-playback-pause-symbolic";
      css_class = "status-paused";
      break;
    case OUTREACH_JOB_STATUS_COMPLETED:
      self->icon_name = failed > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
      css_class = failed > 0 ? "status-completed-failures" : "status-completed";
      break;
    case OUTREACH_JOB_STATUS_FAILED:
      self->icon_name = "dialog-error-symbolic";
      css_class = "status-failed";
      break;
    case OUTREACH_JOB_STATUS_CANCELLED:
    default:
      self->icon_name = "process-stop-symbolic";
      css_class = "status-cancelled";
      break;
    }

  if (status == OUTREACH_JOB_STATUS_QUEUED && scheduled_at > g_get_real_time () / G_USEC_PER_SEC)
    text = g_strdup (_("Scheduled"));
  else if (status == OUTREACH_JOB_STATUS_COMPLETED && failed > 0)
    /* Translators: a job's status, e.g. "Completed — 3 failed" */
    text = g_strdup_printf (ngettext ("Completed — %lld failed", "Completed — %lld failed",
                                      (unsigned long) failed),
                            (long long) failed);
  else
    text = g_strdup (outreach_job_status_get_label (status));

  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), self->icon_name);
  gtk_label_set_label (GTK_LABEL (self->label), text);
  if (self->css_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->css_class);
  gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
  self->css_class = css_class;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

const char *
outreach_job_status_badge_get_text (OutreachJobStatusBadge *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_STATUS_BADGE (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->label));
}

const char *
outreach_job_status_badge_get_icon_name (OutreachJobStatusBadge *self)
{
  g_return_val_if_fail (OUTREACH_IS_JOB_STATUS_BADGE (self), NULL);

  return self->icon_name;
}
