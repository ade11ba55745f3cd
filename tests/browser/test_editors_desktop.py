"""
Issue 23, editors' items 7, 8, 9, 12 and 13, in Chromium at 1,280 px as a
Danish editor sees them: the to-do list of pages never approved, errors named
at the top and never off-screen, tables within the window, the callout help
beside the text box and the warning for an unknown type, pickers that show
language and parent.

Screenshots for a person to look at: artifacts/screenshots/issue23-editor-*.png.
"""

import re

from playwright.sync_api import expect

from tests.browser.server import ADMIN

WIDTH = 1280


def shot(page, screenshot_dir, name, **options):
    page.screenshot(path=str(screenshot_dir / f"issue23-editor-{name}.png"), **options)


def sideways_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_dashboard_lists_the_pages_never_approved(editor, screenshot_dir):
    editor.goto(ADMIN)
    panel = editor.locator(".due-panel")
    expect(panel).to_contain_text(re.compile(r"Aldrig fagligt godkendt: \d+ offentlige sider"))
    expect(panel.locator(".never-approved li").first).to_be_visible()
    expect(panel.locator(".never-approved li")).to_have_count(10)
    expect(panel).to_contain_text(re.compile(r"Viser de første 10 af \d+\."))
    shot(editor, screenshot_dir, "01-dashboard-never-approved")
    panel.get_by_role("link", name="Vis dem i listen over sider").click()
    expect(editor).to_have_url(re.compile(r"\?review=never$"))
    expect(editor.locator("#changelist-filter")).to_contain_text("Aldrig fagligt godkendt")
    assert editor.locator("#result_list tbody tr").count() > 20


def test_the_page_list_fits_links_each_page_on_the_site_and_titles_wrap_between_words(editor, screenshot_dir):
    for path in ("content/page/", "content/page/?review=never"):
        editor.goto(f"{ADMIN}{path}")
        overflow = sideways_overflow(editor)
        assert overflow <= 0, f"the page list {path} scrolls sideways by {overflow} px"
        table_overflow = editor.evaluate("(e => e.scrollWidth - e.clientWidth)(document.querySelector('.results'))")
        assert table_overflow <= 0, f"the table of pages {path} scrolls sideways by {table_overflow} px"
        if path == "content/page/":
            expect(
                editor.get_by_role("link", name=re.compile(r"^Dansk\W*vis “Celleterapi” på hjemmesiden$"))
            ).to_have_attribute("href", "/da/celleterapi/")
    # No word of a title is broken across lines: each title link is as wide as its longest word.
    broken = editor.locator("#result_list th.field-title a").evaluate_all(
        """links => links.filter(a => {
             const range = document.createRange();
             return a.textContent.split(/\\s+/).some(word => {
               const probe = document.createElement('span');
               probe.textContent = word; probe.style.whiteSpace = 'nowrap';
               a.parentElement.appendChild(probe);
               const wide = probe.getBoundingClientRect().width > a.parentElement.clientWidth;
               probe.remove();
               return wide;
             });
           }).map(a => a.textContent)"""
    )
    assert broken == [], f"titles broken inside a word: {broken}"
    shot(editor, screenshot_dir, "02-page-list-1280")


def test_review_requests_and_audit_log_fit_1280(editor, screenshot_dir):
    for name, path in (("03-review-requests", "workflow/reviewrequest/"), ("04-audit-log", "workflow/auditentry/")):
        editor.goto(f"{ADMIN}{path}")
        assert sideways_overflow(editor) <= 0, path
        shot(editor, screenshot_dir, name)


def test_an_error_is_named_at_the_top_and_in_view(editor, screenshot_dir):
    editor.goto(f"{ADMIN}content/page/add/")
    editor.locator("#id_title").fill("Fejl-test")
    editor.locator("#id_summary").fill("En side til test.")
    editor.locator("textarea#id_body").fill("Tekst.")
    editor.locator("#id_top_level").check()
    editor.locator("#id_sources-0-title").fill("En kilde")
    editor.locator("#id_sources-0-publisher").fill("EMA")
    editor.locator("#id_sources-0-url").fill("https://www.ema.europa.eu/")
    editor.locator("input[name=_continue], input[name=_save_draft]").first.click()
    summary = editor.locator(".error-summary")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Der er et problem")
    link = summary.get_by_role("link", name=re.compile(r"Kilde 1, set den", re.I))
    expect(link).to_be_visible()
    shot(editor, screenshot_dir, "05-error-summary")
    assert sideways_overflow(editor) <= 0
    link.click()
    field = editor.locator("#id_sources-0-accessed")
    expect(field).to_be_in_viewport()
    box = field.bounding_box()
    assert box["x"] + box["width"] <= WIDTH, box
    error = editor.locator(".inline-group .errorlist").first
    error_box = error.bounding_box()
    assert error_box["x"] + min(error_box["width"], 200) <= WIDTH, error_box
    shot(editor, screenshot_dir, "06-error-field-in-view")


def test_the_callout_help_is_beside_the_text_and_an_unknown_type_is_warned(editor, screenshot_dir):
    editor.goto(f"{ADMIN}content/page/add/")
    help_text = editor.locator(".callout-help-text")
    help_text.locator("summary").click()
    expect(help_text).to_contain_text("!!! hjælp")
    editor.locator("textarea#id_body").fill('## Husk\n\n!!! note "Husk"\n    Tag en pårørende med.\n')
    warning = editor.locator(".markdownx-preview .preview-callouts")
    expect(warning).to_contain_text("Ukendt type boks: note")
    editor.locator(".field-body").scroll_into_view_if_needed()
    text_box, help_box = editor.locator("textarea#id_body").bounding_box(), help_text.bounding_box()
    assert help_box["y"] >= text_box["y"] + text_box["height"] - 1 and abs(help_box["x"] - text_box["x"]) < 5
    shot(editor, screenshot_dir, "07-callout-help-and-warning")


def test_the_related_pages_picker_searches_and_shows_language_and_parent(editor, screenshot_dir):
    editor.goto(f"{ADMIN}content/page/add/")
    # The form lists no page until the editor searches (a site of 10,000 pages loads as fast as one of 30).
    assert editor.locator("select#id_related option").count() == 0
    editor.locator(".field-related .select2-selection").click()
    editor.locator(".field-related .select2-search__field").fill("CAR-T")
    results = editor.locator(".select2-results__option", has_text=re.compile(r"^CAR-T \("))
    expect(results).to_have_count(2)
    car_t = sorted(results.all_inner_texts())
    assert car_t == ["CAR-T (da, Genterapi › car-t-behandling)", "CAR-T (en, Gene therapy › car-t)"], car_t
    shot(editor, screenshot_dir, "08-related-picker")
    results.filter(has_text="(en,").click()
    expect(editor.locator("select#id_related option:checked")).to_have_text(["CAR-T (en, Gene therapy › car-t)"])
