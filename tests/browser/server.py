"""
The site as production runs it, on a free loopback port, for the browser tests
and `make lighthouse`: gunicorn with gunicorn.conf.py and the production
settings (debug off, hashed and compressed static files through whitenoise,
the strict CSP), against its own SQLite database in a temporary folder,
migrated and seeded (seed_site), with one staff user.
"""

import contextlib
import os
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.support import servers
from tests.support.servers import HOST, ROOT

# The admin's address; a deployment may move it (DJANGO_ADMIN_PATH).
ADMIN = "/" + os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
STAFF_USERNAME = "browser-editor"
STAFF_PASSWORD = "browser-test-" + secrets.token_urlsafe(12)


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


def site_environment(work):
    """The environment of manage.py and gunicorn for the site whose database and static files are in `work`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.browser.server_settings",
        BROWSER_TESTS_STATIC_ROOT=str(work / "staticfiles"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


@contextlib.contextmanager
def running_site(work):
    """Prepare a database and static files in the folder `work`, serve them, and stop on exit."""
    work = Path(work)
    port = servers.free_port()
    env = site_environment(work)
    env.update(
        # Plain HTTP on loopback: there is no TLS proxy in front of this server.
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"{HOST}:{port}",
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
    # Static files first, as the container image has them before it starts: pages are rendered when seeded.
    servers.manage(
        env, ["collectstatic", "--noinput"], ["migrate", "--noinput"], ["seed_site"], ["createsuperuser", "--noinput"]
    )
    log_path = work / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "atmp_site.wsgi"]
    with servers.running(command, log_path, cwd=ROOT, env=env) as process:
        servers.wait_until_serving(port, "/healthz", process, log_path)
        yield SiteServer(f"http://{HOST}:{port}", log_path)
