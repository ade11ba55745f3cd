"""
What a worker keeps rendered of a page for readers the page cache does not
answer (a cookie, a query string, PAGE_CACHE=0): cheap to serve again, and
never stale, since it is kept under the same shared keys as the page cache.
"""

import pytest
from django.test import Client

from content.models import Page

pytestmark = pytest.mark.django_db

COOKIE = {"HTTP_COOKIE": "theme=dark"}


def test_a_repeat_view_with_a_cookie_is_two_queries_and_the_same_page(client, django_assert_num_queries):
    first = client.get("/en/cell-therapy/", **COOKIE)
    with django_assert_num_queries(2):  # the page, and the keys it depends on
        again = client.get("/en/cell-therapy/", **COOKIE)
    assert again.status_code == 200
    assert again.content == first.content


def test_an_edit_to_the_page_shows_at_once(client):
    client.get("/en/ebvallo/", **COOKIE)
    page = Page.objects.get(slug="ebvallo")
    page.body += "\n\nA sentence added by the editor."
    page.save()
    assert "A sentence added by the editor." in client.get("/en/ebvallo/", **COOKIE).content.decode()


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
