"""Seed the glossary (glossary/seed.py) and mark the terms in the existing pages."""

from django.db import migrations


def seed(apps, schema_editor):
    from content.markdown import render
    from glossary.marking import entries_from, mark_terms
    from glossary.seed import SEED_TERMS

    Term = apps.get_model("glossary", "Term")
    Page = apps.get_model("content", "Page")
    pages = {page.slug: page for page in Page.objects.all()}
    for term, slug, definition, synonyms, page_slug in SEED_TERMS:
        Term.objects.get_or_create(
            slug=slug,
            defaults={"term": term, "definition": definition, "synonyms": synonyms, "page": pages.get(page_slug)},
        )
    # Historical models have no save() logic and send no signals to our
    # receivers, so the pages are re-rendered and marked here.
    # Every page and term so far is English (languages came in content 0005, glossary 0003).
    entries = entries_from(Term.objects.all(), "en")
    for page in pages.values():
        Page.objects.filter(pk=page.pk).update(body_html=mark_terms(render(page.body, language="en").html, entries))


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_initial"),
        ("content", "0002_load_seed_pages"),
    ]

    # Unapplying keeps the terms: editors may have changed them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
