"""
Settings for the ATMP explainer site, by concern:

- base.py      apps, middleware (in their real order), templates, database,
               caches, languages, static and media files, logging;
- security.py  the secret, hosts, HTTPS and headers, CSP, admin path, login lock-out;
- site.py      editing, content and review rules, publisher, feedback,
               page cache, e-mail;

Everything that differs between a laptop and production comes from the
environment (https://docs.djangoproject.com/en/6.1/topics/settings/); the
README's Configuration section lists every variable. The test suite's speed
choices are in atmp_site/test_settings.py, outside this package: it must set a
test secret before these modules read the environment. The main variables:

- DJANGO_DEBUG                 "1"/"true" turns debug on; off unless set.
- DJANGO_SECRET_KEY            required when debug is off (start-up fails without it).
- DJANGO_ALLOWED_HOSTS         comma-separated host names.
- DATABASE_URL                 e.g. postgres://user:pass@host:5432/db; default a SQLite file.
- DJANGO_REDIS_URL             optional shared cache (redis://127.0.0.1:6379/0).
- DJANGO_SECURE_SSL_REDIRECT   redirect plain HTTP to HTTPS; on unless debug.
- DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://atmp.example.dk
- DJANGO_MEDIA_ROOT            where uploaded images are written.
"""

from atmp_site.settings.base import *  # noqa: F403
from atmp_site.settings.security import *  # noqa: F403
from atmp_site.settings.site import *  # noqa: F403
