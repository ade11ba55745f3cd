"""
Issue 23, editors' items 7, 8, 9, 12 and 13, through the admin with real users
in each role (the browser checks at 1,280 px are in tests/browser/test_editors_desktop.py).
"""

import datetime

# ruff: noqa: F811 (the `people` fixture is imported, then asked for by name)
import re

import pytest
from django.test import Client

from content.callouts import unknown_types
from content.models import Page, Source
from tests.conftest import approved as approve_as
from tests.content.test_editing import ADD_URL, page_form
from tests.support import html

# `people` is a fixture (one logged-in user per role), shared with the sign-off tests.
from tests.workflow.test_workflow import change_url, edit, review_url

pytestmark = pytest.mark.django_db

PAGE_LIST = "/admin/content/page/"


def listed_pks(body):
    return {int(pk) for pk in re.findall(r"/admin/content/page/(\d+)/change/", body)}


# --- Item 7: the reviewers' to-do list lists the pages never approved ---------


def test_the_reviewers_panel_lists_the_live_pages_never_approved(people):
    never = set(Page.objects.never_approved().values_list("pk", flat=True))
    assert len(never) == Page.objects.published().count()  # the seed: no page has a named reviewer
    panel = people["reviewer"].get("/admin/").content.decode()
    text = html.text(panel)
    assert f"Never medically approved: {len(never)} live pages" in text
    assert "Readers are told these pages are not yet medically approved." in text
    assert "/admin/content/page/?review=never" in panel
    # The ten changed last, each linked; the page list shows them all (a site may have thousands).
    first = Page.objects.never_approved().order_by("-updated_at", "title", "language")
    shown = [f"{page.title} (" for page in first[:10]]
    assert all(title in text for title in shown), shown
    assert f"Showing the first 10 of {len(never)}." in text
    assert len(listed_pks(panel) & never) == 10


def test_the_never_approved_filter(people):
    approved = approve_as(Page.objects.get(slug="car-t"), people["reviewer"].user, datetime.date(2026, 12, 3))
    body = people["reviewer"].get(PAGE_LIST, {"review": "never"}).content.decode()
    assert "Never medically approved" in html.text(body)
    pks = listed_pks(body)
    assert approved.pk not in pks and Page.objects.get(slug="side-effects").pk in pks
    panel = html.text(people["reviewer"].get("/admin/").content.decode())
    assert f"Never medically approved: {Page.objects.published().count() - 1} live pages" in panel


# --- Item 9: callouts documented beside the text box; unknown types warned ----


def test_unknown_callout_types_are_found():
    text = '!!! help "Call"\n    x\n\n!!! note "Remember"\n    y\n\n!!! Advarsel\n    z\n\n  !!! tip\n'
    assert unknown_types(text) == ["note", "tip"]


def test_an_unknown_callout_is_a_content_check_warning_and_a_live_preview_warning(people, make_page):
    page = make_page(slug="callout-note", body='Text.\n\n!!! note "Remember"\n    Bring a relative.\n')
    assert ["unknown_callout", "!!! note"] in page.quality_warnings
    publisher = people["publisher"]
    form = html.text(publisher.get(change_url(page)).content.decode())
    assert "Unknown callout type: !!! note." in form
    preview = publisher.post(
        "/admin/content/page/live-preview/?language=en", {"content": '!!! note "Remember"\n    Bring a relative.\n'}
    )
    assert "Unknown callout type: note. It shows as plain text." in html.text(preview.content.decode())


def test_the_callout_syntax_is_documented_beside_the_text_box(people):
    body = people["author"].get(ADD_URL).content.decode()
    widget = body.split('class="markdownx editor-with-preview"', 1)[1].split('class="preview-label"', 1)[0]
    assert 'class="callout-help-text"' in widget
    assert "!!! help" in widget and "!!! warning" in widget and "!!! note" in html.text(widget)


# --- Item 8: every error named in the banner ----------------------------------


def test_the_error_banner_names_and_links_each_field(people):
    data = page_form(
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-0-title": "A source",
            "sources-0-publisher": "EMA",
            "sources-0-url": "https://www.ema.europa.eu/",
            "sources-0-accessed": "",
            "sources-0-order": "0",
        },
        summary="",
    )
    response = people["publisher"].post(ADD_URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    summary = body.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_summary"' in summary and 'href="#id_sources-0-accessed"' in summary
    assert "Source 1, date accessed" in html.text(summary)


# --- Item 12: names, the comment, the status card, the image in the diff -------


def test_people_are_shown_by_full_name_in_the_review_list_and_audit_log(people, make_page):
    page = make_page(slug="names")
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed="2026-12-01")
    people["reviewer2"].user.first_name, people["reviewer2"].user.last_name = "Jens", "Berg"
    edit(people["reviewer2"], page, "_submit_review", summary="New summary.")
    reviews = html.text(people["reviewer"].get("/admin/workflow/reviewrequest/").content.decode())
    assert "Jens Berg" in reviews and "jens" not in reviews.split()
    log = html.text(people["publisher"].get("/admin/workflow/auditentry/").content.decode())
    assert "Jens Berg" in log


