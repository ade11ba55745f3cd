"""
Load and restart scenarios against the production configuration. Run it with `make stress`.

Starts a private PostgreSQL cluster (initdb + pg_ctl on a free port in a temporary
folder, so stopping it harms nobody) and the site under gunicorn with
gunicorn.conf.py, debug off, on a free 127.0.0.1 port. Requests carry
`X-Forwarded-Proto: https` as the TLS proxy's do, so the production HTTPS
redirect and headers apply. Then, with wrk:

The load rotates through every published page in every language, as the
sitemap lists them (the index, then each section it names), plus the home
pages, robots.txt and the sitemap itself.

1. steady:   60 s at 64 connections: 0 non-2xx, 0 socket errors, p99 under 100 ms.
2. reload:   SIGHUP to gunicorn under load (graceful reload): 0 errors.
3. kill:     SIGKILL of one worker under load: errors <= connections; the worker is replaced.
4. database: PostgreSQL stopped and started under load: only 503s while it is down,
             200s again within 5 s of it being back.

One line per scenario; exit status 1 if any bound fails. Every wait is bounded.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
CONNECTIONS = 64
STEADY_SECONDS = int(os.environ.get("STRESS_STEADY_SECONDS", "60"))
RECOVERY_BOUND_SECONDS = 5.0
STEADY_P99_BOUND_MS = 100.0
LOC = re.compile(r"<loc>([^<]+)</loc>")

LUA = r"""
-- Rotate through the site's pages; count statuses per thread, sum them at the end.
local paths = {PATHS}
local threads = {}
local counter = 0
wrk.headers["X-Forwarded-Proto"] = "https"

