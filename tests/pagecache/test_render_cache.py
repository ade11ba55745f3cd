"""
What a worker keeps rendered of a page for readers the page cache does not
answer (a cookie, a query string, PAGE_CACHE=0): cheap to serve again, and
never stale, since it is kept under the same shared keys as the page cache.
"""

import datetime

import pytest
from django.test import Client

from content.models import Page, Source

pytestmark = pytest.mark.django_db

COOKIE = {"HTTP_COOKIE": "theme=dark"}


def test_a_repeat_view_with_a_cookie_is_one_query_and_the_same_page(client, django_assert_num_queries):
    first = client.get("/en/cell-therapy/", **COOKIE)
    with django_assert_num_queries(1):  # the shared key every change renews
        again = client.get("/en/cell-therapy/", **COOKIE)
    assert again.status_code == 200
    assert again.content == first.content


def test_an_edit_to_the_page_shows_at_once(client):
    client.get("/en/ebvallo/", **COOKIE)
    page = Page.objects.get(slug="ebvallo")
    page.body += "\n\nA sentence added by the editor."
    page.save()
    assert "A sentence added by the editor." in client.get("/en/ebvallo/", **COOKIE).content.decode()


def test_an_edit_elsewhere_costs_one_more_read_and_no_rendering(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = True
    client.get("/en/cell-therapy/")  # the page cache gives every key the page depends on a value
    first = client.get("/en/cell-therapy/?from=leaflet", **COOKIE)
    Source.objects.create(
        page=Page.objects.get(slug="gene-therapy"), title="A new source", publisher="EMA",
        url="https://www.ema.europa.eu/", accessed=datetime.date(2026, 1, 1),
    )  # fmt: skip
    with django_assert_num_queries(2):  # "any" changed: then the page's own keys, which did not
        assert client.get("/en/cell-therapy/?from=leaflet", **COOKIE).content == first.content
    with django_assert_num_queries(1):
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


def test_the_query_string_is_part_of_what_is_kept(client):
    assert "Thank you for your feedback" not in client.get("/en/cell-therapy/").content.decode()
    thanked = client.get("/en/cell-therapy/?feedback=sent").content.decode()
    assert "Thank you for your feedback" in thanked
    assert "Thank you for your feedback" not in client.get("/en/cell-therapy/?other=1").content.decode()


def test_staff_never_get_the_readers_copy(staff_client):
    reader = Client(headers={"accept-language": "en", "cookie": "theme=dark"})
    assert "Edit this page" not in reader.get("/en/cell-therapy/").content.decode()
    assert "Edit this page" in staff_client.get("/en/cell-therapy/").content.decode()
    assert "Edit this page" not in reader.get("/en/cell-therapy/").content.decode()


def test_a_repeated_search_is_two_queries_and_a_new_page_is_found_at_once(
    client, make_page, django_assert_num_queries
):
    first = client.get("/en/search/?q=vorpalix").content.decode()
    assert "/en/vorpalix/" not in first
    with django_assert_num_queries(2):  # the content version and the index version
        assert client.get("/en/search/?q=vorpalix").content.decode() == first
    make_page(title="Vorpalix", slug="vorpalix", body="Vorpalix is a made-up word.")
    assert "/en/vorpalix/" in client.get("/en/search/?q=vorpalix").content.decode()
