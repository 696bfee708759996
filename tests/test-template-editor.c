/* test-template-editor.c — the template editor and the Templates page, as a
 * person uses them, in a real window under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <libsoup/soup.h>

#include "outreach-settings.h"
#include "outreach-template-editor.h"
#include "outreach-template-library.h"
#include "outreach-templates-page.h"
#include "outreach-test-util.h"
#include "outreach-test-widgets.h"

typedef struct
{
  char *dir;
  OutreachStore *store;
  GtkWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->store = outreach_test_new_store (&fixture->dir, NULL);
  g_assert_true (outreach_store_exec (fixture->store,
    "INSERT INTO donors (id, first_name, last_name, email, extra, created_at, updated_at) VALUES "
    "(3, 'Ada', 'Lovelace', 'ada@example.org', '{\"Favourite Program\": \"Rivers\"}', 1, 1),"
    "(8, 'Grace', 'Hopper', 'grace@example.org', '{}', 1, 1)", &error));
  g_assert_true (outreach_settings_set_string (fixture->store, OUTREACH_SETTING_ORG_NAME,
                                               "Friends of the River", &error));
  g_assert_cmpint (outreach_template_library_save (fixture->store, 0, "footer", "", "-- \n{{org_name}}\n",
                                                   NULL, &error), >, 0);
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 700);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->store);
  outreach_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
preview_mentions_lovelace (gpointer data)
{
  g_autofree char *text = outreach_template_editor_get_preview_text (data);
  return strstr (text, "Lovelace") != NULL;
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  OutreachTemplateEditor *editor = OUTREACH_TEMPLATE_EDITOR (outreach_template_editor_new ());
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *html = NULL;
  const char *preview_html;

  gtk_window_set_child (fixture->window, GTK_WIDGET (editor));
  gtk_window_present (fixture->window);
  outreach_template_editor_set_store (editor, fixture->store);
  outreach_template_editor_set_message (editor, "Thanks, {{first_name}}!",
                                        "Dear {{first_name}} ({{favourite_program}}),\n{{> footer}}",
                                        "<p>Dear {{first_name}} &amp; <img src=\"https://tracker.example/x.png\"></p>");
  outreach_test_iterate ();

  /* the first donor, rendered */
  g_assert_cmpint (outreach_template_editor_get_preview_donor (editor), ==, 3);
  subject = outreach_template_editor_get_preview_subject (editor);
  g_assert_cmpstr (subject, ==, "Thanks, Ada!");
  text = outreach_template_editor_get_preview_text (editor);
  g_assert_cmpstr (text, ==, "Dear Ada (Rivers),\n-- \nFriends of the River\n");
  preview_html = outreach_template_editor_get_preview_html (editor);
  g_assert_nonnull (preview_html);
  /* no load may leave the preview */
  g_assert_true (g_str_has_prefix (preview_html, "<meta http-equiv=\"Content-Security-Policy\" "
                                                 "content=\"default-src 'none';"));
  g_assert_nonnull (strstr (preview_html, "<p>Dear Ada &amp; <img"));
  g_assert_true (outreach_template_editor_get_valid (editor));
  /* the text body on screen is highlighted as Mustache */
  {
    GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                                      OUTREACH_TYPE_TEMPLATE_EDITOR,
                                                                      "text_view"));
    GtkSourceLanguage *language =
      gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (view)));

    g_assert_nonnull (language);
    g_assert_cmpstr (gtk_source_language_get_id (language), ==, "outreach-mustache");
  }

  /* next donor */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.next-donor", NULL);
  outreach_test_iterate ();
  g_assert_cmpint (outreach_template_editor_get_preview_donor (editor), ==, 8);
  next_text = outreach_template_editor_get_preview_text (editor);
  g_assert_cmpstr (next_text, ==, "Dear Grace (),\n-- \nFriends of the River\n");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.next-donor", NULL);
  g_assert_cmpint (outreach_template_editor_get_preview_donor (editor), ==, 8);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.previous-donor", NULL);
  g_assert_cmpint (outreach_template_editor_get_preview_donor (editor), ==, 3);

  /* typing: the preview follows within the pause, without being asked */
  outreach_template_editor_set_message (editor, "Hi", "Dear {{first_name}}", NULL);
  g_assert_null (outreach_template_editor_get_preview_html (editor));
  gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                                    OUTREACH_TYPE_TEMPLATE_EDITOR,
                                                                    "text_view")));
  outreach_test_iterate ();
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.insert-field", "s", "last_name");
  text = (g_free (text), outreach_template_editor_get_text_body (editor));
  g_assert_cmpstr (text, ==, "Dear {{first_name}}{{last_name}}");
  g_assert_true (outreach_test_wait_until (preview_mentions_lovelace, editor, OUTREACH_TEST_WAIT_SECONDS));

  /* an error: shown with its place, the preview keeps the last good text */
  outreach_template_editor_set_message (editor, "Hi", "Dear {{first_name}},\n{{#tags}}\n", NULL);
  g_assert_false (outreach_template_editor_get_valid (editor));
  g_assert_cmpstr (outreach_template_editor_get_error (editor), ==,
                   "Text body, line 2, column 1: unclosed section: “tags” is never closed; "
                   "add “{{/tags}}” where it ends");
  html = outreach_template_editor_get_html_body (editor);
  g_assert_null (html);

  outreach_template_editor_set_message (editor, "Hi {{first_name", "ok", NULL);
  g_assert_false (outreach_template_editor_get_valid (editor));
  g_assert_true (g_str_has_prefix (outreach_template_editor_get_error (editor),
                                   "Subject, line 1, column 4: unclosed tag"));
  outreach_template_editor_set_message (editor, "Hi", "ok", NULL);
  g_assert_true (outreach_template_editor_get_valid (editor));
  g_assert_null (outreach_template_editor_get_error (editor));
}

