"""
Issue 23, readers' items 1–6, in Chromium on a 375 px phone as a Danish
patient uses it: CAR-T and search on the home page's first screen and in the
menu, the help card, one status line under the title, a Danish address that
stays Danish, glossary notes only where they add something, and paper (the
question list on one A4 sheet, the side-effects print starting with the help
card).

Screenshots for a person to look at: artifacts/screenshots/issue23-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SitePage, visit

PHONE = {"width": 375, "height": 812}
PATIENT_WORDS = [
    "CAR-T: hvad det er, og hvad det gør",
    "Dit forløb med CAR-T trin for trin",
    "Bivirkninger og hvornår du skal søge hjælp",
    "Spørgsmål til din læge",
]
A4_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def shot(page, screenshot_dir, name, **options):
    page.screenshot(path=str(screenshot_dir / f"issue23-{name}.png"), **options)


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_car_t_and_search_are_on_the_home_pages_first_phone_screen(open_page, screenshot_dir, javascript):
    page = open_page(javascript=javascript, **PHONE)
    visit(page, SitePage("hjem", "/da/", kind="home"))
    search = page.get_by_role("search", name="Søg på hjemmesiden")
    field = search.get_by_label("Søg på hjemmesiden")
    expect(field).to_be_in_viewport(ratio=1)
    links = page.locator(".patient-paths a")
    expect(links).to_have_text(PATIENT_WORDS)
    for index in range(links.count()):
        expect(links.nth(index)).to_be_in_viewport(ratio=1)
    if javascript:
        shot(page, screenshot_dir, "01-da-home-375-first-screen")
    # A plain GET form: it works without script, and search corrects the patient's spelling.
    field.fill("car t")
    search.get_by_role("button", name="Søg").click()
    expect(page).to_have_url(re.compile(r"/da/soeg/\?q=car\+t$"))
    expect(page.locator(".search-results a").first).to_contain_text("CAR-T")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_menu_names_the_patient_pages_first(open_page, screenshot_dir, javascript):
    page = open_page(javascript=javascript, **PHONE)
    visit(page, SitePage("celleterapi", "/da/celleterapi/"))
    page.locator(".site-menu > summary").click()
    items = page.locator(".site-nav li a")
    expect(items.first).to_be_visible()
    assert items.all_inner_texts()[:4] == PATIENT_WORDS
    if javascript:
        shot(page, screenshot_dir, "02-da-menu-open-375")
    items.first.click()
    expect(page).to_have_url(re.compile(r"/da/car-t-behandling/$"))


def test_the_help_card_is_prominent_and_listed_in_on_this_page(open_page, screenshot_dir):
    page = open_page(**PHONE)
    visit(page, SitePage("bivirkninger", "/da/bivirkninger/"))
    card = page.locator(".prose .callout-help").first
    heading = card.locator(".callout-title")
    # Marked by a heading and an icon as well as by colour.
    expect(heading).to_be_visible()
    icon = heading.evaluate("h => getComputedStyle(h, '::before').content")
    assert icon.startswith('"✚"'), icon
    border = card.evaluate("c => getComputedStyle(c).borderLeftWidth")
    assert border == "8px"
    # Its section (the nearest heading above it, or its own) is in "On this page".
    section_id = card.evaluate(
        """card => {
          let node = card.previousElementSibling;
          while (node && node.tagName !== 'H2') node = node.previousElementSibling;
          return node ? node.id : card.querySelector('.callout-title').id;
        }"""
    )
    page.locator(".toc summary").click()
    expect(page.locator(f'.toc a[href="#{section_id}"]')).to_have_count(1)
    page.locator(f'.toc a[href="#{section_id}"]').click()
    card.scroll_into_view_if_needed()
    shot(page, screenshot_dir, "03-da-help-card-375")


def test_one_status_line_under_the_title_and_no_review_dates_for_unapproved_text(open_page, screenshot_dir):
    page = open_page(**PHONE)
    visit(page, SitePage("car-t-behandling", "/da/car-t-behandling/"))
    status = page.locator(".page-header .medical-review")
    expect(status).to_have_count(1)
    expect(status).to_contain_text("Endnu ikke fagligt godkendt")
    expect(status).to_be_in_viewport(ratio=1)
    # Directly under the title; nothing says "reviewed" anywhere on the page.
    assert page.evaluate("() => document.querySelector('h1').nextElementSibling.classList.contains('medical-review')")
    expect(page.locator(".review-dates")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Senest gennemgået")
    shot(page, screenshot_dir, "04-da-car-t-status-line-375")
    # Sources stay at the end.
    expect(page.locator(".page-trust #sources-heading")).to_be_visible()


def test_a_danish_address_with_the_english_slug_stays_danish(open_page, screenshot_dir):
    page = open_page(**PHONE)
    response = page.goto("/da/car-t/")
    assert response.status == 200 and page.url.endswith("/da/car-t-behandling/")
    assert response.request.redirected_from.response().status == 301
    expect(page.locator("html")).to_have_attribute("lang", "da")
    shot(page, screenshot_dir, "05-da-car-t-address-375")


def test_glossary_notes_only_where_they_add_something(open_page, screenshot_dir, measurements):
    page = open_page(**PHONE)
    visit(page, SitePage("bivirkninger", "/da/bivirkninger/"))
    marks = page.locator(".prose a.glossary-term")
    notes = page.locator(".prose .glossary-note")
    # Each explained term once per page, every mark leads to its note, and none to a missing one.
    ids = notes.evaluate_all("notes => notes.map(n => n.id)")
    assert len(ids) == len(set(ids)) == marks.count()
    for href in marks.evaluate_all("marks => marks.map(m => m.getAttribute('href'))"):
        assert href[1:] in ids
    # CRS and ICANS are explained by the sentence that names them ("CRS står for ..."): no note repeats it.
    assert not {"glossary-note-crs", "glossary-note-icans"} & set(ids)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    # The article's words as read: the sources list at its end is looked up, not read through.
    words = page.evaluate(
        "() => { const a = document.querySelector('article').cloneNode(true);"
        " a.querySelectorAll('.page-trust').forEach(e => e.remove()); return a.innerText.split(/\\s+/).length; }"
    )
    minutes = int(re.search(r"(\d+)", page.locator(".reading-time").inner_text())[1])
    measurements.setdefault("bivirkninger@375", {})["page px"] = height
    measurements["bivirkninger@375"]["reading min"] = minutes
    # Read at 200 words a minute, the article's words (sources and links included) are not more than shown.
    assert minutes >= (words - 250) / 200, (words, minutes)
    shot(page, screenshot_dir, "06-da-side-effects-375-full", full_page=True)


def test_the_question_list_prints_on_one_a4_sheet_with_room_to_write(open_page, screenshot_dir, tmp_path):
    page = open_page(width=1280)
    visit(page, SitePage("spoergsmaal", "/da/spoergsmaal-til-din-laege/"))
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(tmp_path / "questions.pdf"), prefer_css_page_size=True)
    assert len(A4_PAGE.findall(pdf)) == 1, "the question list takes more than one A4 sheet"
    # Room to write under every question; no glossary boxes, no addresses between the questions.
    spaces = page.locator(".prose li").evaluate_all(
        "items => items.map(li => parseFloat(getComputedStyle(li, '::after').height))"
    )
    assert spaces and min(spaces) >= 25, spaces  # 7 mm at 96 px to the inch
    for selector in (".glossary-notes", ".page-trust", ".feedback"):
        for element in page.locator(selector).all():
            assert element.is_hidden(), f"{selector} is printed"
    afters = page.locator(".prose a").evaluate_all("links => links.map(a => getComputedStyle(a, '::after').content)")
    assert all(after in ("none", "normal") for after in afters), afters
    page.set_viewport_size({"width": 688, "height": 1047})  # A4 inside the sheet's margins
    shot(page, screenshot_dir, "07-da-questions-print", full_page=True)
    page.emulate_media(media="screen")


def test_the_side_effects_print_starts_with_the_help_card(open_page, screenshot_dir):
    page = open_page(width=1280)
    visit(page, SitePage("bivirkninger", "/da/bivirkninger/"))
    page.emulate_media(media="print")
    # In print order, nothing of the body comes before the first help card but its section's heading
    # and the tiers above it (an emergency warning): no paragraph, no list.
    before = page.evaluate(
        """() => {
          const top = e => e.getBoundingClientRect().top + window.scrollY;
          const blocks = [...document.querySelectorAll('.prose > *')].filter(e => e.checkVisibility())
            .sort((a, b) => top(a) - top(b));
          const card = blocks.findIndex(e => e.classList.contains('callout-help'));
          return blocks.slice(0, card).map(e => e.tagName + '.' + e.className);
        }"""
    )
    assert all(tag == "H2." or tag.startswith("ASIDE.callout") for tag in before), before
    card_top = page.locator(".prose .callout-help").first.bounding_box()["y"]
    assert card_top < page.locator("h1").bounding_box()["y"] + 700, "the help card is not near the top"
    page.set_viewport_size({"width": 673, "height": 1017})
    shot(page, screenshot_dir, "08-da-side-effects-print", full_page=True)
    page.emulate_media(media="screen")
