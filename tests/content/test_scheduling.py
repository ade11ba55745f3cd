"""Drafts of changes, staff preview, and publish-at scheduling (command and check on read)."""

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from content.models import Page
from tests.support import html
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


def save_draft_in_admin(client, page, **changes):
    form = read_form(client.get(change_url(page)).content.decode())
    form.update(changes)
    form["_save_draft"] = "Save unpublished changes"
    response = client.post(change_url(page), form)
    assert response.status_code == 302, html.text(response.content.decode())[:2000]
    return Page.objects.get(pk=page.pk)


def test_a_draft_of_changes_is_invisible_to_the_public_until_published(staff_client):
    page = Page.objects.get(slug="car-t")
    live_title = page.title
    page = save_draft_in_admin(staff_client, page, title="CAR-T cell therapy", summary="A new summary.")

    public = html.text(Client().get("/en/car-t/").content.decode())
    assert "A new summary." not in public
    assert live_title in public
    assert page.unpublished_changes["summary"] == "A new summary."
    # The editor's form continues from the draft.
    assert read_form(staff_client.get(change_url(page)).content.decode())["summary"] == "A new summary."

    # Plain "Save" publishes it.
    form = read_form(staff_client.get(change_url(page)).content.decode())
    assert staff_client.post(change_url(page), form).status_code == 302
    assert "A new summary." in html.text(Client().get("/en/car-t/").content.decode())
    assert Page.objects.get(pk=page.pk).unpublished_changes == {}


def test_the_staff_preview_shows_exactly_what_publishing_will_show(staff_client):
    page = Page.objects.get(slug="car-t")
    page = save_draft_in_admin(staff_client, page, body=page.body + "\n\n## Costs\n\nThe hospital pays.\n")
    preview = staff_client.get(f"/admin/content/page/{page.pk}/preview/")
    assert preview.status_code == 200
    assert Client().get(f"/admin/content/page/{page.pk}/preview/").status_code == 302  # staff only
    preview_html = preview.content.decode()
    assert "The hospital pays." in preview_html
    assert '<meta name="robots" content="noindex">' in preview_html

    form = read_form(staff_client.get(change_url(page)).content.decode())
    staff_client.post(change_url(page), form)
    public_html = Client().get("/en/car-t/").content.decode()
    # The article the public now gets is the article the preview showed.
    assert _article(public_html) == _article(preview_html)


def _article(page_html):
    """The article a reader sees (the "Edit this page" link is only for staff)."""
    article = page_html[page_html.index("<article") : page_html.index("</article>")]
    return re.sub(r'<p class="staff-tools">.*?</p>', "", article)


def test_publish_due_publishes_a_scheduled_draft_page_and_its_draft_of_changes(make_page):
    soon = timezone.now() + datetime.timedelta(hours=1)
    new_page = make_page(status=Page.Status.DRAFT, publish_at=soon, sourced=True)
    live = Page.objects.get(slug="car-t")
    live.unpublished_changes = {"summary": "Scheduled summary."}
    live.publish_at = soon
    live.save()

    call_command("publish_due")
    assert Page.objects.get(pk=new_page.pk).status == Page.Status.DRAFT  # not yet due

    past = timezone.now() - datetime.timedelta(minutes=1)
    # As if an hour passed: move the schedule into the past without saving through the model.
    Page.objects.filter(pk__in=[new_page.pk, live.pk]).update(publish_at=past)

    call_command("publish_due")

    published = Page.objects.get(pk=new_page.pk)
    assert published.status == Page.Status.PUBLISHED and published.publish_at is None
    live = Page.objects.get(pk=live.pk)
    assert live.summary == "Scheduled summary." and live.unpublished_changes == {}
    assert live.history.filter(history_change_reason="Published at its publish-at time").exists()
    # Running again does nothing more.
    versions = live.history.count()
    call_command("publish_due")
    assert Page.objects.get(pk=live.pk).history.count() == versions


def test_a_due_page_is_public_once_publish_due_runs_and_reading_changes_nothing(make_page):
    # One publishing rule (issue 16): published() is status "published"; publish_due,
    # run every minute, makes a due page public, so it appears within a minute.
    page = make_page(status=Page.Status.DRAFT, publish_at=timezone.now() + datetime.timedelta(hours=1), sourced=True)
    Page.objects.filter(pk=page.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get(page.get_absolute_url()).status_code == 404
    assert Page.objects.get(pk=page.pk).status == Page.Status.DRAFT
    call_command("publish_due")
    response = Client().get(page.get_absolute_url())
    assert response.status_code == 200
    assert "Draft." not in html.text(response.content.decode())


def test_a_save_never_publishes_even_when_its_publish_at_time_has_passed(make_page):
    # Only publish_due publishes a schedule, with its checks (issue 22, F1b): a plain save
    # by an author after the time has passed must not put the author's new text live.
    page = make_page(status=Page.Status.DRAFT, publish_at=timezone.now() - datetime.timedelta(days=1), sourced=True)
    page.body = "Text nobody reviewed."
    page.save()
    page.refresh_from_db()
    assert page.status == Page.Status.DRAFT
    assert Client().get(page.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publish_runs_publish_each_page_once(make_page):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SKIP LOCKED) need PostgreSQL")
    pages = [make_page(status=Page.Status.DRAFT, sourced=True) for _ in range(6)]
    Page.objects.filter(pk__in=[p.pk for p in pages]).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    errors = []

    def run():
        try:
            call_command("publish_due")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    for page in pages:
        records = Page.history.filter(id=page.pk, history_change_reason="Published at its publish-at time")
        assert records.count() == 1
        assert Page.objects.get(pk=page.pk).status == Page.Status.PUBLISHED


def test_scheduling_changes_to_a_published_page_in_the_admin_keeps_them_hidden_until_then(staff_client):
    page = Page.objects.get(slug="car-t")
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    form = read_form(staff_client.get(change_url(page)).content.decode())
    form.update(
        summary="Tomorrow's summary.", publish_at_0=when.strftime("%Y-%m-%d"), publish_at_1=when.strftime("%H:%M:%S")
    )
    response = staff_client.post(change_url(page), form, follow=True)
    assert "will be published at" in html.text(response.content.decode())
    page.refresh_from_db()
    assert page.unpublished_changes["summary"] == "Tomorrow's summary."
    assert "Tomorrow's summary." not in html.text(Client().get("/en/car-t/").content.decode())
