"""
Clinical sign-off (issue 13), through the admin with real users in each role:
authors submit, medical reviewers approve or request changes (never their own),
publishers publish and unpublish; every step is in the audit log.
"""

import asyncio
import csv
import datetime
import email
import email.policy
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from content.models import Page, Source
from tests.support import html
from tests.support.admin_form import read_form
from tests.support.servers import free_port
from workflow.models import AuditEntry, ReviewRequest, TranslationUpdate

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


def edit(browser, page, button, **changes):
    form = read_form(browser.get(change_url(page)).content.decode())
    form.update(changes)
    if button:
        form[button] = "clicked"
    response = browser.post(change_url(page), form, follow=True)
    assert response.status_code == 200
    return response


def public_text(page):
    return html.text(Client(headers={"accept-language": "en"}).get(page.get_absolute_url()).content.decode())


def review_url(page):
    return f"/admin/workflow/reviewrequest/{ReviewRequest.open_for(page).pk}/review/"


def test_the_roles_are_groups_with_the_right_permissions(people):
    author, reviewer, publisher = (people[name].user for name in ("author", "reviewer", "publisher"))
    assert author.has_perm("content.change_page") and not author.has_perm("workflow.publish_page")
    assert not author.has_perm("workflow.approve_change") and not author.has_perm("content.delete_page")
    assert reviewer.has_perm("workflow.approve_change") and not reviewer.has_perm("workflow.publish_page")
    assert publisher.has_perm("workflow.publish_page") and publisher.has_perm("content.delete_page")


def test_an_author_cannot_publish(people):
    author = people["author"]
    page = Page.objects.get(slug="car-t")
    live_summary = page.summary
    form_html = author.get(change_url(page)).content.decode()
    assert 'name="_publish"' not in form_html and 'name="status"' not in form_html
    assert "deletelink" not in form_html
    assert 'class="deletelink"' in people["publisher"].get(change_url(page)).content.decode()
    assert "Submit for medical review" in form_html and "Save as unpublished changes" in form_html

    # The plain save, and a forged "publish" with status, both stay unpublished.
    edit(author, page, None, summary="Author's new summary.")
    edit(author, page, "_publish", summary="Author's newer summary.", status="published")
    page.refresh_from_db()
    assert page.summary == live_summary and page.unpublished_changes["summary"] == "Author's newer summary."
    assert "Author's new" not in public_text(page)
    notice = html.text(author.get(change_url(page)).content.decode())
    assert "This page has unpublished changes the public cannot see" in notice
    assert "“Save” publishes it" not in notice

    # A new page by an author is a draft: the public gets "not found".
    form = read_form(author.get("/admin/content/page/add/").content.decode())
    form.update(title="Fatigue", slug="fatigue", language="en", summary="Tired.", body="Rest.", status="published")
    form["parent"] = str(Page.objects.get(slug="car-t").pk)
    author.post("/admin/content/page/add/", form)
    assert Page.objects.get(slug="fatigue").status == Page.Status.DRAFT
    assert Client().get("/en/fatigue/").status_code == 404


def test_an_approved_change_publishes_with_the_reviewers_name(people):
    author, reviewer = people["author"], people["reviewer"]
    page = Page.objects.get(slug="car-t")
    new_body = page.body + "\n\nAsk your nurse about fever after treatment.\n"
    # Until a named reviewer approves it, the page tells readers so.
    assert "Not yet medically approved." in public_text(page)
    response = edit(author, page, "_submit_review", body=new_body)
    assert "Submitted for medical review" in html.text(response.content.decode())
    assert "Ask your nurse about fever" not in public_text(page)

    # The reviewer sees the diff against the published version and the content checks.
    review_page = reviewer.get(review_url(page)).content.decode()
    assert "<ins>Ask your nurse about fever after treatment.</ins>" in review_page
    assert "Content checks" in html.text(review_page) and "LIX" in html.text(review_page)

    response = reviewer.post(review_url(page), {"_approve": "1", "comment": ""}, follow=True)
    assert "Approved and published" in html.text(response.content.decode())
    text = public_text(page)
    assert "Ask your nurse about fever after treatment." in text
    assert f"Medically reviewed by Rikke Holm on {TODAY.strftime('%-d %B %Y')}" in text
    assert "Not yet medically approved." not in text
    page.refresh_from_db()
    assert page.reviewed_by == reviewer.user and page.last_reviewed == TODAY
    assert page.next_review_due > TODAY


