"""
The feedback rate limit is exact across processes (issue 15, item 3).

Before, each gunicorn worker counted in its own memory: with two workers a
reader could send twice the limit, and a recycled worker forgot its counts.
Here two gunicorn servers ("containers", two workers each) with production
settings share one store, the database's cache table or Redis, and a burst
of concurrent answers from one reader, spread over both servers, is let
through exactly FEEDBACK_RATE_LIMIT times. Another reader behind the same
proxy still gets through (FEEDBACK_TRUSTED_PROXY_COUNT=1).
"""

import os
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.operations.test_proxy_trust import gunicorn, request
from tests.support import servers

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 3
BURST = 16

pytestmark = [pytest.mark.slow, pytest.mark.own_database]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated SQLite file with the shared cache table, as the container's entrypoint leaves it."""
    tmp = tmp_path_factory.mktemp("feedback-limit")
    # Production settings, with plain static file URLs so no collectstatic is needed.
    (tmp / "feedback_limit_settings.py").write_text(
        "from atmp_site.settings import *  # noqa: F403\n"
        'STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}\n'
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "atmp_site.settings",
    }
    servers.manage(env, ["migrate", "--noinput"], ["createcachetable"], ["seed_site"])
    return tmp


def redis_url():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"REDIS NOT REACHABLE at {url} ({error}): the Redis half of the rate-limit test did not run")
    return url


def answer(port, reader_address):
    """One reader's "yes", as the TLS proxy forwards it."""
    headers = {
        "Host": f"127.0.0.1:{port}",
        "Origin": f"https://127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": reader_address,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return request(port, "/en/feedback/cell-therapy/", method="POST", body="helpful=yes", headers=headers)[0]


def feedback_count(database):
    code = "from feedback.models import Feedback; print(Feedback.objects.count())"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database / 'db.sqlite3'}"},
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.split()[-1])


@pytest.mark.parametrize("store", ["database", "redis"])
def test_one_reader_gets_exactly_the_limit_across_two_servers(database, tmp_path, store):
    env = {
        "DATABASE_URL": f"sqlite:///{database / 'db.sqlite3'}",
        # A fresh secret: fresh client keys, so no count survives from another run.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "FEEDBACK_RATE_LIMIT": str(LIMIT),
        "FEEDBACK_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_SETTINGS_MODULE": "feedback_limit_settings",
        "PYTHONPATH": f"{database}{os.pathsep}{ROOT}",
    }
    if store == "redis":
        env["DJANGO_REDIS_URL"] = redis_url()
    before = feedback_count(database)
    with ExitStack() as stack:
        ports = [stack.enter_context(gunicorn(tmp_path / str(n), workers=2, **env))[0] for n in range(2)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda n: answer(ports[n % 2], "192.0.2.10"), range(BURST)))
        print(f"{store}: {statuses}")
        assert sorted(statuses) == [302] * LIMIT + [429] * (BURST - LIMIT)
        # Another reader behind the same proxy is not silenced.
        assert answer(ports[0], "198.51.100.7") == 302
        assert answer(ports[1], "198.51.100.7") == 302
    assert feedback_count(database) - before == LIMIT + 2
