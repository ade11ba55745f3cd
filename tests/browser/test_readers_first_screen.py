"""
Issue 17, readers' items 2–6, in Chromium as a patient sees them: the article
on a phone's first screen, the menu and contents collapsed without JavaScript,
glossary words explained in place, the publisher named, the Danish addresses
behind the language switcher, and what goes on paper.

Screenshots of the phone's first screen and of the end of a page land in
artifacts/issue-17/ (git-ignored) for a person to look at.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SitePage, visit
from tests.browser.server import ROOT

PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / "artifacts" / "issue-17"

ARTICLES = [
    SitePage("celleterapi", "/da/celleterapi/"),
    SitePage("car-t-behandling", "/da/car-t-behandling/"),
    SitePage("cell-therapy", "/en/cell-therapy/"),
    SitePage("ebvallo", "/en/ebvallo/"),
]


@pytest.fixture(scope="module")
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("site_page", ARTICLES, ids=str)
def test_on_a_phone_the_article_starts_on_the_first_screen(open_page, site_page, javascript, shots, measurements):
    page = open_page(javascript=javascript, **PHONE)
    visit(page, site_page)
    header = page.locator(".site-header").bounding_box()
    first_paragraph = page.locator("article .prose p").first.bounding_box()
    measurements.setdefault(f"{site_page.name}@390", {})["header px"] = round(header["height"])
    measurements[f"{site_page.name}@390"]["1st paragraph top px"] = round(first_paragraph["y"])
    if javascript:
        page.screenshot(path=shots / f"phone-first-screen-{site_page.name}.png")
    assert header["height"] <= 120, f"the header takes {header['height']}px of an 844px screen"
    assert page.locator("h1").bounding_box()["y"] < 300
    # The first sentence of the article, not only its title, is on the first screen.
    assert first_paragraph["y"] + 40 < PHONE["height"], f"the text starts at {first_paragraph['y']}px"
    # Menu and contents are closed, and open with a tap, with or without script.
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".toc a").first.is_visible()
    page.locator(".site-menu > summary").click()
    assert page.locator(".site-nav a", has_text="Ordliste" if "/da/" in site_page.path else "Glossary").is_visible()
    page.locator(".toc summary").click()
    assert page.locator(".toc a").first.is_visible()


def test_on_a_wide_screen_menu_and_contents_are_simply_open(open_page, shots):
    page = open_page(width=1280)
    visit(page, ARTICLES[0])
    page.screenshot(path=shots / "desktop-first-screen-celleterapi.png")
    assert not page.locator(".site-menu > summary").is_visible()
    assert page.locator(".site-nav a", has_text="Ordliste").is_visible()
    assert page.locator(".search-form input").is_visible()
    assert page.locator(".toc a").first.is_visible()


def test_the_end_of_a_page_names_the_publisher_and_warns_once(open_page, shots):
    page = open_page(**PHONE)
    visit(page, ARTICLES[0])
    page.locator(".site-footer").scroll_into_view_if_needed()
    page.screenshot(path=shots / "phone-end-of-page-celleterapi.png")
    page.screenshot(path=shots / "phone-whole-page-celleterapi.png", full_page=True)
    text = page.locator("body").inner_text()
    assert text.count("erstatter ikke") == 1
    assert "En redaktion skriver hjemmesiden" in page.locator(".site-footer").inner_text()
    assert page.locator("a", has_text="XML").count() == 0
    assert page.locator(".site-footer a", has_text="Sidekort").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_glossary_word_looks_different_and_explains_itself_in_place(open_page, javascript, shots):
    page = open_page(javascript=javascript, **PHONE)
    visit(page, SitePage("cell-therapy", "/en/cell-therapy/"))
    mark = page.locator("article .prose a.glossary-term").first
    page_link = page.locator("article .prose a:not(.glossary-term):not(.glossary-back):not(.glossary-more)").first
    look = mark.evaluate(
        "a => ({style: getComputedStyle(a).textDecorationStyle, cue: getComputedStyle(a, '::after').content,"
        " name: a.textContent})"
    )
    assert look["style"] == "dotted"
    assert "?" in look["cue"], "a visible cue besides colour"
    assert page_link.evaluate("a => getComputedStyle(a).textDecorationStyle") == "solid"
    # Screen readers hear that it is a glossary word.
    assert look["name"].strip().endswith("(glossary)")
    word = look["name"].replace("(glossary)", "").strip()
    mark.click()
    assert page.url.split("#")[0].endswith("/en/cell-therapy/"), "the reader stays on the page"
    note = page.locator(page.url[page.url.index("#") :])
    expect(note).to_be_in_viewport()
    assert word.casefold().rstrip("s") in note.inner_text().casefold()
    if javascript:
        page.screenshot(path=shots / "phone-glossary-note.png")
    note.locator("a.glossary-back").click()
    expect(mark).to_be_in_viewport()
    assert note.locator("a.glossary-more").get_attribute("href").startswith("/en/glossary/#term-")


def test_the_language_switcher_follows_the_danish_addresses(open_page):
    page = open_page(width=1280)
    visit(page, SitePage("ordliste", "/da/ordliste/"))
    page.locator(".language-switcher a", has_text="English").click()
    assert page.url.endswith("/en/glossary/")
    page.locator(".language-switcher a", has_text="Dansk").click()
    assert page.url.endswith("/da/ordliste/")
    page.goto("/da/search/?q=celleterapi")
    assert page.url.endswith("/da/soeg/?q=celleterapi"), "the old address leads to the new one"


def test_on_paper_links_show_full_addresses_and_the_page_its_own(open_page, site_server, shots):
    page = open_page(width=1280)
    visit(page, ARTICLES[0])
    page.emulate_media(media="print")
    printed = page.evaluate(
        """() => [...document.querySelectorAll('main a[href^="/"]')]
          .filter(a => a.checkVisibility())
          .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))"""
    )
    assert printed
    for link in printed:
        assert f"{site_server.url}{link['href']}" in link["after"], link
    address = page.locator(".print-address")
    assert address.is_visible()
    assert address.inner_text() == f"ATMP forklaret: {site_server.url}/da/celleterapi/"
    for hidden in [".site-menu", ".page-list", ".language-switcher", ".footer-links", ".breadcrumbs"]:
        for element in page.locator(hidden).all():
            assert element.is_hidden(), f"{hidden} is printed"
    page.screenshot(path=shots / "print-celleterapi.png", full_page=True)
    pdf = page.pdf(path=shots / "print-celleterapi.pdf")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    assert not page.locator(".print-address").is_visible()
