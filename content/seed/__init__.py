"""
The site's starting pages, as markdown files with YAML front matter.

One folder per language: `en/` (loaded by the data migration
`0002_load_seed_pages`) and `da/` (loaded by `0006_load_danish_seed_pages`,
each Danish file naming its English version in `translation`), so a fresh
`python manage.py migrate` yields the complete, published site in both. A
migration runs once per database: later deploys never touch pages that editors
have since changed in the admin.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SEED_DIR = Path(__file__).resolve().parent
FRONT_MATTER_FENCE = "---"


class PageFileError(ValueError):
    """A page file that cannot be read; the message says where and why."""


@dataclass
class PageFile:
    meta: dict
    body: str
    sources: list = field(default_factory=list)


def parse_page_file(text: str, name: str = "page") -> PageFile:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise PageFileError(f"{name}: a page file starts with a '---' line and YAML front matter.")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise PageFileError(f"{name}: the front matter has no closing '---' line.") from None
    try:
        meta = yaml.safe_load("".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise PageFileError(f"{name}: the front matter is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise PageFileError(f"{name}: the front matter must be a mapping of field: value.")
    missing = [key for key in ("title", "slug", "summary") if not meta.get(key)]
    if missing:
        raise PageFileError(f"{name}: the front matter lacks {', '.join(missing)}.")
    body = "".join(lines[end + 1 :]).strip("\n") + "\n"
    return PageFile(meta=meta, body=body, sources=list(meta.pop("sources", None) or []))


def read_seed_pages(language: str = "en", directory: Path = SEED_DIR) -> list[PageFile]:
    directory = directory / language
    return [parse_page_file(path.read_text(encoding="utf-8"), path.name) for path in sorted(directory.glob("*.md"))]


def load_seed_pages(Page, Source, language="en", directory: Path = SEED_DIR, review_interval_days: int = 365):
    """Create the seed pages of one language that do not exist yet. Works with historical models."""
    from content.markdown import render

    files = [f for f in read_seed_pages(language, directory) if not Page.objects.filter(slug=f.meta["slug"]).exists()]
    # Before migration 0005 pages had no language field (they were all English).
    has_language = any(field.name == "language" for field in Page._meta.get_fields())
    created = {}
    for page_file in files:
        meta = page_file.meta
        rendered = render(page_file.body, language=language)
        last_reviewed = meta.get("last_reviewed")
        page = Page.objects.create(
            **({"language": language} if has_language else {}),
            title=meta["title"],
            slug=meta["slug"],
            summary=meta["summary"].strip(),
            body=page_file.body,
            body_html=rendered.html,
            sections=rendered.sections,
            family=meta.get("family", "general"),
            order=meta.get("order", 0),
            status=meta.get("status", "published"),
            last_reviewed=last_reviewed,
            next_review_due=meta.get("next_review_due")
            or (last_reviewed and last_reviewed + datetime.timedelta(days=review_interval_days)),
        )
        for position, source in enumerate(page_file.sources):
            Source.objects.create(
                page=page,
                title=source["title"],
                publisher=source["publisher"],
                url=source["url"],
                accessed=source["accessed"],
                order=position,
            )
        created[page.slug] = (page, page_file, rendered)
    # Relations once every page exists.
    for page, page_file, rendered in created.values():
        parent_slug = page_file.meta.get("parent")
        # Relations by update(): no further save, so each page starts at version 1.
        if parent_slug:
            Page.objects.filter(pk=page.pk).update(parent=Page.objects.get(slug=parent_slug))
        page.related.set(Page.objects.filter(slug__in=page_file.meta.get("related") or []))
        page.linked_pages.set(Page.objects.filter(slug__in=rendered.linked_slugs).exclude(pk=page.pk))
        original = page_file.meta.get("translation")
        if has_language and original and Page.objects.filter(slug=original).exists():
            other = Page.objects.get(slug=original)
            Page.objects.filter(pk=page.pk).update(translation=other)
            Page.objects.filter(pk=other.pk).update(translation=page)
    return list(created)
