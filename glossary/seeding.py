"""
The glossary's starting terms (glossary/seed.py in English, glossary/seed_da.yaml
in Danish), created by `manage.py seed_site` beside the seed pages.

A term is created only when its language has no term with the same slug or
word, and no editor has deleted a term of that word in the admin (its log says
so). Terms that exist are never changed: an editor's definition stays.

Seed terms are created published, their text recorded as the signed-off
starting text (`Term.approved_digest`): a page a medical reviewer approves with
them keeps its reviewer's name through a reviewed change of the term.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from content.models import Page
from glossary.models import Term
from glossary.seed import SEED_TERMS
from glossary.signals import mark_pages_again

DANISH_SEED_FILE = Path(__file__).resolve().parent / "seed_da.yaml"
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


@dataclass
class SeedTerm:
    language: str
    term: str
    slug: str
    definition: str
    synonyms: str
    page_slug: str


def seed_terms():
    """Every seed term of both languages, English first."""
    english = [SeedTerm("en", *row) for row in SEED_TERMS]
    danish = [
        SeedTerm(
            "da",
            entry["term"],
            slugify(entry["term"].translate(DANISH_LETTERS)),
            entry["definition"].strip(),
            ", ".join(entry.get("synonyms") or []),
            entry.get("page") or "",
        )
        for entry in yaml.safe_load(DANISH_SEED_FILE.read_text(encoding="utf-8"))
    ]
    return english + danish


def create_missing_terms():
    """Create the seed terms this database lacks; returns them. Their pages are linked by `link_term_pages`."""
    term_log = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Term))
    deleted = set(term_log.filter(action_flag=DELETION).values_list("object_repr", flat=True))
    existing = {
        (language, key)
        for language, slug, term in Term.objects.values_list("language", "slug", "term")
        for key in (slug, term.lower())
    }
    created = []
    for seed in seed_terms():
        keys = {(seed.language, seed.slug), (seed.language, seed.term.lower())}
        if keys & existing or seed.term in deleted:
            continue
        fields = asdict(seed)
        page_slug = fields.pop("page_slug")
        page = Page.objects.filter(language=seed.language, slug=page_slug).first() if page_slug else None
        term = Term(**fields, page=page, status=Term.Status.PUBLISHED)
        term.approved_digest = term.text_digest()
        term.full_clean()
        term.save()
        existing |= keys
        created.append(term)
    return created


def link_term_pages(terms):
    """Link new terms to their pages once the pages exist; returns how many were linked."""
    page_slugs = {(seed.language, seed.slug): seed.page_slug for seed in seed_terms()}
    linked = []
    for term in terms:
        page_slug = page_slugs.get((term.language, term.slug))
        if term.page_id is None and page_slug:
            page = Page.objects.filter(language=term.language, slug=page_slug).first()
            if page is not None:
                term.page = page
                # update(), and the pages are marked again once, below: a term's page is not marked as it
                # (glossary.marking), and the starting text with its page is still the signed-off text.
                Term.objects.filter(pk=term.pk).update(page=term.page, approved_digest=term.text_digest())
                linked.append(term)
    if linked:
        mark_pages_again(*linked)
    return len(linked)
