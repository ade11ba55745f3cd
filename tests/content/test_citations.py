"""
Citations (issue 21): `[^N]` markers render as numbered links to the page's
sources, sanitised like the rest; the citation and safety checks fire on a
page made to break each rule and stay quiet on every seed page.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from content import citations, quality
from content.markdown import render
from content.models import Page, Source
from tests.support import html

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 3)
SOURCE = {"title": "T", "publisher": "P", "url": "https://example.org/"}
# A paragraph long enough to count (citations.MIN_WORDS words or more).
CLAIM = "CAR-T can cause serious side effects that need close monitoring in a specialist department"


# --- Rendering -------------------------------------------------------------


def test_a_marker_renders_as_a_numbered_link_to_its_source():
    rendered = render("Fever is often the first sign.[^2]", language="en").html
    assert rendered == (
        '<p>Fever is often the first sign.<sup class="cite">'
        '<a href="#source-2" rel="noopener noreferrer">2</a></sup></p>'
    )


def test_markers_side_by_side_share_one_sup_and_do_not_read_as_one_number():
    rendered = render("Call 112.[^2][^5]", language="en").html
    assert rendered == (
        '<p>Call 112.<sup class="cite"><a href="#source-2" rel="noopener noreferrer">2</a>, '
        '<a href="#source-5" rel="noopener noreferrer">5</a></sup></p>'
    )


def test_markers_work_in_lists_tables_and_callouts():
    text = '- a sign[^1]\n\n| a | b |\n|---|---|\n| c[^3] | d |\n\n!!! help "Get help"\n    Call 112.[^4]'
    links = html.links(render(text, language="en").html)
    assert links == ["#source-1", "#source-3", "#source-4"]


def test_things_that_look_like_markers_are_left_as_text():
    rendered = render("No source [^0], [^x], [^1234] or [^ 1].", language="en").html
    assert "<sup" not in rendered and "[^0]" in rendered


def test_editor_written_sup_is_sanitised():
    rendered = render(
        '<sup class="cite" onclick="alert(1)" id="x">1</sup> <sup class="evil">2</sup> '
        '<sup class="cite"><a href="javascript:alert(1)">3</a></sup>',
        language="en",
    ).html
    assert "onclick" not in rendered and 'id="x"' not in rendered and "evil" not in rendered
    assert "javascript" not in rendered
    assert '<sup class="cite">1</sup>' in rendered


def test_the_public_page_numbers_its_sources_and_every_marker_finds_one():
    for language, slug in (("en", "side-effects"), ("da", "bivirkninger")):
        content = Client().get(f"/{language}/{slug}/").content.decode()
        ids = set(re.findall(r'<li id="(source-\d+)"', content))
        page = Page.objects.get(slug=slug)
        assert ids == {f"source-{n}" for n in range(1, page.sources.count() + 1)}
        cited = {link[1:] for link in html.links(content) if link.startswith("#source-")}
        assert cited == ids


# --- The checks, as pure functions ---------------------------------------


def test_a_source_no_paragraph_cites_is_found():
    assert citations.uncited_sources(f"{CLAIM}.[^1]", 3) == [2, 3]
    assert citations.uncited_sources(f"{CLAIM}.[^1][^2]\n\n- a[^3]", 3) == []


def test_a_citation_to_a_source_the_page_does_not_list_is_found():
    assert citations.missing_sources(f"{CLAIM}.[^4]", 2) == [4]


def test_a_medical_paragraph_without_a_marker_is_found():
    body = f"## A heading\n\n{CLAIM}.\n\n{CLAIM}.[^1]\n\nShort linking sentence."
    assert citations.uncited_paragraphs(body, "side-effects") == [f"{CLAIM}."]


def test_which_paragraphs_need_no_marker():
    body = "\n\n".join(
        [
            "## Heading words do not count even when they are many words long, like this one",
            "Read more in [Side effects and when to get help, a page on this site](page:side-effects).",
            "- [A page](page:a)\n- [Another page](page:b)",
            "- When can I travel, and how far is it safe to go?\n- Which vaccines can I have, and when?",
            "Call the department that treats you at once if you:[^1]",
            "- have a temperature over 38.3 °C, or over 38.0 °C twice, one hour apart\n- feel dizzy",
        ]
    )
    assert citations.uncited_paragraphs(body, "side-effects") == []


def test_text_inside_a_callout_must_cite_too():
    body = f'!!! warning "Emergency"\n    {CLAIM}.'
    assert citations.uncited_paragraphs(body, "side-effects") == [f"{CLAIM}."]


@pytest.mark.parametrize("slug", sorted(citations.NON_MEDICAL_SLUGS))
def test_the_about_page_is_not_a_medical_page(slug):
    assert citations.uncited_paragraphs(f"{CLAIM}.", slug) == []


def test_a_source_read_after_the_review_is_found():
    dates = [DAY, DAY + datetime.timedelta(days=1)]
    assert citations.sources_accessed_after_review(dates, DAY) == [(2, DAY + datetime.timedelta(days=1))]
    assert citations.sources_accessed_after_review(dates[:1], DAY) == []


def test_a_side_effects_page_without_112_is_found():
    assert citations.lacks_emergency_number("Call your department.", "side-effects")
    assert citations.lacks_emergency_number("CRS can be life-threatening.", "any-page")
    assert citations.lacks_emergency_number("ICANS affects the brain and nerves.", "any-side")
    assert not citations.lacks_emergency_number("**Call 112** in an emergency.", "side-effects")
    assert not citations.lacks_emergency_number("Ring 1-1-2.", "bivirkninger")
    # A number that merely contains 112 is not the emergency number.
    assert citations.lacks_emergency_number("Call 1120 or 70112000.", "bivirkninger")
    assert not citations.lacks_emergency_number("Cell therapy uses living cells.", "cell-therapy")


# --- The checks, where editors and reviewers read them -------------------


def codes(page):
    return [warning.code for warning in quality.check_page(Page.objects.get(pk=page.pk)).warnings]


def test_each_check_fires_on_a_page_made_to_break_its_rule(make_page):
    page = make_page(slug="side-effects-test", body=f"{CLAIM}.\n\nCRS can be dangerous.[^3]", last_reviewed=DAY)
    Source.objects.create(page=page, accessed=DAY, order=0, **SOURCE)
    Source.objects.create(page=page, accessed=DAY + datetime.timedelta(days=1), order=1, **SOURCE)
    found = codes(page)
    expected = ("uncited_source", "missing_source", "uncited_paragraph", "source_after_review", "no_emergency_number")
    for code in expected:
        assert code in found, code
    with translation.override("en"):
        messages = [str(warning.message) for warning in quality.check_page(page).warnings]
    assert any("1, 2" in message for message in messages if message.startswith("Sources no paragraph cites"))
    assert any("112" in message for message in messages)
    with translation.override("da"):
        danish = [str(warning.message) for warning in quality.check_page(page).warnings]
    assert "Siden handler om bivirkninger, men nævner ikke alarmnummeret 112." in danish


def test_a_page_that_keeps_the_rules_has_none_of_the_new_warnings(make_page):
    page = make_page(body=f"{CLAIM}.[^1]\n\nCall **112** if CRS gets worse.[^1]", last_reviewed=DAY)
    Source.objects.create(page=page, accessed=DAY, **SOURCE)
    assert codes(page) == []


def test_the_checks_are_quiet_on_every_seed_page():
    pages = list(Page.objects.all())
    assert len(pages) == 34
    noisy = {page.slug: citations.page_warnings(page) for page in pages if citations.page_warnings(page)}
    assert noisy == {}


def test_content_checks_reports_no_uncited_paragraphs_or_sources(capsys):
    call_command("content_checks")
    out = capsys.readouterr().out
    assert "Uncited paragraphs: 0. Uncited sources: 0." in out
    for code in citations.MESSAGES:
        assert code not in out


def test_the_reviewers_page_shows_the_new_warnings():
    """The medical reviewer's page reads its checks from review_material, which uses check_page."""
    from workflow.actions import review_material

    page = Page.objects.get(slug="side-effects")
    page.unpublished_changes = {"body": page.body.replace("112", "the emergency number")}
    page.save()
    warnings = review_material(page)["report"].warnings
    assert "no_emergency_number" in [warning.code for warning in warnings]
