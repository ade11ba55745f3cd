"""
A database outage, for real: readers get a friendly 503, and the site recovers on its own.

Each test runs the production settings in a separate Python process whose
database cannot be reached (nothing shared is stopped: SQLite in a folder that
does not exist yet, or PostgreSQL on a port where nothing listens). The
recovery test then makes the database appear, in the same process, and asks
again: no restart. (`scripts/stress` does the same with a real PostgreSQL
server stopped and started under load, and times the recovery.)
"""

import json
import os
import subprocess
import sys

import pytest

from tests.operations.test_operations import ROOT
from tests.support import servers

pytestmark = pytest.mark.slow  # each test runs the site in a subprocess

# Every kind of public request that needs the database.
DATABASE_BACKED_PATHS = [
    "/en/",
    "/en/cell-therapy/",
    "/en/a-page-that-does-not-exist/",
    "/sitemap.xml",
    "/en/glossary/",
    "/en/search/?q=cell",
]

ASK_EVERY_PATH = f"""
import json
from django.test import Client

def ask():
    client = Client(raise_request_exception=False)
    answers = {{}}
    for path in {DATABASE_BACKED_PATHS!r} + ["/healthz", "/robots.txt"]:
        r = client.get(path)
        answers[path] = [r.status_code, r.get("Retry-After"), r.content.decode(errors="replace")]
    return answers
"""


def run_site(code, database_url):
    """Run `code` in a fresh process with debug off (the test settings: no collectstatic needed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="atmp_site.test_settings",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_LOG_LEVEL="CRITICAL",
        DATABASE_URL=database_url,
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def answers_from(result):
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def assert_friendly_outage(answers):
    for path in DATABASE_BACKED_PATHS:
        status, retry_after, body = answers[path]
        assert status == 503, (path, body[:500])
        assert retry_after == "30"
        assert "Back in a moment" in body
        assert "Traceback" not in body and "OperationalError" not in body
    assert answers["/healthz"][0] == 503
    # What needs no database keeps working.
    assert answers["/robots.txt"][0] == 200


@pytest.fixture(scope="module")
def migrated_sqlite_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "migrated.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"}
    servers.manage(env, ["migrate", "--noinput", "-v0"], ["seed_site", "-v0"])
    return path


@pytest.mark.own_database
def test_an_unreachable_postgresql_gives_readers_a_friendly_503():
    # Nothing listens on port 1: the connection is refused, as when the server is down.
    result = run_site(ASK_EVERY_PATH + "print(json.dumps(ask()))", "postgres://nobody@127.0.0.1:1/nothing")
    assert_friendly_outage(answers_from(result)[0])


@pytest.mark.own_database
def test_the_site_recovers_without_a_restart_when_the_database_returns(tmp_path, migrated_sqlite_file):
    live = tmp_path / "not-yet" / "db.sqlite3"
    code = ASK_EVERY_PATH + (
        "import os, sqlite3\n"
        "print(json.dumps(ask()))\n"
        "# The database comes back (copied as SQLite copies a database in write-ahead-log mode).\n"
        f"os.makedirs({str(live.parent)!r})\n"
        f"sqlite3.connect({str(migrated_sqlite_file)!r}).backup(sqlite3.connect({str(live)!r}))\n"
        "print(json.dumps(ask()))\n"
    )
    during, after = answers_from(run_site(code, f"sqlite:///{live}"))
    assert_friendly_outage(during)
    statuses = {path: answer[0] for path, answer in after.items()}
    assert statuses == {
        "/en/": 200,
        "/en/cell-therapy/": 200,
        "/en/a-page-that-does-not-exist/": 404,
        "/sitemap.xml": 200,
        "/en/glossary/": 200,
        "/en/search/?q=cell": 200,
        "/healthz": 200,
        "/robots.txt": 200,
    }


DROP_MY_CONNECTION = """
import io
import json
import psycopg
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

# The production handler, not the test client: the client keeps a connection
# open across requests, where a real server lets Django close a broken one.
application = WSGIHandler()


def get(path):
    path, _, query = path.partition("?")
    environ = {{
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1",
    }}
    status = []
    response = application(environ, lambda line, headers: status.append(int(line.split()[0])))
    b"".join(response)
    response.close()
    return status[0]


def drop_my_connection():
    # What a database restart or fail-over does to every connection a worker kept.
    pid = connection.connection.info.backend_pid
    with psycopg.connect({admin_url!r}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


answers = [get("/en/"), get("/en/")]  # stored pages
drop_my_connection()
answers.append(get("/en/"))  # the stored page's read meets the dead connection, and reconnects
drop_my_connection()
# A request with the feedback thanks is never stored: the view meets the dead
# connection. The home page, because it answers on an empty database too.
answers += [get("/en/?feedback=sent"), get("/en/?feedback=sent")]
print(json.dumps({{"answers": answers}}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_stored_page_survives_a_connection_the_database_dropped():
    # Connections are not health-checked on every request (a round trip more
    # per stored page); serving a stored page reconnects instead, and anything
    # else meets the dead connection once: the friendly 503, then the next
    # request reconnects.
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("drops a PostgreSQL server's connection")
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    result = run_site(DROP_MY_CONNECTION.format(admin_url=url), url)
    assert answers_from(result)[0]["answers"] == [200, 200, 200, 503, 200]
