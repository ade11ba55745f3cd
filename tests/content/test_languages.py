"""Danish and English: addresses, negotiation, the switcher, hreflang, the catalogue, Danish search."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from content.models import Page
from tests.support import html
from tests.support.sitemap import whole_sitemap

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# As the Makefile's `make messages` runs it.
MAKEMESSAGES = ["makemessages", "-l", "da", "--no-obsolete", "--ignore=tests", "--ignore=scripts", "--ignore=.venv"]


def test_the_root_sends_a_reader_with_no_preference_to_danish():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/da/"


def test_the_root_follows_the_browsers_language():
    assert Client(headers={"accept-language": "en-GB,en;q=0.9"}).get("/")["Location"] == "/en/"
    assert Client(headers={"accept-language": "da,en;q=0.5"}).get("/")["Location"] == "/da/"
    # A language the site does not have: Danish, the default.
    assert Client(headers={"accept-language": "de"}).get("/")["Location"] == "/da/"


def test_the_danish_page_is_in_danish_throughout():
    body = Client().get("/da/celleterapi/").content.decode()
    text = html.text(body)
    assert '<html lang="da">' in body
    assert "<h1>Celleterapi</h1>" in body
    # The interface too, with Danish dates.
    for words in ("Endnu ikke fagligt godkendt", "Kilder", "Udforsk de andre ATMP'er", "Søg"):
        assert words in text, words
    page = Page.objects.get(slug="celleterapi")
    source = page.sources.first()
    assert f"{source.accessed.day}. {source.accessed:%B}".lower() in text.lower()
    # Its cross-links stay in Danish.
    links = html.links(body)
    assert "/da/genterapi/" in links and "/en/gene-therapy/" not in [link for link in links if "hreflang" in link]


def test_a_slug_asked_for_in_the_wrong_language_goes_to_its_translation():
    # The address's language wins: /da/cell-therapy/ is the Danish page (issue 23).
    response = Client().get("/da/cell-therapy/")
    assert response.status_code == 301 and response["Location"] == "/da/celleterapi/"


def switcher(body):
    return body.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]


def test_the_switcher_leads_to_the_same_page_in_the_other_language():
    danish = switcher(Client().get("/da/celleterapi/").content.decode())
    english = switcher(Client().get("/en/cell-therapy/").content.decode())
    assert html.links(danish) == ["/en/cell-therapy/"]
    assert html.links(english) == ["/da/celleterapi/"]


def test_the_switcher_says_plainly_when_there_is_no_translation_yet(make_page):
    page = make_page(title="Travel and costs", slug="travel-and-costs", language="en")
    body = Client().get(page.get_absolute_url()).content.decode()
    part = switcher(body)
    assert "Denne side findes ikke på dansk endnu." in html.text(part)
    assert html.links(part) == ["/da/"]
    assert 'hreflang="da"' not in body.split("</head>", 1)[0]


def test_hreflang_links_pair_the_two_versions():
    for path, own, other in (("/da/celleterapi/", "da", "en"), ("/en/cell-therapy/", "en", "da")):
        head = Client().get(path).content.decode().split("</head>", 1)[0]
        alternates = {attrs["hreflang"]: attrs["href"] for attrs in html.tags(head, "link") if attrs.get("hreflang")}
        assert alternates == {
            "da": "http://testserver/da/celleterapi/",
            "en": "http://testserver/en/cell-therapy/",
        }, (path, own, other)


def test_the_sitemap_lists_both_languages_with_their_alternates():
    body = whole_sitemap(Client())
    for page in Page.objects.published():
        assert f"<loc>http://testserver{page.get_absolute_url()}</loc>" in body
    assert 'hreflang="da" href="http://testserver/da/celleterapi/"' in body
    assert 'hreflang="en" href="http://testserver/en/cell-therapy/"' in body


def test_every_seed_page_has_its_translation_and_both_read_under_lix_40():
    for page in Page.objects.published():
        assert page.translation is not None and page.translation.language != page.language, page.slug
        assert page.translation.translation_id == page.pk
        assert page.lix < 40, (page.slug, page.lix)


def test_linking_a_translation_links_both_ways_and_refuses_the_same_language(make_page):
    english = make_page(slug="test-side-effects", language="en")
    danish = make_page(slug="test-bivirkninger", language="da", translation=english)
    english.refresh_from_db()
    assert english.translation == danish
    with pytest.raises(ValidationError) as refused:
        make_page(slug="more-side-effects", language="en", translation=english)
    assert "translation" in refused.value.message_dict


def test_the_admin_lists_pages_that_lack_a_translation(staff_client, make_page):
    make_page(title="Only in English", slug="only-in-english", language="en")
    listing = html.text(staff_client.get("/admin/content/page/?translation=missing").content.decode())
    assert "Only in English" in listing
    assert "1 result" in listing  # the seed pages all have their translation


def test_the_admin_shows_when_the_other_version_was_reviewed_more_recently(staff_client):
    danish = Page.objects.get(slug="celleterapi")
    danish.last_reviewed = danish.last_reviewed.replace(year=danish.last_reviewed.year + 1)
    danish.save()
    listing = html.text(staff_client.get("/admin/content/page/?translation=behind").content.decode())
    assert "Cell therapy" in listing
    assert "reviewed more recently" in listing


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext (scripts/ensure-gettext)")
@pytest.mark.slow
def test_the_danish_catalogue_translates_every_string_the_code_uses(tmp_path):
    # makemessages on a copy of the project: nothing new, nothing untranslated, nothing fuzzy.
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "node_modules", ".*"))
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy, env={**os.environ, "DJANGO_DEBUG": "1"}, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    catalogue = copy / "locale" / "da" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)], capture_output=True, text=True
    )
    assert stats.returncode == 0, stats.stderr
    assert "untranslated" not in stats.stderr and "fuzzy" not in stats.stderr, stats.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Danish stemming is PostgreSQL's 'danish' configuration")
def test_danish_search_finds_an_inflected_form():
    body = Client().get("/da/soeg/", {"q": "celleterapien"}).content.decode()
    results = body.split('class="search-results"', 1)[1].split("</ol>", 1)[0]
    assert "/da/celleterapi/" in html.links(results)
    assert all(link.startswith("/da/") for link in html.links(results))


def test_english_search_stays_in_english():
    body = Client().get("/en/search/", {"q": "cell therapy"}).content.decode()
    results = body.split('class="search-results"', 1)[1].split("</ol>", 1)[0]
    assert "/en/cell-therapy/" in html.links(results)
    assert all(link.startswith("/en/") for link in html.links(results))