def test_the_danish_page_names_the_reviewer_in_danish(people):
    page = Page.objects.filter(language="da", status="published").first()
    page.reviewed_by, page.last_reviewed = people["reviewer"].user, datetime.date(2026, 11, 24)
    page.render()
    page.approved_digest = page.content_digest()  # as an approval records it (workflow.actions.approve)
    page.save()
    text = html.text(Client().get(page.get_absolute_url()).content.decode())
    assert "Fagligt gennemgået af Rikke Holm den 24. november 2026" in text


def test_a_reviewer_cannot_approve_their_own_change(people):
    reviewer, other = people["reviewer"], people["reviewer2"]
    page = Page.objects.get(slug="car-t")
    edit(reviewer, page, "_submit_review", summary="Reviewer's own summary.")
    assert 'name="_approve"' not in reviewer.get(review_url(page)).content.decode()
    response = reviewer.post(review_url(page), {"_approve": "1"})
    assert "another medical reviewer must approve it" in html.text(response.content.decode())
    assert "Reviewer's own summary." not in public_text(page)

    other.post(review_url(page), {"_approve": "1"})
    assert "Reviewer's own summary." in public_text(page)


def test_a_rejected_change_is_not_published_and_the_author_sees_why(people):
    author, reviewer = people["author"], people["reviewer"]
    page = Page.objects.get(slug="car-t")
    edit(author, page, "_submit_review", summary="CAR-T cures every cancer.")
    url = review_url(page)

    response = reviewer.post(url, {"_request_changes": "1", "comment": " "})
    assert "Write what the author should change." in html.text(response.content.decode())
    reviewer.post(url, {"_request_changes": "1", "comment": "Not every cancer: say which ones, with a source."})

    assert "cures every cancer" not in public_text(page)
    form_text = html.text(author.get(change_url(page)).content.decode())
    assert "Not every cancer: say which ones, with a source." in form_text
    assert ReviewRequest.objects.get().state == ReviewRequest.State.CHANGES_REQUESTED
    listed = html.text(author.get("/admin/content/page/", {"signoff": "changes"}).content.decode())
    assert page.title in listed


def test_publishing_without_sources_or_with_an_image_without_alt_text_is_refused(people):
    author, reviewer, publisher = people["author"], people["reviewer"], people["publisher"]
    form = read_form(author.get("/admin/content/page/add/").content.decode())
    form.update(title="Fatigue", slug="fatigue", language="en", summary="Tired.", body="Rest.", _submit_review="1")
    form["parent"] = str(Page.objects.get(slug="car-t").pk)
    author.post("/admin/content/page/add/", form)
    page = Page.objects.get(slug="fatigue")
    response = reviewer.post(review_url(page), {"_approve": "1"})
    assert "It has no sources" in html.text(response.content.decode())
    assert Client().get("/en/fatigue/").status_code == 404

    # A publisher cannot publish an image without alt text either; the text is kept.
    live = Page.objects.get(slug="car-t")
    response = edit(publisher, live, "_publish", body=live.body + "\n\n![](/media/uploads/scan.png)\n")
    # A form error before anything is saved (issue 17): the text stays in the form, the public page as it was.
    assert response.status_code == 200
    assert "cannot be published" in html.text(response.content.decode())
    assert "scan.png" in response.content.decode()  # the editor's text is still in the form
    live.refresh_from_db()
    assert "scan.png" not in live.body


