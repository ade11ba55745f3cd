"""
The editors' rough edges from issue 17, through real admin requests: where a
new page appears, the admin in Danish, the live preview (language, glossary,
link and anchor checks), history compare and restore, images, edit conflicts
with a three-way merge, the page list, the glossary list and reader feedback.
"""

import importlib
import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.urls import clear_url_caches
from PIL import Image

from content.models import Page
from feedback.models import Feedback
from glossary.models import Term
from tests.content.test_editing import ADD_URL, page_form
from tests.support import html
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db

LIVE_PREVIEW = "/admin/content/page/live-preview/"


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


@pytest.fixture
def danish_editor(django_user_model):
    """A hospital communications officer: staff with the editing permissions, not a superuser, Danish browser."""
    user = django_user_model.objects.create_user("redaktoer", "r@example.org", "a-long-test-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["content", "glossary", "feedback", "axes"])
    )
    client = Client(headers={"accept-language": "da"})
    client.force_login(user)
    return client


# --- 1. A new page does not silently become the home page's intro ---------------


def test_a_new_page_without_a_parent_or_the_main_menu_choice_is_refused_and_kept(staff_client, client):
    data = page_form(slug="stille-side", title="Aaa first by title")
    del data["top_level"]
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    text = html.text(response.content.decode())
    assert "Choose a parent page, or tick “Show in the main menu and on the home page”" in text
    assert not Page.objects.filter(slug="stille-side").exists()
    assert "Aaa first by title" in response.content.decode()  # nothing the editor typed is lost
    home_before = html.text(client.get("/en/").content.decode())
    assert "Aaa first by title" not in home_before


def test_a_new_page_under_a_parent_is_saved_and_stays_out_of_the_main_menu(staff_client, client):
    parent = Page.objects.get(slug="cell-therapy")
    data = page_form(slug="under-cell-therapy", title="Aaa under cell therapy", parent=str(parent.pk))
    del data["top_level"]
    assert staff_client.post(ADD_URL, data).status_code == 302
    home = client.get("/en/")
    assert "Aaa under cell therapy" not in html.text(home.content.decode()).split("Cell therapy")[0]
    assert Page.objects.get(slug="under-cell-therapy").parent == parent


def test_an_existing_top_level_page_keeps_its_choice_when_edited(staff_client):
    page = Page.objects.get(slug="what-is-atmp")
    assert page.parent_id is None
    form = read_form(staff_client.get(change_url(page)).content.decode())
    assert form["top_level"] == ["on"]
    assert staff_client.post(change_url(page), form).status_code == 302


def test_the_live_preview_says_where_the_page_will_appear(staff_client):
    parent = Page.objects.get(slug="cell-therapy")
    under = staff_client.post(f"{LIVE_PREVIEW}?language=en&parent={parent.pk}", {"content": "Text."})
    assert "Appears under “Cell therapy”" in html.text(under.content.decode())
    top = staff_client.post(f"{LIVE_PREVIEW}?language=en&top_level=1", {"content": "Text."})
    assert "Appears in the main menu" in html.text(top.content.decode())
    undecided = staff_client.post(f"{LIVE_PREVIEW}?language=en", {"content": "Text."})
    assert "choose a parent page, or tick" in html.text(undecided.content.decode())


# --- 3. The admin in Danish; sign-in records for superusers only ------------------


def test_the_admin_speaks_danish_to_a_danish_editor(danish_editor):
    index = html.text(danish_editor.get("/admin/").content.decode())
    assert "ATMP-redaktion" in index
    for english in ("Django administration", "Pages", "Glossary", "Terms", "Reader feedback", "Sources"):
        assert english not in index, english
    for danish in ("Indhold", "Sider", "Ordliste", "Læserfeedback"):
        assert danish in index, danish
    add = html.text(danish_editor.get(ADD_URL).content.decode())
    assert "Tilføj side" in add and "Tilføj page" not in add
    changelist = html.text(danish_editor.get("/admin/content/page/").content.decode())
    assert "(god)" in changelist or "(nogenlunde)" in changelist or "(svær)" in changelist
    assert "(fair)" not in changelist and "(good)" not in changelist


