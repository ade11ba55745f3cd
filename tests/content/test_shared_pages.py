"""
Stored public pages (content.publishing, content.delivery): fast, and never stale.

A change made with `QuerySet.update()` sends no signal, so these tests use it
to show that a page really was served as stored; every change an editor can
make goes through save(), delete() or a many-to-many change, and must show at once.
"""

import datetime
import gzip

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path
from django.utils import timezone

from atmp_site import urls as site_urls
from content.models import Page, Source
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password="a-long-test-password", is_staff=True, is_superuser=True
    )


def text_of(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def change_behind_the_cache(slug, **fields):
    """Change a page without publishing it, to show what the stored page serves."""
    Page.objects.filter(slug=slug).update(**fields)


def test_a_page_is_served_from_the_cache_until_content_changes(client):
    assert "Cell therapy" in text_of(client, "/en/cell-therapy/")
    change_behind_the_cache("cell-therapy", title="Celleterapi")
    assert "Celleterapi" not in text_of(client, "/en/cell-therapy/")

    page = Page.objects.get(slug="cell-therapy")
    page.summary = "Treatment with living cells."
    page.save()
    body = text_of(client, "/en/cell-therapy/")
    assert "Celleterapi" in body and "Treatment with living cells." in body


def test_an_edit_saved_in_the_admin_is_seen_by_the_next_reader(client, editor):
    page = Page.objects.get(slug="car-t")
    assert "CAR-T" in text_of(client, "/en/car-t/")
    client.force_login(editor)
    change_url = f"/admin/content/page/{page.pk}/change/"
    form = read_form(client.get(change_url).content.decode())
    form["title"] = "CAR-T cell therapy, revised"
    assert client.post(change_url, form).status_code == 302
    client.logout()
    assert "CAR-T cell therapy, revised" in text_of(client, "/en/car-t/")


def test_a_change_to_a_listed_page_shows_on_the_pages_that_list_it(client, make_page):
    car_t = Page.objects.get(slug="car-t")
    make_page(slug="test-side-effects", title="Side effects", parent=car_t)
    assert "A short summary." in text_of(client, "/en/car-t/")  # in "Read next"
    side_effects = Page.objects.get(slug="test-side-effects")
    side_effects.summary = "What to watch for after CAR-T."
    side_effects.save()
    assert "What to watch for after CAR-T." in text_of(client, "/en/car-t/")
    # The navigation on every other page too.
    gene = Page.objects.get(slug="gene-therapy")
    text_of(client, "/en/tissue-therapy/")
    gene.title = "Gene therapy (in vivo and ex vivo)"
    gene.save()
    assert "Gene therapy (in vivo and ex vivo)" in text_of(client, "/en/tissue-therapy/")


def test_sources_and_related_pages_invalidate(client, make_page):
    car_t = Page.objects.get(slug="car-t")  # deep enough to stay out of the navigation
    page = make_page(title="Side effects", slug="test-side-effects", parent=car_t)
    make_page(title="Costs and travel", slug="costs", parent=car_t, order=9)
    other = make_page(title="Daily life", slug="daily-life", parent=Page.objects.get(slug="ebvallo"))
    text_of(client, "/en/test-side-effects/")
    Source.objects.create(
        page=page, title="CAR-T leaflet", publisher="Rigshospitalet", url="https://example.org", accessed="2026-01-02"
    )
    assert "CAR-T leaflet" in text_of(client, "/en/test-side-effects/")
    page.related.add(other)
    assert "/en/daily-life/" in text_of(client, "/en/test-side-effects/")
    page.related.remove(other)
    assert "/en/daily-life/" not in text_of(client, "/en/test-side-effects/")


def test_a_deleted_page_is_gone_at_once(client, make_page):
    page = make_page(slug="old-news")
    text_of(client, "/en/old-news/")
    page.delete()
    assert client.get("/en/old-news/").status_code == 404


def test_changes_outside_the_content_keep_the_cache(client, django_user_model):
    text_of(client, "/en/car-t/")
    change_behind_the_cache("car-t", title="Changed behind the cache")
    django_user_model.objects.create_user("reader", "reader@example.org", "another-long-password")
    assert "Changed behind the cache" not in text_of(client, "/en/car-t/")


def test_a_page_not_found_is_not_cached_so_a_page_that_falls_due_shows_at_once(client, make_page):
    make_page(slug="coming-soon", title="Coming soon", status=Page.Status.DRAFT)
    assert client.get("/en/coming-soon/").status_code == 404
    # As a scheduled publication would: the page turns public with no save.
    change_behind_the_cache("coming-soon", status=Page.Status.PUBLISHED)
    assert "Coming soon" in text_of(client, "/en/coming-soon/")


def test_a_scheduled_page_appears_when_publish_due_publishes_it(client, make_page):
    parent = Page.objects.get(slug="car-t")
    make_page(slug="soon", title="Coming soon", parent=parent, status=Page.Status.DRAFT, publish_at=None, sourced=True)
    Page.objects.filter(slug="soon").update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "Coming soon" not in text_of(client, "/en/car-t/")
    # The one rule: a due page is public once publish_due (every minute) has published it.
    assert client.get("/en/soon/").status_code == 404
    call_command("publish_due")
    assert "Coming soon" in text_of(client, "/en/soon/")
    assert "Coming soon" in text_of(client, "/en/car-t/")


def test_staff_see_drafts_and_fresh_text_never_a_cached_page(client, editor, make_page):
    make_page(slug="draft-page", status=Page.Status.DRAFT)
    text_of(client, "/en/car-t/")
    change_behind_the_cache("car-t", title="CAR-T (staff see this at once)")
    client.force_login(editor)
    response = client.get("/en/car-t/")
    assert "CAR-T (staff see this at once)" in response.content.decode()
    assert "Edit this page" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert client.get("/en/draft-page/").status_code == 200
    client.logout()
    # The reader still gets the reader's page, and never the staff version.
    body = text_of(client, "/en/car-t/")
    assert "Edit this page" not in body and "CAR-T (staff see this at once)" not in body
    assert client.get("/en/draft-page/").status_code == 404


def test_a_cached_page_carries_the_same_security_headers(client):
    first = client.get("/en/cell-therapy/", **HTTPS)
    second = client.get("/en/cell-therapy/", **HTTPS)
    assert second.content == first.content
    for header in [
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Vary",
        "Content-Type",
        "Content-Length",
        "ETag",
        "Cache-Control",
    ]:
        assert second[header] == first[header], header
    assert "max-age=63072000" in second["Strict-Transport-Security"]


def test_each_host_and_scheme_gets_its_own_page_and_unknown_hosts_are_refused(client, settings):
    settings.ALLOWED_HOSTS = ["atmp.example.dk", "www.atmp.example.dk"]
    plain = text_of(client, "/en/car-t/", HTTP_HOST="atmp.example.dk")
    secure = text_of(client, "/en/car-t/", HTTP_HOST="atmp.example.dk", **HTTPS)
    www = text_of(client, "/en/car-t/", HTTP_HOST="www.atmp.example.dk", **HTTPS)
    assert 'href="http://atmp.example.dk/en/car-t/"' in plain
    assert 'href="https://atmp.example.dk/en/car-t/"' in secure
    assert 'href="https://www.atmp.example.dk/en/car-t/"' in www
    assert client.get("/en/car-t/", HTTP_HOST="evil.example.com").status_code == 400
    settings.ALLOWED_HOSTS = ["www.atmp.example.dk"]  # a host answered before is refused once it is not allowed
    assert client.get("/en/car-t/", HTTP_HOST="atmp.example.dk", **HTTPS).status_code == 400


def test_only_the_sites_own_cookies_and_query_strings_go_to_the_view(client):
    text_of(client, "/en/car-t/")
    change_behind_the_cache("car-t", title="Changed behind the cache")
    assert "Changed behind the cache" not in text_of(client, "/en/car-t/")  # the stored page answers
    # A leaflet's tracking query and a cookie the site never reads change nothing on the page: stored.
    assert "Changed behind the cache" not in text_of(client, "/en/car-t/?utm_source=leaflet")
    client.cookies["theme"] = "dark"
    assert "Changed behind the cache" not in text_of(client, "/en/car-t/")
    # The thanks after feedback, and a session (an editor, possibly), are rendered for the request.
    assert "Changed behind the cache" in text_of(client, "/en/car-t/?feedback=sent")
    client.cookies["sessionid"] = "whatever"
    assert "Changed behind the cache" in text_of(client, "/en/car-t/")


# A page with a form, as the feedback form will be: its CSRF token belongs to
# one reader, so it must never be stored and handed to another.
FORM_PAGE = engines["django"].from_string('<form method="post">{% csrf_token %}<button>Send</button></form>')


def page_with_a_form(request):
    return HttpResponse(FORM_PAGE.render(request=request))


def page_that_sets_a_cookie(request):
    response = HttpResponse("Welcome back")
    response.set_cookie("seen", "1")
    return response


# The site's own URLs (i18n_patterns cannot be included, so they are added as they are).
urlpatterns = [
    path("form/", page_with_a_form),
    path("cookie/", page_that_sets_a_cookie),
    *site_urls.urlpatterns,
]


def test_a_page_with_a_csrf_token_or_a_cookie_is_never_shared(client, settings):
    settings.ROOT_URLCONF = "tests.content.test_shared_pages"
    first = client.get("/form/")
    client.cookies.clear()  # a second reader, with no cookie yet
    second = client.get("/form/")
    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert first.content != second.content  # each reader their own token
    assert "seen" in client.get("/cookie/").cookies
    client.cookies.clear()
    assert "seen" in client.get("/cookie/").cookies


def test_public_pages_are_compressed_once_and_pages_with_secrets_never(client, settings, editor):

    plain = client.get("/en/car-t/")
    packed = client.get("/en/car-t/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert packed["ETag"] != plain["ETag"]  # two representations, two tags
    assert client.get("/en/car-t/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 304
    # A page holding a CSRF token, or an editor's page: never compressed (no BREACH).
    settings.ROOT_URLCONF = "tests.content.test_shared_pages"
    client.cookies.clear()
    assert "Content-Encoding" not in client.get("/form/", HTTP_ACCEPT_ENCODING="gzip")
    staff = Client()
    staff.force_login(editor)
    assert "Content-Encoding" not in staff.get("/en/car-t/", HTTP_ACCEPT_ENCODING="gzip")
