"""Conditional requests and Cache-Control: what browsers and a CDN in front rely on."""

import pytest

from content.models import Page

pytestmark = pytest.mark.django_db


def test_a_page_has_an_etag_and_asks_to_be_revalidated(client):
    response = client.get("/en/car-t/")
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_max_age_is_a_setting(client, settings):
    settings.STORED_PAGE_CACHE_CONTROL = "public, max-age=60, must-revalidate"
    assert client.get("/en/car-t/")["Cache-Control"] == "public, max-age=60, must-revalidate"


@pytest.mark.parametrize("cached_first", [False, True], ids=["on a miss", "on a hit"])
def test_a_matching_if_none_match_gets_304_with_no_body(client, cached_first):
    etag = client.get("/en/car-t/")["ETag"]
    if not cached_first:
        Page.objects.get(slug="gene-therapy").save()  # the next request renders afresh
    response = client.get("/en/car-t/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    # Security headers on the 304 too.
    assert "Content-Security-Policy" in response


def test_weak_and_listed_etags_match_and_others_do_not(client):
    etag = client.get("/en/car-t/")["ETag"]
    assert client.get("/en/car-t/", HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get("/en/car-t/", HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get("/en/car-t/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_after_an_edit_the_old_etag_gets_the_new_page(client):
    etag = client.get("/en/car-t/")["ETag"]
    page = Page.objects.get(slug="car-t")
    page.title = "CAR-T, updated"
    page.save()
    response = client.get("/en/car-t/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "CAR-T, updated" in response.content.decode()
    assert response["ETag"] != etag


def test_a_save_that_changes_nothing_on_the_page_keeps_its_etag(client):
    etag = client.get("/en/car-t/")["ETag"]
    Page.objects.get(slug="car-t").save()
    assert client.get("/en/car-t/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_not_found_and_staff_pages_get_no_shared_caching(client, django_user_model):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    response = client.get("/en/car-t/")
    assert "ETag" not in response
    assert response["Cache-Control"] == "private, no-cache"


def test_a_page_revalidated_on_a_miss_is_kept_for_the_next_reader(client):
    etag = client.get("/en/car-t/")["ETag"]
    Page.objects.get(slug="gene-therapy").save()  # new generation: the next request renders
    assert client.get("/en/car-t/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Page.objects.filter(slug="car-t").update(title="Changed behind the cache")
    assert "Changed behind the cache" not in client.get("/en/car-t/").content.decode()