def test_the_history_list_names_its_changes_in_danish(danish_editor):
    page = Page.objects.get(slug="celleterapi")
    form = read_form(danish_editor.get(change_url(page)).content.decode())
    form["summary"] = form["summary"] + " Ændret."
    assert danish_editor.post(change_url(page), form).status_code == 302
    text = html.text(danish_editor.get(f"/admin/content/page/{page.pk}/history/").content.decode())
    assert "Ændret" in text and "Oprettet" in text
    assert "Changed" not in text and "Created" not in text


def test_editors_do_not_see_the_sign_in_records_even_with_the_permissions(danish_editor, staff_client):
    index = danish_editor.get("/admin/").content.decode()
    assert "/admin/axes/" not in index
    assert danish_editor.get("/admin/axes/accessattempt/").status_code == 403
    # A superuser still does.
    assert "/admin/axes/" in staff_client.get("/admin/").content.decode()


# --- 4. The live preview is the saved page ----------------------------------------


def test_the_live_preview_uses_the_pages_language_and_the_glossary_marking(staff_client):
    text = "Autologous cells. See [gene therapy](page:gene-therapy)."
    response = staff_client.post(f"{LIVE_PREVIEW}?language=en&slug=new-page", {"content": text})
    assert response.status_code == 200
    content = response.content.decode()
    # The Danish admin (no accept-language) previews an English page with English links.
    assert 'href="/en/gene-therapy/"' in content
    assert 'class="glossary-term"' in content
    # Same filters as the saved page: what a save stores is in the preview.
    page = Page(title="t", slug="new-page", language="en", body=text)
    page.render()
    assert page.body_html in content


def test_the_live_preview_flags_an_unknown_page_link_with_the_nearest_slug(staff_client):
    response = staff_client.post(f"{LIVE_PREVIEW}?language=da", {"content": "Læs om [genterapi](page:genterapie)."})
    text = html.text(response.content.decode())
    assert "page:genterapie" in text and "Did you mean page:genterapi?" in text


def test_the_live_preview_is_for_editors_only(client, django_user_model):
    assert client.post(LIVE_PREVIEW, {"content": "x"}).status_code == 302  # to the login
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "a-long-test-password", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_page"))
    client.force_login(viewer)
    assert client.post(LIVE_PREVIEW, {"content": "x"}).status_code == 403


def test_anchors_keep_danish_letters_and_a_link_written_with_them_finds_its_section(staff_client, client):
    target = Page.objects.get(slug="car-t-behandling")
    target.save()
    assert 'id="derfor-bliver-patienten-fulgt-taet-efter-car-t"' in target.body_html
    parent = Page.objects.get(slug="celleterapi")
    body = "Se [opfølgning](page:car-t-behandling#derfor-bliver-patienten-fulgt-tæt-efter-car-t)."
    data = page_form(slug="opfoelgning", language="da", body=body, parent=str(parent.pk))
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 302, html.text(response.content.decode())[-1500:]
    page = client.get("/da/opfoelgning/", headers={"accept-language": "da"}).content.decode()
    assert "/da/car-t-behandling/#derfor-bliver-patienten-fulgt-taet-efter-car-t" in html.links(page)


def test_a_link_to_a_section_that_does_not_exist_is_refused_at_save_with_a_suggestion(staff_client):
    body = "Se [opfølgning](page:car-t-behandling#derfor-bliver-patienten-fulgt)."
    data = page_form(slug="opfoelgning", language="da", body=body)
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    text = html.text(response.content.decode())
    assert "page:car-t-behandling has no section with the anchor #derfor-bliver-patienten-fulgt" in text
    assert "Did you mean #derfor-bliver-patienten-fulgt-taet-efter-car-t?" in text
    assert not Page.objects.filter(slug="opfoelgning").exists()
    live = staff_client.post(f"{LIVE_PREVIEW}?language=da", {"content": body})
    assert "has no section with the anchor" in html.text(live.content.decode())


# --- 5. History: styled compare, restore with confirmation -----------------------