def test_the_status_card_does_not_ask_to_submit_what_was_just_submitted(people, make_page):
    page = make_page(slug="status-card")
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed="2026-12-01")
    text = html.text(edit(people["author"], page, "_submit_review", summary="Changed.").content.decode())
    assert "Submitted for medical review by anna" in text
    assert "Submit them for medical review to have them published" not in text


def test_the_reviewers_comment_is_the_cards_headline(people, make_page):
    page = make_page(slug="comment-card")
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed="2026-12-01")
    edit(people["author"], page, "_submit_review", summary="Changed.")
    people["reviewer"].post(review_url(page), {"comment": "Say who to call at night.", "_request_changes": "1"})
    body = people["author"].get(change_url(page)).content.decode()
    card = body.split('class="workflow-status"', 1)[1].split("</section>", 1)[0]
    assert "Rikke Holm asked for changes on" in html.text(card)
    assert '<blockquote class="review-comment">Say who to call at night.</blockquote>' in card


def test_an_image_added_in_a_change_is_shown_as_the_image_in_the_review(people, make_page):
    page = make_page(slug="image-diff")
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed="2026-12-01")
    body = page.body + "\n\n![A nurse checks a drip](/media/uploads/2026/12/drip.png)\n"
    edit(people["author"], page, "_submit_review", body=body)
    review = people["reviewer"].get(review_url(page)).content.decode()
    assert '<img src="/media/uploads/2026/12/drip.png" alt="A nurse checks a drip">' in review
    assert "Description: “A nurse checks a drip”" in html.text(review)


# --- Item 13: the Danish admin --------------------------------------------------


def test_the_danish_admin_speaks_danish_in_the_live_preview_and_the_log(people, make_page):
    publisher = people["publisher"]
    danish = Client(headers={"accept-language": "da"})
    danish.force_login(publisher.user)
    preview = danish.post("/admin/content/page/live-preview/?language=en", {"content": "Text."})
    assert "Forhåndsvisning på engelsk" in html.text(preview.content.decode())
    preview = danish.post("/admin/content/page/live-preview/?language=da", {"content": "Tekst."})
    assert "Forhåndsvisning på dansk" in html.text(preview.content.decode())
    page = make_page(slug="log-words")
    page.unpublished_changes = {"summary": "Later."}
    page.save()
    page.publish_at = None
    page.apply_publication()
    page.save()
    log = html.text(danish.get("/admin/workflow/auditentry/").content.decode())
    assert "unpublished changes" not in log and "ikke-offentliggjorte ændringer" in log


def test_the_parent_and_translation_pickers_show_language_and_parent(people):
    response = people["publisher"].get(
        "/admin/autocomplete/",
        {"term": "CAR-T", "app_label": "content", "model_name": "page", "field_name": "translation"},
    )
    texts = sorted(result["text"] for result in response.json()["results"] if result["text"].startswith("CAR-T ("))
    assert texts == ["CAR-T (da, Genterapi › car-t-behandling)", "CAR-T (en, Gene therapy › car-t)"]


def test_the_change_form_lists_the_chosen_pages_only(people):
    page = Page.objects.get(slug="car-t-behandling")
    page.related.set([Page.objects.get(slug="bivirkninger")])
    form = people["publisher"].get(change_url(page)).content.decode()
    # The chosen ones, as the pickers show them.
    assert "CAR-T (en, Gene therapy › car-t)" in form  # translation
    assert re.search(r"<option value=\"\d+\" selected>Bivirkninger[^<]* \(da, ", form)  # related
    # Any other page is found by searching, not sent with every form.
    assert "Vævsterapi (da," not in form and "Tissue therapy (en," not in form


def test_a_related_page_in_the_other_language_is_refused_by_name_and_nothing_is_saved(people):
    page = Page.objects.get(slug="car-t")  # English
    before = set(page.related.values_list("pk", flat=True))
    danish = Page.objects.get(slug="bivirkninger")
    response = edit(people["publisher"], page, "_publish", related=[*map(str, before), str(danish.pk)])
    text = html.text(response.content.decode())
    assert "Related pages must be in this page's language. Not in it: Bivirkninger" in text
    assert "(da, " in text.split("Not in it:")[1]  # named as the picker names it, with its language
    assert set(page.related.values_list("pk", flat=True)) == before


def test_the_translation_picker_ranks_titles_starting_with_the_words_first(people, make_page):
    make_page(title="Træthed efter CAR-T", slug="traethed-test", language="da")
    response = people["publisher"].get(
        "/admin/autocomplete/",
        {"term": "Træt", "app_label": "content", "model_name": "page", "field_name": "translation"},
    )
    texts = [result["text"] for result in response.json()["results"]]
    # "Bivirkninger ..." mentions "træthed" in its text: found, but after the page titled so.
    assert len(texts) > 1 and texts[0].startswith("Træthed efter CAR-T (da"), texts
