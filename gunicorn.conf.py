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
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
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