def test_the_history_page_is_styled_with_text_markers_and_a_working_breadcrumb_bar(staff_client):
    page = Page.objects.get(slug="tissue-therapy")
    form = read_form(staff_client.get(change_url(page)).content.decode())
    form["body"] = form["body"] + "\n\nA new closing line.\n"
    staff_client.post(change_url(page), form)
    versions = list(page.history.order_by("history_date"))
    response = staff_client.get(
        f"/admin/content/page/{page.pk}/history/", {"from": versions[0].history_id, "to": versions[-1].history_id}
    )
    content = response.content.decode()
    assert "css/editorial-admin.css" in content
    assert '<ol class="breadcrumbs">' in content and '<li aria-current="page">' in content
    assert '<span class="diff-marker" aria-hidden="true">+</span>' in content


def test_restore_asks_first_and_a_published_page_gets_the_old_text_as_a_draft(staff_client, client):
    page = Page.objects.get(slug="car-t")
    original = page.history.order_by("history_date").first()
    form = read_form(staff_client.get(change_url(page)).content.decode())
    form["body"] = "A short replacement body."
    staff_client.post(change_url(page), form)
    restore_url = f"/admin/content/page/{page.pk}/history/{original.history_id}/restore/"

    confirm = staff_client.get(restore_url)
    assert confirm.status_code == 200
    text = html.text(confirm.content.decode())
    assert "Restore this version?" in text and "Yes, restore this version" in confirm.content.decode()
    assert Page.objects.get(pk=page.pk).body == "A short replacement body."  # asking changes nothing

    assert staff_client.post(restore_url).status_code == 302
    page.refresh_from_db()
    assert page.body == "A short replacement body."
    assert page.unpublished_changes["body"] == original.body
    assert "A short replacement body." in html.text(client.get("/en/car-t/").content.decode())


def test_restore_on_an_unpublished_page_restores_at_once(staff_client):
    page = Page.objects.get(slug="car-t")
    original = page.history.order_by("history_date").first()
    Page.objects.filter(pk=page.pk).update(status=Page.Status.DRAFT, body="Draft body.")
    staff_client.post(f"/admin/content/page/{page.pk}/history/{original.history_id}/restore/")
    page.refresh_from_db()
    assert page.body == original.body and not page.unpublished_changes


# --- 6. Images ----------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_body_field_has_an_add_image_control_and_a_hint(staff_client):
    content = staff_client.get(ADD_URL).content.decode()
    assert 'type="file"' in content and "Add image" in html.text(content)
    assert "js/editor.js" in content
    assert "Give every image a short description" in html.text(content)


