"""
Light pages: a first view is the HTML and one stylesheet, under 30 KB compressed.

A reader on a slow phone connection in a hospital waiting room should get a
readable page in a round trip or two: no JavaScript, no web fonts, no images
the text does not need, and at most three requests on a first view.
"""

import gzip
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders

from tests.content.test_reading import SEED_SLUGS
from tests.support import html

pytestmark = pytest.mark.django_db

PAGES = ["/en/", "/da/", *sorted(f"/en/{slug}/" for slug in SEED_SLUGS)]
BUDGET_BYTES = 30 * 1024
MAX_REQUESTS = 3
# Elements through which a browser fetches something on load.
FETCHING = {"img": "src", "script": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}
FETCHING_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "manifest"}
CSS_FETCH = re.compile(r"""url\(|@import""")


def subresources(page_html):
    found = []
    for tag, attrs in html.parse(page_html).elements:
        if tag == "link" and FETCHING_LINKS & set(attrs.get("rel", "").lower().split()):
            found.append(attrs["href"])
        elif tag in FETCHING and attrs.get(FETCHING[tag]):
            found.append(attrs[FETCHING[tag]])
        elif tag in {"img", "source"} and attrs.get("srcset"):
            found.append(attrs["srcset"])
    return found


def has_icon_link(page_html):
    return any(
        tag == "link" and "icon" in attrs.get("rel", "").split() for tag, attrs in html.parse(page_html).elements
    )


def stylesheet_text(url):
    found = finders.find(urlparse(url).path.removeprefix("/static/"))
    assert found, f"{url} is not one of our static files"
    return Path(found).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES)
def test_a_first_view_makes_at_most_three_requests(client, path):
    page_html = client.get(path).content.decode()
    fetched = subresources(page_html)
    # With no <link rel="icon">, browsers ask for /favicon.ico anyway.
    requests = 1 + len(fetched) + (0 if has_icon_link(page_html) else 1)
    assert requests <= MAX_REQUESTS, fetched
    for url in fetched:
        if url.endswith(".css"):
            assert not CSS_FETCH.search(stylesheet_text(url)), "the stylesheet fetches more files"


@pytest.mark.parametrize("path", PAGES)
def test_html_and_css_compressed_stay_under_30_kb(client, path):
    page_html = client.get(path).content
    css = [stylesheet_text(url).encode() for url in subresources(page_html.decode()) if url.endswith(".css")]
    assert css, "the page has its stylesheet"
    weight = len(gzip.compress(page_html)) + sum(len(gzip.compress(sheet)) for sheet in css)
    assert weight < BUDGET_BYTES


@pytest.mark.parametrize("path", PAGES)
def test_no_javascript_and_no_web_fonts(client, path):
    page_html = client.get(path).content.decode()
    scripts = html.tags(page_html, "script")
    assert all(script.get("type") == "application/ld+json" for script in scripts)
    for url in subresources(page_html):
        assert not url.endswith((".js", ".woff", ".woff2", ".ttf", ".otf")), url
        if url.endswith(".css"):
            assert "@font-face" not in stylesheet_text(url)
