"""
An edit makes cold only the pages that show what it changed (issue 12 item 3).

Every page is first served (so cached); then each title is changed behind the
cache with update(), which tells nobody, and one real edit is made. A page
rendered afresh shows the changed title: those are the pages the edit made cold.
"""

import pytest
from django.db.models import Value
from django.db.models.functions import Concat

from content.models import Page
from glossary.models import Term

pytestmark = pytest.mark.django_db

MARK = " (re-rendered)"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


def cold_after(client, edit):
    """The addresses (of every page, both home pages and the site maps) that `edit` made cold."""
    paths = [page.get_absolute_url() for page in Page.objects.all()] + ["/en/", "/da/"]
    for path in paths:
        assert client.get(path).status_code == 200
    Page.objects.update(title=Concat("title", Value(MARK)))
    edit()
    cold = set()
    for path in paths:
        body = client.get(path).content.decode()
        if MARK in body:
            cold.add(path)
    return cold


def test_a_text_edit_makes_cold_the_page_and_the_pages_listing_it(client):
    def edit():
        page = Page.objects.get(slug="ebvallo")
        page.body += "\n\nOne more sentence."
        page.save()

    # Ebvallo itself; the page before it (pager); Gene therapy and the list of approved ATMPs, which it
    # links to ("Read next" there); its translation (the language switcher). Not its parent, nor the other pages.
    assert cold_after(client, edit) == {
        "/en/ebvallo/", "/en/autologous-and-allogeneic/", "/en/gene-therapy/", "/en/atmps-approved-in-the-eu/",
        "/da/eksempel-ebvallo/",
    }  # fmt: skip


def test_an_edit_to_a_menu_page_makes_its_language_cold_and_not_the_other(client):
    def edit():
        page = Page.objects.get(slug="gene-therapy")
        page.summary = "Genes as medicine."
        page.save()

    cold = cold_after(client, edit)
    english = {page.get_absolute_url() for page in Page.objects.filter(language="en")} | {"/en/"}
    assert cold == english | {"/da/genterapi/"}


def test_a_new_page_makes_cold_its_parent_and_its_neighbours_only(client, make_page):
    def edit():
        make_page(slug="test-side-effects", title="Side effects", parent=Page.objects.get(slug="car-t"), family="gene")

    # CAR-T lists it ("Read next", and "Next" in the pager), and its sibling "The CAR-T
    # treatment journey" gets it as its neighbour in the pager; nothing else shows it,
    # not even the pages that show CAR-T (its title did not change).
    assert cold_after(client, edit) == {"/en/car-t/", "/en/car-t-treatment-journey/"}


def test_a_glossary_term_makes_cold_only_the_pages_using_it(client, make_page):
    make_page(slug="wibble-page", body="A wibble is small.", parent=Page.objects.get(slug="car-t"), family="gene")

    def edit():
        Term.objects.create(language="en", term="wibble", slug="wibble", definition="A small thing.")

    cold = cold_after(client, edit)
    # The page using the word, and the pages listing it (CAR-T, its parent, and its
    # neighbour in the pager, "The CAR-T treatment journey"): not the other pages.
    assert cold == {"/en/wibble-page/", "/en/car-t/", "/en/car-t-treatment-journey/"}
