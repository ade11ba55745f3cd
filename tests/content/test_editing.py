"""Editors in the admin: the markdownx editor, validation, and staff-only tools."""

import io

import pytest
from django.conf import settings
from PIL import Image

from content.models import Page
from tests.content.test_markdown import assert_harmless
from tests.support import html

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/content/page/add/"


def page_form(**overrides):
    data = {
        "title": "Stem cell transplant",
        "slug": "stem-cell-transplant",
        "language": "en",
        "status": "published",
        "summary": "What a stem cell transplant is.",
        "body": "See [cell therapy](page:cell-therapy).",
        "family": "cell",
        "parent": "",
        # Issue 17: a page without a parent is top-level only when the editor says so.
        "top_level": "on",
        "order": "0",
        "last_reviewed": "",
        "next_review_due": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_the_admin_form_uses_the_markdownx_editor(staff_client):
    body = staff_client.get(ADD_URL).content.decode()
    assert "markdownx" in body
    # The live preview goes through the admin's own view, in the page's language (issue 17).
    assert "/admin/content/page/live-preview/?language=" in body


def test_a_valid_page_is_saved_with_its_cross_link_resolved(staff_client, client):
    response = staff_client.post(ADD_URL, page_form())
    assert response.status_code == 302
    page = Page.objects.get(slug="stem-cell-transplant")
    assert "/en/cell-therapy/" in html.links(client.get(page.get_absolute_url()).content.decode())
    assert list(page.linked_pages.values_list("slug", flat=True)) == ["cell-therapy"]


def test_a_broken_cross_link_is_refused_with_a_clear_message_and_nothing_lost(staff_client):
    typed = "Read about [gene therapy](page:gene-therapie) first."
    response = staff_client.post(ADD_URL, page_form(body=typed))
    assert response.status_code == 200
    text = html.text(response.content.decode())
    assert "cross-links point to pages that do not exist in this page's language: page:gene-therapie" in text
    assert not Page.objects.filter(slug="stem-cell-transplant").exists()
    # What the editor typed is still in the form.
    assert typed in response.content.decode()


def test_changing_a_slug_that_other_pages_link_to_is_refused(staff_client):
    page = Page.objects.get(slug="gene-therapy")
    response = staff_client.post(
        f"/admin/content/page/{page.pk}/change/",
        page_form(
            title=page.title, slug="genes", summary=page.summary, body=page.body, family="gene",
            **{"sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0"},
        ),
    )  # fmt: skip
    assert response.status_code == 200
    assert "Other pages link to this slug" in html.text(response.content.decode())
    assert Page.objects.filter(slug="gene-therapy").exists()


def test_a_reserved_slug_is_refused(staff_client):
    response = staff_client.post(ADD_URL, page_form(slug="admin"))
    assert response.status_code == 200
    assert "used by the site itself" in html.text(response.content.decode())


def test_the_saved_page_is_sanitised(staff_client, client):
    staff_client.post(ADD_URL, page_form(body='Hi <script>alert(1)</script><img src=x onerror="alert(2)">'))
    body = client.get("/en/stem-cell-transplant/").content.decode()
    prose = body.split('<div class="prose">')[1].split("</div>")[0]
    assert_harmless(prose)
    assert "alert" not in prose


def test_staff_preview_renders_and_sanitises(staff_client):
    response = staff_client.post(
        "/markdownx/markdownify/",
        {"content": "**Hello** <script>alert(1)</script> [x](javascript:alert(1)) [y](page:car-t)"},
    )
    assert response.status_code == 200
    output = response.content.decode()
    assert "<strong>Hello</strong>" in output
    assert "/en/car-t/" in html.links(output)
    assert_harmless(output)


def test_anonymous_preview_is_refused_without_rendering(client):
    response = client.post("/markdownx/markdownify/", {"content": "**secret**"})
    # A 404, not a redirect to the login page that would name the admin's address (issue 15).
    assert response.status_code == 404
    assert "Location" not in response
    assert b"<strong>" not in response.content


def png_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "cells.png"
    return buffer


def uploaded_files():
    root = settings.MEDIA_ROOT
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_anonymous_upload_is_refused_and_writes_no_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.post("/markdownx/upload/", {"image": png_upload()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 404
    assert list(tmp_path.rglob("*")) == []


def test_staff_upload_stores_the_image(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post("/markdownx/upload/", {"image": png_upload()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert response.json()["image_code"].startswith("![](")
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_svg_upload_is_refused(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>')
    svg.name = "evil.svg"
    response = staff_client.post("/markdownx/upload/", {"image": svg}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_admin_list_shows_status_family_and_next_review(staff_client):
    # Issue 17: the list fits 1,280 px; "updated" is on the change form, the family is a filter.
    text = html.text(staff_client.get("/admin/content/page/").content.decode())
    for column in ("Status", "By ATMP family", "Next review due", "On the site"):
        assert column.lower() in text.lower()
    assert "Cell therapy" in text


@pytest.mark.parametrize("suffix", ["change/", "history/", "preview/"])
def test_an_admin_address_with_a_bad_page_id_is_not_an_error(staff_client, suffix):
    # A relative image address in the live preview (<img src="x">) makes the
    # browser ask for /admin/content/page/add/x/: that must not be a 500.
    response = staff_client.get(f"/admin/content/page/add/x/{suffix}")
    assert response.status_code in {302, 404}
