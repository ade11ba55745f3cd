"""What operators rely on: health check, sitemap, robots, settings that fail fast."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from content.models import Page
from tests.support.sitemap import whole_sitemap

ROOT = Path(__file__).resolve().parents[2]


def run_django(code, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="atmp_site.settings", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_a_prober_whose_host_is_not_a_site_name(client, settings):
    settings.ALLOWED_HOSTS = ["atmp.example.dk"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200


@pytest.mark.slow
def test_healthz_is_503_when_the_database_is_unreachable():
    # A real server with a database that cannot be reached: nothing listens on port 1.
    result = run_django(
        "from django.test import Client; r = Client().get('/healthz'); print(r.status_code)",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing?connect_timeout=2",
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr


@pytest.mark.slow
def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_django("print('started')")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_debug_mode_starts_without_a_secret_key():
    result = run_django("print('started')", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_deploy_checks_pass_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="atmp_site.settings",
        DJANGO_SECRET_KEY="a-long-random-production-like-secret-key-0123456789-abcdefghijkl",
        DJANGO_ALLOWED_HOSTS="atmp.example.dk",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_sitemap_lists_every_published_page_and_no_draft(client, make_page):
    draft = make_page(slug="hidden-draft", status=Page.Status.DRAFT)
    body = whole_sitemap(client)
    for page in Page.objects.published():
        assert f"{page.get_absolute_url()}</loc>" in body
    assert draft.get_absolute_url() not in body
    assert "<lastmod>" in body


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_are_on_every_page(client):
    response = client.get("/en/cell-therapy/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
