"""
The production settings, as gunicorn runs them, for the browser tests' server.

One change only: the collected static files go to the test's temporary folder
(production's STATIC_ROOT is a fixed folder in the checkout), so test runs
never write into the working tree and never see a stale collection.
"""

import os
from pathlib import Path

from atmp_site.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BROWSER_TESTS_STATIC_ROOT"])
