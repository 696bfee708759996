/* outreach-html-preview.c — a web view for HTML previews, WebKitGTK loaded on first use
 *
 * The preview is a WebKitWebView with JavaScript off, an ephemeral network
 * session and every navigation but its own page refused (the editor adds a
 * Content-Security-Policy that forbids every load).
 *
 * The app does not link WebKitGTK. With its dependencies it is some eighty
 * libraries, and linked in they slowed every start — loading them, and
 * every symbol look-up then searching them all — while most sessions never
 * preview an HTML message. The first preview opens the library instead and
 * looks up the dozen functions used here, typed by WebKit's own header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "outreach-html-preview"

#include "config.h"

#include "outreach-html-preview.h"

#include <glib/gi18n.h>
#include <gmodule.h>
#include <webkit/webkit.h>

G_DEFINE_QUARK (outreach-html-preview-error-quark, outreach_html_preview_error)

#define WEBKIT_FUNCTIONS(X) \
  X (webkit_web_view_get_type) \
  X (webkit_web_view_get_settings) \
  X (webkit_web_view_load_html) \
  X (webkit_network_session_new_ephemeral) \
  X (webkit_settings_set_enable_javascript) \
  X (webkit_settings_set_enable_javascript_markup) \
  X (webkit_settings_set_enable_developer_extras) \
  X (webkit_settings_set_enable_page_cache) \
  X (webkit_navigation_policy_decision_get_navigation_action) \
  X (webkit_navigation_action_get_request) \
  X (webkit_uri_request_get_uri) \
  X (webkit_policy_decision_use) \
  X (webkit_policy_decision_ignore)

static struct
{
#define DECLARE(name) __typeof__ (&name) name;
  WEBKIT_FUNCTIONS (DECLARE)
#undef DECLARE
} webkit;

/* Opens WebKitGTK once; the error, if it is missing, every time. */
static gboolean
load_webkit (GError **error)
{
  static gsize loaded = 0;
  static char *failure = NULL;

  if (g_once_init_enter (&loaded))
    {
      /* kept open for the life of the process: its types stay registered */
      GModule *module = g_module_open (WEBKIT_LIBRARY, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

      if (module == NULL)
        failure = g_strdup (g_module_error ());
#define LOOK_UP(name) \
      if (module != NULL && failure == NULL \
          && !g_module_symbol (module, #name, (gpointer *) &webkit.name)) \
        failure = g_strdup (g_module_error ());
      WEBKIT_FUNCTIONS (LOOK_UP)
#undef LOOK_UP
      g_once_init_leave (&loaded, 1);
    }

  if (failure != NULL)
    {
      g_set_error (error, OUTREACH_HTML_PREVIEW_ERROR, OUTREACH_HTML_PREVIEW_ERROR_NO_WEBKIT,
                   _("The HTML preview needs WebKitGTK 6.0 (%s): %s. Install it, for example "
                     "the libwebkitgtk-6.0-4 package, and restart Outreach."),
                   WEBKIT_LIBRARY, failure);
      return FALSE;
    }
  return TRUE;
}

static gboolean
decide_policy_cb (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  gpointer                  user_data)
{
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION
      || type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    {
      /* both decision types are WebKitNavigationPolicyDecisions; a plain
       * cast, as the checked one would need the type function linked */
      WebKitNavigationAction *action =
        webkit.webkit_navigation_policy_decision_get_navigation_action ((WebKitNavigationPolicyDecision *) decision);
      const char *uri =
        webkit.webkit_uri_request_get_uri (webkit.webkit_navigation_action_get_request (action));

      /* Only the preview's own page; a click on a link goes nowhere. */
      if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && g_strcmp0 (uri, "about:blank") == 0)
        webkit.webkit_policy_decision_use (decision);
      else
        webkit.webkit_policy_decision_ignore (decision);
      return TRUE;
    }
  return FALSE;
}

/**
 * outreach_html_preview_new:
 *
 * Returns: (transfer floating) (nullable): a WebKitWebView that loads
 *   nothing, or %NULL when WebKitGTK cannot be opened
 */
GtkWidget *
outreach_html_preview_new (GError **error)
{
  g_autoptr (WebKitNetworkSession) session = NULL;
  WebKitSettings *settings;
  GtkWidget *view;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!load_webkit (error))
    return NULL;

  /* no JavaScript, no cookies or cache on disk, no loads */
  session = webkit.webkit_network_session_new_ephemeral ();
  view = g_object_new (webkit.webkit_web_view_get_type (), "network-session", session, NULL);
  settings = webkit.webkit_web_view_get_settings ((WebKitWebView *) view);
  webkit.webkit_settings_set_enable_javascript (settings, FALSE);
  webkit.webkit_settings_set_enable_javascript_markup (settings, FALSE);
  webkit.webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit.webkit_settings_set_enable_page_cache (settings, FALSE);
  g_signal_connect (view, "decide-policy", G_CALLBACK (decide_policy_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("HTML preview"), -1);
  return view;
}

/* Shows @html (a whole document) as the page about:blank. */
void
outreach_html_preview_show (GtkWidget  *preview,
                            const char *html)
{
  g_return_if_fail (GTK_IS_WIDGET (preview));
  g_return_if_fail (html != NULL);

  webkit.webkit_web_view_load_html ((WebKitWebView *) preview, html, "about:blank");
}
