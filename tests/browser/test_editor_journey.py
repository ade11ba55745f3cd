"""
An editor's whole journey, end to end, in the admin as a person uses it:
log in, write a page in the markdownx editor with its live preview (which
sanitises a pasted <script>), cross-link another page, save a draft the public
cannot see, publish it, find it on the site, in the sitemap and in the
"Explore" block, edit it and see the change at once, and delete it.

One test, in numbered steps, because each step needs the one before; a failure
names its step. When the admin grows (revision history, locking, drafts of
changes to a published page, a page cache), adapt the step that changes.
"""

import re

from playwright.sync_api import expect

from tests.browser.pages import console_errors
from tests.browser.server import ADMIN, STAFF_PASSWORD, STAFF_USERNAME

TITLE = "Life after cell therapy"
SLUG = "life-after-cell-therapy"
SUMMARY = "What the first months after a cell therapy treatment are like, and who to ask."
BODY = """## The first weeks

You stay close to the hospital, and the team checks your blood often.
Some cell therapies are made with [gene therapy](page:gene-therapy).

## Who to ask

Your doctor or nurse knows your treatment best.
"""
# What an editor might paste from a web page or an e-mail.
PASTED = '\n<script>alert("pasted")</script><img src="x" onerror="alert(1)">\nPasted text ends here.\n'


def save(editor, button="Save with the status above"):
    editor.get_by_role("button", name=button, exact=True).click()
    expect(editor.locator(".messagelist .success")).to_be_visible()


def test_editor_writes_previews_drafts_publishes_and_edits_a_page(open_page, site_server):
    editor = open_page(fresh=True)
    public = open_page(fresh=True)
    dialogs = []
    editor.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # A failed preview request, or an admin widget's inline script or style, shows up here.
    errors = console_errors(editor)

    # 1. Log in to the admin.
    editor.goto(f"{ADMIN}login/")
    editor.get_by_label("Username").fill(STAFF_USERNAME)
    editor.get_by_label("Password").fill(STAFF_PASSWORD)
    editor.get_by_role("button", name="Log in").click()
    expect(
        editor.get_by_role("link", name="Log out").or_(editor.get_by_role("button", name="Log out"))
    ).to_be_visible()

    # 2. A new page: the slug fills itself in from the title.
    editor.goto(f"{ADMIN}content/page/add/")
    editor.get_by_label("Title").press_sequentially(TITLE)
    expect(editor.get_by_label("Slug")).to_have_value(SLUG)
    editor.get_by_label("Summary").fill(SUMMARY)
    # An English page, beside the English pages it links to (new pages default to Danish).
    editor.get_by_label("Language").select_option("en")

    # 3. The markdownx editor's live preview renders the body, cross-link included.
    body = editor.locator("textarea#id_body")
    preview = editor.locator(".markdownx-preview")
    body.fill(BODY)
    expect(preview.locator("h2", has_text="The first weeks")).to_be_visible()
    expect(preview.get_by_role("link", name="gene therapy")).to_have_attribute("href", "/en/gene-therapy/")

    # 4. A pasted <script> (and an inline event handler) is sanitised away in the preview.
    editor.context.grant_permissions(["clipboard-read", "clipboard-write"])
    editor.evaluate("text => navigator.clipboard.writeText(text)", PASTED)
    body.focus()
    body.press("ControlOrMeta+End")
    body.press("ControlOrMeta+V")
    expect(body).to_have_value(re.compile(r"<script>alert"))
    expect(preview).to_contain_text("Pasted text ends here.")
    assert preview.locator("script").count() == 0
    assert preview.locator("[onerror]").count() == 0
    assert "alert" not in preview.inner_html()
    assert dialogs == []
    assert errors == [], site_server.log()
    # The editor thinks better of the paste.
    body.fill(BODY)
    expect(preview).not_to_contain_text("Pasted text ends here.")

    # 5. Place it under "What is ATMP?" (an overview page, so it joins the "Explore" block), as a draft.
    editor.locator("#id_parent").locator("xpath=..").locator(".select2-selection").click()
    editor.locator(".select2-dropdown .select2-search__field").fill("What is")
    # The options name each page with its language and parent ("CAR-T (en, What is ATMP? › car-t)"): the page itself.
    editor.locator(".select2-results__option", has_text=re.compile(r"^What is ATMP\?")).click()
    editor.get_by_label("Order").fill("9")
    expect(editor.get_by_label("Status")).to_have_value("draft")
    save(editor)
    edit_url = editor.url

    # 6. A draft: the public gets "page not found", staff see it with the draft banner.
    response = public.goto(f"/en/{SLUG}/")
    assert response.status == 404
    assert f"/en/{SLUG}/</loc>" not in site_server.get("/sitemap.xml")[1]
    editor.goto(f"/en/{SLUG}/")
    expect(editor.locator(".draft-banner")).to_contain_text("Draft.")
    expect(editor.get_by_role("link", name="Edit this page")).to_be_visible()

    # 7. Publish: a page is published only with its sources (issue 13).
    editor.goto(edit_url)
    editor.get_by_label("Status").select_option("published")
    editor.locator("#id_sources-0-title").fill("CAR T-cell therapy: patient information")
    editor.locator("#id_sources-0-publisher").fill("Rigshospitalet")
    editor.locator("#id_sources-0-url").fill("https://www.rigshospitalet.dk/")
    editor.locator("#id_sources-0-accessed").fill("2026-11-01")
    save(editor)

    # 8. The public sees it; its cross-link leads to the other page.
    response = public.goto(f"/en/{SLUG}/")
    assert response.status == 200
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(public.locator(".draft-banner")).to_have_count(0)
    public.locator(".prose").get_by_role("link", name="gene therapy").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Gene therapy")

    # 9. ...in the sitemap, and in the "Explore" block of the other overview pages.
    assert "/sitemap-en.xml</loc>" in site_server.get("/sitemap.xml")[1]  # the index names each language's part
    assert f"/en/{SLUG}/</loc>" in site_server.get("/sitemap-en.xml")[1]
    explore = public.locator(".explore")
    expect(explore.get_by_role("link", name=TITLE)).to_have_attribute("href", f"/en/{SLUG}/")
    expect(explore).to_contain_text(SUMMARY)

    # 10. Edit it again: the public page and the "Explore" block change at once (no stale cache).
    editor.goto(edit_url)
    body.fill(BODY.replace("the team checks your blood often", "the team checks your blood every day"))
    editor.get_by_label("Summary").fill("Updated: " + SUMMARY)
    save(editor)
    public.goto(f"/en/{SLUG}/")
    expect(public.locator(".prose")).to_contain_text("the team checks your blood every day")
    public.goto("/en/gene-therapy/")
    expect(public.locator(".explore")).to_contain_text("Updated: " + SUMMARY)

    # 11. Delete it: gone for the public, from the sitemap and from the navigation
    #     (which also leaves the other browser tests the seed pages they expect).
    editor.goto(edit_url)
    editor.get_by_role("button", name="Delete", exact=True).click()
    editor.get_by_role("button", name=re.compile("Yes, I.m sure")).click()
    expect(editor.locator(".messagelist .success")).to_contain_text("deleted successfully")
    assert public.goto(f"/en/{SLUG}/").status == 404
    assert f"/en/{SLUG}/</loc>" not in site_server.get("/sitemap.xml")[1]
    public.goto("/en/gene-therapy/")
    expect(public.get_by_role("link", name=TITLE)).to_have_count(0)
    assert dialogs == []
    assert errors == [], site_server.log()
