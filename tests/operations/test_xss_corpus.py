"""
XSS, level (a): every payload of the corpus through everything an editor can
write, then count dangerous output in the HTML the public gets: it must be 0.

The corpus (tests/support/xss.py): blns "Script Injection" and the OWASP filter-evasion
vectors. Each payload fills every editor field of one page (truncated to the
field's length, as the admin form would); the public page is parsed whole. The
markdownx live preview gets each payload too. The browser-level check (level b)
is tests/operations/test_xss_browser.py.
"""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse

from content import publishing
from content.models import Page, Source
from glossary.models import Term
from tests.support.xss import BLNS, CORPUS, OWASP, dangerous_output

pytestmark = pytest.mark.django_db


def fit(payload, model, field):
    return payload[: model._meta.get_field(field).max_length]


def valid_url_or_none(payload):
    try:
        URLValidator(schemes=["http", "https"])(payload)
    except ValidationError:
        return None  # the admin refuses it, so an editor cannot save it
    return payload


# Everything an editor can write, each given the payload. Another editable
# field is one more line here (e.g. a glossary definition, once that exists).
PAGE_FIELDS = {
    "title": lambda payload: fit(payload, Page, "title"),
    "summary": lambda payload: fit(payload, Page, "summary"),
    "body": lambda payload: payload,
}
SOURCE_FIELDS = {
    "title": lambda payload: fit(payload, Source, "title"),
    "publisher": lambda payload: fit(payload, Source, "publisher"),
    "url": lambda payload: valid_url_or_none(payload) or "https://www.ema.europa.eu/",
}


def publish_page_holding(payload, number):
    # The model's own save() renders and sanitises, as when the admin saves; page and
    # source are published together, as an admin save publishes them.
    with publishing.batch():
        page = Page(
            slug=f"xss-{number}",
            language="en",
            status=Page.Status.PUBLISHED,
            parent=Page.objects.get(slug="what-is-atmp", language="en"),
            **{f: w(payload) for f, w in PAGE_FIELDS.items()},
        )
        page.save()
        Source.objects.create(page=page, accessed="2026-01-01", **{f: w(payload) for f, w in SOURCE_FIELDS.items()})
    return page


def test_the_corpus_is_the_real_one():
    assert len(BLNS) == 235
    assert len(OWASP) > 100


@pytest.mark.slow
def test_no_payload_leaves_dangerous_output_on_the_public_page(client):
    # Whatever the site's own templates hold (an icon, JSON-LD) is the baseline;
    # only what a payload adds counts.
    plain = publish_page_holding("Plain words.", "plain")
    baseline = Counter(dangerous_output(client.get(plain.get_absolute_url()).content.decode()))
    findings = {}
    with publishing.batch():  # published together, as an import of many pages is
        pages = [publish_page_holding(payload, number) for number, payload in enumerate(CORPUS)]
    for payload, page in zip(CORPUS, pages, strict=True):
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        found = Counter(dangerous_output(response.content.decode())) - baseline
        if found:
            findings[payload] = list(found.elements())
    print(f"\nXSS level (a), public pages: {len(CORPUS)} payloads, {sum(map(len, findings.values()))} dangerous items")
    assert findings == {}


@pytest.mark.slow
def test_no_payload_leaves_dangerous_output_in_the_editor_preview(staff_client):
    findings = {}
    # markdownx's own preview, and the page form's live preview (issue 17: links checked, glossary marked).
    previews = ["/markdownx/markdownify/", "/admin/content/page/live-preview/?language=da&slug=x"]
    for payload in CORPUS:
        for preview in previews:
            response = staff_client.post(preview, {"content": payload})
            assert response.status_code == 200
            found = dangerous_output(response.content.decode())
            if found:
                findings[f"{preview} {payload}"] = found
    print(f"\nXSS level (a), previews: {len(CORPUS)} payloads, {sum(map(len, findings.values()))} dangerous items")
    assert findings == {}


def test_the_counter_finds_what_it_is_meant_to_find():
    # A counter that finds nothing proves nothing: unsanitised payloads must trip it.
    raw = "".join(CORPUS)
    assert len(dangerous_output(raw)) > 100
    for snippet in ['<a href=" jav\tascript:x">', "<img src=x onerror=y>", '<p style="x">', "<svg>", "<math>"]:
        assert dangerous_output(snippet), snippet


@pytest.mark.slow
def test_no_payload_leaves_dangerous_output_through_the_glossary(client):
    # Glossary entries reach readers twice: on the glossary page, and as term
    # links marked into page bodies. Terms are added in one go (bulk_create
    # sends no signals), then a page is saved so the marking runs once.
    glossary_baseline = Counter(dangerous_output(client.get(reverse("glossary:index")).content.decode()))
    plain = publish_page_holding("Plain words.", "plain")
    page_baseline = Counter(dangerous_output(client.get(plain.get_absolute_url()).content.decode()))
    Term.objects.bulk_create(
        [
            Term(
                language="en",
                term=fit(payload, Term, "term") or f"term {number}",
                slug=f"xss-{number}",
                definition=fit(payload, Term, "definition") or "x",
                synonyms=fit(payload, Term, "synonyms") or "",
            )
            for number, payload in enumerate(CORPUS)
        ],
        ignore_conflicts=True,  # two payloads may cut to the same term
    )
    assert Term.objects.filter(slug__startswith="xss-").count() > 300
    page = publish_page_holding("\n\n".join(CORPUS), "glossary")
    found = Counter(dangerous_output(client.get(reverse("glossary:index")).content.decode())) - glossary_baseline
    found += Counter(dangerous_output(client.get(page.get_absolute_url()).content.decode())) - page_baseline
    assert "glossary-term" in page.body_html  # the marking did run over the payloads
    print(f"\nXSS level (a), glossary: {len(CORPUS)} payloads, {sum(found.values())} dangerous items")
    assert found == Counter()
