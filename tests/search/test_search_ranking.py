"""
Search as a Danish reader meets it: the page named exactly what was searched
comes first, snippets keep headings out of the text, Danish quote marks, and
the one publishing rule (`Page.objects.published()`) decides what is found.
"""

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import Page
from tests.support import html

pytestmark = pytest.mark.django_db


def results(client, query, language="en"):
    path = {"da": "/da/soeg/", "en": "/en/search/"}[language]
    response = client.get(path, {"q": query}, headers={"accept-language": language})
    assert response.status_code == 200
    body = response.content.decode()
    if '<ol class="search-results">' not in body:
        return [], body
    listing = body.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
    return [href for href in html.links(listing) if href.startswith("/")], listing


def test_the_page_titled_as_the_query_comes_first(client):
    paths, _ = results(client, "celleterapi", "da")
    assert paths[0] == "/da/celleterapi/"
    assert paths.index("/da/celleterapi/") < paths.index("/da/autolog-og-allogen-celleterapi/")
    paths, _ = results(client, "Cell therapy")
    assert paths[0] == "/en/cell-therapy/"


def test_an_exact_title_beats_a_longer_title_with_more_mentions(client, make_page):
    make_page(title="Quorblat treatment and quorblat care", slug="long", body="Quorblat, quorblat and quorblat.")
    make_page(title="Quorblat", slug="exact", body="Said once: quorblat.")
    make_page(title="Other", slug="other", body="Quorblat in the text only, quorblat, quorblat.")
    paths, _ = results(client, "quorblat")
    assert paths == ["/en/exact/", "/en/long/", "/en/other/"]


def test_a_snippet_never_runs_a_heading_into_the_text(client, make_page):
    make_page(
        title="Visits",
        slug="visits",
        body="## Blimwort at the ward\n\nBlimwort is checked every morning by the nurse.\n",
    )
    paths, listing = results(client, "blimwort")
    assert paths == ["/en/visits/"]
    snippet = html.text(listing.split('class="snippet"', 1)[1])
    assert "ward Blimwort" not in snippet and "at the ward" not in snippet
    assert "is checked every morning" in snippet
    # The heading is still searched (with the summary, above body text).
    assert results(client, "ward")[0] == ["/en/visits/"]


def test_a_scheduled_page_is_found_once_publish_due_publishes_it(client, make_page):
    # One publishing rule (issue 16): search shows what published() shows, and
    # publish_due (run every minute by the scheduler) is what publishes a due page.
    make_page(
        title="Snorkwid",
        slug="snorkwid",
        status=Page.Status.DRAFT,
        publish_at=timezone.now() + datetime.timedelta(seconds=1),
        sourced=True,
    )
    assert results(client, "snorkwid")[0] == []
    time.sleep(1.2)
    call_command("publish_due")
    assert results(client, "snorkwid")[0] == ["/en/snorkwid/"]


def test_danish_pages_quote_the_query_the_danish_way(client):
    danish = client.get("/da/soeg/", {"q": "xyzzyqq"}, headers={"accept-language": "da"}).content.decode()
    assert "„xyzzyqq“" in danish and "“xyzzyqq”" not in danish
    english = client.get("/en/search/", {"q": "xyzzyqq"}).content.decode()
    assert "“xyzzyqq”" in english


def test_an_edit_shows_in_search_at_once(client, make_page):
    page = make_page(title="Vorpalix", slug="vorpalix", body="Vorpalix is a made-up word.")
    assert results(client, "vorpalix")[0] == ["/en/vorpalix/"]

    page.status = Page.Status.DRAFT
    page.save()
    assert results(client, "vorpalix")[0] == []
    page.status = Page.Status.PUBLISHED
    page.title = "Renamed"
    page.save()
    paths, listing = results(client, "vorpalix")
    assert paths == ["/en/vorpalix/"] and "Renamed" in listing
