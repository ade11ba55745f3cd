"""
The terms that exist now become the signed-off baseline of term review (issue 22).

Before, a page's sign-off digest held the text of every glossary definition it
printed; now a term whose published text was signed off adds nothing (its own
review covers every page printing it). Every existing term is published, and
its text is the one reviewed pages already showed, so it is recorded as signed
off, and each page whose sign-off still matched what it shows gets the same
sign-off under the new digest: no reviewed page loses its reviewer's name
through this migration, and none that had lost it gets it back. Each term gets
its first history record. The digests are computed here with frozen copies of
`glossary.models.Term.text_digest` and `content.models.Page.content_digest`.
"""

import hashlib
import json
import re

from django.db import migrations
from django.utils import timezone

TERM_ANCHOR = re.compile(r'#term-([a-z0-9-]+)"')


def term_digest(term):
    shown = [
        term.language, term.slug, term.term, term.synonyms, term.definition.replace("\r\n", "\n"), term.page_id
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def page_digest(page, Source, terms):
    sources = Source.objects.filter(page=page).order_by("order", "pk")
    shown = {
        "title": page.title,
        "summary": page.summary,
        "body": (page.body or "").replace("\r\n", "\n"),
        "sources": [
            tuple(str(value) for value in row) for row in sources.values_list("title", "publisher", "url", "accessed")
        ],
        "terms": terms,
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def printed_terms(page, Term):
    slugs = sorted(set(TERM_ANCHOR.findall(page.body_html or "")))
    return list(
        Term.objects.filter(language=page.language, slug__in=slugs)
        .order_by("slug")
        .values_list("slug", "term", "definition")
    )


def signed_off_baseline(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    HistoricalTerm = apps.get_model("glossary", "HistoricalTerm")
    Page, Source = apps.get_model("content", "Page"), apps.get_model("content", "Source")
    pages = []
    for page in Page.objects.exclude(approved_digest=""):
        if page_digest(page, Source, printed_terms(page, Term)) == page.approved_digest:
            pages.append(page)
    now = timezone.now()
    for term in Term.objects.all():
        term.approved_digest = term_digest(term)
        term.save(update_fields=["approved_digest"])
        fields = {field.attname: getattr(term, field.attname) for field in Term._meta.concrete_fields}
        HistoricalTerm.objects.create(
            **fields, history_date=now, history_type="+", history_change_reason="Signed-off text before term review"
        )
    for page in pages:
        Page.objects.filter(pk=page.pk).update(approved_digest=page_digest(page, Source, []))


def text_again(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    Page, Source = apps.get_model("content", "Page"), apps.get_model("content", "Source")
    signed_off = {
        (term.language, term.slug) for term in Term.objects.all() if term.approved_digest == term_digest(term)
    }
    for page in Page.objects.exclude(approved_digest=""):
        printed = printed_terms(page, Term)
        unsigned = [entry for entry in printed if (page.language, entry[0]) not in signed_off]
        if page_digest(page, Source, unsigned) == page.approved_digest:
            Page.objects.filter(pk=page.pk).update(approved_digest=page_digest(page, Source, printed))


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0010_stored_pages_and_signoff_digest"),
        ("glossary", "0007_term_review"),
    ]

    operations = [migrations.RunPython(signed_off_baseline, text_again)]
