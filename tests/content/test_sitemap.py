"""
The XML sitemap: an index with one section per language, paginated, cached,
and never stale: an edit, a deletion or a publish-at time passing shows at once.
"""

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import Page
from content.sitemaps import PageSitemap
from tests.support.sitemap import LOC, whole_sitemap

pytestmark = pytest.mark.django_db


def test_the_index_has_one_section_per_language_each_listing_only_its_own_pages(client):
    index = client.get("/sitemap.xml").content.decode()
    assert LOC.findall(index) == ["http://testserver/sitemap-da.xml", "http://testserver/sitemap-en.xml"]
    danish = client.get("/sitemap-da.xml").content.decode()
    english = client.get("/sitemap-en.xml").content.decode()
    assert set(LOC.findall(danish)) == {
        f"http://testserver{page.get_absolute_url()}" for page in Page.objects.published().filter(language="da")
    }
    assert all("/en/" in loc for loc in LOC.findall(english))


def test_sections_are_paginated_and_together_list_every_published_page_once(client, make_page, monkeypatch):
    monkeypatch.setattr(PageSitemap, "limit", 3)
    for n in range(5):
        make_page(slug=f"extra-{n}")
    make_page(slug="a-draft", status=Page.Status.DRAFT)

    index = client.get("/sitemap.xml").content.decode()
    english_pages = Page.objects.published().filter(language="en").count()
    assert f"http://testserver/sitemap-en.xml?p={-(-english_pages // 3)}" in index
    locations = [loc for loc in LOC.findall(whole_sitemap(client)) if "/sitemap" not in loc]
    expected = [f"http://testserver{page.get_absolute_url()}" for page in Page.objects.published()]
    assert sorted(locations) == sorted(expected)
    assert "/en/a-draft/" not in " ".join(locations)


def test_a_sitemap_section_costs_a_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        first = client.get("/sitemap-en.xml").content
    with django_assert_max_num_queries(4):
        again = client.get("/sitemap-en.xml").content
    assert again == first


def test_an_edit_a_deletion_and_a_passing_publish_time_show_at_once(client, make_page):
    page = make_page(slug="before-rename")
    assert "/en/before-rename/" in client.get("/sitemap-en.xml").content.decode()  # now cached

    page.slug = "after-rename"
    page.save()
    body = client.get("/sitemap-en.xml").content.decode()
    assert "/en/after-rename/" in body and "/en/before-rename/" not in body

    page.delete()
    assert "/en/after-rename/" not in client.get("/sitemap-en.xml").content.decode()

    # Scheduled a second from now: listed once publish_due (the one publishing rule) publishes it.
    make_page(
        slug="scheduled",
        status=Page.Status.DRAFT,
        publish_at=timezone.now() + datetime.timedelta(seconds=1),
        sourced=True,
    )
    assert "/en/scheduled/" not in client.get("/sitemap-en.xml").content.decode()
    time.sleep(1.2)
    call_command("publish_due")
    assert "/en/scheduled/" in client.get("/sitemap-en.xml").content.decode()


def test_a_translation_is_an_alternate_only_while_it_is_published(client):
    danish = Page.objects.get(slug="celleterapi")
    assert 'hreflang="en" href="http://testserver/en/cell-therapy/"' in client.get("/sitemap-da.xml").content.decode()
    english = danish.translation
    english.status = Page.Status.DRAFT
    english.save()
    body = client.get("/sitemap-da.xml").content.decode()
    assert "http://testserver/da/celleterapi/" in body
    assert 'href="http://testserver/en/cell-therapy/"' not in body


def test_odd_page_numbers_are_refused_and_not_kept(client):
    assert client.get("/sitemap-en.xml?p=99").status_code == 404
    assert client.get("/sitemap-en.xml?p=x").status_code == 404
    assert client.get("/sitemap-xx.xml").status_code == 404
