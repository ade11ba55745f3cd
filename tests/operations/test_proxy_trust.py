"""
What the site believes about a request, and what its proxy serves (issue 15, items 1, 7, 8).

- gunicorn trusts forwarded headers (X-Forwarded-Proto/-Ssl, SCRIPT_NAME) only
  from the proxy's address: compose.yaml names it instead of "*". Checked on a
  real gunicorn with the shipped gunicorn.conf.py, with the old "*" beside it
  to show what a client could do before.
- The operators' guide's proxy examples (docs/operations.md) strip those headers and serve uploaded media as
  inert images.
- /healthz answers before the security middlewares, so it carries their
  headers itself.
"""

import contextlib
import http.client
import ipaddress
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "docs" / "operations.md").read_text()  # the operators' guide


def compose_default(value):
    """The value compose.yaml gives a variable when .env leaves it unset: ${NAME:-default}."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", str(value))
    return match.group(1) if match else str(value)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def readme_block(opening):
    """The README's fenced code block whose first line (after the fence) starts with `opening`."""
    for block in re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.DOTALL):
        if block.lstrip().startswith(opening):
            return block
    raise AssertionError(f"no README example starting with {opening!r}")


# --- compose.yaml and .env.example -------------------------------------------------


def test_gunicorn_trusts_forwarded_headers_only_from_the_proxys_address(compose):
    site = compose["services"]["site"]["environment"]
    trusted = compose_default(site["FORWARDED_ALLOW_IPS"])
    assert "*" not in trusted
    gateway = compose["networks"]["default"]["ipam"]["config"][0]["gateway"]
    subnet = ipaddress.ip_network(compose["networks"]["default"]["ipam"]["config"][0]["subnet"])
    # Exactly the host's side of the site's network, where the proxy on the host connects from.
    assert trusted == gateway and ipaddress.ip_address(gateway) in subnet


def test_the_feedback_limit_counts_readers_behind_the_proxy(compose):
    site = compose["services"]["site"]["environment"]
    assert compose_default(site["FEEDBACK_TRUSTED_PROXY_COUNT"]) == "1"
    example = (ROOT / ".env.example").read_text()
    assert re.search(r"^FEEDBACK_TRUSTED_PROXY_COUNT=1$", example, flags=re.MULTILINE)
    assert re.search(r"^FORWARDED_ALLOW_IPS=172\.30\.80\.1$", example, flags=re.MULTILINE)
    assert re.search(r"^DJANGO_REDIS_URL=", example, flags=re.MULTILINE)
    for name in ("DJANGO_REDIS_URL", "FEEDBACK_TRUSTED_PROXY_COUNT", "FORWARDED_ALLOW_IPS"):
        assert f"| `{name}` |" in README, f"{name} is missing from the README's settings table"


# --- The README's proxy examples ---------------------------------------------------


def test_the_nginx_example_strips_client_sent_forwarding_headers():
    nginx = readme_block("# http { } block")
    site = nginx[nginx.index("location / {") :].split("}")[0]
    assert "proxy_set_header X-Forwarded-Proto https;" in site
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site  # replaced, not appended to
    for header in ("X-Forwarded-Ssl", "X-Forwarded-Protocol", "X-Forwarded-Host"):
        assert f'proxy_set_header {header} "";' in site
    assert "underscores_in_headers on" not in README  # nginx drops SCRIPT_NAME by default


def test_the_nginx_example_serves_media_as_inert_images():
    nginx = readme_block("# http { } block")
    media = nginx[nginx.index("location /media/ {") :]
    assert "types { image/jpeg jpg; image/png png; image/webp webp; image/gif gif; }" in media
    assert "default_type application/octet-stream;" in media
    assert 'add_header X-Content-Type-Options "nosniff" always;' in media
    assert "add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;" in media
    assert "add_header Content-Disposition $media_disposition always;" in media
    disposition = nginx[nginx.index("map $uri $media_disposition") :].split("}")[0]
    assert re.search(r'~\*\\\.\(jpg\|png\|webp\|gif\)\$\s+"";', disposition)
    assert re.search(r'default\s+"attachment";', disposition)


def test_the_caddy_example_strips_headers_and_serves_media_as_inert_images():
    caddy = readme_block("atmp.example.dk {")
    proxy = caddy[caddy.index("reverse_proxy 127.0.0.1:8000") :]
    for header in ("X-Forwarded-Ssl", "X-Forwarded-Protocol", "SCRIPT_NAME"):
        assert f"header_up -{header}" in proxy
    media = caddy[caddy.index("handle_path /media/*") : caddy.index("handle {")]
    assert "header X-Content-Type-Options nosniff" in media
    assert "header Content-Security-Policy \"default-src 'none'; sandbox\"" in media
    assert "@not_image not path *.jpg *.png *.webp *.gif" in media
    assert "header @not_image Content-Disposition attachment" in media
    assert "file_server" in media


# --- /healthz ----------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_carries_the_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


# --- A real gunicorn with the shipped configuration ----------------------------------


@contextlib.contextmanager
def gunicorn(tmp_path, workers=1, **env_overrides):
    """gunicorn with gunicorn.conf.py and production settings on 127.0.0.1; yields (port, process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "STORED_PAGES"))}
    env.update(
        DJANGO_SETTINGS_MODULE="atmp_site.settings",
        DJANGO_SECRET_KEY="proxy-trust-test-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STORED_PAGES="0",
    )
    env.update(env_overrides)
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "atmp_site.wsgi",
    ]  # fmt: skip
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / f"gunicorn-{port}.log"
    # To a file, not a pipe: a pipe nobody reads fills up and stalls the server.
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError):
                if request(port, "/healthz")[0] == 200:
                    break
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(port, path, method="GET", body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace"), response.headers
    finally:
        connection.close()


FORGED = {"X-Forwarded-Proto": "https", "SCRIPT_NAME": "/evil"}


@pytest.mark.slow
@pytest.mark.own_database
def test_gunicorn_as_shipped_ignores_a_clients_script_name_and_ssl_headers(tmp_path, compose):
    trusted = compose_default(compose["services"]["site"]["environment"]["FORWARDED_ALLOW_IPS"])
    with gunicorn(tmp_path, FORWARDED_ALLOW_IPS=trusted) as (port, _):
        status, body, _ = request(port, "/robots.txt", headers=FORGED)
        assert status == 200
        assert "Sitemap: https://127.0.0.1/sitemap.xml" in body.replace(f":{port}", "")
        assert "/evil" not in body
        # X-Forwarded-Ssl from a client does not make plain HTTP secure: still redirected.
        status, _, headers = request(port, "/robots.txt", headers={"X-Forwarded-Ssl": "on"})
        assert status == 301 and headers["Location"].startswith("https://")
        status, _, headers = request(port, "/healthz")
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Cache-Control"] == "no-store"


@pytest.mark.slow
@pytest.mark.own_database
def test_with_the_old_wildcard_a_client_could_move_every_link(tmp_path):
    """The control: the same requests with FORWARDED_ALLOW_IPS="*" (before issue 15)."""
    with gunicorn(tmp_path, FORWARDED_ALLOW_IPS="*") as (port, _):
        status, body, _ = request(port, "/evil/robots.txt", headers=FORGED)
        assert status == 200 and "/evil/sitemap.xml" in body
        status, _, _ = request(port, "/robots.txt", headers={"X-Forwarded-Ssl": "on"})
        assert status == 200