def test_every_step_is_in_the_audit_log_and_its_csv(people):
    author, reviewer, publisher = people["author"], people["reviewer"], people["publisher"]
    page = Page.objects.get(slug="car-t-treatment-journey")  # no sub-pages, so it can be deleted
    before = AuditEntry.objects.order_by("pk").last()  # the seeding's own publications come first
    first_version = page.history.order_by("history_date").first()
    edit(author, page, "_submit_review", summary="Step one.")
    reviewer.post(review_url(page), {"_request_changes": "1", "comment": "Shorter, please."})
    edit(author, page, "_submit_review", summary="Step two.")
    reviewer.post(review_url(page), {"_approve": "1"})
    edit(publisher, page, "_continue", status="draft")
    # An author may not restore (it would publish old text); a publisher may.
    assert author.post(f"/admin/content/page/{page.pk}/history/{first_version.history_id}/restore/").status_code == 403
    publisher.post(f"/admin/content/page/{page.pk}/history/{first_version.history_id}/restore/")
    publisher.post(f"/admin/content/page/{page.pk}/delete/", {"post": "yes"})
    assert not Page.objects.filter(pk=page.pk).exists()

    steps = [(e.action, e.username) for e in AuditEntry.objects.filter(pk__gt=before.pk).order_by("at", "pk")]
    assert steps == [
        ("submit", "anna"),
        ("reject", "rikke"),
        ("submit", "anna"),
        ("approve", "rikke"),
        ("publish", "rikke"),
        ("unpublish", "pia"),
        ("restore", "pia"),
        ("delete", "pia"),
    ]
    listing = html.text(publisher.get("/admin/workflow/auditentry/").content.decode())
    assert "Changes requested" in listing and "Shorter, please." in listing

    response = publisher.get("/admin/workflow/auditentry/export.csv", {"user__id__exact": reviewer.user.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["when", "action", "page", "slug", "user", "comment"]
    assert [(row[1], row[3], row[4]) for row in rows[1:]] == [
        ("Published", "car-t-treatment-journey", "rikke"),
        ("Approved", "car-t-treatment-journey", "rikke"),
        ("Changes requested", "car-t-treatment-journey", "rikke"),
    ]
    # Authors do not read the audit log.
    assert author.get("/admin/workflow/auditentry/").status_code == 403


def test_a_comment_cannot_become_a_spreadsheet_formula(people):
    author, reviewer = people["author"], people["reviewer"]
    page = Page.objects.get(slug="car-t")
    edit(author, page, "_submit_review", summary="Step one.")
    reviewer.post(review_url(page), {"_request_changes": "1", "comment": '=HYPERLINK("http://evil")'})
    rows = list(csv.reader(io.StringIO(reviewer.get("/admin/workflow/auditentry/export.csv").content.decode())))
    assert '\'=HYPERLINK("http://evil")' in [row[5] for row in rows]


def test_never_reviewed_pages_are_overdue_everywhere(people, make_page, capsys):
    page = make_page(title="Never reviewed", slug="never-reviewed")
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed=TODAY)
    publisher = people["publisher"]

    content = publisher.get("/admin/content/page/", {"review": "overdue"}).content.decode()
    pks = {int(pk) for pk in re.findall(r"/admin/content/page/(\d+)/change/", content)}
    assert page.pk in pks
    with pytest.raises(CommandError):
        call_command("review_report")
    assert "never-reviewed" in capsys.readouterr().out

    panel = html.text(publisher.get("/admin/").content.decode())
    assert "Due for review" in panel and "Your role: Publisher." in panel
    # Listed with the pages no named reviewer has approved (issue 23), once.
    assert "Never medically approved:" in panel and "Never reviewed (English)" in panel
    assert panel.count("Never reviewed (English)") == 1


def test_an_old_slug_answers_301_to_the_new_address(people, make_page):
    publisher = people["publisher"]
    page = make_page(title="Side effects", slug="test-side-effects")
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed=TODAY)
    edit(publisher, page, "_continue", slug="test-side-effects-of-atmps")
    response = Client().get("/en/test-side-effects/")
    assert response.status_code == 301 and response["Location"] == "/en/test-side-effects-of-atmps/"
    assert Client().get("/en/test-side-effects/", follow=True).status_code == 200
    # Renamed again: the first address follows the page to its newest slug.
    edit(publisher, Page.objects.get(pk=page.pk), "_continue", slug="test-atmp-side-effects")
    assert Client().get("/en/test-side-effects/")["Location"] == "/en/test-atmp-side-effects/"
    assert Client().get("/en/no-such-page/").status_code == 404


