"""Seed the Danish glossary (glossary/seed_da.yaml) and mark its terms in the Danish pages."""

from pathlib import Path

import yaml
from django.db import migrations
from django.utils.text import slugify

SEED_FILE = Path(__file__).resolve().parent.parent / "seed_da.yaml"
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def seed(apps, schema_editor):
    from content.markdown import render
    from glossary.marking import entries_from, mark_terms

    Term = apps.get_model("glossary", "Term")
    Page = apps.get_model("content", "Page")
    pages = {page.slug: page for page in Page.objects.filter(language="da")}
    for entry in yaml.safe_load(SEED_FILE.read_text(encoding="utf-8")):
        Term.objects.get_or_create(
            language="da",
            slug=slugify(entry["term"].translate(DANISH_LETTERS)),
            defaults={
                "term": entry["term"],
                "definition": entry["definition"].strip(),
                "synonyms": ", ".join(entry.get("synonyms") or []),
                "page": pages.get(entry.get("page") or ""),
            },
        )
    # Historical models send no signals to our receivers: mark the pages here.
    entries = entries_from(Term.objects.filter(language="da"), "da")
    for page in pages.values():
        Page.objects.filter(pk=page.pk).update(body_html=mark_terms(render(page.body, language="da").html, entries))


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0003_term_language"),
        ("content", "0006_load_danish_seed_pages"),
    ]

    # Unapplying keeps the terms: editors may have changed them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
