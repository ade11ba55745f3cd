"""
A glossary term is medical text (issue 22): author → medical reviewer → publish, as a page.

Through the admin, with real users in each role (tests/conftest.py `people`:
Anna the author, Rikke Holm and Jens Berg the medical reviewers, Pia the
publisher), reading the glossary page and a page that prints the term as an
anonymous reader does.
"""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from content import publishing
from content.models import Page
from glossary.models import Term
from tests.conftest import approved
from tests.support import html
from tests.support.admin_form import read_form
from workflow.models import AuditEntry, ReviewRequest

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEW_DEFINITION = "Cells that come from the patient's own body, taken out and given back later."


@pytest.fixture
def autologous():
    """A seed term the English "Cell therapy" page prints."""
    return Term.objects.get(language="en", slug="autologous")


@pytest.fixture
def reviewed_page(people):
    """The English "Cell therapy" page, medically reviewed by Rikke Holm as it is."""
    page = approved(Page.objects.get(slug="cell-therapy"), people["reviewer"].user, TODAY)
    assert "Medically reviewed by Rikke Holm" in reader_text(page.get_absolute_url())
    return page


def term_url(term):
    return f"/admin/glossary/term/{term.pk}/change/"


def edit(browser, term, button=None, **changes):
    """Open the term's form in the admin, change fields, press a button (or none: the Enter key)."""
    form = read_form(browser.get(term_url(term)).content.decode(), "term_form")
    form.update(changes)
    if button:
        form[button] = "clicked"
    response = browser.post(term_url(term), form, follow=True)
    assert response.status_code == 200
    return html.text(response.content.decode())


def review_url(term):
    return f"/admin/workflow/reviewrequest/{ReviewRequest.open_for(term).pk}/review/"


def decide(browser, term, button, comment=""):
    response = browser.post(review_url(term), {button: "1", "comment": comment}, follow=True)
    assert response.status_code == 200
    return html.text(response.content.decode())


def reader_text(path):
    return html.text(Client(headers={"accept-language": "en"}).get(path).content.decode())


def audit(term):
    return list(AuditEntry.objects.filter(term=term).order_by("at", "pk").values_list("action", "username", "comment"))


def test_an_authors_edit_is_seen_by_readers_only_once_a_reviewer_approves_it(people, autologous, reviewed_page):
    old_definition = autologous.definition
    notice = edit(people["author"], autologous, "_submit_review", definition=NEW_DEFINITION)
    assert "Submitted for medical review" in notice
    # Readers keep the published definition: on the glossary page and in the page that prints it.
    for path in ("/en/glossary/", reviewed_page.get_absolute_url()):
        text = reader_text(path)
        assert old_definition in text and NEW_DEFINITION not in text, path
    # The author's form shows the proposed change and where it stands.
    form_text = html.text(people["author"].get(term_url(autologous)).content.decode())
    assert NEW_DEFINITION in form_text and "Submitted for medical review by anna" in form_text

    # Reviewers find it on the admin's front page, with the pages' changes waiting for review.
    assert "Autologous" in html.text(people["reviewer2"].get("/admin/").content.decode())
    # Another reviewer (Jens) sees both versions and the pages that print it, and approves.
    review_page = html.text(people["reviewer2"].get(review_url(autologous)).content.decode())
    assert old_definition in review_page and NEW_DEFINITION in review_page
    assert "Cell therapy" in review_page and "they keep their own medical review" in review_page
    assert "Approved and published" in decide(people["reviewer2"], autologous, "_approve")

    for path in ("/en/glossary/", reviewed_page.get_absolute_url()):
        assert NEW_DEFINITION in reader_text(path), path
    # The page's own review (Rikke's) still stands: Jens reviewed the definition it prints.
    assert "Medically reviewed by Rikke Holm" in reader_text(reviewed_page.get_absolute_url())
    autologous.refresh_from_db()
    assert (autologous.reviewed_by, autologous.last_reviewed) == (people["reviewer2"].user, TODAY)
    assert autologous.unpublished_changes == {}
    form_text = html.text(people["author"].get(term_url(autologous)).content.decode())
    assert "Readers see the text Jens Berg medically reviewed on" in form_text


def test_a_plain_save_or_a_forged_publish_by_an_author_is_held_too(people, autologous):
    edit(people["author"], autologous, None, definition=NEW_DEFINITION)
    edit(people["author"], autologous, "_publish", synonyms="own cells")
    autologous.refresh_from_db()
    assert NEW_DEFINITION not in autologous.definition and autologous.synonyms != "own cells"
    assert autologous.unpublished_changes["synonyms"] == "own cells"
    assert NEW_DEFINITION not in reader_text("/en/glossary/")
    form = people["author"].get(term_url(autologous)).content.decode()
    assert 'name="_publish"' not in form and "deletelink" not in form
    assert "This term has unpublished changes readers cannot see" in html.text(form)