static gboolean
check_finished (gpointer data)
{
  const char *result = outreach_template_editor_get_check_result (data);
  return result[0] != '\0' && !g_str_equal (result, "Checking…");
}

static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  OutreachTemplateEditor *editor = OUTREACH_TEMPLATE_EDITOR (outreach_template_editor_new ());
  const char *params[] = { "Ada", NULL };

  gtk_window_set_child (fixture->window, GTK_WIDGET (editor));
  gtk_window_present (fixture->window);
  outreach_template_editor_set_store (editor, fixture->store);
  outreach_template_editor_set_message (editor, "Hi {{frist_name}}",
                                        "Dear {{first_name}}, {{favourite_program}}\n{{> footer}}", NULL);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.check", NULL);
  g_assert_true (outreach_test_wait_until (check_finished, editor, OUTREACH_TEST_WAIT_SECONDS));
  g_assert_cmpstr (outreach_template_editor_get_check_result (editor), ==,
                   "Error: {{frist_name}} in the subject is not a merge field; did you mean {{first_name}}?\n"
                   "Warning: {{favourite_program}} in the text body is empty for 1 of 2 donors, "
                   "for example donor 8 (Grace Hopper <grace@example.org>)\n"
                   "Warning: The text body has no unsubscribe link: add {{unsubscribe_url}} so donors "
                   "can stop these e-mails");

  /* only the chosen donors */
  outreach_template_editor_set_selection (editor, "first_name = ?1", params);
  outreach_template_editor_set_message (editor, "Hi", "{{favourite_program}} {{unsubscribe_url}}", NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.check", NULL);
  g_assert_true (outreach_test_wait_until (check_finished, editor, OUTREACH_TEST_WAIT_SECONDS));
  g_assert_cmpstr (outreach_template_editor_get_check_result (editor), ==,
                   "Warning: {{unsubscribe_url}} in the text body is empty for every donor: set it in "
                   "Preferences, or with “outreach settings unsubscribe_url VALUE”");
}

static void
count_request_cb (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  guint *requests = user_data;

  (*requests)++;
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "image/gif", SOUP_MEMORY_STATIC, "GIF89a", 6);
}

static gboolean
web_view_loaded (gpointer data)
{
  gboolean loading = TRUE;
  double progress = 0;
  GtkWidget *view = outreach_template_editor_get_html_preview (data);

  if (view == NULL)
    return FALSE;
  g_object_get (view, "is-loading", &loading, "estimated-load-progress", &progress, NULL);
  return !loading && progress >= 1.0;
}

/* A template cannot phone home from the preview: images, styles, scripts
 * and frames from a real server on loopback are never fetched. */
