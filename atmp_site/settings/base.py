"""Settings every environment shares: the apps, the request path, the database, caches, languages and files."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    return value.strip().lower() in {"1", "true", "yes", "on"} if value else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# --- Apps and the request path ------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Libraries: the markdown editor, page history, optimistic locking, login lock-out.
    "markdownx",
    "simple_history",
    "concurrency",
    "axes",
    # Ours: the pages, readers' tools, clinical sign-off.
    "content",
    "search",
    "glossary",
    "feedback",
    "workflow",
]

# In the order a request meets them:
# - the health check first, so a prober's Host need not be in ALLOWED_HOSTS;
# - the stored pages next: a stored page skips everything below, served with the
#   headers the middlewares below gave it when it was rendered;
# - CORP before whitenoise, so static files carry it too;
# - the slug redirects (public 404s only) after CommonMiddleware's slash redirect;
# - axes last, as axes asks.
MIDDLEWARE = [
    "atmp_site.health.HealthCheckMiddleware",
    "content.delivery.StoredPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "atmp_site.security.CrossOriginResourcePolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "workflow.middleware.SlugRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
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

# --- Database (https://github.com/jazzband/dj-database-url) -------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        # Off by default: a check is one more round trip on every request, as
        # many as serving a stored page needs in all. A dropped connection costs
        # one request the friendly 503 (atmp_site/outage.py); the next reconnects.
        conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", default=False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writer takes its lock when its transaction begins (IMMEDIATE, so two
    # writers queue instead of one failing) and waits up to 20 s for it:
    # publishing renders pages inside its transaction. In WAL mode readers and
    # that writer never wait for each other.
    # https://docs.djangoproject.com/en/6.1/ref/databases/#sqlite-transaction-behavior
    # https://www.sqlite.org/wal.html
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -----------------------------------------------------------------
# https://docs.djangoproject.com/en/6.1/topics/cache/
# "default" is per process, for anything a worker may recompute; "shared" is
# one store for what must be exact across workers and containers (the feedback
# rate limit, axes): the database, or Redis when DJANGO_REDIS_URL is set, which then
# serves "default" too. Readers' pages are stored when published, not cached.
REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
if REDIS_URL:
    _redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "atmp"},
        "shared": {**_redis, "KEY_PREFIX": "atmp-shared"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Created by `manage.py createcachetable` (make run, the container entrypoint, the test database).
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shared_cache",
            # The default (300) would cull live rate-limit slots once many readers answer.
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
# Danish first, English beside it. Every public URL carries its language; "/"
# sends a reader to the one their browser asks for, Danish when neither.
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

# --- Logging: everything to stdout, for the container's log collector ---------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
