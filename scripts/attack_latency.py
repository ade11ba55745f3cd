"""
A reader's page time while each attack of issue 22 runs. Run it with `make attack-latency`.

Starts the site as operators run it, on 127.0.0.1 only, in a temporary folder:
SQLite, production settings, gunicorn with the shipped gunicorn.conf.py (two
sync workers, as on a small host), behind Debian's nginx with the shipped
deploy/nginx.conf when nginx is installed (`make nginx`). An author (group
"Author") signs in through the login form.

Then, for each attack, two attack requests at a time (one per worker) for
ATTACK_SECONDS while a reader GETs a page again and again; one line each with
the reader's count, p99 and max time. Goal: the reader is served within 1 s.

- baseline: no attack.
- F5:  an author saves a ~130 kB body of 5,000 page: links and one #a link.
- F9:  an author uploads a GIF of 20 frames of 6000 × 6000 (a few hundred bytes).
- F8:  a stranger's POST body, one byte every 2 s: through nginx, and (the
       control, last) straight to gunicorn.
- F10: an author's live preview of ~2,800 unknown page: links in code spans,
       after the site is grown by --pages pages (bulk_create), as it was found.

Every loop is bounded; every server is stopped at the end.
"""

import argparse
import contextlib
import http.client
import re
import ssl
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import servers  # noqa: E402

READER_PATH = "/en/cell-therapy/"
WORKERS = 2
PASSWORD = "attack-latency-" + uuid.uuid4().hex

AUTHOR = """
import django, sys
django.setup()
from django.contrib.auth.models import Group, User

user = User.objects.create_user("anna", password=sys.argv[1], is_staff=True)
user.groups.add(Group.objects.get(name="Author"))
"""

GROW = """
import django, sys
django.setup()
from content.models import Page

# The grown site's pages under one seed page two levels down, so the reader's page stays as it is.
parent = Page.objects.get(slug="ebvallo")
Page.objects.bulk_create(
    [
        Page(language="en", title=f"Grown page {n}", slug=f"un-grown-page-{n:05d}", summary="Generated.",
             body="## Section\\n\\nText.", body_html='<h2 id="section">Section</h2><p>Text.</p>',
             status="published", parent=parent, order=n, depth=3)
        for n in range(int(sys.argv[1]))
    ],
    batch_size=500,
)
"""


class Browser:
    """An editor's browser: cookies, the CSRF token, TLS through the proxy (or X-Forwarded-Proto straight)."""

    def __init__(self, port, tls):
        self.port, self.tls, self.cookies = port, tls, {}
        # Through nginx the site sees Host 127.0.0.1; straight, 127.0.0.1:port.
        self.origin = f"https://{servers.HOST}" if tls else f"https://{servers.HOST}:{port}"

    def request(self, method, path, body=None, headers=None, timeout=60):
        if self.tls:
            context = ssl._create_unverified_context()  # noqa: S323 (our own test certificate)
            connection = http.client.HTTPSConnection(servers.HOST, self.port, timeout=timeout, context=context)
        else:
            connection = http.client.HTTPConnection(servers.HOST, self.port, timeout=timeout)
        headers = {"Accept-Language": "en", **(headers or {})}
        if not self.tls:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update(Origin=self.origin, Referer=self.origin + path, **{"X-CSRFToken": self.csrf})
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, content.decode(errors="replace")

    @property
    def csrf(self):
        return self.cookies.get("csrftoken", "")

    def sign_in(self):
        self.request("GET", "/admin/login/")
        body = f"username=anna&password={PASSWORD}&next=/admin/&csrfmiddlewaretoken={self.csrf}"
        status, _ = self.request("POST", "/admin/login/", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, f"sign-in failed: {status}"

    def post_form(self, path, fields):
        from urllib.parse import urlencode

        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf})
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path, name, content, content_type):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Requested-With": "XMLHttpRequest"}
        return self.request("POST", path, body, headers)


def page_form(browser):
    """The add-page form's fields as the author's browser would send them."""
    _, html = browser.request("GET", "/admin/content/page/add/")
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields.update(
        title="Many links", slug=f"many-links-{uuid.uuid4().hex[:8]}", language="en", summary="A summary.",
        family="cell", top_level="on", order="0",
    )  # fmt: skip
    return fields


def animated_gif(width, height, frames):
    """`frames` frames on a width × height canvas, each painting one pixel: a few bytes each."""
    gif = b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF0, 0, 0) + b"\0\0\0\xff\xff\xff"
    gif += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\0\0\0"
    frame = b"\x21\xf9\x04\x04\x0a\0\0\0" + b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\0"
    return gif + frame * frames + b"\x3b"


