"""
Settings for the ATMP explainer site, by concern:

- base.py      apps, middleware (in their real order), templates, database,
               caches, languages, static and media files, logging;
- security.py  the secret, hosts, HTTPS and headers, CSP, admin path, login lock-out;
- site.py      editing, content and review rules, publisher, feedback,
               page cache, e-mail.

Everything that differs between a laptop and production comes from the
environment; docs/operations.md lists every variable. The test suite's choices
are in atmp_site/test_settings.py, outside this package: it must set a test
secret before these modules read the environment.
"""

from atmp_site.settings.base import *  # noqa: F403
from atmp_site.settings.security import *  # noqa: F403
from atmp_site.settings.site import *  # noqa: F403