def test_a_translation_is_flagged_until_it_too_is_reviewed(people):
    author, reviewer = people["author"], people["reviewer"]
    page = Page.objects.filter(language="en", translation__isnull=False).first()
    other = page.translation
    edit(author, page, "_submit_review", summary="A clearer summary.")
    reviewer.post(review_url(page), {"_approve": "1"})
    assert TranslationUpdate.objects.filter(page=other).exists()
    listed = html.text(author.get("/admin/content/page/", {"signoff": "translation"}).content.decode())
    assert other.title in listed and "Translation needs update" in listed

    edit(author, other, "_submit_review", summary="Et klarere resumé.")
    people["reviewer2"].post(review_url(other), {"_approve": "1"})
    assert not TranslationUpdate.objects.filter(page=other).exists()
    assert TranslationUpdate.objects.filter(page=page).exists()  # and now the English one is behind


def test_assign_role_gives_a_user_a_role(django_user_model):
    user = django_user_model.objects.create_user("ny.redaktoer")
    call_command("assign_role", "ny.redaktoer", "reviewer", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("workflow.approve_change")
    call_command("assign_role", "ny.redaktoer", "reviewer", "--remove", stdout=io.StringIO())
    assert not django_user_model.objects.get(pk=user.pk).has_perm("workflow.approve_change")
    with pytest.raises(CommandError, match="No user"):
        call_command("assign_role", "nobody", "author")


@pytest.mark.slow
def test_the_review_reminder_arrives_at_the_smtp_server(people, make_page, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 Message accepted for delivery"

    page = make_page(title="Gene therapy at home", slug="gene-therapy-at-home")
    page.reviewed_by, page.next_review_due = people["reviewer"].user, TODAY - datetime.timedelta(days=2)
    page.save()
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "redaktion@atmp.example"
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    try:
        with pytest.raises(CommandError):  # overdue pages still make the exit status 1
            call_command("review_report", "--email", "--site-url", "https://atmp.example", stdout=io.StringIO())
    finally:
        controller.stop()
    by_recipient = {
        tuple(rcpt): email.message_from_string(content, policy=email.policy.default) for rcpt, content in received
    }
    message = by_recipient[("rikke@hospital.example",)]
    assert message["From"] == "redaktion@atmp.example"
    # Management commands speak the site's language, Danish.
    assert message["Subject"] == "1 side(r) skal gennemgås fagligt"
    body = message.get_content()
    assert "Gene therapy at home" in body and f"https://atmp.example/admin/content/page/{page.pk}/change/" in body


def test_a_periodic_review_of_unchanged_text_records_a_new_review_date(people):
    author, reviewer = people["author"], people["reviewer"]
    page = Page.objects.get(slug="car-t")
    page.last_reviewed = TODAY - datetime.timedelta(days=400)
    page.next_review_due = TODAY - datetime.timedelta(days=35)
    page.save()
    edit(author, page, "_submit_review")
    assert "approving records a new medical review" in html.text(reviewer.get(review_url(page)).content.decode())
    reviewer.post(review_url(page), {"_approve": "1"})
    page.refresh_from_db()
    assert page.last_reviewed == TODAY and not page.review_overdue
    # The same reviewer may approve the author's next change: approving is not writing.
    edit(author, page, "_submit_review", summary="Next change.")
    reviewer.post(review_url(page), {"_approve": "1"})
    assert "Next change." in public_text(page)