def attacks(author):
    """name -> a function making one attack request (it returns the status, for the record)."""
    big_body = "".join(f"[x](page:no-such-pg-{n:04d}) " for n in range(5000)) + "[a](#a)"
    preview_text = "".join(f"`[x](page:un-known-page-{n:04d})` " for n in range(2800))
    gif = animated_gif(6000, 6000, 20)

    def save_big_body():
        return author.post_form("/admin/content/page/add/", {**page_form(author), "body": big_body})[0]

    def preview():
        return author.post_form("/admin/content/page/live-preview/?language=en&slug=new", {"content": preview_text})[0]

    def upload_gif():
        return author.upload("/markdownx/upload/", "frames.gif", gif, "image/gif")[0]

    return {
        f"F5  save of a {len(big_body) / 1000:.0f} kB body of 5,000 page: links": save_big_body,
        f"F9  upload of a {len(gif)} B GIF, 20 frames of 6000x6000": upload_gif,
        f"F10 preview of {preview_text.count('page:')} unknown page: links": preview,
    }


def under_attack(port, tls, make_request, seconds):
    """Two attackers repeating `make_request` (bounded) while a reader GETs; the reader's times and statuses."""
    stop, statuses = threading.Event(), []

    def attacker():
        for _ in range(1000):
            if stop.is_set():
                return
            statuses.append(make_request())

    threads = [threading.Thread(target=attacker, daemon=True) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the attack requests are in the workers
    try:
        times = servers.read_repeatedly(port, READER_PATH, seconds, tls=tls)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
    return times, statuses


def slow_bodies(port, tls, seconds):
    attackers = [
        servers.SlowBody(port, "/en/feedback/cell-therapy/", tls=tls, length=int(seconds / 2) + 2, interval=2.0)
        for _ in range(WORKERS)
    ]
    for attacker in attackers:
        attacker.start()
    for attacker in attackers:
        attacker.started_body.wait(10)
    time.sleep(0.5)
    try:
        # Straight to gunicorn the first GET waits for a worker; bound the reader by count, not only by time.
        return servers.read_repeatedly(port, READER_PATH, seconds, tls=tls), ["slow"]
    finally:
        for attacker in attackers:
            attacker.stop()
        for attacker in attackers:
            attacker.join(timeout=10)


def report(name, times, statuses):
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    verdict = "ok" if max(times) < 1.0 else "SLOW"
    attack_statuses = ",".join(sorted({str(s) for s in statuses})) or "-"
    print(
        f"{name:<58} reader: {len(times):3d} GETs  median {statistics.median(times):.3f} s  "
        f"p99 {p99:.3f} s  max {max(times):.3f} s  [{verdict}]  attack answered: {attack_statuses}",
        flush=True,
    )
    return max(times) < 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="how long each attack runs (default 10)")
    parser.add_argument("--pages", type=int, default=10_000, help="pages to grow the site by for F10 (default 10000)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="attack-latency-") as tmp:
        print(f"Preparing a seeded site in {tmp} ...", flush=True)
        env = servers.prepared_site(tmp)
        subprocess.run([sys.executable, "-c", AUTHOR, PASSWORD], cwd=ROOT, env=env, check=True, capture_output=True)
        good = True
        with servers.gunicorn(env, tmp, workers=WORKERS) as app_port:
            use_nginx = servers.nginx_available()
            if not use_nginx:
                print("nginx is not installed (make nginx): attacks go straight to gunicorn.")
            with servers.nginx(tmp, app_port) if use_nginx else contextlib.nullcontext(app_port) as port:
                tls = use_nginx
                via = "through nginx" if use_nginx else "straight to gunicorn"
                print(f"gunicorn as shipped, {WORKERS} sync workers, {via}; reader GETs {READER_PATH}", flush=True)
                author = Browser(port, tls)
                author.sign_in()
                named = attacks(author)
                good &= report("baseline (no attack)", *servers_times(port, tls, args.seconds))
                for name, make_request in list(named.items())[:2]:
                    good &= report(name, *under_attack(port, tls, make_request, args.seconds))
                if use_nginx:
                    name = "F8  two slow POST bodies (1 byte / 2 s), through nginx"
                    good &= report(name, *slow_bodies(port, tls, args.seconds))
                # F10 as it was found: on a grown site.
                grow = [sys.executable, "-c", GROW, str(args.pages)]
                subprocess.run(grow, cwd=ROOT, env=env, check=True, capture_output=True)
                print(f"Site grown by {args.pages} pages.", flush=True)
                for name, make_request in list(named.items())[2:]:
                    good &= report(name + ", grown site", *under_attack(port, tls, make_request, args.seconds))
            # The control: what the proxy saves gunicorn from.
            report("F8  the same, straight to gunicorn (control)", *slow_bodies(app_port, False, args.seconds))
        sys.exit(0 if good else 1)


def servers_times(port, tls, seconds):
    return servers.read_repeatedly(port, READER_PATH, seconds, tls=tls), []


if __name__ == "__main__":
    main()
