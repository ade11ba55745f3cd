"""
The editors' admin as a Danish editor sees it in Chromium (issue 17): the live
preview beside the text with live link checks, "Add image" by keyboard, the
styled history compare, an edit conflict between
two tabs resolved by the three-way merge, and the dashboard in Danish.

Screenshots for a person: artifacts/editor-*.png.
"""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.server import ADMIN

TITLE = "Efter behandlingen"
BODY = """## Når du kommer hjem

Du bor tæt på hospitalet de første uger.

Læs om [genterapi](page:genterapie) og
[opfølgning](page:car-t-behandling#derfor-bliver-patienten-fulgt-tæt-efter-car-t).

## Hvem kan du spørge

Din læge kender din behandling bedst.
"""


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"editor-{name}.png"), full_page=False)


def test_the_dashboard_is_danish(editor):
    editor.goto(ADMIN)
    expect(editor.locator("#site-name")).to_have_text("ATMP-redaktion")
    content = editor.locator("#content-main")
    expect(content).to_contain_text("Sider")
    expect(content).to_contain_text("Ordliste")
    expect(content).to_contain_text("Læserfeedback")
    for english in ("Django administration", "Pages", "Glossary", "Reader feedback", "Add page"):
        expect(editor.locator("body")).not_to_contain_text(english)
    shot(editor, "dashboard-da")


def test_the_preview_is_beside_the_text_and_flags_links_as_the_editor_types(editor):
    editor.goto(f"{ADMIN}content/page/add/")
    editor.locator("#id_title").fill(TITLE)
    body = editor.locator("textarea#id_body")
    preview = editor.locator(".markdownx-preview")
    body.fill(BODY)
    problems = preview.locator(".preview-problems")
    expect(problems).to_contain_text("Mente du page:genterapi?")
    # The anchor written with æ/ø finds the heading: no problem reported for it.
    expect(problems).not_to_contain_text("car-t-behandling har intet afsnit")
    expect(preview.locator(".preview-placement")).to_contain_text("vælg en overordnet side")
    text_box, preview_box = body.bounding_box(), preview.bounding_box()
    assert preview_box["x"] >= text_box["x"] + text_box["width"], (text_box, preview_box)
    assert preview_box["y"] < text_box["y"] + text_box["height"]  # side by side, not below
    expect(preview.get_by_role("link", name="opfølgning")).to_have_attribute(
        "href", "/da/car-t-behandling/#derfor-bliver-patienten-fulgt-taet-efter-car-t"
    )
    editor.locator(".field-body").scroll_into_view_if_needed()
    shot(editor, "preview-side-by-side")
    # In the page's language: switching the page to English previews English addresses.
    body.fill("See [gene therapy](page:gene-therapy).")
    editor.locator("#id_language").select_option("en")
    expect(preview.get_by_role("link", name="gene therapy")).to_have_attribute("href", "/en/gene-therapy/")


def test_add_image_works_from_the_keyboard_and_puts_the_image_on_its_own_line(editor, tmp_path):
    editor.goto(f"{ADMIN}content/page/add/")
    body = editor.locator("textarea#id_body")
    body.fill("Første sætning.")
    body.focus()
    body.press("End")
    button = editor.get_by_label("Tilføj billede")
    expect(button).to_be_visible()
    # Tab from the text reaches the image control.
    body.press("Tab")
    expect(button).to_be_focused()
    image = tmp_path / "celler.png"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "PNG")
    image.write_bytes(buffer.getvalue())
    button.set_input_files(str(image))
    expect(body).to_have_value(re.compile(r"^Første sætning\.\n\n!\[[^\]]*\]\([^)]+\)\n", re.S))
    expect(editor.locator(".image-upload-status")).to_contain_text("Billedet er tilføjet")


def open_change_form_of_new_draft(editor, title):
    """A draft page of this test's own (drafts are invisible to the public and the other browser tests)."""
    editor.goto(f"{ADMIN}content/page/add/")
    editor.locator("#id_title").fill(title)
    editor.locator("#id_summary").fill("En side til test.")
    editor.locator("textarea#id_body").fill("Første afsnit.\n\nAndet afsnit.\n\nTredje afsnit.")
    editor.locator("#id_top_level").check()
    editor.locator("input[name=_continue]").click()
    expect(editor.locator(".messagelist .success")).to_be_visible()
    return editor.url


def test_history_compare_is_styled_and_restore_asks_first(editor):
    url = open_change_form_of_new_draft(editor, "Historik-test")
    editor.locator("textarea#id_body").fill("Første afsnit.\n\nAndet afsnit, rettet.\n\nTredje afsnit.")
    editor.locator("input[name=_continue]").click()
    expect(editor.locator(".messagelist .success")).to_be_visible()
    editor.goto(url.replace("/change/", "/history/"))
    editor.locator("input[type=submit]").last.click()
    added = editor.locator(".diff-added").first
    expect(added).to_contain_text("+")
    assert added.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    expect(editor.locator("ol.breadcrumbs li").first).to_be_visible()
    shot(editor, "history-compare")
    editor.locator("a.button", has_text="Gendan denne version").first.click()
    expect(editor.locator("h1")).to_contain_text("Gendan denne version?")
    editor.get_by_role("link", name="Nej, gå tilbage").click()
    expect(editor).to_have_url(re.compile(r"/history/$"))
    editor.goto(url.replace("/change/", "/delete/"))
    editor.locator("input[type=submit]").click()


def test_an_edit_conflict_between_two_tabs_is_resolved_by_merging(editor):
    url = open_change_form_of_new_draft(editor, "Konflikt-test")
    other_tab = editor.context.new_page()
    other_tab.goto(url)
    other_tab.locator("textarea#id_body").fill("Første afsnit, fra den anden fane.\n\nAndet afsnit.\n\nTredje afsnit.")
    other_tab.locator("input[name=_continue]").click()
    expect(other_tab.locator(".messagelist .success")).to_be_visible()
    other_tab.close()

    editor.locator("textarea#id_body").fill("Første afsnit.\n\nAndet afsnit.\n\nTredje afsnit, fra denne fane.")
    editor.locator("input[name=_continue]").click()
    conflict = editor.locator(".edit-conflict")
    expect(conflict).to_contain_text("Du har gemt siden i en anden fane")
    shot(editor, "conflict")
    conflict.get_by_role("button", name="Læg mine ændringer oven på den nyeste version").click()
    expect(editor.locator(".merge-done")).to_be_visible()
    expect(editor.locator("textarea#id_body")).to_have_value(
        "Første afsnit, fra den anden fane.\n\nAndet afsnit.\n\nTredje afsnit, fra denne fane."
    )
    editor.locator(".field-body").scroll_into_view_if_needed()
    shot(editor, "conflict-merged")
    editor.locator("input[name=_continue]").click()
    expect(editor.locator(".messagelist .success")).to_be_visible()
    # Clean up: the page goes, so the other browser tests see only the seed pages.
    editor.goto(url.replace("/change/", "/delete/"))
    editor.locator("input[type=submit]").click()
