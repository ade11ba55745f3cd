"""
Fixtures for the browser tests: the site as production runs it, and Chromium.

- `site_server`: gunicorn with the production settings (debug off, hashed and
  compressed static files through whitenoise, the strict CSP) on a free port
  of 127.0.0.1, against its own temporary SQLite database, migrated (the seed
  pages load by migration), with one staff user.
- `chromium`: Debian's /usr/bin/chromium driven by Playwright's sync API.
  Playwright never downloads a browser here (`scripts/ensure-chromium`
  installs the Debian package). Without Chromium every browser test is
  skipped with a loud reason; a Chromium that is there but fails, fails.

Both are package-scoped: Playwright's sync API keeps an event loop running in
the main thread while it is open, and Django refuses ORM calls inside a
running loop, so the browser must be closed before the rest of the suite runs.
For the same reason these tests talk to the server only over HTTP, never
through the ORM.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path(os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = (
    f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}. Install Debian's `chromium` package "
    "(scripts/ensure-chromium does, and `make test` runs it) to run the accessibility, phone, "
    "print, no-JavaScript and editor-journey checks."
)
STAFF_USERNAME = "browser-editor"
STAFF_PASSWORD = "browser-test-" + secrets.token_urlsafe(12)
# The admin's address; a deployment may move it (DJANGO_ADMIN_PATH).
ADMIN_PATH = "/" + os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium against a gunicorn server (tests/browser/)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def pytest_report_header(config):
    if CHROMIUM.exists():
        return f"browser tests: Chromium at {CHROMIUM}"
    return f"!!! {NO_CHROMIUM}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class SiteServer:
    def __init__(self, url, log_path):
        self.url = url
        self.log_path = log_path

    def get(self, path):
        """(status, text) of a plain anonymous HTTP GET, as a crawler would see it."""
        return http_get(self.url + path)

    def log(self):
        return self.log_path.read_text(errors="replace")[-5000:]


@pytest.fixture(scope="package")
def site_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("site")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.browser.server_settings",
        BROWSER_TESTS_STATIC_ROOT=str(work / "staticfiles"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        # Plain HTTP on loopback: there is no TLS proxy in front of this server.
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_LOG_LEVEL="warning",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_SUPERUSER_USERNAME=STAFF_USERNAME,
        DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
        DJANGO_SUPERUSER_EMAIL="editor@example.org",
        PYTHONPATH=str(ROOT),
    )
    if "DJANGO_ADMIN_PATH" in os.environ:
        env["DJANGO_ADMIN_PATH"] = os.environ["DJANGO_ADMIN_PATH"]
    manage = [sys.executable, "manage.py"]
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["createsuperuser", "--noinput"]):
        done = subprocess.run(manage + step, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"manage.py {' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"

    log_path = work / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "atmp_site.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    site = SiteServer(f"http://127.0.0.1:{port}", log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{site.log()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer /healthz in 60 s:\n{site.log()}"
            try:
                if site.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield site
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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


@pytest.fixture
def open_page(chromium, site_server, browser_contexts):
    """open_page(width=1280, javascript=True, **context_options) -> a new Playwright page on the site."""
    pages = []

    def open_(width=1280, height=800, javascript=True, **options):
        key = (width, height, javascript, tuple(sorted(options.items())))
        if key not in browser_contexts:
            browser_contexts[key] = chromium.new_context(
                base_url=site_server.url,
                viewport={"width": width, "height": height},
                java_script_enabled=javascript,
                **options,
            )
        page = browser_contexts[key].new_page()
        page.set_default_timeout(15_000)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


@pytest.fixture(scope="package")
def staff_storage_state(chromium, site_server, tmp_path_factory):
    """A logged-in staff session (cookies), made once through the admin's login form."""
    context = chromium.new_context(base_url=site_server.url)
    page = context.new_page()
    page.goto(f"{ADMIN_PATH}login/")
    page.get_by_label("Username").fill(STAFF_USERNAME)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{ADMIN_PATH}")
    path = tmp_path_factory.mktemp("staff") / "state.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


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
