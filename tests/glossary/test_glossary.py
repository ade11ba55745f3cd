"""The glossary: terms editors manage, marked where a page first uses them, listed A–Z."""

import re
from html import unescape

import pytest
from django.test import SimpleTestCase

from content.models import Page
from glossary.marking import GlossaryEntry, mark_terms
from glossary.models import Term
from tests.support import html

pytestmark = pytest.mark.django_db

DONOR = GlossaryEntry(slug="donor", url="/en/glossary/#term-donor", variants=("Donor",), definition="Gives cells.")
EBV = GlossaryEntry(
    slug="ebv", url="/en/glossary/#term-ebv", variants=("EBV", "Epstein-Barr virus"), definition="A virus."
)
T_CELL = GlossaryEntry(slug="t-cell", url="/en/glossary/#term-t-cell", variants=("T cell",), definition="A cell.")
CAR_T = GlossaryEntry(slug="car-t", url="/en/glossary/#term-car-t", variants=("CAR-T",), definition="A treatment.")


def link(entry, text):
    """A marked word: a link to its note in the page, heard as "donor (glossary)"."""
    return (
        f'<a class="glossary-term" href="#glossary-note-{entry.slug}" id="glossary-mark-{entry.slug}">'
        f'{text}<span class="visually-hidden"> (glossary)</span></a>'
    )


def notes(*entries):
    """The notes at the end of a section: each word, its definition, back to the text, on to the A–Z page."""
    items = "".join(
        f'<div class="glossary-note" id="glossary-note-{e.slug}" tabindex="-1"><dt>{e.variants[0]}</dt>'
        f'<dd>{e.definition} <a class="glossary-back" href="#glossary-mark-{e.slug}">Back to the text'
        f'<span class="visually-hidden">: {e.variants[0]}</span></a> '
        f'<a class="glossary-more" href="{e.url}">In the glossary'
        f'<span class="visually-hidden">: {e.variants[0]}</span></a></dd></div>'
        for e in entries
    )
    title = '<p class="glossary-notes-title">Words explained in this section</p>'
    return f'<div class="glossary-notes">{title}<dl>{items}</dl></div>'


def assert_html_equal(actual, expected):
    SimpleTestCase().assertHTMLEqual(actual, expected)


def test_only_the_first_occurrence_is_marked():
    marked = mark_terms("<p>A donor gives cells.</p><p>The donor is tested. Donors help.</p>", [DONOR])
    assert_html_equal(
        marked, f"<p>A {link(DONOR, 'donor')} gives cells.</p><p>The donor is tested. Donors help.</p>{notes(DONOR)}"
    )


def test_never_inside_headings_links_code_or_pre():
    body = (
        '<h2 id="donor">Donor</h2><p><a href="/en/x/">donor page</a> <code>donor</code></p>'
        "<pre>donor</pre><h3>A donor</h3><p>Each donor counts.</p>"
    )
    assert_html_equal(
        mark_terms(body, [DONOR]),
        '<h2 id="donor">Donor</h2><p><a href="/en/x/">donor page</a> <code>donor</code></p>'
        f"<pre>donor</pre><h3>A donor</h3><p>Each {link(DONOR, 'donor')} counts.</p>{notes(DONOR)}",
    )


def test_a_synonym_counts_as_the_term_and_acronyms_match_only_as_written():
    marked = mark_terms("<p>The ebv test. Epstein-Barr virus is common. EBV again.</p>", [EBV])
    assert_html_equal(
        marked, f"<p>The ebv test. {link(EBV, 'Epstein-Barr virus')} is common. EBV again.</p>{notes(EBV)}"
    )


def test_plurals_count_and_a_term_inside_a_longer_name_does_not():
    marked = mark_terms("<p>CAR-T cells differ from other T cells.</p>", [T_CELL, CAR_T])
    assert_html_equal(
        marked,
        f"<p>{link(CAR_T, 'CAR-T')} cells differ from other {link(T_CELL, 'T cells')}.</p>{notes(CAR_T, T_CELL)}",
    )


