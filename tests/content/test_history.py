"""Every save is a version: history, compare, restore, and recovery of deleted pages."""

import pytest
from django.test import Client
from django.utils import translation

from content.history import text_diff
from content.models import Page
from tests.support import html
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


def history_url(page):
    return f"/admin/content/page/{page.pk}/history/"


def edit_in_admin(client, page, **changes):
    form = read_form(client.get(change_url(page)).content.decode())
    form.update(changes)
    response = client.post(change_url(page), form)
    assert response.status_code == 302, html.text(response.content.decode())[:2000]
    return Page.objects.get(pk=page.pk)


def test_each_admin_save_records_who_changed_what_and_when(staff_client):
    page = Page.objects.get(slug="tissue-therapy")
    before = page.history.count()
    edit_in_admin(staff_client, page, summary="A plainer summary.")
    latest = page.history.order_by("-history_date").first()
    assert page.history.count() == before + 1
    assert latest.history_user.username == "editor"
    assert latest.summary == "A plainer summary."
    listing = html.text(staff_client.get(history_url(page)).content.decode())
    assert "A plainer summary." not in listing  # the list names versions; the diff shows text
    assert "editor" in listing


def test_the_history_page_shows_a_readable_diff_between_any_two_versions(staff_client):
    page = Page.objects.get(slug="tissue-therapy")
    first = page.history.order_by("history_date").first()
    edited = edit_in_admin(staff_client, page, body=page.body.replace("## ", "## Changed: ", 1), title="Tissue care")
    edit_in_admin(staff_client, edited, summary="Third version.")
    third = page.history.order_by("-history_date").first()
    response = staff_client.get(history_url(page), {"from": first.history_id, "to": third.history_id})
    content = response.content.decode()
    assert response.status_code == 200
    changed_heading = next(line for line in edited.body.splitlines() if line.startswith("## Changed: "))
    original_heading = changed_heading.replace("Changed: ", "")
    assert f"<ins>{changed_heading}</ins>" in content
    assert f"<del>{original_heading}</del>" in content
    text = html.text(content)
    assert "Title" in text and "Tissue therapy" in text and "Tissue care" in text
    assert "Third version." in text


def test_restoring_an_old_version_makes_a_new_version_and_keeps_the_later_one(staff_client):
    page = Page.objects.get(slug="car-t")
    original = page.history.order_by("history_date").first()
    edit_in_admin(staff_client, page, body="A short replacement body.", summary="Shortened.")
    versions_before = page.history.count()

    response = staff_client.post(f"/admin/content/page/{page.pk}/history/{original.history_id}/restore/")

    # Issue 17: on a published page the restored text is a draft of changes, published by hand.
    assert response.status_code == 302
    page.refresh_from_db()
    assert (
        page.unpublished_changes["body"] == original.body and page.unpublished_changes["summary"] == original.summary
    )
    assert page.history.count() == versions_before + 1
    assert page.history.filter(body="A short replacement body.").exists()  # nothing lost
    assert "Restored the version of" in page.history.order_by("-history_date").first().history_change_reason
    assert "What CAR-T is" not in html.text(Client().get("/en/car-t/").content.decode())
    # Publishing the draft: the public sees the restored text, rendered again.
    edit_in_admin(staff_client, page)
    assert "What CAR-T is" in html.text(Client().get("/en/car-t/").content.decode())


def test_restore_works_with_the_lock_and_a_form_opened_before_it_is_refused(staff_client):
    page = Page.objects.get(slug="car-t")
    original = page.history.order_by("history_date").first()
    edited = edit_in_admin(staff_client, page, summary="Edited once.")
    stale_form = read_form(staff_client.get(change_url(edited)).content.decode())
    staff_client.post(f"/admin/content/page/{page.pk}/history/{original.history_id}/restore/")
    stale_form["summary"] = "From a form opened before the restore."
    response = staff_client.post(change_url(page), stale_form)
    assert response.status_code == 200
    assert Page.objects.get(pk=page.pk).unpublished_changes["summary"] == original.summary


def test_a_deleted_page_keeps_its_history_and_can_be_recovered_with_its_sources(staff_client):
    page = Page.objects.get(slug="ebvallo")
    sources = list(page.sources.values_list("title", "url"))
    assert sources
    pk = page.pk
    edit_in_admin(staff_client, page, summary="Edited before deletion.")
    response = staff_client.post(f"/admin/content/page/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Client().get("/en/ebvallo/").status_code == 404

    deleted = staff_client.get("/admin/content/page/deleted/").content.decode()
    assert f"Recover “{page.title}”" in html.text(deleted)
    record = Page.history.filter(id=pk, history_type="-").get()
    response = staff_client.post(f"/admin/content/page/deleted/{record.history_id}/recover/")

    assert response.status_code == 302
    recovered = Page.objects.get(pk=pk)
    assert recovered.summary == "Edited before deletion."
    assert list(recovered.sources.values_list("title", "url")) == sources
    assert recovered.history.filter(history_change_reason="Recovered after deletion").exists()
    assert recovered.history.count() >= 4  # first version, edit, deletion, recovery
    assert Client().get("/en/ebvallo/").status_code == 200
    assert "No deleted pages." in html.text(staff_client.get("/admin/content/page/deleted/").content.decode())


def test_history_and_recovery_are_staff_only():
    page = Page.objects.get(slug="car-t")
    assert Client().get(history_url(page)).status_code == 302
    assert Client().get("/admin/content/page/deleted/").status_code == 302


def test_text_diff_marks_added_and_removed_lines_and_shortens_unchanged_ones():
    old = "\n".join(f"line {n}" for n in range(1, 11))
    new = old.replace("line 5", "line five")
    kinds = [(line.kind, line.text) for line in text_diff(old, new, context=1)]
    assert kinds == [
        ("gap", "…"),
        ("same", "line 4"),
        ("removed", "line 5"),
        ("added", "line five"),
        ("same", "line 6"),
    ]


def test_a_fresh_database_has_the_published_seed_pages_each_with_a_first_version():
    pages = Page.objects.all()
    # Seven from the seed text, six more from issue 14 and four from issue 21, in each language.
    assert pages.filter(language="en").count() == pages.filter(language="da").count() == 17
    assert all(page.is_published for page in pages)
    for page in pages:
        first = page.history.get()
        assert first.history_type == "+" and first.version == page.version == 1
        assert page.word_count > 0 and page.lix > 0


def test_the_diff_names_the_parent_page_rather_than_its_id(make_page):
    from content.history import compare

    page = make_page(parent=Page.objects.get(slug="cell-therapy"))
    old = page.history.order_by("history_date").last()
    page.parent = Page.objects.get(slug="gene-therapy")
    page.save()
    new = page.history.order_by("history_date").last()
    with translation.override("en"):  # field labels follow the editor's language
        [change] = compare(old, new)["fields"]
    assert (change.label, change.old, change.new) == ("Parent page", "Cell therapy", "Gene therapy")
