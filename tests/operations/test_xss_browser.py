"""
XSS, level (b), and the Content Security Policy in a real browser.

A real server (pytest-django's live_server, on a free 127.0.0.1 port) serves a
real page of the site that holds every payload of the corpus in every field an
editor writes: the body holds them all, and one child page per payload puts it
in a title and a summary, listed on the holding page, with a source each.
Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser
download) loads it, sends every element the events inline handlers wait for,
and clicks every link (without following ordinary addresses). It counts the
dialogs that open (alert, confirm, prompt), the marker payloads would set, and
every Content Security Policy violation (an attempt to run inline script or
style that the sanitiser let through). All must be 0.

The same browser opens the admin's page editor and uses the markdownx preview:
the admin must work under the strict CSP, with no violation.

Self-contained on purpose (the general browser fixtures live elsewhere).
`scripts/ensure-debian-packages` installs Chromium and is run by `make test`.
"""

import shutil

import pytest
from django.test import Client

from content import publishing
from content.models import Page, Source
from tests.operations.test_xss_corpus import PAGE_FIELDS, SOURCE_FIELDS
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.xss import CORPUS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(str(CHROMIUM)), reason=f"{CHROMIUM} is missing: run make chromium"),
]

# Runs before any page script: count CSP violations and keep the marker a payload could set.
WATCHERS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});
"""

# Fire what inline handlers listen for, on every element, and click every link.
PROVOKE = """
() => {
  const events = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "focus", "blur",
                  "toggle", "load", "error", "input", "change", "animationstart"];
  for (const element of document.querySelectorAll("body *")) {
    for (const name of events) element.dispatchEvent(new Event(name, {bubbles: true}));
  }
  // Click every link, but stay on the page: ordinary addresses are not followed;
  // a javascript: (or other script) address is left to the browser, which runs it.
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a");
    if (link && /^(https?|mailto|ftp|file):$/.test(link.protocol)) e.preventDefault();
  }, true);
  let clicked = 0;
  for (const link of document.querySelectorAll("a[href]")) {
    link.click();
    clicked += 1;
  }
  return clicked;
}
"""


@pytest.fixture
def chromium_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.add_init_script(WATCHERS)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        yield page
        browser.close()


@pytest.fixture
def page_holding_every_payload(transactional_db):
    with publishing.batch():  # published together, as an import of many pages is
        return _page_holding_every_payload()


def _page_holding_every_payload():
    holder = Page.objects.create(
        title="Every payload",
        slug="every-payload",
        summary=CORPUS[0][:300],
        body="\n\n".join(CORPUS),
        status=Page.Status.PUBLISHED,
    )
    for number, payload in enumerate(CORPUS):
        child = Page(slug=f"payload-{number}", parent=holder, status=Page.Status.PUBLISHED, order=number)
        for field, write in PAGE_FIELDS.items():
            setattr(child, field, write(payload))
        child.save()
        Source.objects.create(page=holder, accessed="2026-01-01", **{f: w(payload) for f, w in SOURCE_FIELDS.items()})
    return holder


def test_no_payload_runs_in_a_real_browser(live_server, page_holding_every_payload, chromium_page):
    response = chromium_page.goto(live_server.url + page_holding_every_payload.get_absolute_url())
    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    # The payloads are on the page, as text.
    # (Its sub-pages are listed once each: the first as "Next" in the pager, the rest under "Read next".)
    children = chromium_page.locator('.read-next a[href^="/da/payload-"], .pager a[href^="/da/payload-"]')
    assert children.count() == len(CORPUS)
    clicked = chromium_page.evaluate(PROVOKE)
    chromium_page.wait_for_timeout(500)  # let anything a payload scheduled happen
    violations = chromium_page.evaluate("window.__cspViolations")
    marker = chromium_page.evaluate("typeof window.xss === 'undefined' && document.title.includes('Every payload')")
    print(
        f"\nXSS level (b): {len(CORPUS)} payloads in Chromium; {clicked} links clicked; "
        f"dialogs {len(chromium_page.dialogs)}, CSP violations {len(violations)}, marker set {not marker}"
    )
    assert chromium_page.dialogs == []
    assert violations == []
    assert marker


@pytest.fixture
def editor_session(transactional_db, django_user_model):
    """A signed-in editor's session cookie and a page to edit, made before the browser starts (the ORM is sync-only).

    The upload check in a real browser (tests/content/test_upload_browser.py) uses it too."""
    editor = django_user_model.objects.create_user(
        "editor", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(editor)
    # A slug no seed page has: the tables may hold the seed pages or, after another transactional test, nothing.
    page = Page.objects.create(title="Editor check", slug="editor-check", summary="S.", body="B.", status="published")
    return client.cookies["sessionid"].value, page.pk


def test_the_admin_editor_and_its_preview_work_under_the_csp(live_server, editor_session, chromium_page):
    session_key, page_pk = editor_session
    chromium_page.context.add_cookies([{"name": "sessionid", "value": session_key, "url": live_server.url}])
    console_errors = []
    chromium_page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))

    chromium_page.goto(f"{live_server.url}/admin/content/page/{page_pk}/change/")
    editor_box = chromium_page.locator("textarea.markdownx-editor")
    editor_box.fill("## Preview works\n\n**bold** <script>alert(1)</script>")
    preview = chromium_page.locator(".markdownx-preview strong")
    preview.wait_for(timeout=10_000)

    assert preview.inner_text() == "bold"
    # The admin's own scripts ran (the sidebar toggle is added by nav_sidebar.js).
    assert chromium_page.locator("#toggle-nav-sidebar").count() == 1
    assert chromium_page.evaluate("window.__cspViolations") == []
    assert chromium_page.dialogs == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []


@pytest.fixture
def page_with_unsanitised_html(transactional_db):
    page = Page.objects.create(title="Raw", slug="raw", summary="S.", body="B.", status=Page.Status.PUBLISHED)
    # Bypass save() and its sanitiser, as a bug would.
    Page.objects.filter(pk=page.pk).update(
        body_html='<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>'
    )
    publishing.record(pages=[page.pk])  # update() tells nobody: the stored page must be rendered again
    return page


def test_the_browser_check_sees_a_payload_that_gets_through(live_server, page_with_unsanitised_html, chromium_page):
    chromium_page.goto(live_server.url + page_with_unsanitised_html.get_absolute_url())
    chromium_page.evaluate(PROVOKE)
    chromium_page.wait_for_timeout(500)
    # The CSP blocks both, and says so: the check is not blind.
    assert len(chromium_page.evaluate("window.__cspViolations")) >= 2
    assert chromium_page.dialogs == []
