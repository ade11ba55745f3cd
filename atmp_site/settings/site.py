"""
What this site does: markdown editing, content and review rules, who publishes
it, readers' feedback, stored pages and the review-reminder e-mails.
"""

import os

from atmp_site.settings.base import DEBUG, env_bool

# --- Markdown editing (django-markdownx) ------------------------------------
# The live preview goes through the same sanitising renderer as saved pages.

MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.render_markdown"
MARKDOWNX_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
# No SVG: an SVG can carry script.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]
MARKDOWNX_MEDIA_PATH = "uploads/"

# --- Content and review -----------------------------------------------------

# Applied to every page's sanitised HTML when it is rendered: each takes and
# returns HTML and must escape anything it adds.
CONTENT_HTML_FILTERS = ["glossary.marking.mark_with_current_terms"]
# How long a page may go before a medical reviewer must look at it again,
# and when its review counts as "due soon" (admin filter, review_report).
CONTENT_REVIEW_INTERVAL_DAYS = int(os.environ.get("CONTENT_REVIEW_INTERVAL_DAYS", "365"))
CONTENT_REVIEW_DUE_SOON_DAYS = int(os.environ.get("CONTENT_REVIEW_DUE_SOON_DAYS", "30"))

# --- Who publishes the site --------------------------------------------------
# Named in every page's footer when set. SITE_URL (e.g. https://atmp.example.dk)
# is the address printed on paper; unset, the request's own origin is used.
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "").strip()
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "").strip()
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

# --- Readers' feedback ----------------------------------------------------------
# "Was this page helpful?": at most FEEDBACK_RATE_LIMIT answers per client per
# window, counted in the "shared" cache under a salted hash of the client's IP.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "5"))
FEEDBACK_RATE_WINDOW_SECONDS = int(os.environ.get("FEEDBACK_RATE_WINDOW_SECONDS", "3600"))
# How many reverse proxies in front of the app append to X-Forwarded-For; 0
# means use REMOTE_ADDR. Set it to 1 behind the one TLS-terminating proxy.
FEEDBACK_TRUSTED_PROXY_COUNT = int(os.environ.get("FEEDBACK_TRUSTED_PROXY_COUNT", "0"))

# --- Stored public pages (content/publishing.py, content/delivery.py) ---------
# Anonymous readers get the pages each publication rendered, with one read.
# STORED_PAGES=0 turns delivery off (every request renders; for debugging).
STORED_PAGES = env_bool("STORED_PAGES", default=True)
# Browsers and a CDN may keep a page this long, then must revalidate (a cheap
# 304 thanks to the ETag). Zero by default: a corrected dose or contact
# number must not wait out a max-age somewhere between us and the reader.
STORED_PAGE_MAX_AGE = int(os.environ.get("STORED_PAGE_MAX_AGE", "0"))
STORED_PAGE_CACHE_CONTROL = f"public, max-age={STORED_PAGE_MAX_AGE}, must-revalidate"

# --- E-mail: review reminders (manage.py review_report --email) ---------------
# https://docs.djangoproject.com/en/6.1/topics/email/ The hospital's SMTP relay
# from DJANGO_EMAIL_HOST, _PORT, _USER, _PASSWORD and _USE_TLS (on with a host).
# Without a host: printed in development, localhost:25 in production.
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
