"""What search engines and link previews read: JSON-LD, canonical URL, Open Graph, Twitter, site map."""

import datetime
import json
import re

import pytest

from content.models import Page
from tests.conftest import approved
from tests.support import html

pytestmark = pytest.mark.django_db


def json_ld(body):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, flags=re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(body, key):
    for tag in html.tags(body, "meta"):
        if key in (tag.get("property"), tag.get("name")):
            return tag.get("content")
    return None


def test_each_page_describes_itself_as_a_medical_web_page(client):
    page = Page.objects.get(slug="ebvallo")
    data = json_ld(client.get("/en/ebvallo/").content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == page.title
    assert data["description"] == page.summary
    # Not approved by a named reviewer: no review date, as on the page itself (issue 23).
    assert "lastReviewed" not in data
    assert data["about"] == {"@type": "MedicalTherapy", "name": "Cell therapy"}
    assert data["inLanguage"] == "en"
    assert data["url"] == "http://testserver/en/ebvallo/"


def test_json_ld_stays_valid_json_and_cannot_close_its_script_element(client, make_page, django_user_model):
    page = make_page(
        slug="tricky",
        title='Quotes " and </script><script>alert(1)</script>',
        summary="A & B <!-- not a comment -->",
    )
    approved(page, django_user_model.objects.create_user("reviewer-json"), datetime.date(2026, 1, 2))
    body = client.get("/en/tricky/").content.decode()
    data = json_ld(body)
    assert data["name"] == 'Quotes " and </script><script>alert(1)</script>'
    assert data["description"] == "A & B <!-- not a comment -->"
    assert data["lastReviewed"] == "2026-01-02"
    assert "<script>alert(1)" not in body


def test_a_page_never_reviewed_has_no_review_date_in_json_ld(client, make_page):
    make_page(slug="unreviewed")
    assert "lastReviewed" not in json_ld(client.get("/en/unreviewed/").content.decode())


def test_canonical_open_graph_and_twitter_tags_come_from_the_page(client):
    page = Page.objects.get(slug="car-t")
    body = client.get("/en/car-t/", {"utm_source": "newsletter"}).content.decode()
    canonical = [tag["href"] for tag in html.tags(body, "link") if tag.get("rel") == "canonical"]
    assert canonical == ["http://testserver/en/car-t/"]
    assert meta(body, "description") == page.summary
    assert meta(body, "og:title") == page.title
    assert meta(body, "og:description") == page.summary
    assert meta(body, "og:url") == "http://testserver/en/car-t/"
    assert meta(body, "og:type") == "article"
    assert meta(body, "twitter:card") == "summary"
    assert meta(body, "twitter:title") == page.title


def test_the_site_map_page_lists_published_pages_as_a_tree_and_no_drafts(client, make_page):
    make_page(slug="hidden-draft", title="Hidden draft", status=Page.Status.DRAFT)
    body = client.get("/en/site-map/").content.decode()
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    links = html.links(main)
    for slug in Page.objects.published().filter(language="en").values_list("slug", flat=True):
        assert f"/en/{slug}/" in links
    assert "/en/hidden-draft/" not in links
    # Children are nested under their parent: Ebvallo sits inside Cell therapy's list.
    cell_list = main.split('href="/en/cell-therapy/"', 1)[1].split('href="/en/gene-therapy/"', 1)[0]
    assert '<ul class="site-map">' in cell_list and 'href="/en/ebvallo/"' in cell_list
    assert "/en/site-map/" in html.links(client.get("/en/").content.decode())
