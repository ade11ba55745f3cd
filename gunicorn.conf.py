"""gunicorn settings (https://docs.gunicorn.org/en/stable/settings.html), read from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, finish the requests in flight for up to this long, then stop.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# Import the site once in the master and fork the workers from it: a worker
# starts in milliseconds instead of ~1 s of imports, and shares the master's
# memory. Safe because nothing opens a database connection or a cache client
# at import (Django connects lazily, in the worker, on the first query).
# A SIGHUP re-forks workers from the code already imported: new code needs a
# restart of the container (or of gunicorn), as a deploy does anyway.
preload_app = True
# Recycle a worker after about 100,000 requests, as a bound on a slow leak
# that nobody has seen: under mixed traffic (every page, a quarter of them with
# a new query string; 2 workers) a worker's RSS grows from 56-60 MB to 61-63 MB
# in its first ~15,000 requests, as its caches fill, then stays flat to
# ~123,000 (measured 2026-12-03). The jitter keeps the workers from restarting
# together; with preload_app a restart is a fork, not a second of imports.
max_requests = 100_000
max_requests_jitter = 10_000
# Logs to stdout/stderr for the container's log collector.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only a proxy on these addresses may set X-Forwarded-Proto/-Ssl and SCRIPT_NAME
# (gunicorn ignores them from anyone else). compose.yaml sets the proxy's one
# address; never "*", which would let any client choose the scheme and the
# URL prefix of every link the site writes.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Worker temp files in memory, so a read-only root file system works.
# /dev/shm is per-container shared memory, the place gunicorn's docs recommend.
_shm = "/dev/shm"  # noqa: S108
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", _shm if os.path.isdir(_shm) else None)

# --- Request limits (issue 22, F8) ---------------------------------------------
# The proxy (deploy/nginx.conf, deploy/Caddyfile) reads every request in full
# before it passes it on, so slow clients wait there, not in a sync worker.
# These are gunicorn's own bounds, for a request that reaches it anyway: a
# request line, and header fields, no longer or more numerous than a browser
# sends (gunicorn answers 400 otherwise, without calling Django). `timeout`
# above kills a worker held longer than 30 s by anything.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
