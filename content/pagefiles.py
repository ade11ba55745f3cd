"""
Pages as files: markdown with YAML front matter, the format of the seed pages
(content/seed/<language>/*.md), `export_pages` and `import_pages`.

`parse_page_file` is the one reader, `page_to_text` the one writer; writing,
reading and writing again gives the same bytes. Files carry a page's content
and its review and publishing state (a key left out means empty); history,
the version number and the created/updated times stay in the database. A file
without `status` is a draft, so a hand-written file never goes public by accident.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from content.markdown import linked_slugs
from content.models import SOURCE_FIELDS, Page, Source

SEED_DIR = Path(__file__).resolve().parent / "seed"
# English first: each Danish seed file names its English original in `translation`.
SEED_LANGUAGES = ("en", "da")
SEED_REASON = "Created from the seed files"
LINK_KEYS = ("parent", "translation")


class PageFileError(ValueError):
    """A page file that cannot be read; the message says where and why."""


@dataclass
class PageFile:
    meta: dict
    body: str
    sources: list = field(default_factory=list)


def parse_page_file(text: str, name: str = "page") -> PageFile:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise PageFileError(f"{name}: a page file starts with a '---' line and YAML front matter.")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
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


def read_page_files(directory: Path) -> list[tuple[str, PageFile]]:
    """(file name, PageFile) for every DIRECTORY/*.md, in name order. Raises PageFileError."""
    return [
        (path.name, parse_page_file(path.read_text(encoding="utf-8"), path.name))
        for path in sorted(directory.glob("*.md"))
    ]


def read_seed_pages(language: str = "en", directory: Path = SEED_DIR) -> list[PageFile]:
    return [page_file for _, page_file in read_page_files(directory / language)]


def _normalise_body(text):
    return (text or "").replace("\r\n", "\n").strip("\n") + "\n"


def _normalise_draft(changes):
    draft = dict(changes or {})
    if "body" in draft:
        draft["body"] = _normalise_body(draft["body"])
    return draft


def page_to_text(page):
    meta = {
        "title": page.title,
        "slug": page.slug,
        "language": page.language,
        "translation": page.translation.slug if page.translation_id else None,
        "family": page.family,
        "parent": page.parent.slug if page.parent_id else None,
        "order": page.order,
        "status": page.status,
        "summary": page.summary.strip(),
        "related": sorted(page.related.values_list("slug", flat=True)) or None,
        "last_reviewed": page.last_reviewed,
        "next_review_due": page.next_review_due,
        "reviewed_by": page.reviewed_by.get_username() if page.reviewed_by_id else None,
        "publish_at": page.publish_at.astimezone(datetime.UTC).isoformat() if page.publish_at else None,
        "draft": _normalise_draft(page.unpublished_changes) or None,
        "sources": [{key: getattr(source, key) for key in SOURCE_FIELDS} for source in page.sources.all()] or None,
    }
    meta = {key: value for key, value in meta.items() if value is not None}
    front_matter = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=110)
    return f"---\n{front_matter}---\n{_normalise_body(page.body)}"


def _fields_from_file(page_file):
    meta = page_file.meta
    last_reviewed = meta.get("last_reviewed")
    next_review_due = meta.get("next_review_due")
    if last_reviewed and not next_review_due:
        # What Page.save() would fill in, so an unchanged seed file is not a change.
        next_review_due = last_reviewed + datetime.timedelta(days=settings.CONTENT_REVIEW_INTERVAL_DAYS)
    publish_at = meta.get("publish_at")
    if isinstance(publish_at, str):
        publish_at = datetime.datetime.fromisoformat(publish_at)
    reviewer = meta.get("reviewed_by")
    reviewed_by_id = None
    if reviewer:
        users = get_user_model().objects
        reviewed_by_id = users.filter(**{users.model.USERNAME_FIELD: reviewer}).values_list("pk", flat=True).first()
        if reviewed_by_id is None:
            raise ValidationError(f"reviewed_by: no user called {reviewer!r} here.")
    return {
        "title": meta["title"],
        "summary": meta["summary"].strip(),
        "body": page_file.body,
        "language": meta.get("language", settings.LANGUAGE_CODE),
        "family": meta.get("family", "general"),
        "order": meta.get("order", 0),
        "status": meta.get("status", Page.Status.DRAFT),
        "last_reviewed": last_reviewed,
        "next_review_due": next_review_due,
        "reviewed_by_id": reviewed_by_id,
        "publish_at": publish_at,
        "unpublished_changes": _normalise_draft(meta.get("draft")),
    }


def _pk_of(slug):
    return Page.objects.filter(slug=slug).values_list("pk", flat=True).first() if slug else None


def _linked_ids(page_file):
    """{"parent_id": pk, "translation_id": pk} of the pages the file names; None for none or no such page."""
    return {f"{key}_id": _pk_of(page_file.meta.get(key)) for key in LINK_KEYS}


def _parents_first(named_files):
    """The files ordered so a parent (and, language by language, an original) comes before the pages naming it."""
    parents = {page_file.meta["slug"]: page_file.meta.get("parent") for _, page_file in named_files}

    def depth(slug, seen=()):
        parent = parents.get(slug)
        return 0 if parent not in parents or parent in seen else 1 + depth(parent, (*seen, slug))

    return sorted(named_files, key=lambda item: depth(item[1].meta["slug"]))  # stable: file order within a depth


def seed_missing_pages(named_files, reason=SEED_REASON):
    """
    Create the pages of NAMED_FILES whose slug no page, and no version of a page,
    has ever carried: what an editor changed, renamed or deleted is never
    overwritten or brought back, and a new seed file is picked up by an existing
    database. Returns the slugs created and {slug: why} for the files left out.
    """
    slugs = [page_file.meta["slug"] for _, page_file in named_files]
    known = set(Page.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    known |= set(Page.history.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = [(name, page_file) for name, page_file in named_files if page_file.meta["slug"] not in known]
    # A file whose parent or original is gone (an editor deleted it) is left
    # out rather than failing the whole seed, and a container start with it.
    skipped = {}
    while True:
        available = set(Page.objects.values_list("slug", flat=True)) | {f.meta["slug"] for _, f in missing}
        gone = {
            page_file.meta["slug"]: f"{key} {page_file.meta[key]!r} is not a page here"
            for _, page_file in missing
            for key in LINK_KEYS
            if page_file.meta.get(key) and page_file.meta[key] not in available
        }
        if not gone:
            break
        skipped |= gone
        missing = [(name, page_file) for name, page_file in missing if page_file.meta["slug"] not in gone]
    results = import_page_files(missing, reason=reason) if missing else {}
    return [slug for slug, result in results.items() if result == "created"], skipped


@transaction.atomic
def import_page_files(named_files, reason="Imported from a page file"):
    """
    Create or update a page from each (name, PageFile). All or nothing.

    Returns {slug: "created" | "updated" | "unchanged"}. Raises ValidationError
    naming the file when any page is invalid; then nothing is changed.
    """
    results, pages = {}, {}
    # First every page's own fields, so parents and cross-links can then refer to any of them.
    for name, page_file in _parents_first(named_files):
        slug = page_file.meta["slug"]
        try:
            fields = _fields_from_file(page_file)
        except (ValidationError, ValueError, TypeError) as error:
            raise ValidationError(f"{name}: {error}") from None
        page = Page.objects.filter(slug=slug).first()
        if page is None:
            # A new page gets its parent and translation in its first save when
            # they already exist, so it starts with one version, not two.
            page, results[slug] = Page(slug=slug, **_linked_ids(page_file)), "created"
        elif any(getattr(page, key) != value for key, value in fields.items()):
            results[slug] = "updated"
        else:
            results[slug] = "unchanged"
        for key, value in fields.items():
            setattr(page, key, value)
        try:
            page.clean_fields(exclude=["parent", "reviewed_by", "translation"])
            page.validate_unique()
        except ValidationError as error:
            raise ValidationError(f"{name}: {_describe(error)}") from None
        if results[slug] != "unchanged":
            page._change_reason = reason
            page.save()
        pages[slug] = (name, page_file, page)

    for slug, (name, page_file, page) in pages.items():
        linked = _linked_ids(page_file)
        for key in LINK_KEYS:
            if page_file.meta.get(key) and linked[f"{key}_id"] is None:
                raise ValidationError(f"{name}: {key} {page_file.meta[key]!r} is not a page here.")
        # Compared as stored now: saving a translation pairs this page by update(), not through this object.
        changed = Page.objects.filter(pk=page.pk).values(*linked).get() != linked
        for attname, pk in linked.items():
            setattr(page, attname, pk)
        if changed:
            page._change_reason = reason
            page.save()
        try:
            page.clean()
        except ValidationError as error:
            raise ValidationError(f"{name}: {_describe(error)}") from None
        related = set(Page.objects.filter(slug__in=page_file.meta.get("related") or []).values_list("pk", flat=True))
        if set(page.related.values_list("pk", flat=True)) != related:
            page.related.set(related)
            changed = True
        # Pages created later in this import can now be linked to.
        page.linked_pages.set(Page.objects.filter(slug__in=linked_slugs(page.body)).exclude(pk=page.pk))
        changed |= _sync_sources(page, page_file)
        if changed and results[slug] == "unchanged":
            results[slug] = "updated"
    return results


def _sync_sources(page, page_file):
    """Make the page's sources those of the file; True when that changed them."""
    wanted = [tuple(source[key] for key in SOURCE_FIELDS) for source in page_file.sources]
    if list(page.sources.values_list(*SOURCE_FIELDS)) == wanted:
        return False
    for source in page.sources.all():
        source.delete()
    for position, values in enumerate(wanted):
        Source.objects.create(page=page, order=position, **dict(zip(SOURCE_FIELDS, values, strict=True)))
    return True


def _describe(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def export_all(directory):
    """Write every page to DIRECTORY/<slug>.md. Returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    pages = Page.objects.select_related("parent", "reviewed_by", "translation").prefetch_related("sources", "related")
    for page in pages:
        path = directory / f"{page.slug}.md"
        path.write_text(page_to_text(page), encoding="utf-8")
        written.append(path)
    return sorted(written)
