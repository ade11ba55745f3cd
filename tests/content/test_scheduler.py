"""
The scheduler in compose.yaml: `publish_due` runs in production, once a minute.

The structure is read from the file as in test_compose.py; then the service's
own command line is run by a real shell against a real (SQLite) database with
a page that is due, and the page is published.
"""

import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def scheduler(compose):
    return compose["services"]["scheduler"]


def test_the_scheduler_runs_publish_due_every_minute_in_the_sites_image(compose, scheduler):
    assert scheduler["image"] == compose["services"]["site"]["image"]
    script = " ".join(scheduler["command"])
    assert "python manage.py publish_due" in script
    assert re.search(r"while true;.*sleep 60;\s*done", script)
    assert scheduler["restart"] == "unless-stopped"


def test_the_scheduler_uses_the_sites_database_and_waits_until_it_is_migrated(compose, scheduler):
    site = compose["services"]["site"]
    assert scheduler["environment"]["DATABASE_URL"] == site["environment"]["DATABASE_URL"]
    assert scheduler["env_file"] == site["env_file"]
    # The site's entrypoint migrates; the scheduler must not race it with a second migrate.
    assert scheduler["depends_on"] == {"site": {"condition": "service_healthy"}}
    assert "migrate" not in " ".join(scheduler["entrypoint"] + scheduler["command"])


def test_the_scheduler_is_hardened_like_the_site_and_stops_promptly(compose, scheduler):
    site = compose["services"]["site"]
    for key in ("read_only", "tmpfs", "cap_drop", "security_opt"):
        assert scheduler[key] == site[key], key
    assert scheduler["init"] is True
    # Its health is its own heartbeat, not the site's HTTP check (it serves nothing).
    check = " ".join(scheduler["healthcheck"]["test"])
    assert "/healthz" not in check and "publish_due.ok" in check


@pytest.mark.slow
@pytest.mark.own_database
def test_the_schedulers_command_publishes_a_due_page(tmp_path, scheduler):
    database = tmp_path / "db.sqlite3"
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    (tmp_path / "bin" / "python").chmod(0o755)
    # One round of the loop: the "sleep" ends the shell that runs it.
    (tmp_path / "bin" / "sleep").write_text('#!/bin/sh\nkill -TERM "$PPID"\n')
    (tmp_path / "bin" / "sleep").chmod(0o755)
    subprocess.run(["python", "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
    make_due_page = (
        "from datetime import timedelta; from django.utils import timezone; from content.models import Page; "
        "p = Page(title='Due', slug='due-page', summary='S.', body='Text.', language='en', "
        "publish_at=timezone.now() + timedelta(seconds=1)); p.save(); "
        "p.sources.create(title='EPAR', publisher='EMA', url='https://www.ema.europa.eu/', accessed='2026-12-01')"
    )
    subprocess.run(["python", "manage.py", "shell", "-c", make_due_page], cwd=ROOT, env=env, check=True, timeout=60)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status FROM content_page WHERE slug = 'due-page'").fetchone() == ("draft",)
    time.sleep(1.5)  # the publish-at time passes

    shell = subprocess.run(
        [*scheduler["entrypoint"], scheduler["command"][0].replace("$$", "$")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "published due-page" in shell.stdout, shell.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, publish_at FROM content_page WHERE slug = 'due-page'").fetchone() == (
            "published",
            None,
        )