def test_a_reviewer_cannot_approve_their_own_change(people, autologous):
    reviewer = people["reviewer"]
    edit(reviewer, autologous, "_submit_review", definition=NEW_DEFINITION)
    assert "Approve and publish" not in html.text(reviewer.get(term_url(autologous)).content.decode())
    text = decide(reviewer, autologous, "_approve")
    assert "another medical reviewer must approve it" in text
    autologous.refresh_from_db()
    assert autologous.definition != NEW_DEFINITION and autologous.reviewed_by is None
    assert NEW_DEFINITION not in reader_text("/en/glossary/")


def test_a_reviewer_asks_for_changes_and_the_author_reads_why(people, autologous):
    edit(people["author"], autologous, "_submit_review", definition=NEW_DEFINITION)
    assert "Write what the author should change" in decide(people["reviewer"], autologous, "_request_changes")
    decide(people["reviewer"], autologous, "_request_changes", comment="Say “the patient's own cells”.")
    form_text = html.text(people["author"].get(term_url(autologous)).content.decode())
    assert "Rikke Holm asked for changes on" in form_text and "Say “the patient's own cells”." in form_text
    assert NEW_DEFINITION not in reader_text("/en/glossary/")


def test_publishing_without_review_withdraws_the_reviewer_from_the_pages_that_print_it(
    people, autologous, reviewed_page
):
    notice = edit(people["publisher"], autologous, "_publish", definition=NEW_DEFINITION)
    assert "Published without medical review" in notice
    assert NEW_DEFINITION in reader_text("/en/glossary/")
    text = reader_text(reviewed_page.get_absolute_url())
    assert NEW_DEFINITION in text
    assert "Medically reviewed by Rikke Holm" not in text and "Published without medical review." in text
    assert audit(autologous)[-1] == ("publish", "pia", "without medical review")
    log = html.text(people["publisher"].get("/admin/workflow/auditentry/").content.decode())
    assert "Autologous" in log and "without medical review" in log

    # A reviewer's approval of the term as it reads now gives the page its reviewer back.
    edit(people["author"], autologous, "_submit_review")
    decide(people["reviewer2"], autologous, "_approve")
    assert "Medically reviewed by Rikke Holm" in reader_text(reviewed_page.get_absolute_url())


def test_a_new_term_is_a_draft_that_marks_nothing_until_it_is_approved(people, make_page):
    page = approved(
        make_page(sourced=True, slug="about-wibblets", body="A wibblet is small."), people["reviewer"].user, TODAY
    )
    form = read_form(people["author"].get("/admin/glossary/term/add/").content.decode(), "term_form")
    form.update(language="en", term="wibblet", slug="wibblet", definition="A small thing.", _publish="clicked")
    people["author"].post("/admin/glossary/term/add/", form)
    term = Term.objects.get(slug="wibblet")
    assert term.status == Term.Status.DRAFT
    assert "#term-wibblet" not in Page.objects.get(pk=page.pk).body_html
    assert "wibblet" not in reader_text("/en/glossary/").lower()
    assert "This term is a draft" in html.text(people["author"].get(term_url(term)).content.decode())

    edit(people["author"], term, "_submit_review")
    decide(people["reviewer2"], term, "_approve")
    assert "A small thing." in reader_text("/en/glossary/")
    text = reader_text(page.get_absolute_url())
    assert "A small thing." in text
    # A definition a reviewer approved does not un-review the pages that start printing it.
    assert "Medically reviewed by Rikke Holm" in text


def test_a_draft_term_stays_off_the_glossary_page_however_it_is_rendered(people):
    form = read_form(people["author"].get("/admin/glossary/term/add/").content.decode(), "term_form")
    form.update(language="en", term="wibblet", slug="wibblet", definition="A small thing.")
    people["author"].post("/admin/glossary/term/add/", form)
    assert Term.objects.get(slug="wibblet").status == Term.Status.DRAFT
    # The glossary page rendered again (a deploy renders every public page), and live (a reader with a cookie).
    publishing.render_all()
    assert "wibblet" not in reader_text("/en/glossary/").lower()
    live = Client()
    live.cookies["sessionid"] = "not-signed-in"
    assert "wibblet" not in html.text(live.get("/en/glossary/").content.decode()).lower()


