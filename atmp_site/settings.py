"""
Settings for the ATMP explainer site.

Everything that differs between a laptop and production comes from the
environment (https://docs.djangoproject.com/en/6.1/topics/settings/):

- DJANGO_DEBUG                 "1"/"true" turns debug on; off unless set.
- DJANGO_SECRET_KEY            required when debug is off (start-up fails without it).
- DJANGO_ALLOWED_HOSTS         comma-separated host names.
- DATABASE_URL                 e.g. postgres://user:pass@host:5432/db; default a SQLite file.
- DJANGO_SECURE_SSL_REDIRECT   redirect plain HTTP to HTTPS; on unless debug.
- DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://atmp.example.dk
- DJANGO_MEDIA_ROOT            where uploaded images are written.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")

if DEBUG:
    # A fixed, obviously unsafe key so a newcomer's `make run` needs no set-up.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-only-for-local-debug")
else:
    try:
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    except KeyError:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) needs a "
            "long random secret key, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
            "For local development set DJANGO_DEBUG=1 instead."
        ) from None
    if not SECRET_KEY.strip():
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is empty; set it to a long random value.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "content",
    # Issue 4, readers' tools: full-text search, the glossary, "was this page helpful?".
    "django.contrib.postgres",
    "search",
    "glossary",
    "feedback",
]

MIDDLEWARE = [
    "atmp_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "atmp_site.urls"
WSGI_APPLICATION = "atmp_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "content.context_processors.site_navigation",
                "atmp_site.context_processors.site_identity",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# https://github.com/jazzband/dj-database-url

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -----------------------------------------------------------------
# https://docs.djangoproject.com/en/6.1/topics/cache/
# Two caches, so each use says how exact it must be:
# - "default": fast and per process (local memory); fine for anything a worker
#   may recompute, such as rendered fragments keyed by the content generation.
# - "shared": one store for every worker of every container, for what must be
#   exact across them (the feedback rate limit, axes). The database by default,
#   so the embedded set-up needs nothing else; Redis when DJANGO_REDIS_URL is set
#   (e.g. redis://127.0.0.1:6379/0), which then serves "default" too.

REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
# The page cache's two stores (pagecache/): the stored pages ("pages": per
# process, bounded, or Redis) and the keys that say whether they are still
# current ("generations": shared by every worker of every container, so it is
# exact; never expires, and is never culled before a million keys).
if REDIS_URL:
    _redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "atmp"},
        "shared": {**_redis, "KEY_PREFIX": "atmp-shared"},
        "pages": {**_redis, "KEY_PREFIX": "atmp-pages", "TIMEOUT": 24 * 3600},
        "generations": {**_redis, "KEY_PREFIX": "atmp-generations", "TIMEOUT": None},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Created by `manage.py createcachetable` (make run, the container entrypoint, and the test database).
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shared_cache",
            # The default (300) would cull live rate-limit slots once many readers answer.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "1000"))},
        },
        "generations": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "page_cache_generations",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }

# --- Auth -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Internationalisation ---------------------------------------------------

# Danish first, English beside it, as on the national ATMP information site.
# Every public URL carries its language (/da/..., /en/...); "/" sends a reader
# to the language their browser asks for, Danish when it asks for neither.
# https://docs.djangoproject.com/en/6.1/topics/i18n/translation/#language-prefix-in-url-patterns
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date format per language ("24 November 2026", "24. november 2026").
FORMAT_MODULE_PATH = ["atmp_site.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
# whitenoise serves hashed, compressed files in production:
# https://whitenoise.readthedocs.io/en/stable/django.html

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Markdown editing (django-markdownx) ------------------------------------
# The live preview goes through the same sanitising renderer as saved pages.

MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.render_markdown"
MARKDOWNX_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
# No SVG: an SVG can carry script.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]
MARKDOWNX_MEDIA_PATH = "uploads/"

# --- Content ----------------------------------------------------------------

# Functions applied to every page's sanitised HTML when it is rendered: each
# takes and returns HTML and must escape anything it adds.
CONTENT_HTML_FILTERS = ["glossary.marking.mark_with_current_terms"]

# How long a page may go before a medical reviewer must look at it again.
CONTENT_REVIEW_INTERVAL_DAYS = int(os.environ.get("CONTENT_REVIEW_INTERVAL_DAYS", "365"))

# --- Who publishes the site --------------------------------------------------
# Named in every page's footer. Unset, the footer says only what is always
# true: an editorial team writes the pages, and readers reach it through the
# feedback form. SITE_URL (e.g. https://atmp.example.dk) is the address printed
# on paper and before printed links; unset, the request's own origin is used.
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "").strip()
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "").strip()
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

# --- Security ---------------------------------------------------------------
# https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/

# The TLS-terminating proxy tells us the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's health check speaks plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 63072000  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy, Django's own (django.middleware.csp). No inline
# script or style anywhere; the site and the admin load only their own files.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Logging: everything to stdout, for the container's log collector ---------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Editorial workflow (issue 3): history, locking, drafts, review -----------
# Every save of a page is a version (django-simple-history); the middleware
# records which editor made it. Optimistic locking is django-concurrency's
# version field on Page: a stale save is refused, never silently overwritten.
# https://django-simple-history.readthedocs.io/  https://django-concurrency.readthedocs.io/

INSTALLED_APPS += ["simple_history", "concurrency"]
MIDDLEWARE += ["simple_history.middleware.HistoryRequestMiddleware"]
# Pages whose next review is due within this many days are "due soon" (admin filter, review_report).
CONTENT_REVIEW_DUE_SOON_DAYS = int(os.environ.get("CONTENT_REVIEW_DUE_SOON_DAYS", "30"))

# --- Readers' tools: search, glossary, feedback (issue 4) ----------------------
# "Was this page helpful?": at most FEEDBACK_RATE_LIMIT answers per client per
# window, counted in the "shared" cache under a salted hash of the client's IP.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "5"))
FEEDBACK_RATE_WINDOW_SECONDS = int(os.environ.get("FEEDBACK_RATE_WINDOW_SECONDS", "3600"))
# How many reverse proxies in front of the app append to X-Forwarded-For; 0
# means use REMOTE_ADDR. Set it to 1 behind the one TLS-terminating proxy.
FEEDBACK_TRUSTED_PROXY_COUNT = int(os.environ.get("FEEDBACK_TRUSTED_PROXY_COUNT", "0"))

# --- Hardening: admin login, admin path, resource policy (issue 5) -----------

# The admin's address, e.g. DJANGO_ADMIN_PATH=redaktion-7f3a/ in production so
# that scanners probing /admin/ find nothing. It must not be a page slug.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# The CSP above holds for the admin and the markdownx editor as they are: they
# emit no inline script and no style attributes (markdownx sizes the editor via
# element.style, which CSP allows), so no exception is needed; tests check this
# in the HTML and in Chromium (tests/test_security_headers.py, test_xss_browser.py).

# Cross-Origin-Resource-Policy: same-origin on every response, static files
# included (so before whitenoise, which answers static requests itself).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "atmp_site.security.CrossOriginResourcePolicyMiddleware")  # noqa: E501  # fmt: skip

# Brute-force protection for the admin login: django-axes
# (https://django-axes.readthedocs.io/en/latest/4_configuration.html).
# Five wrong passwords lock the account for the cool-off time; during it even
# the right password is refused. Locking by user name, not by address: behind
# the TLS proxy every request comes from the proxy's address, so an address
# lock would lock out every editor at once.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Failed logins are counted in the database every container shares, so the
# lock is exact across workers and containers (axes' default handler, named).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_USERNAME_CALLABLE = "atmp_site.security.login_attempt_username"
# axes.W006 warns that a lock without the address lets an attacker rotate user
# agents or cookies; our lock is on the user name alone, which rotating neither
# changes, and an address lock would lock every editor out (see above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Page cache (pagecache/) -------------------------------------------------
# Whole responses for anonymous readers in the "pages" cache, each checked on
# every request against the "generations" cache shared by every worker and
# container (see CACHES above and pagecache/__init__.py), so an edit is seen
# everywhere on the next request and makes cold only the pages it affects.
# On in production, off with debug and in tests (the tests of the cache itself
# turn it on); PAGE_CACHE=0/1 overrides.

INSTALLED_APPS.append("pagecache")
# Right after the health check: a hit skips every other middleware and is
# stored with the headers they added.
MIDDLEWARE.insert(1, "pagecache.middleware.PageCacheMiddleware")
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=not DEBUG)
PAGE_CACHE_EXEMPT_PATHS = [f"/{ADMIN_PATH}", "/markdownx/", f"/{STATIC_URL}"]
# Browsers and a CDN may keep a page this long, then must revalidate (a cheap
# 304 thanks to the ETag). Zero by default: a corrected dose or contact
# number must not wait out a max-age somewhere between us and the reader.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "0"))
PAGE_CACHE_CONTROL = f"public, max-age={PAGE_CACHE_MAX_AGE}, must-revalidate"

# --- Clinical sign-off (workflow/, issue 13) ----------------------------------
# Roles, review requests, the audit log, translations out of step, and
# redirects from old slugs. The redirect middleware answers only the public
# site's 404s, inside CommonMiddleware (so its slash redirect comes first).
INSTALLED_APPS.append("workflow")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1, "workflow.middleware.SlugRedirectMiddleware")  # noqa: E501  # fmt: skip

# --- E-mail: review reminders (manage.py review_report --email) ---------------
# Django 6.1's MAILERS (https://docs.djangoproject.com/en/6.1/topics/email/):
# the hospital's SMTP relay from DJANGO_EMAIL_HOST, _PORT, _USER, _PASSWORD and
# _USE_TLS (on by default). Without a host: printed in development, and the
# machine's own mail server (localhost:25) in production.
EMAIL_RELAY = os.environ.get("DJANGO_EMAIL_HOST", "")
if DEBUG and not EMAIL_RELAY:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_RELAY or "localhost",
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587" if EMAIL_RELAY else "25")),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=bool(EMAIL_RELAY)),
                "timeout": 30,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
