"""
The site as operators run it, on 127.0.0.1 only: gunicorn with the shipped
gunicorn.conf.py and production settings, optionally behind a real nginx with
the shipped deploy/nginx.conf. Used by tests/operations/test_slow_clients.py,
the browser tests' site (tests/browser/server.py) and scripts/attack_latency.
Every wait is bounded; every server is stopped.
"""

import contextlib
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepared_site(tmp):
    """A migrated, seeded SQLite site with collected static files in `tmp`; returns the environment to run it."""
    tmp = Path(tmp)
    (tmp / "live_site_settings.py").write_text(
        "from atmp_site.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(tmp / 'static')!r}\nMEDIA_ROOT = {str(tmp / 'media')!r}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PAGE_CACHE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="live_site_settings",
        PYTHONPATH=f"{tmp}{os.pathsep}{ROOT}",
        DJANGO_SECRET_KEY="live-site-" + "x" * 50,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
    )
    manage(env, ["migrate", "--noinput"], ["createcachetable"], ["seed_site"], ["collectstatic", "--noinput"])
    return env


def manage(env, *commands):
    """Run each `manage.py` command (a list of arguments) in `env`, in turn; a failure says what it printed."""
    for command in commands:
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def get(port, path, tls=False, headers=None, timeout=30):
    """One GET on a new connection, as a reader's browser behind the TLS proxy: (status, seconds)."""
    started = time.perf_counter()
    if tls:
        connection = http.client.HTTPSConnection(
            HOST,
            port,
            timeout=timeout,
            context=ssl._create_unverified_context(),  # noqa: S323 (our own test cert)
        )
    else:
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        # Straight to gunicorn, say what the proxy says: the request came over TLS.
        connection.request("GET", path, headers={**({} if tls else {"X-Forwarded-Proto": "https"}), **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def wait_until_serving(port, path, process, log, tls=False, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{Path(log).read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if get(port, path, tls=tls, timeout=5)[0] < 500:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not start:\n{Path(log).read_text()[-3000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def running(command, log, **options):
    with open(log, "wb") as log_file:  # a file, not a pipe nobody reads
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, **options)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(env, tmp, workers=2):
    """gunicorn as shipped (gunicorn.conf.py), `workers` sync workers on a free 127.0.0.1 port; yields the port."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "atmp_site.wsgi",
    ]  # fmt: skip
    log = Path(tmp) / f"gunicorn-{port}.log"
    with running(command, log, cwd=ROOT, env=env) as process:
        wait_until_serving(port, "/healthz", process, log)
        yield port


def nginx_available():
    return Path(NGINX).exists() and shutil.which("openssl") is not None


def shipped_nginx_config(app_port, https_port, http_port, certificate, key, media):
    """deploy/nginx.conf with only its ports, addresses and paths changed: loopback, free ports, test files."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "listen 443 ssl http2;": f"listen {HOST}:{https_port} ssl http2;",
        "listen 80;": f"listen {HOST}:{http_port};",
        "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://{HOST}:{app_port};",
        "/etc/letsencrypt/live/atmp.example.dk/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/atmp.example.dk/privkey.pem": str(key),
        "/var/lib/docker/volumes/atmp_media/_data/": f"{media}/",
    }
    for shipped, local in replacements.items():
        assert shipped in text, f"deploy/nginx.conf no longer has {shipped!r}"
        text = text.replace(shipped, local)
    return text


@contextlib.contextmanager
def nginx(tmp, app_port):
    """A real nginx (Debian's) with deploy/nginx.conf in front of `app_port`; yields its HTTPS port."""
    tmp = Path(tmp) / "nginx"
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "media"):
        (tmp / folder).mkdir(parents=True, exist_ok=True)
    certificate, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = free_port(), free_port()
    (tmp / "atmp.conf").write_text(
        shipped_nginx_config(app_port, https_port, http_port, certificate, key, tmp / "media")
    )
    # What Debian's /etc/nginx/nginx.conf gives the site's file, with every path in tmp.
    # As root, nginx's workers would switch to "nobody", who may not write a large
    # body's temporary file into this private folder; they stay root here.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"""
{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/atmp.conf;
}}
"""
    )
    command = [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")]
    with running(command, tmp / "nginx.log") as process:
        wait_until_serving(https_port, "/healthz", process, tmp / "error.log", tls=True)
        yield https_port


class SlowBody(threading.Thread):
    """
    A stranger's POST whose body comes one byte every `interval` seconds, at most
    `length` bytes (a bounded loop), then waits for the answer; `stop()` ends it early.
    """

    def __init__(self, port, path, tls=False, length=10, interval=2.0):
        super().__init__(daemon=True)
        self.port, self.path, self.tls, self.length, self.interval = port, path, tls, length, interval
        self.started_body = threading.Event()
        self._stop = threading.Event()
        self.status_line = b""

    def stop(self):
        self._stop.set()

    def run(self):
        with socket.create_connection((HOST, self.port), timeout=60) as raw:
            sock = ssl._create_unverified_context().wrap_socket(raw, server_hostname=HOST) if self.tls else raw  # noqa: S323
            headers = (
                f"POST {self.path} HTTP/1.1\r\nHost: {HOST}\r\nOrigin: https://{HOST}\r\n"
                + ("" if self.tls else "X-Forwarded-Proto: https\r\n")
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {self.length}\r\nConnection: close\r\n\r\n"
            )
            with contextlib.suppress(OSError):
                sock.sendall(headers.encode())
                for _ in range(self.length):
                    sock.sendall(b"x")
                    self.started_body.set()
                    if self._stop.wait(self.interval):
                        return
                self.status_line = sock.recv(100).split(b"\r\n")[0]


def read_repeatedly(port, path, seconds, tls=False, pause=0.2):
    """A reader's GETs, one after another, for `seconds`: the time each took."""
    times, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, took = get(port, path, tls=tls)
        assert status == 200, f"the reader got {status}"
        times.append(took)
        time.sleep(pause)
    return times
