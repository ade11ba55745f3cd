"""
Never stale with several workers and several containers, over real HTTP.

Two gunicorn masters ("containers") with two sync workers each share one
database, with production settings. Every worker first serves the page (and
so caches it); then a separate process saves an edit, as an editor's admin
request on yet another worker would; then every worker must serve the edit
on its very next request. The access log's pid field tells which worker
answered.

Every cache hit, and every reader's copy the view serves, checks the keys its
page depends on in the shared "generations" store (here the database cache),
so no worker can serve the page once the edit has committed: no lease, no
waiting.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
HEADERS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front says

pytestmark = [pytest.mark.slow, pytest.mark.own_database]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers={**HEADERS, **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Production settings on a file database, static files collected, no server yet."""
    tmp = tmp_path_factory.mktemp("multiworker")
    # Production settings, with the collected static files in the temporary folder.
    (tmp / "multiworker_settings.py").write_text(
        f"from atmp_site.settings import *  # noqa: F403\nSTATIC_ROOT = {str(tmp / 'static')!r}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PAGE_CACHE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="multiworker_settings",
        PYTHONPATH=f"{tmp}{os.pathsep}{ROOT}",
        DJANGO_SECRET_KEY="multiworker-test-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
    )
    for command in (["migrate", "--noinput"], ["seed_site"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return tmp, env


@pytest.fixture(scope="module")
def containers(site):
    tmp, env = site
    servers = []
    try:
        for n in range(2):
            port, log = free_port(), tmp / f"access-{n}.log"
            command = [
                sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
                "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s",
                "atmp_site.wsgi",
            ]  # fmt: skip
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            servers.append((f"http://127.0.0.1:{port}", log, process))
        for base, _, process in servers:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, process.stderr.read().decode()
                try:
                    if get(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield servers
    finally:
        for _, _, process in servers:
            process.terminate()
        for _, _, process in servers:
            process.wait(timeout=30)


def served_by(log, after_line):
    """The pids of the workers that answered page requests, after a given log line."""
    lines = log.read_text().splitlines()[after_line:]
    return [line.split()[0] for line in lines if line.endswith("/en/cell-therapy/")]


def visit_every_worker(base, log, expect):
    """
    Request the page until each worker has answered; every answer must show
    `expect`: from the page cache, and with a cookie, which the page cache
    leaves to the view and its reader's copy (content.readers_copy).
    """
    start = len(log.read_text().splitlines())
    for n in range(300):
        status, body, _ = get(f"{base}/cell-therapy/", **({"Cookie": "theme=dark"} if n % 2 else {}))
        assert status == 200 and expect in body, f"a worker served a stale page: {expect!r} missing"
        pids = served_by(log, start)
        if len(set(pids)) == WORKERS:
            return pids
    pytest.fail(f"not every worker answered: {pids}")


EDIT = """
import django, sys
django.setup()
from content.models import Page
page = Page.objects.get(slug="cell-therapy")
print("ready", flush=True)
sys.stdin.readline()
page.title = "Cell therapy, edited"
page.save()
"""


def test_an_edit_is_seen_by_every_worker_of_every_container_at_once(site, containers):
    _, env = site
    for base, log, _ in containers:
        # Twice round, so every worker has served the page from its cache.
        visit_every_worker(base, log, "<h1>Cell therapy</h1>")
        visit_every_worker(base, log, "<h1>Cell therapy</h1>")

    # The editor's process starts (slow), then every worker serves the page
    # once more, from its cache, just before the edit commits.
    editor = subprocess.Popen(
        [sys.executable, "-c", EDIT], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert editor.stdout.readline().strip() == "ready"
    for base, log, _ in containers:
        visit_every_worker(base, log, "<h1>Cell therapy</h1>")
    editor.communicate("save\n", timeout=60)
    assert editor.returncode == 0

    for base, log, _ in containers:
        visit_every_worker(base, log, "<h1>Cell therapy, edited</h1>")


def test_conditional_requests_and_static_caching_over_http(containers):
    base = containers[0][0]
    status, body, headers = get(f"{base}/what-is-atmp/")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "max-age=63072000" in headers["Strict-Transport-Security"]
    status, body, not_modified = get(f"{base}/what-is-atmp/", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == ""
    assert not_modified["ETag"] == headers["ETag"] and "Content-Security-Policy" in not_modified

    stylesheet = next(part.split('"')[0] for part in get(f"{base}/car-t/")[1].split('href="') if ".css" in part[:80])
    assert stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css", "not hashed"
    status, _, headers = get(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"