def test_uploaded_images_are_served_in_development(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(png_bytes())
    upload.name = "cells.png"
    response = staff_client.post(
        "/markdownx/upload/", {"image": upload}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200, response.content
    address = response.json()["image_code"].split("(")[1].rstrip(")").strip('"')
    urls = importlib.import_module(settings.ROOT_URLCONF)
    try:
        with override_settings(DEBUG=True):
            importlib.reload(urls)
            clear_url_caches()
            assert staff_client.get(address).status_code == 200
    finally:
        importlib.reload(urls)
        clear_url_caches()


def test_an_image_without_a_description_cannot_be_published_but_a_draft_can_be_saved(staff_client):
    body = "Text.\n\n![](/media/uploads/cells.png)\n"
    refused = staff_client.post(ADD_URL, page_form(body=body))
    assert refused.status_code == 200
    assert "image(s) have no description" in html.text(refused.content.decode())
    assert not Page.objects.filter(slug="stem-cell-transplant").exists()
    assert staff_client.post(ADD_URL, page_form(body=body, status="draft")).status_code == 302
    described = page_form(body="Text.\n\n![Red blood cells](/media/uploads/cells.png)\n", slug="described")
    assert staff_client.post(ADD_URL, described).status_code == 302


# --- 7. Edit conflicts: same user, three-way merge ------------------------------------


@pytest.fixture
def editor_with_two_tabs(staff_client):
    page = Page.objects.get(slug="car-t")
    first = read_form(staff_client.get(change_url(page)).content.decode())
    second = read_form(staff_client.get(change_url(page)).content.decode())
    return staff_client, page, first, second


def test_a_conflict_with_my_own_other_tab_says_so(editor_with_two_tabs):
    client, page, first, second = editor_with_two_tabs
    first["summary"] = "Saved in the first tab."
    assert client.post(change_url(page), first).status_code == 302
    second["summary"] = "Saved in the second tab."
    response = client.post(change_url(page), second)
    assert response.status_code == 200
    text = html.text(response.content.decode())
    assert "You saved this page in another tab" in text
    assert "Someone else saved this page" not in text


def test_apply_my_changes_on_top_merges_lines_that_do_not_overlap(editor_with_two_tabs):
    client, page, first, second = editor_with_two_tabs
    paragraphs = first["body"].split("\n\n")
    first["body"] = "\n\n".join([paragraphs[0] + " Their addition.", *paragraphs[1:]])
    assert client.post(change_url(page), first).status_code == 302
    second["body"] = "\n\n".join([*paragraphs[:-1], paragraphs[-1] + " My addition."])
    second["_merge"] = "1"
    merged_form = client.post(change_url(page), second)
    assert merged_form.status_code == 200
    assert "Your changes are now applied on top of the latest version" in html.text(merged_form.content.decode())
    assert "My addition." not in Page.objects.get(pk=page.pk).body  # nothing saved until the editor checks it
    form = read_form(merged_form.content.decode())
    assert "Their addition." in form["body"] and "My addition." in form["body"]
    assert client.post(change_url(page), form).status_code == 302
    saved = Page.objects.get(pk=page.pk).body
    assert "Their addition." in saved and "My addition." in saved


def test_overlapping_changes_are_not_merged_and_the_message_says_where(editor_with_two_tabs):
    client, page, first, second = editor_with_two_tabs
    lines = first["body"].splitlines()
    first["body"] = "\n".join(["Their first line.", *lines[1:]])
    assert client.post(change_url(page), first).status_code == 302
    second["body"] = "\n".join(["My first line.", *lines[1:]])
    second["_merge"] = "1"
    response = client.post(change_url(page), second)
    assert response.status_code == 200
    text = html.text(response.content.decode())
    assert "Not merged: you and the other save changed the same part of the body" in text
    assert "around line 1" in text
    assert "My first line." in response.content.decode()  # still in the form
    assert Page.objects.get(pk=page.pk).body.startswith("Their first line.")


# --- 8. The lists, and reader feedback on the edit form ---------------------------------


def test_the_page_list_links_each_page_on_the_site(staff_client):
    content = staff_client.get("/admin/content/page/?language__exact=en").content.decode()
    assert "/en/cell-therapy/" in html.links(content)
    assert "/en/car-t/" in html.links(content)


def test_the_glossary_list_shows_and_filters_by_language(staff_client):
    Term.objects.create(language="da", term="Celleterapi-test", slug="celleterapi-test", definition="Forklaring.")
    danish = html.text(staff_client.get("/admin/glossary/term/?language__exact=da").content.decode())
    assert "Celleterapi-test" in danish and "Autologous" not in danish
    assert "Dansk" in danish


def test_a_pages_reader_feedback_is_on_its_edit_form(staff_client):
    page = Page.objects.get(slug="car-t")
    Feedback.objects.create(page=page, helpful=False, comment="What does it cost?")
    Feedback.objects.create(page=page, helpful=True)
    text = html.text(staff_client.get(change_url(page)).content.decode())
    assert "What readers said" in text
    assert "Helpful: 1. Not helpful: 1." in text
    assert "What does it cost?" in text


def test_the_page_list_still_flags_links_to_a_page_that_is_gone_without_rendering_each_page(staff_client, make_page):
    target = make_page(slug="soon-gone", title="Soon gone")
    make_page(slug="inline-linker", body="See [it](page:soon-gone#part).")
    make_page(slug="reference-linker", body="See [it][ref].\n\n[ref]: page:soon-gone\n")
    target.delete()
    listing = html.text(staff_client.get("/admin/content/page/?language__exact=en").content.decode())
    assert listing.count("Broken cross-links: page:soon-gone.") == 2