def test_text_stays_escaped_and_markup_unchanged():
    body = '<p>1 &lt; 2 &amp; a donor &lt;script&gt;</p><p><img src="/a.png" alt="x"><br>donor</p>'
    assert_html_equal(
        mark_terms(body, [DONOR]),
        f'<p>1 &lt; 2 &amp; a {link(DONOR, "donor")} &lt;script&gt;</p><p><img src="/a.png" alt="x"><br>donor</p>'
        + notes(DONOR),
    )


def test_each_section_explains_its_own_words_at_its_end():
    body = '<p>A donor.</p><h2 id="two">Two</h2><p>EBV here, and the donor again.</p><ul><li>T cells</li></ul>'
    assert_html_equal(
        mark_terms(body, [DONOR, EBV, T_CELL]),
        f"<p>A {link(DONOR, 'donor')}.</p>{notes(DONOR)}"
        f'<h2 id="two">Two</h2><p>{link(EBV, "EBV")} here, and the donor again.</p>'
        f"<ul><li>{link(T_CELL, 'T cells')}</li></ul>{notes(EBV, T_CELL)}",
    )


def test_a_definition_with_markup_is_shown_as_text():
    evil = GlossaryEntry(
        slug="evil",
        url="/en/glossary/#term-evil",
        variants=("evil",),
        definition='<img src=x onerror="alert(1)"> & co',
    )
    marked = mark_terms("<p>An evil word.</p>", [evil])
    assert "<img" not in marked and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in marked


def test_a_page_does_not_mark_its_own_topic(client, make_page):
    # The CAR-T page is the page of the glossary's "CAR-T" term; another page that names it in words marks it.
    car_t = client.get("/en/car-t/").content.decode()
    assert "glossary-mark-car-t" not in car_t
    assert "glossary-mark-t-cell" in car_t, "other words on the page are still explained"
    other = make_page(slug="names-car-t", body="CAR-T is one treatment that uses T cells.")
    assert "glossary-mark-car-t" in client.get(other.get_absolute_url()).content.decode()


def test_a_term_named_like_the_page_title_or_slug_is_not_marked_there(make_page):
    Term.objects.create(language="en", term="Gloop", slug="gloop", definition="A thick thing.")
    Term.objects.create(language="en", term="Splodge", slug="splodge", definition="A blot.")
    by_title = make_page(title="Gloop", body="Gloop and splodge.")
    by_slug = make_page(slug="splodge", body="Gloop and splodge.")
    assert "glossary-mark-gloop" not in by_title.body_html and "glossary-mark-splodge" in by_title.body_html
    assert "glossary-mark-splodge" not in by_slug.body_html and "glossary-mark-gloop" in by_slug.body_html


def test_a_marked_word_opens_its_definition_in_the_page_without_leaving_it(client):
    body = client.get("/da/celleterapi/").content.decode()
    marks = [tag for tag in html.tags(body, "a") if "glossary-term" in tag.get("class", "")]
    assert marks
    for mark in marks:
        assert mark["href"].startswith("#glossary-note-"), "the word links to its note on the same page"
        assert f'id="{mark["href"][1:]}"' in body
    assert "(ordforklaring)" in body and "Ord forklaret i dette afsnit" in body
    assert "/da/ordliste/#term-" in body, "the note leads on to the A–Z glossary"


def test_the_seed_glossary_has_the_terms_the_pages_use():
    terms = set(Term.objects.values_list("term", flat=True))
    assert {
        "ATMP", "Cell therapy", "Gene therapy", "Tissue therapy", "Autologous", "Allogeneic", "T cell",
        "CAR-T", "EBV", "PTLD", "EMA", "Danish Medicines Council", "Infusion", "Immune system",
    } <= terms  # fmt: skip
    assert all(term.definition.strip() for term in Term.objects.all())


def test_seed_pages_link_terms_to_entries_that_exist_on_the_glossary_page(client):
    glossary = client.get("/en/glossary/").content.decode()
    anchors = {tag["id"] for tag in html.tags(glossary, "dt") if tag.get("id")}
    body = client.get("/en/cell-therapy/").content.decode()
    term_links = [href for href in html.links(body) if href.startswith("/en/glossary/#")]
    assert "/en/glossary/#term-autologous" in term_links
    assert len(term_links) == len(set(term_links)), "each term is linked once"
    assert {href.split("#")[1] for href in term_links} <= anchors


