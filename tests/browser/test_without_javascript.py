"""
With JavaScript switched off every page reads completely, and search (where
the tree has it) still finds pages: the site is server-rendered HTML, and any
script must only add to a page that already works.
"""

import pytest

from tests.browser.pages import PUBLIC_PAGES, visit

MAIN_TEXT_JS = "document.getElementById('main-content').innerText"


@pytest.mark.parametrize("site_page", PUBLIC_PAGES, ids=str)
def test_page_reads_completely_without_javascript(open_page, site_page):
    with_script = open_page()
    visit(with_script, site_page)
    without_script = open_page(javascript=False)
    visit(without_script, site_page)

    text = without_script.locator("#main-content").inner_text()
    assert text == with_script.evaluate(MAIN_TEXT_JS)
    assert without_script.locator("h1").is_visible()
    # Every section the page lists under "On this page" is there and visible.
    for link in without_script.locator(".toc a").all():
        target = link.get_attribute("href")
        assert without_script.locator(target).is_visible(), f"section {target} is not shown without JavaScript"
    assert "enable javascript" not in text.lower()


def test_search_works_without_javascript(open_page):
    page = open_page(javascript=False)
    page.goto("/en/")
    search_box = page.locator("input[type=search], [role=search] input[name]").first
    if search_box.count() == 0:
        pytest.skip("no search form on the home page in this tree yet")
    search_box.fill("cell")
    search_box.press("Enter")
    page.wait_for_load_state()
    assert page.locator("main a[href='/en/cell-therapy/']").count() >= 1, "searching for 'cell' finds Cell therapy"
