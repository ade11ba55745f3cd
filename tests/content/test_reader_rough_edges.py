"""
Issue 17, readers' items 2–6, through real requests: what a patient's browser
receives (the browser checks of the same items are in tests/browser/test_readers_first_screen.py).
"""

import pytest
from django.test import Client, override_settings

from tests.support import html

pytestmark = pytest.mark.django_db


def get(path, language="da"):
    return Client(headers={"accept-language": language}).get(path)


# --- Item 4: Danish addresses ------------------------------------------------


@pytest.mark.parametrize(
    "path, words",
    [
        ("/da/soeg/?q=celleterapi", "Celleterapi"),
        ("/da/ordliste/", "Ordliste"),
        ("/en/search/?q=cell", "Cell therapy"),
    ],
)
def test_search_and_glossary_answer_at_their_own_languages_addresses(path, words):
    response = get(path)
    assert response.status_code == 200
    assert words in html.text(response.content.decode())


@pytest.mark.parametrize(
    "old, new",
    [
        ("/da/search/?q=gen%20terapi", "/da/soeg/?q=gen%20terapi"),
        ("/da/search/", "/da/soeg/"),
        ("/da/glossary/", "/da/ordliste/"),
    ],
)
def test_the_old_danish_addresses_redirect_permanently(old, new):
    response = get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_english_keeps_english_addresses():
    assert get("/en/glossary/", "en").status_code == 200
    assert get("/en/ordliste/", "en").status_code == 404
    assert get("/en/soeg/", "en").status_code == 404


@pytest.mark.parametrize(
    "path, other",
    [
        ("/da/ordliste/", "/en/glossary/"),
        ("/en/glossary/", "/da/ordliste/"),
        ("/da/soeg/?q=celle", "/en/search/?q=celle"),
        ("/en/search/?q=cell", "/da/soeg/?q=cell"),
    ],
)
def test_the_language_switcher_maps_the_translated_addresses(path, other):
    body = get(path).content.decode()
    switcher = body.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert other.replace("&", "&amp;") in html.links(switcher) or other in html.links(switcher)
    assert f'hreflang="{other[1:3]}" href="http://testserver{other}"' in body


def test_danish_pages_point_to_danish_addresses():
    body = get("/da/celleterapi/").content.decode()
    links = html.links(body)
    assert "/da/ordliste/" in links
    assert not [link for link in links if link.startswith(("/da/search", "/da/glossary"))]
    assert 'action="/da/soeg/"' in body


# --- Item 3: who is behind the site, one disclaimer, no XML link --------------

DISCLAIMERS = ["erstatter ikke", "does not replace"]


@pytest.mark.parametrize("path", ["/da/", "/da/celleterapi/", "/da/ordliste/", "/en/car-t/", "/en/search/?q=cell"])
def test_every_page_has_one_disclaimer_and_no_xml_site_map_for_readers(path):
    text = html.text(get(path).content.decode())
    assert sum(text.count(words) for words in DISCLAIMERS) == 1, text
    body = get(path).content.decode()
    assert "/sitemap.xml" not in html.links(body)
    assert "XML" not in text
    assert "/site-map/" in " ".join(html.links(body)), "the HTML site map stays"


def test_the_footer_says_who_writes_the_site_and_how_to_reach_them_by_default():
    text = html.text(get("/da/celleterapi/").content.decode())
    assert "En redaktion skriver hjemmesiden" in text
    assert "ATMP Danmark" in text
    assert "feedbackformularen" in text


@override_settings(SITE_PUBLISHER="Region Testland, Afdeling for Celleterapi", SITE_CONTACT_EMAIL="atmp@example.dk")
def test_the_operator_names_the_publisher_and_contact_on_every_page():
    for path in ["/da/", "/da/celleterapi/", "/en/glossary/"]:
        body = get(path).content.decode()
        assert "Region Testland, Afdeling for Celleterapi" in html.text(body)
        assert "mailto:atmp@example.dk" in html.links(body)


# --- Item 2: the first screen -------------------------------------------------


def test_the_menu_is_a_details_element_with_the_glossary_in_it():
    body = get("/da/celleterapi/").content.decode()
    menu = body.split('<details class="site-menu">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Menu" in menu
    assert "Ordliste" in html.text(menu) and "/da/ordliste/" in html.links(menu)
    assert "/da/celleterapi/" in html.links(menu)
    assert 'role="search"' in menu


def test_the_table_of_contents_is_collapsible():
    body = get("/da/celleterapi/").content.decode()
    toc = body.split('class="toc"', 1)[1].split("</nav>", 1)[0]
    assert '<details class="toc-details">' in toc and "<summary" in toc


def test_a_summary_the_body_repeats_word_for_word_is_shown_once():
    body = get("/da/celleterapi/").content.decode()
    summary = "Celleterapi betyder, at levende celler bruges som behandling."
    assert html.text(body).count(summary) == 1
    assert 'class="lead"' not in body


def test_a_summary_the_body_does_not_repeat_stays_as_the_lead(make_page):
    make_page(slug="lead-test", summary="A short summary.", body="## One\n\nSomething else first.\n\n## Two\n\nMore.")
    body = get("/en/lead-test/", "en").content.decode()
    assert '<p class="lead">A short summary.</p>' in body


# --- Item 6: print ------------------------------------------------------------


@override_settings(SITE_URL="https://atmp.example.dk")
def test_paper_carries_the_site_name_and_the_page_address_from_site_url():
    body = get("/da/celleterapi/").content.decode()
    assert '<p class="print-address">ATMP forklaret: https://atmp.example.dk/da/celleterapi/</p>' in body
    assert 'data-site-origin="https://atmp.example.dk"' in body


def test_without_site_url_the_request_origin_is_printed():
    body = get("/en/car-t/", "en").content.decode()
    assert '<p class="print-address">ATMP explained: http://testserver/en/car-t/</p>' in body


@pytest.mark.parametrize("slug", ["soeg", "ordliste"])
def test_an_editor_cannot_take_the_danish_search_or_glossary_address(make_page, slug):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_page(slug=slug, language="da")
    assert any(slug in message for message in refused.value.message_dict["slug"])


def test_search_snippets_read_the_text_not_the_glossary_notes():
    # "immune system" is explained in a note on the cell therapy page; the snippet quotes the text itself.
    body = get("/en/search/?q=immune", "en").content.decode()
    results = html.text(body.split('class="search-results"', 1)[1].split("</ol>", 1)[0])
    assert "immune" in results.casefold()
    assert "Words explained" not in results and "(glossary)" not in results and "Back to the text" not in results
