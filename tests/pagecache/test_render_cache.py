"""
The readers' copies of the pages (content.readers_copy): each page rendered
once per change for every worker, served to readers the page cache does not
answer (a cookie, a query string, PAGE_CACHE=0, a worker that just started),
and never stale, since each copy is kept under the same shared keys as the
page cache.

`response.templates` lists the templates rendered for a request: empty means
the reader got a kept copy.
"""

import datetime
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from content import readers_copy
from content.models import Page, ReadersCopy, Source

pytestmark = pytest.mark.django_db

COOKIE = {"HTTP_COOKIE": "theme=dark"}


def new_worker():
    """Forget everything a worker keeps in its own memory, as a recycled or newly started worker has."""
    caches["default"].clear()
    caches["pages"].clear()


def test_a_page_is_rendered_once_for_every_worker(client, django_assert_num_queries):
    first = client.get("/en/cell-therapy/", **COOKIE)
    assert first.templates, "the first view renders"
    new_worker()
    with django_assert_num_queries(2):  # the copy, and the shared key every change renews
        again = client.get("/en/cell-therapy/", **COOKIE)
    assert again.templates == [], "rendered again"
    assert again.content == first.content


def test_a_saved_page_is_rendered_after_the_commit_so_its_next_reader_waits_for_nothing(
    client, django_capture_on_commit_callbacks
):
    client.get("/en/ebvallo/")
    page = Page.objects.get(slug="ebvallo")
    page.body += "\n\nA sentence added by the editor."
    with django_capture_on_commit_callbacks(execute=True):
        page.save()
    new_worker()
    response = client.get("/en/ebvallo/", **COOKIE)
    assert "A sentence added by the editor." in response.content.decode()
    assert response.templates == [], "the reader waited for a render"


def test_an_edit_to_the_page_shows_at_once(client):
    client.get("/en/ebvallo/", **COOKIE)
    page = Page.objects.get(slug="ebvallo")
    page.body += "\n\nA sentence added by the editor."
    page.save()  # no commit in a test: the copy is not rendered again, only out of date
    response = client.get("/en/ebvallo/", **COOKIE)
    assert "A sentence added by the editor." in response.content.decode()


def test_an_edit_elsewhere_costs_reads_and_no_rendering(client, django_assert_num_queries):
    first = client.get("/en/cell-therapy/?from=leaflet", **COOKIE)
    Source.objects.create(
        page=Page.objects.get(slug="gene-therapy"), title="A new source", publisher="EMA",
        url="https://www.ema.europa.eu/", accessed=datetime.date(2026, 1, 1),
    )  # fmt: skip
    after = client.get("/en/cell-therapy/?from=leaflet", **COOKIE)
    assert after.templates == [] and after.content == first.content
    with django_assert_num_queries(2):  # the copy learnt the new value of the shared key
        client.get("/en/cell-therapy/?from=leaflet", **COOKIE)


def test_an_edit_to_a_page_it_shows_shows_at_once(client):
    # Ebvallo's breadcrumbs show its parent; the menu shows the overview pages.
    client.get("/en/ebvallo/", **COOKIE)
    parent = Page.objects.get(slug="ebvallo").parent
    parent.title = "Renamed parent page"
    parent.save()
    assert "Renamed parent page" in client.get("/en/ebvallo/", **COOKIE).content.decode()
    cell = Page.objects.get(slug="cell-therapy")
    cell.title = "Cell therapies, renamed"
    cell.save()
    assert "Cell therapies, renamed" in client.get("/en/ebvallo/", **COOKIE).content.decode()


def test_each_reader_gets_their_own_origin_and_never_the_stand_in(client, settings):
    settings.ALLOWED_HOSTS = ["atmp.example.dk", "www.atmp.example.dk"]
    plain = client.get("/en/car-t/", HTTP_HOST="atmp.example.dk").content.decode()
    secure = client.get("/en/car-t/", HTTP_HOST="www.atmp.example.dk", HTTP_X_FORWARDED_PROTO="https")
    assert secure.templates == [], "the second reader was not served the copy"
    secure = secure.content.decode()
    assert 'rel="canonical" href="http://atmp.example.dk/en/car-t/"' in plain
    assert 'rel="canonical" href="https://www.atmp.example.dk/en/car-t/"' in secure
    assert '"url": "https://www.atmp.example.dk/en/car-t/"' in secure  # the JSON-LD
    assert 'hreflang="da" href="https://www.atmp.example.dk/da/' in secure
    assert readers_copy.STAND_IN_HOST not in plain + secure


def test_the_thanks_after_feedback_is_for_that_reader_only(client):
    assert "Thank you for your feedback" not in client.get("/en/cell-therapy/").content.decode()
    thanked = client.get("/en/cell-therapy/?feedback=sent")
    assert "Thank you for your feedback" in thanked.content.decode() and thanked.templates
    assert "Thank you for your feedback" not in client.get("/en/cell-therapy/?other=1").content.decode()
    assert "Thank you for your feedback" not in client.get("/en/cell-therapy/").content.decode()


def test_staff_never_get_the_readers_copy(staff_client):
    reader = Client(headers={"accept-language": "en", "cookie": "theme=dark"})
    assert "Edit this page" not in reader.get("/en/cell-therapy/").content.decode()
    assert "Edit this page" in staff_client.get("/en/cell-therapy/").content.decode()
    assert "Edit this page" not in reader.get("/en/cell-therapy/").content.decode()


def test_a_draft_never_gets_a_copy(client, make_page):
    make_page(title="Not ready", slug="not-ready", status=Page.Status.DRAFT)
    assert client.get("/en/not-ready/", **COOKIE).status_code == 404
    assert not ReadersCopy.objects.filter(page__slug="not-ready").exists()


def test_a_copy_made_by_another_release_or_other_site_settings_is_not_served(client, settings):
    client.get("/en/car-t/", **COOKIE)
    try:
        readers_copy.rendering_fingerprint.cache_clear()
        settings.SITE_PUBLISHER = "Region Example"  # printed in every page's footer
        response = client.get("/en/car-t/", **COOKIE)
        assert response.templates, "served a copy rendered with the old settings"
        assert "Region Example" in response.content.decode()
    finally:
        readers_copy.rendering_fingerprint.cache_clear()


def test_a_repeated_search_is_two_queries_and_a_new_page_is_found_at_once(
    client, make_page, django_assert_num_queries
):
    first = client.get("/en/search/?q=vorpalix").content.decode()
    assert "/en/vorpalix/" not in first
    with django_assert_num_queries(2):  # the content version and the index version
        assert client.get("/en/search/?q=vorpalix").content.decode() == first
    make_page(title="Vorpalix", slug="vorpalix", body="Vorpalix is a made-up word.")
    assert "/en/vorpalix/" in client.get("/en/search/?q=vorpalix").content.decode()


def test_store_readers_copies_spares_readers_the_first_render_and_drops_old_releases(client):
    page = Page.objects.get(slug="gene-therapy")
    ReadersCopy.objects.all().delete()
    ReadersCopy.objects.create(
        address="an-earlier-release:en:gene-therapy", page=page, html="old", depends_on={}, content_version="x",
        complete=True,
    )  # fmt: skip
    call_command("store_readers_copies", stdout=StringIO())
    assert not ReadersCopy.objects.filter(address__startswith="an-earlier-release:").exists()
    new_worker()
    response = client.get("/en/gene-therapy/", **COOKIE)
    assert response.templates == [], "the reader waited for a render"
    assert "<h1>Gene therapy</h1>" in response.content.decode()
