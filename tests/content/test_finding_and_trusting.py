"""
Issue 23, readers' items 1–5, through real requests (the browser checks of the
same items, at 375 px, are in tests/browser/test_patients_phone.py): the
pages patients come for on the home page and in the menu, one status line
under the title, Danish addresses that stay Danish, the help card in "On this
page".
"""

import datetime
import re

import pytest
from django.test import Client

from content.models import Page
from tests.conftest import approved
from tests.support import html

pytestmark = pytest.mark.django_db

PATIENT_LINKS = {
    "da": [
        ("CAR-T: hvad det er, og hvad det gør", "/da/car-t-behandling/"),
        ("Dit forløb med CAR-T trin for trin", "/da/forloebet-ved-car-t/"),
        ("Bivirkninger og hvornår du skal søge hjælp", "/da/bivirkninger/"),
        ("Spørgsmål til din læge", "/da/spoergsmaal-til-din-laege/"),
    ],
    "en": [
        ("CAR-T: what it is and what it does", "/en/car-t/"),
        ("Your CAR-T treatment, step by step", "/en/car-t-treatment-journey/"),
        ("Side effects and when to get help", "/en/side-effects/"),
        ("Questions for your doctor", "/en/questions-for-your-doctor/"),
    ],
}


def get(path):
    return Client().get(path)


def anchors(fragment):
    """[(href, inner html)] of the links in an HTML fragment, in order."""
    return re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', fragment, re.S)


def part(body, start, end):
    return body.split(start, 1)[1].split(end, 1)[0]


# --- Item 1: the pages patients come for, and search, on the home page and in the menu ---


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_home_page_opens_with_search_and_the_patient_pages(language):
    body = get(f"/{language}/").content.decode()
    main = part(body, "<main", "</main>")
    # The search form comes before anything else in the main text, after the heading: a plain GET form.
    form = part(main, "<form", "</form>")
    assert 'method="get"' in form and 'name="q"' in form
    assert main.index("<form") < main.index('class="lead"')
    paths = part(main, 'class="patient-paths"', "</nav>")
    links = [(html.text(a), href) for href, a in anchors(paths)]
    assert links == PATIENT_LINKS[language]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_menu_lists_the_patient_pages_first(language):
    body = get(f"/{language}/{'celleterapi' if language == 'da' else 'cell-therapy'}/").content.decode()
    menu = part(body, 'class="site-nav"', "</nav>")
    hrefs = [href for href, _text in anchors(menu)]
    assert hrefs[:4] == [href for _words, href in PATIENT_LINKS[language]]


def test_a_missing_patient_page_is_left_out_not_linked_broken():
    page = Page.objects.get(slug="forloebet-ved-car-t")
    page.status = Page.Status.DRAFT  # unpublished by an editor
    page.save()
    body = get("/da/").content.decode()
    assert "/da/forloebet-ved-car-t/" not in body
    assert "/da/bivirkninger/" in part(body, 'class="patient-paths"', "</nav>")


# --- Item 3: one status line under the title -------------------------------


def status_and_dates(path):
    body = get(path).content.decode()
    header = html.text(part(body, '<header class="page-header">', "</header>"))
    trust = html.text(part(body, '<footer class="page-trust">', "</footer>"))
    return header, trust


def test_an_unapproved_page_says_so_under_its_title_and_shows_no_review_dates():
    page = Page.objects.get(slug="car-t")
    assert page.last_reviewed and not page.review_is_current  # the seed: a date, but no named reviewer
    header, trust = status_and_dates("/en/car-t/")
    assert header.startswith("CAR-T Not yet medically approved.")
    assert "Page last reviewed" not in trust and "Next review due" not in trust
    assert "Sources" in trust


def test_an_approved_page_names_its_reviewer_in_full_under_the_title(django_user_model):
    reviewer = django_user_model.objects.create_user("bbach", first_name="Bente", last_name="Bach")
    page = Page.objects.get(slug="car-t")
    approved(page, reviewer, datetime.date(2026, 12, 3))
    header, trust = status_and_dates("/en/car-t/")
    assert "Medically reviewed by Bente Bach on 3 December 2026" in header
    assert "bbach" not in header and "Not yet medically approved" not in header + trust
    assert "Page last reviewed 3 December 2026" in trust and "Next review due" in trust
    # At the end: the sources, then the dates.
    assert trust.index("Sources") < trust.index("Page last reviewed")


def test_a_reviewer_without_a_full_name_is_never_shown_by_username(django_user_model):
    page = Page.objects.get(slug="car-t")
    approved(page, django_user_model.objects.create_user("rev-42"), page.last_reviewed)
    header, _trust = status_and_dates("/en/car-t/")
    assert "Medically reviewed by a medical reviewer on" in header and "rev-42" not in header
    assert page.reviewer_name == "a medical reviewer"


# --- Item 4: Danish addresses stay Danish ----------------------------------


@pytest.mark.parametrize(
    "path, target",
    [
        ("/da/car-t/", "/da/car-t-behandling/"),
        ("/da/side-effects/", "/da/bivirkninger/"),
        ("/da/cell-therapy/", "/da/celleterapi/"),
        ("/en/bivirkninger/", "/en/side-effects/"),
    ],
)
def test_a_slug_of_the_other_language_goes_to_the_translation_in_the_addresss_language(path, target):
    response = get(path)
    assert response.status_code == 301 and response["Location"] == target


def test_without_a_translation_the_reader_still_reaches_the_page(make_page):
    make_page(slug="only-english", language="en")
    response = get("/da/only-english/")
    assert response.status_code == 302 and response["Location"] == "/en/only-english/"
    assert get("/da/no-such-page/").status_code == 404


def test_an_unpublished_translation_is_not_a_target(make_page):
    danish = make_page(slug="kun-kladde", language="da", status=Page.Status.DRAFT)
    make_page(slug="english-twin", language="en", translation=danish)
    response = get("/da/english-twin/")
    assert response.status_code == 302 and response["Location"] == "/en/english-twin/"


# --- Item 2: "When to get help" is a section of its own, listed in "On this page" ---


def test_the_help_card_under_its_own_heading_is_listed_in_on_this_page(make_page):
    body = (
        'Some words.\n\n## When to get help\n\n!!! help "Call 112 at once if you have"\n    - a fit\n\n'
        "## Side effects of CAR-T\n\nText.\n"
    )
    page = make_page(slug="help-card", body=body)
    assert [section["title"] for section in page.sections][:1] == ["When to get help"]
    response = get("/en/help-card/").content.decode()
    toc = part(response, '<nav class="toc"', "</nav>")
    assert "When to get help" in html.text(toc)
    card = part(response, "<aside", "</aside>")
    assert 'class="callout callout-help"' in card and "Call 112 at once if you have" in html.text(card)
