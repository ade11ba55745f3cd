"""
Accessibility in a real browser: axe-core at WCAG 2.2 A and AA on every public
page at desktop and phone widths, the skip link, keyboard order with a visible
focus ring, and the heading outline.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import PUBLIC_PAGES, visit

# axe-core's tags for every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA.
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 375}

axe = Axe()

# Everything a keyboard user can reach with Tab, in document order, skipping
# what is not rendered (display: none, visibility: hidden, or no box at all).
FOCUSABLE_JS = """
() => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, '
    + 'iframe, [contenteditable=""], [contenteditable="true"], [tabindex]';
  return [...document.querySelectorAll(selector)]
    .filter(el => !el.disabled && el.tabIndex >= 0)
    .filter(el => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0)
    // A group of radio buttons is one tab stop: its checked button, or its first.
    .filter(el => {
      if (el.type !== 'radio' || !el.name) return true;
      const group = [...el.form.querySelectorAll('input[type=radio]')].filter(r => r.name === el.name);
      const checked = group.find(r => r.checked);
      return el === (checked || group[0]);
    })
    .map(el => el.outerHTML.slice(0, 120));
}
"""

# The computed look of the focused element, so it can be compared with its look unfocused.
FOCUS_LOOK_JS = """
() => {
  const el = document.activeElement;
  const look = () => {
    const s = getComputedStyle(el);
    return {outline: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
                     ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow, background: s.backgroundColor, border: s.borderColor};
  };
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus({focusVisible: true});
  return {html: el.outerHTML.slice(0, 120), focused, unfocused};
}
"""


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("site_page", PUBLIC_PAGES, ids=str)
def test_axe_finds_no_wcag_22_aa_violations(open_page, site_page, width_name, measurements):
    page = open_page(width=WIDTHS[width_name])
    visit(page, site_page)
    results = axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    measurements.setdefault(site_page.name, {})[f"axe@{WIDTHS[width_name]}"] = len(violations)
    assert violations == [], results.generate_report()


@pytest.mark.parametrize("site_page", PUBLIC_PAGES, ids=str)
def test_skip_link_moves_focus_to_the_main_content(open_page, site_page):
    page = open_page()
    visit(page, site_page)
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    # "Skip to main content" / "Gå til indholdet": the first stop, in the page's language.
    assert skip_link.get_attribute("href") == "#main-content" and skip_link.inner_text().strip()
    box = skip_link.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the skip link must come into view when focused"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # The next Tab continues inside the main content, past the site navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


@pytest.mark.parametrize("site_page", PUBLIC_PAGES, ids=str)
def test_tab_reaches_every_interactive_element_in_order_with_a_visible_focus_ring(open_page, site_page, measurements):
    page = open_page()
    visit(page, site_page)
    expected = page.evaluate(FOCUSABLE_JS)
    assert expected, "a page with nothing to focus is not a page of this site"

    reached, invisible = [], []
    for _ in expected:
        page.keyboard.press("Tab")
        look = page.evaluate(FOCUS_LOOK_JS)
        reached.append(look["html"])
        focused, unfocused = look["focused"], look["unfocused"]
        # A ring is an outline, or a box-shadow, that appears only with focus.
        ring = (focused["outline"] != "none" and focused["outline"] != unfocused["outline"]) or (
            focused["shadow"] != "none" and focused["shadow"] != unfocused["shadow"]
        )
        if not ring:
            invisible.append(look["html"])
    # One more Tab leaves the page (for the browser's own controls): nothing was left out.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement === document.body"), "more tab stops than interactive elements"
    measurements.setdefault(site_page.name, {})["tab stops"] = len(reached)
    # No positive tabindex anywhere, so "sensible order" is document order, which is reading order.
    assert reached == expected
    assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0
    assert invisible == [], f"focused without a visible ring: {invisible}"


@pytest.mark.parametrize("site_page", PUBLIC_PAGES, ids=str)
def test_headings_form_an_outline_with_one_h1(open_page, site_page):
    page = open_page()
    visit(page, site_page)
    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
        ".filter(h => h.checkVisibility()).map(h => Number(h.tagName[1]))"
    )
    assert levels.count(1) == 1, f"heading levels {levels}: exactly one h1"
    assert levels[0] == 1, f"heading levels {levels}: the h1 comes first"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert skips == [], f"heading levels {levels} skip a level going down"
    assert page.locator("main h1").count() == 1, "the h1 is in the main content"
