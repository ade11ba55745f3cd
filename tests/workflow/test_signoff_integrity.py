"""
Readers see "Medically reviewed by X" only on exactly what X approved (issue 22, F1-F4).

Each test replays an attack from the review through the admin, with real users
in each role, and reads the public page as an anonymous reader would.
"""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from content.models import Page
from glossary.models import Term
from tests.support import html
from tests.support.admin_form import read_form
from tests.workflow.test_workflow import change_url, edit, public_text, review_url
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db


def approve(people, page, **changes):
    """The author submits `changes`, the reviewer (Rikke Holm) approves them."""
    edit(people["author"], page, "_submit_review", **changes)
    response = people["reviewer"].post(review_url(page), {"_approve": "1", "comment": ""}, follow=True)
    assert response.status_code == 200
    return Page.objects.get(pk=page.pk)


def test_f1_a_scheduled_approval_never_publishes_text_changed_after_it(people):
    publisher, author = people["publisher"], people["author"]
    page = Page.objects.create(
        title="Fatigue after CAR-T", slug="fatigue", language="en", summary="Tiredness.", body="Rest often.",
        parent=Page.objects.get(slug="car-t"), family="gene",
    )  # fmt: skip
    page.sources.create(title="EPAR", publisher="EMA", url="https://www.ema.europa.eu/", accessed="2026-12-01")
    soon = timezone.localtime(timezone.now() + datetime.timedelta(hours=1))
    edit(publisher, page, None, publish_at_0=soon.strftime("%Y-%m-%d"), publish_at_1=soon.strftime("%H:%M:%S"))
    page = approve(people, page, body="Text A, which the reviewer read.")
    assert page.status == Page.Status.DRAFT and page.publish_at  # approved, scheduled

    # The author rewrites it and deletes every source, with a plain save.
    form_changes = {"body": "Text B, which nobody reviewed.", "sources-0-DELETE": "on"}
    edit(author, page, None, **form_changes)
    Page.objects.filter(pk=page.pk).update(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_due", verbosity=0)

    assert Page.objects.get(pk=page.pk).status == Page.Status.DRAFT
    assert Client().get("/en/fatigue/").status_code == 404


def test_f1b_a_plain_save_after_the_publish_time_publishes_nothing(people):
    page = Page.objects.create(
        title="Fever", slug="fever", language="en", summary="Fever.", body="Call us.",
        parent=Page.objects.get(slug="car-t"), family="gene",
    )  # fmt: skip
    page.sources.create(title="EPAR", publisher="EMA", url="https://www.ema.europa.eu/", accessed="2026-12-01")
    Page.objects.filter(pk=page.pk).update(publish_at=timezone.now() + datetime.timedelta(hours=1))
    page = approve(people, page, body="Approved text.")
    Page.objects.filter(pk=page.pk).update(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    edit(people["author"], page, None, body="The author's newer text.")
    assert Page.objects.get(pk=page.pk).status == Page.Status.DRAFT
    assert Client().get("/en/fever/").status_code == 404


def test_f2_an_author_cannot_change_the_sources_or_slug_of_a_published_page_live(people, make_page):
    page = make_page(slug="nobody-links-here", title="Nobody links here", parent=Page.objects.get(slug="car-t"))
    page.sources.create(title="EPAR", publisher="EMA", url="https://www.ema.europa.eu/", accessed="2026-12-01")
    page = approve(people, page, body="Reviewed text.")
    assert "Medically reviewed by Rikke Holm" in public_text(page)
    form_changes = {
        "slug": "renamed-by-the-author",
        "sources-0-title": "A source the author made up",
        "sources-0-url": "https://evil.example/",
    }
    edit(people["author"], page, None, **form_changes)
    page.refresh_from_db()
    assert page.slug == "nobody-links-here"
    assert list(page.sources.values_list("title", "url")) == [("EPAR", "https://www.ema.europa.eu/")]
    text = public_text(page)
    assert "A source the author made up" not in text and "Medically reviewed by Rikke Holm" in text


def test_f3_a_changed_glossary_definition_in_a_reviewed_page_withdraws_the_reviewers_name(people):
    page = Page.objects.get(slug="car-t")
    page = approve(people, page, body=page.body + "\n\nAsk your nurse.")
    assert "Medically reviewed by Rikke Holm" in public_text(page)
    used = Term.objects.filter(language="en", slug__in=_terms_in(page)).first()
    assert used is not None, "the CAR-T page prints at least one glossary definition"
    url = f"/admin/glossary/term/{used.pk}/change/"
    # An author's rewrite is held for review (issue 22): readers keep the reviewed page.
    form = read_form(people["author"].get(url).content.decode(), "term_form")
    form["definition"] = "A definition an author rewrote without review."
    people["author"].post(url, form)
    assert Term.objects.get(pk=used.pk).definition == used.definition
    assert "Medically reviewed by Rikke Holm" in public_text(page)
    # A publisher's publication without review withdraws the reviewer's name.
    form = read_form(people["publisher"].get(url).content.decode(), "term_form")
    form["_publish"] = "clicked"
    people["publisher"].post(url, form)
    assert Term.objects.get(pk=used.pk).definition == "A definition an author rewrote without review."
    text = public_text(page)
    assert "Medically reviewed by Rikke Holm" not in text
    assert "Published without medical review." in text


def _terms_in(page):
    from content.models import TERM_ANCHOR

    return set(TERM_ANCHOR.findall(page.body_html))


def test_f4_a_publishers_direct_publish_does_not_keep_the_reviewers_name(people):
    page = Page.objects.get(slug="car-t")
    page = approve(people, page, body=page.body + "\n\nReviewed sentence.")
    assert "Medically reviewed by Rikke Holm" in public_text(page)
    edit(people["publisher"], page, "_publish", body=page.body + "\n\nA sentence nobody reviewed.")
    text = public_text(page)
    assert "A sentence nobody reviewed." in text
    assert "Medically reviewed by Rikke Holm" not in text and "Published without medical review." in text
    entry = AuditEntry.objects.filter(page=page, action=AuditEntry.Action.PUBLISH).first()
    assert entry is not None and "without medical review" in entry.comment
    # Nor can the publisher put a name and date on it in the form.
    body = people["publisher"].get(change_url(page)).content.decode()
    assert 'name="reviewed_by"' not in body and 'name="last_reviewed"' not in body
    assert "without medical review" in html.text(
        people["publisher"].get("/admin/workflow/auditentry/").content.decode()
    )