setup = function(thread) table.insert(threads, thread) end
init = function(args) statuses = {} end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + n end
  end
  io.write("STATUSES")
  for status, n in pairs(totals) do io.write(string.format(" %d=%d", status, n)) end
  io.write("\n")
  local e = summary.errors
  io.write(string.format("SUMMARY requests=%d seconds=%.1f p99_ms=%.1f connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(99) / 1000, e.connect, e.read, e.write, e.timeout))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin(name):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if not path:
        sys.exit(f"stress: PostgreSQL's {name} not found (install postgresql)")
    return path


class PrivatePostgres:
    """A throw-away PostgreSQL cluster of our own: stopping it harms nobody."""

    def __init__(self, workdir):
        self.data = workdir / "pgdata"
        self.log = workdir / "postgres.log"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(workdir, "postgres")

    def run(self, *command):
        subprocess.run(self.as_postgres + list(command), check=True, capture_output=True, timeout=120)

    def init(self):
        self.run(postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self.run(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "atmp")

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=100"
        pg_ctl = postgres_bin("pg_ctl")
        self.run(pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self.run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/atmp"


class Site:
    """gunicorn with gunicorn.conf.py and the production settings."""

    def __init__(self, workdir, database_url):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        self.process = None

    def manage(self, *args):
        subprocess.run(
            [VENV_BIN / "python", "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=300,
        )

    def start(self):
        # As the image is built (static files collected) and its entrypoint then runs
        # (scripts/docker-entrypoint.sh): the pages are stored by the release that serves them.
        self.manage("collectstatic", "--noinput")
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("seed_site")
        self.manage("render_pages", "--missing")
        self.process = subprocess.Popen(
            [VENV_BIN / "gunicorn", "-c", "gunicorn.conf.py", "atmp_site.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.status("/healthz") == 200 and len(self.workers()) >= self.expected_workers:
                return
            time.sleep(0.2)
        sys.exit("stress: gunicorn did not become healthy within 60 s (see gunicorn.log)")

    @property
    def expected_workers(self):
        return int(os.environ.get("WEB_CONCURRENCY", min(2 * os.cpu_count() + 1, 8)))

    def status(self, path):
        request = urllib.request.Request(self.base + path, headers={"X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own loopback server
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.read().decode()

    def workers(self):
        """Worker pids: the gunicorn master's children."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


class Wrk:
    def __init__(self, workdir, site, paths):
        self.site = site
        self.script = workdir / "rotate.lua"
        quoted = ", ".join('"' + p.replace('"', '\\"') + '"' for p in paths)
        self.script.write_text(LUA.replace("{PATHS}", "{" + quoted + "}"))

    def start(self, seconds):
        command = [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(self.script),
            self.site.base,
        ]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    @staticmethod
    def result(process, seconds):
        output, _ = process.communicate(timeout=seconds + 60)
        status_line = output.split("STATUSES", 1)[1].split("\n")[0]
        statuses = {int(k): int(v) for k, v in re.findall(r"(\d+)=(\d+)", status_line)}
        summary = dict(re.findall(r"(\w+)=([\d.]+)", output.split("SUMMARY", 1)[1].split("\n")[0]))
        kinds = ("connect", "read", "write", "timeout")
        socket_errors = sum(int(summary[k]) for k in kinds)
        summary["errors"] = f"{socket_errors} (" + ", ".join(f"{k} {summary[k]}" for k in kinds) + ")"
        non_2xx = sum(n for status, n in statuses.items() if not 200 <= status < 300)
        return statuses, summary, socket_errors, non_2xx


def line(name, ok, text):
    print(f"{name:<9} {'PASS' if ok else 'FAIL'}  {text}", flush=True)
    return ok


def steady(site, wrk):
    statuses, s, errors, non_2xx = Wrk.result(wrk.start(STEADY_SECONDS), STEADY_SECONDS)
    rate = int(s["requests"]) / float(s["seconds"])
    return line(
        "steady",
        non_2xx == 0 and errors == 0 and float(s["p99_ms"]) < STEADY_P99_BOUND_MS,
        f"{STEADY_SECONDS} s x {CONNECTIONS} connections: {s['requests']} requests ({rate:.0f}/s), "
        f"p99 {s['p99_ms']} ms (bound {STEADY_P99_BOUND_MS:.0f}), non-2xx {non_2xx}, socket errors {s['errors']}",
    )


def under_load(wrk, seconds, at, action):
    process = wrk.start(seconds)
    time.sleep(at)
    action()
    return Wrk.result(process, seconds)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def reload(site, wrk):
    before = site.workers()
    _, s, errors, non_2xx = under_load(wrk, 20, 5, lambda: site.process.send_signal(signal.SIGHUP))
    replaced = wait_for(
        lambda: len(site.workers()) == site.expected_workers and not set(site.workers()) & set(before), 30
    )
    return line(
        "reload",
        errors == 0 and non_2xx == 0 and replaced,
        f"SIGHUP under load: {s['requests']} requests, p99 {s['p99_ms']} ms, non-2xx {non_2xx}, "
        f"socket errors {s['errors']}, all {len(before)} workers replaced: {replaced}",
    )


def kill_worker(site, wrk):
    killed = []

    def kill_one():
        # Whichever worker is alive at that moment (max_requests may have
        # recycled the one seen a moment ago).
        for pid in site.workers():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
            killed.append(pid)
            return

    _, s, errors, non_2xx = under_load(wrk, 20, 5, kill_one)
    victim = killed[0] if killed else None
    respawned = victim is not None and wait_for(
        lambda: len(site.workers()) == site.expected_workers and victim not in site.workers(), 30
    )
    failed = errors + non_2xx
    return line(
        "kill",
        failed <= CONNECTIONS and respawned,
        f"SIGKILL worker {victim} under load: {s['requests']} requests, failed {failed} (bound {CONNECTIONS}; "
        f"non-2xx {non_2xx}, socket errors {s['errors']}), worker respawned: {respawned}",
    )


def database_outage(site, wrk, postgres, probe_path):
    probes = []  # (sent, answered, status) for a reader's page, every 100 ms
    stop_probing = threading.Event()

    def probe():
        while not stop_probing.is_set():
            sent = time.monotonic()
            status = site.status(probe_path)
            probes.append((sent, time.monotonic(), status))
            time.sleep(0.1)

    prober = threading.Thread(target=probe, daemon=True)
    process = wrk.start(30)
    prober.start()
    time.sleep(5)
    postgres.stop()
    down_at = time.monotonic()
    healthz_down = site.status("/healthz")
    time.sleep(8)
    up_called = time.monotonic()
    postgres.start()  # returns once the server accepts connections
    up_at = time.monotonic()
    statuses, s, errors, _ = Wrk.result(process, 30)
    stop_probing.set()
    prober.join(timeout=10)

    # Under load a request can wait seconds in the queue: "during" means sent and
    # answered while the database was down; recovery is when the first 200 arrived.
    during = {status for sent, answered, status in probes if down_at < sent and answered < up_called}
    first_200 = next(((sent, answered) for sent, answered, status in probes if sent >= up_at and status == 200), None)
    recovery = (first_200[1] - up_at) if first_200 else float("inf")
    queued = (first_200[1] - first_200[0]) if first_200 else float("inf")
    only_2xx_or_503 = all(200 <= status < 300 or status == 503 for status in statuses)
    ok = (
        only_2xx_or_503
        and errors == 0
        and during == {503}
        and healthz_down == 503
        and recovery <= RECOVERY_BOUND_SECONDS
    )
    return line(
        "database",
        ok,
        f"PostgreSQL stopped {up_called - down_at:.0f} s under load: "
        f"statuses {dict(sorted(statuses.items()))}, "
        f"socket errors {s['errors']}, reader saw {sorted(during)} while down, /healthz {healthz_down}; "
        f"200 again {recovery:.2f} s after PostgreSQL was back (that request took {queued:.2f} s under the load) "
        f"(bound {RECOVERY_BOUND_SECONDS:.0f} s)",
    )


def local(location):
    """A sitemap's absolute URL, as a path (and query) on our local server."""
    return re.sub(r"^https?://[^/]+", "", location)


def every_page(site):
    """Every address the sitemap lists: the index names the sections, each section lists pages."""
    pages = []
    for section in LOC.findall(site.get("/sitemap.xml")):
        pages += [local(location) for location in LOC.findall(site.get(local(section)))]
    if not pages:
        sys.exit("stress: the sitemap lists no pages")
    return pages


def main():
    if not shutil.which("wrk"):
        sys.exit("stress: wrk not found (apt-get install wrk; scripts/stress does this)")
    workdir = Path(tempfile.mkdtemp(prefix="atmp-stress-"))
    postgres = PrivatePostgres(workdir)
    site = None
    try:
        postgres.init()
        site = Site(workdir, postgres.url)
        site.start()
        pages = every_page(site)
        paths = sorted({"/da/", "/en/", *pages}) + ["/robots.txt", "/sitemap.xml"]
        languages = sorted({page.split("/")[1] for page in pages})
        print(
            f"stress: gunicorn ({len(site.workers())} workers) on {site.base}, private PostgreSQL on port "
            f"{postgres.port}; {len(pages)} pages from the sitemap ({', '.join(languages)}), "
            f"{len(paths)} addresses in all",
            flush=True,
        )
        wrk = Wrk(workdir, site, paths)
        failing = {path: status for path in paths if (status := site.status(path)) != 200}
        results = [
            line("pages", not failing, f"each of the {len(paths)} addresses once: not 200: {failing or 'none'}"),
            steady(site, wrk),
            reload(site, wrk),
            kill_worker(site, wrk),
            database_outage(site, wrk, postgres, pages[0]),
        ]
    finally:
        if site:
            site.stop()
        with contextlib.suppress(subprocess.SubprocessError):
            postgres.stop("immediate")
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