static void
test_html_preview_loads_nothing (Fixture       *fixture,
                                 gconstpointer  data)
{
  OutreachTemplateEditor *editor = OUTREACH_TEMPLATE_EDITOR (outreach_template_editor_new ());
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSList) uris = NULL;
  g_autofree char *base = NULL;
  g_autofree char *html = NULL;
  guint requests = 0;

  soup_server_add_handler (server, NULL, count_request_cb, &requests, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  html = g_strdup_printf ("<html><head><link rel=\"stylesheet\" href=\"%scss\">"
                          "<script src=\"%sjs\"></script></head><body>"
                          "<p>Dear {{first_name}}</p><img src=\"%simg?d={{donor_id}}\">"
                          "<iframe src=\"%sframe\"></iframe>"
                          "<p style=\"background: url(%sbg)\">x</p></body></html>",
                          base, base, base, base, base);

  gtk_window_set_child (fixture->window, GTK_WIDGET (editor));
  gtk_window_present (fixture->window);
  outreach_template_editor_set_store (editor, fixture->store);
  outreach_template_editor_set_message (editor, "Hi", "Hi", html);
  g_assert_nonnull (strstr (outreach_template_editor_get_preview_html (editor), "<p>Dear Ada</p>"));

  g_assert_true (outreach_test_wait_until (web_view_loaded, editor, OUTREACH_TEST_WAIT_SECONDS));
  /* give any load that slipped through time to arrive */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (requests, ==, 0);
}

static void
test_page (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *page = g_object_new (OUTREACH_TYPE_TEMPLATES_PAGE, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (OutreachSavedTemplate) saved = NULL;
  OutreachTemplateEditor *editor;
  GtkWidget *name_entry;

  gtk_window_set_child (fixture->window, page);
  gtk_window_present (fixture->window);
  outreach_templates_page_set_store (OUTREACH_TEMPLATES_PAGE (page), fixture->store);
  outreach_test_iterate ();

  editor = OUTREACH_TEMPLATE_EDITOR (gtk_widget_get_template_child (page, OUTREACH_TYPE_TEMPLATES_PAGE, "editor"));
  name_entry = GTK_WIDGET (gtk_widget_get_template_child (page, OUTREACH_TYPE_TEMPLATES_PAGE, "name_entry"));

  /* the saved template is shown */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "footer");

  /* new, then save */
  gtk_widget_activate_action (page, "templates.new", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (name_entry), "Thank you");
  outreach_template_editor_set_message (editor, "Thanks, {{first_name}}", "Dear {{first_name}}\n{{> footer}}", NULL);
  outreach_test_iterate ();
  gtk_widget_activate_action (page, "templates.save", NULL);
  saved = outreach_template_library_get (fixture->store, "Thank you", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->text_body, ==, "Dear {{first_name}}\n{{> footer}}");

  /* a broken template cannot be saved */
  outreach_template_editor_set_message (editor, "x", "{{#a}}", NULL);
  g_assert_false (outreach_template_editor_get_valid (editor));
  gtk_widget_activate_action (page, "templates.save", NULL);
  {
    g_autoptr (OutreachSavedTemplate) again = outreach_template_library_get (fixture->store, "Thank you", &error);
    g_assert_cmpstr (again->text_body, ==, "Dear {{first_name}}\n{{> footer}}");
  }

  /* duplicate */
  gtk_widget_activate_action (page, "templates.duplicate", NULL);
  outreach_test_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "Thank you (copy)");
  list = outreach_template_library_list (fixture->store, &error);
  g_assert_cmpuint (list->len, ==, 3);

  g_assert_true (outreach_templates_page_select (OUTREACH_TEMPLATES_PAGE (page), "footer"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "footer");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/outreach/template-editor/preview", Fixture, NULL, fixture_set_up, test_preview, fixture_tear_down);
  g_test_add ("/outreach/template-editor/check", Fixture, NULL, fixture_set_up, test_check, fixture_tear_down);
  g_test_add ("/outreach/template-editor/html-preview-loads-nothing", Fixture, NULL, fixture_set_up,
              test_html_preview_loads_nothing, fixture_tear_down);
  g_test_add ("/outreach/template-editor/page", Fixture, NULL, fixture_set_up, test_page, fixture_tear_down);

  return g_test_run ();
}
