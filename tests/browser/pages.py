"""The public pages every browser check visits, and how to open one."""

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class SitePage:
    name: str
    path: str
    kind: str = "explainer"
    status: int = 200
    # Built on another branch: skipped, not failed, while its URL answers 404 here.
    optional: bool = False

    def __str__(self):
        return self.name


PUBLIC_PAGES = [
    SitePage("home", "/en/", kind="home"),
    SitePage("hjem", "/da/", kind="home"),
    SitePage("celleterapi", "/da/celleterapi/"),
    SitePage("what-is-atmp", "/en/what-is-atmp/"),
    SitePage("cell-therapy", "/en/cell-therapy/"),
    SitePage("autologous-and-allogeneic", "/en/autologous-and-allogeneic/"),
    SitePage("ebvallo", "/en/ebvallo/"),
    SitePage("gene-therapy", "/en/gene-therapy/"),
    SitePage("car-t", "/en/car-t/"),
    SitePage("tissue-therapy", "/en/tissue-therapy/"),
    # Issue 14: callouts (a help box and a warning), and the accessibility statement.
    SitePage("side-effects", "/en/side-effects/"),
    SitePage("bivirkninger", "/da/bivirkninger/"),
    SitePage("om-siden", "/da/om-siden/"),
    SitePage("not-found", "/en/no-such-page/", kind="error", status=404),
    SitePage("glossary", "/en/glossary/", kind="glossary"),
    SitePage("search-results", "/en/search/?q=cell", kind="search"),
]

EXPLAINER_PAGES = [p for p in PUBLIC_PAGES if p.kind == "explainer"]


def visit(page, site_page):
    """Open `site_page` in the Playwright page; skip an optional page this tree does not have yet."""
    errors = []
    # A blocked script or style (CSP), a missing file or a script error shows up in the console.
    page.on("console", lambda message: message.type == "error" and errors.append(message))
    response = page.goto(site_page.path, wait_until="load")
    if site_page.optional and response.status == 404:
        pytest.skip(f"{site_page.path} answers 404: that page is not in this tree yet")
    assert response.status == site_page.status, f"{site_page.path} answered {response.status}"
    # The browser reports a 404 document as a failed load too; that one is expected.
    errors = [f"{m.text} {m.location['url']}" for m in errors if m.location["url"] != response.url]
    assert errors == [], f"errors in the browser console on {site_page.path}"
    return response


def console_errors(*pages):
    """
    A list that fills with the errors the `pages` write to the browser console: a failed
    request, or a Content-Security-Policy violation (an inline script or style). The
    browser's own /favicon.ico guess is not the site's concern.
    """
    errors = []

    def note(message):
        if message.type == "error" and "favicon.ico" not in message.location["url"]:
            errors.append(f"{message.text} {message.location['url']}")

    for page in pages:
        page.on("console", note)
    return errors
