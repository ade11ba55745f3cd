"""
Fixtures for the browser tests: the site as production runs it, and Chromium.

- `site_server`: gunicorn with the production settings on a free port of
  127.0.0.1, its own temporary SQLite database, migrated, with one staff user
  (tests/browser/server.py).
- `chromium`: Debian's /usr/bin/chromium driven by Playwright's sync API.
  Playwright never downloads a browser here (`scripts/ensure-debian-packages`
  installs the Debian package). Without Chromium every browser test is
  skipped with a loud reason; a Chromium that is there but fails, fails.

Both are package-scoped: Playwright's sync API keeps an event loop running in
the main thread while it is open, and Django refuses ORM calls inside a
running loop, so the browser must be closed before the rest of the suite runs.
Under pytest-xdist the whole package is one unit of work (tests/conftest.py,
SHARED_FIXTURE_SCOPES): one worker runs it from start to end, nothing in between.
For the same reason these tests talk to the server only over HTTP, never
through the ORM.
"""

import shutil
from pathlib import Path

import pytest

from tests.browser.server import ADMIN, ROOT, STAFF_PASSWORD, STAFF_USERNAME, running_site
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = ROOT / "artifacts"
NO_CHROMIUM = (
    f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}. Install Debian's `chromium` package "
    "(scripts/ensure-debian-packages does, and `make test` runs it) to run the accessibility, phone, "
    "print, no-JavaScript and editor-journey checks."
)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists():
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED: NO CHROMIUM", red=True, bold=True)
        terminalreporter.write_line(NO_CHROMIUM, red=True, bold=True)
        terminalreporter.write_sep("!", red=True, bold=True)


@pytest.fixture(scope="package")
def site_server(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("site")) as site:
        yield site


@pytest.fixture(scope="package")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def browser_contexts(chromium, site_server):
    """One browser context per set of options, shared by the tests (a new context costs more than a page)."""
    contexts = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def editor(chromium, site_server):
    """The staff user, logged in to the admin in a Danish browser at 1,280 px (the admin answers in Danish)."""
    from playwright.sync_api import expect

    context = chromium.new_context(base_url=site_server.url, viewport={"width": 1280, "height": 800}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{ADMIN}login/")
    page.locator("#id_username").fill(STAFF_USERNAME)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    yield page
    context.close()


@pytest.fixture
def open_page(chromium, site_server, browser_contexts):
    """
    open_page(width=1280, javascript=True, **context_options) -> a new Playwright page on the site.

    Pages with the same options share a context (cookies, history); `fresh=True`
    gives the page a context of its own, for a visitor whose cookies matter
    (a logged-in editor, or the anonymous public beside them).
    """
    pages, own_contexts = [], []

    def open_(width=1280, height=800, javascript=True, fresh=False, **options):
        key = (width, height, javascript, tuple(sorted(options.items())))
        if fresh or key not in browser_contexts:
            context = chromium.new_context(
                base_url=site_server.url,
                viewport={"width": width, "height": height},
                java_script_enabled=javascript,
                **options,
            )
            if fresh:
                own_contexts.append(context)
            else:
                browser_contexts[key] = context
        else:
            context = browser_contexts[key]
        page = context.new_page()
        page.set_default_timeout(15_000)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()
    for context in own_contexts:
        context.close()


@pytest.fixture(scope="package")
def measurements():
    """What the checks measured, per page: written to artifacts/browser-report.txt for the closing note."""
    rows = {}
    yield rows
    if not rows:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    columns = sorted({column for row in rows.values() for column in row})
    width = max(len(name) for name in rows) + 2
    lines = ["page".ljust(width) + "  ".join(columns)]
    for name, row in rows.items():
        cells = [str(row.get(column, "-")).rjust(len(column)) for column in columns]
        lines.append(name.ljust(width) + "  ".join(cells))
    (ARTIFACTS / "browser-report.txt").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="package")
def screenshot_dir():
    folder = ARTIFACTS / "screenshots"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder
