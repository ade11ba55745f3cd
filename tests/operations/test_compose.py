"""
compose.yaml, read the way an operator relies on it.

No container engine runs here, so these tests parse the file and hold it to
its promises: the site waits for a healthy database, both have health checks,
data lives in named volumes, secrets come from the git-ignored .env and never
from the file itself, and .env.example names every variable the file needs.
The image itself is built and run by scripts/container-check.
"""

import re
import runpy
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def example_env():
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


def seconds(duration):
    number, unit = re.fullmatch(r"(\d+)(s|m)", duration).groups()
    return int(number) * (60 if unit == "m" else 1)


def test_site_waits_for_a_healthy_database(compose):
    site, db = compose["services"]["site"], compose["services"]["db"]
    assert site["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "/healthz" in " ".join(site["healthcheck"]["test"])


def test_data_lives_in_named_volumes(compose):
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "media:/app/media" in compose["services"]["site"]["volumes"]


def test_site_runs_read_only_and_only_on_loopback(compose):
    site = compose["services"]["site"]
    assert site["read_only"] is True
    assert site["tmpfs"] == ["/tmp"]  # noqa: S108 (the container's own tmpfs, not a host path)
    assert all(port.startswith("127.0.0.1:") for port in site["ports"])
    assert "no-new-privileges:true" in site["security_opt"]


def test_stop_waits_longer_than_gunicorns_graceful_timeout(compose):
    graceful = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["graceful_timeout"]
    assert seconds(compose["services"]["site"]["stop_grace_period"]) > graceful


def test_images_are_pinned(compose):
    image = compose["services"]["db"]["image"]
    assert re.fullmatch(r"postgres:\d+[-.\w]*", image), image


def test_secrets_come_from_the_uncommitted_env_file(compose):
    assert compose["services"]["site"]["env_file"] == ".env"
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            without_interpolation = INTERPOLATION.sub("", str(value))
            if re.search("PASSWORD|SECRET", key):
                assert without_interpolation == "", f"{name}: {key} is written into compose.yaml"
            # A URL's password, if any, must come from the env file too.
            assert not re.search(r"://[^/@]*:[^/@$]+@", without_interpolation), f"{name}: {key} holds a password"


def test_example_env_names_everything_the_file_needs(compose, example_env):
    needed = set(INTERPOLATION.findall((ROOT / "compose.yaml").read_text()))
    needed |= {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_CSRF_TRUSTED_ORIGINS"}
    assert needed <= set(example_env), needed - set(example_env)
    # The example holds no secret an operator could deploy by mistake.
    assert example_env["DJANGO_SECRET_KEY"] == ""
    assert example_env["POSTGRES_PASSWORD"] == ""
    assert example_env["DJANGO_CSRF_TRUSTED_ORIGINS"].startswith("https://")