def test_a_new_term_is_marked_in_existing_pages_and_removing_it_unmarks_them(client, make_page):
    page = make_page(slug="wibble-page", body="## Wibble\n\nA wibble is small. Another wibble.")
    term = Term.objects.create(language="en", term="wibble", slug="wibble", definition="A small thing.")
    body = client.get("/en/wibble-page/").content.decode()
    assert html.links(body).count("/en/glossary/#term-wibble") == 1
    page.refresh_from_db()
    assert '<h2 id="wibble">Wibble</h2>' in page.body_html
    term.delete()
    assert "/en/glossary/#term-wibble" not in client.get("/en/wibble-page/").content.decode()


def test_a_page_saved_later_is_marked_too(make_page):
    Term.objects.create(language="en", term="flump", slug="flump", definition="A soft thing.")
    page = make_page(body="A flump.")
    assert 'href="/en/glossary/#term-flump"' in Page.objects.get(pk=page.pk).body_html


def test_the_glossary_page_lists_terms_a_to_z_with_escaped_definitions(client):
    Term.objects.create(
        language="en", term="zeta <b>", slug="zeta", definition="Says <script>alert(1)</script> & more."
    )
    response = client.get("/en/glossary/")
    body = response.content.decode()
    terms = [unescape(term) for term in re.findall(r"<dt[^>]*>(.*?)</dt>", body)]
    assert "ATMP" in terms and "zeta <b>" in terms
    assert terms == sorted(terms, key=str.casefold)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in body
    assert "<script>alert" not in body
    assert "zeta &lt;b&gt;" in body
    letters = [tag["href"] for tag in html.tags(body, "a") if tag.get("href", "").startswith("#letter-")]
    assert letters[0] == "#letter-A" and "#letter-Z" in letters


def test_a_term_links_to_its_page_when_that_page_is_published(client):
    body = client.get("/en/glossary/").content.decode()
    assert "/en/car-t/" in html.links(body)


# --- Issue 23, readers' item 5: explained once, and not when the text already does ---

CRS = GlossaryEntry(slug="crs", url="/en/glossary/#term-crs", variants=("CRS",), definition="A side effect.")


def test_a_term_the_sentence_explains_gets_no_note():
    body = "<ul><li><strong>CRS</strong> stands for cytokine release syndrome.</li></ul><p>CRS is serious.</p>"
    assert_html_equal(mark_terms(body, [CRS]), body)
    same_node = "<p>ICANS står for a long name.</p>"
    icans = GlossaryEntry(slug="icans", url="/da/ordliste/#term-icans", variants=("ICANS",), definition="x")
    assert_html_equal(mark_terms(same_node, [icans], language="da"), same_node)


def test_a_term_first_used_as_a_link_to_its_page_is_not_explained_later():
    car_t = GlossaryEntry(
        slug="car-t", url="/en/glossary/#term-car-t", variants=("CAR-T",), definition="A treatment.",
        page_url="/en/car-t/",
    )  # fmt: skip
    body = '<p><a href="/en/car-t/">CAR-T</a> can cause side effects.</p><p>After CAR-T, rest.</p>'
    assert_html_equal(mark_terms(body, [car_t]), body)
    # A link elsewhere does not explain it: the first use in the text is marked.
    other = '<p><a href="/en/x/">CAR-T</a> here.</p><p>After CAR-T, rest.</p>'
    assert_html_equal(
        mark_terms(other, [car_t]),
        f'<p><a href="/en/x/">CAR-T</a> here.</p><p>After {link(car_t, "CAR-T")}, rest.</p>{notes(car_t)}',
    )


def test_reading_time_counts_the_glossary_notes_the_reader_sees(make_page):
    words = " ".join(["word"] * 190)
    Term.objects.create(term="zygote", slug="zygote", definition=" ".join(["explained"] * 40), language="en")
    page = make_page(slug="reading", body=f"A zygote gives cells. {words}")
    # The author's text alone is under 200 words (one minute); with its note the reader reads two.
    assert page.word_count < 200 and page.reading_minutes == 2