def test_every_change_is_in_the_terms_history_and_each_step_in_the_audit_log(people, autologous):
    versions, entries = autologous.history.count(), len(audit(autologous))
    edit(people["author"], autologous, "_save_draft", definition=NEW_DEFINITION)
    edit(people["author"], autologous, "_submit_review")
    decide(people["reviewer"], autologous, "_request_changes", comment="Shorter, please.")
    edit(people["author"], autologous, "_submit_review", definition="The patient's own cells.")
    decide(people["reviewer"], autologous, "_approve", comment="Good.")

    records = list(autologous.history.order_by("history_date", "history_id")[versions:])
    assert [record.definition for record in records][-1] == "The patient's own cells."
    assert {record.history_user for record in records} == {people["author"].user, people["reviewer"].user}
    assert records[0].unpublished_changes["definition"] == NEW_DEFINITION  # the held edit is a version too
    assert records[-1].history_change_reason == "Medically approved by Rikke Holm"
    assert audit(autologous)[entries:] == [
        ("submit", "anna", ""),
        ("reject", "rikke", "Shorter, please."),
        ("submit", "anna", ""),
        ("approve", "rikke", "Good."),
        ("publish", "rikke", ""),
    ]
    history = html.text(people["author"].get(f"/admin/glossary/term/{autologous.pk}/history/").content.decode())
    assert "Medically approved by Rikke Holm" in history and "Saved unpublished changes (not public)" in history


def test_only_a_publisher_deletes_a_published_term_and_the_log_says_who(people, autologous):
    delete_url = f"/admin/glossary/term/{autologous.pk}/delete/"
    assert people["author"].get(delete_url).status_code == 403
    assert people["author"].post(delete_url, {"post": "yes"}).status_code == 403
    assert Term.objects.filter(pk=autologous.pk).exists()

    assert people["publisher"].post(delete_url, {"post": "yes"}).status_code == 302
    assert not Term.objects.filter(pk=autologous.pk).exists()
    assert "#term-autologous" not in Page.objects.get(slug="cell-therapy").body_html
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, page_slug="autologous").get()
    assert (entry.username, entry.page_title) == ("pia", "Autologous")


@pytest.mark.parametrize("who", ["publisher", "reviewer"])
def test_publishing_a_term_change_costs_at_most_30_queries_however_many_pages_print_it(
    people, who, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    ema = Term.objects.get(language="en", slug="ema")  # printed in a third of the English pages
    printing = Page.objects.filter(language="en", body_html__contains='#term-ema"')
    assert printing.count() >= 10
    new = "The European Medicines Agency, which assesses medicines for the whole EU."
    form = read_form(people["publisher"].get(term_url(ema)).content.decode(), "term_form")
    form["definition"] = new
    if who == "publisher":
        form["_publish"] = "clicked"
        request = (people["publisher"], term_url(ema), form)
    else:
        form["_submit_review"] = "clicked"
        people["author"].post(term_url(ema), form)
        request = (people["reviewer"], review_url(ema), {"_approve": "1", "comment": ""})
    browser, url, data = request
    with django_capture_on_commit_callbacks() as after_commit, django_assert_max_num_queries(30):
        assert browser.post(url, data).status_code == 302
    assert after_commit, "the stored public pages are rendered after the commit"
    # Meanwhile readers get them from the live view, with the new definition.
    assert all(new in reader_text(page.get_absolute_url()) for page in printing)
    assert new in reader_text("/en/glossary/")


def test_the_migration_keeps_every_valid_page_signoff_and_no_stale_one(people):
    """Migration 0008: today's terms are signed off; each still-valid page sign-off moves to the new digest."""
    migration = importlib.import_module("glossary.migrations.0008_signed_off_terms_and_page_digests")
    current, stale = Page.objects.get(slug="cell-therapy"), Page.objects.get(slug="car-t")
    # As before the migration: no term signed off, each page's digest over the definitions it prints.
    Term.objects.update(approved_digest="")
    for page in (current, stale):
        terms = migration.printed_terms(page, Term)
        Page.objects.filter(pk=page.pk).update(
            approved_digest=migration.page_digest(page, apps.get_model("content", "Source"), terms),
            reviewed_by=people["reviewer"].user,
            last_reviewed=TODAY,
        )
    # F3 before the fix: a definition only the CAR-T page prints was rewritten live.
    slugs = {page.pk: {entry[0] for entry in migration.printed_terms(page, Term)} for page in (current, stale)}
    rewritten = sorted(slugs[stale.pk] - slugs[current.pk])[0]
    Term.objects.filter(language="en", slug=rewritten).update(definition="Rewritten.")
    migration.signed_off_baseline(apps, None)
    assert Page.objects.get(pk=current.pk).review_is_current
    assert not Page.objects.get(pk=stale.pk).review_is_current
    assert all(term.review_is_current for term in Term.objects.all())
