"""
Pages as files: markdown with YAML front matter, the same format as the seed
pages in content/seed/ (read by `content.seed.parse_page_file`).

`page_to_text` writes a page; `import_page_files` creates or updates pages
from parsed files. Writing, reading and writing again gives the same bytes:
every field a file carries is written in a fixed order and format, and
reading sets every field from the file (a key left out means empty).
History, the version number and the created/updated times stay in the
database; files carry the content and its review and publishing state.
"""

import datetime

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from content.markdown import linked_slugs
from content.models import Page, Source

SOURCE_KEYS = ("title", "publisher", "url", "accessed")


def _normalise_body(text):
    return (text or "").replace("\r\n", "\n").strip("\n") + "\n"


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
        "draft": dict(page.unpublished_changes) or None,
        "sources": [{key: getattr(source, key) for key in SOURCE_KEYS} for source in page.sources.all()] or None,
    }
    if meta["draft"] and "body" in meta["draft"]:
        meta["draft"]["body"] = _normalise_body(meta["draft"]["body"])
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
        reviewed_by_id = (
            get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: reviewer}).values_list("pk", flat=True)
        ).first()
        if reviewed_by_id is None:
            raise ValidationError(f"reviewed_by: no user called {reviewer!r} here.")
    draft = dict(meta.get("draft") or {})
    if "body" in draft:
        draft["body"] = _normalise_body(draft["body"])
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
        "unpublished_changes": draft,
    }


def _sources_from_file(page_file):
    return [tuple(source[key] for key in SOURCE_KEYS) for source in page_file.sources]


@transaction.atomic
def import_page_files(named_files, reason="Imported from a page file"):
    """
    Create or update a page from each (name, PageFile). All or nothing.

    Returns {slug: "created" | "updated" | "unchanged"}. Raises ValidationError
    naming the file when any page is invalid; then nothing is changed.
    """
    results, pages = {}, {}
    # First every page's own fields, so parents and cross-links can then refer to any of them.
    for name, page_file in named_files:
        slug = page_file.meta["slug"]
        try:
            fields = _fields_from_file(page_file)
        except (ValidationError, ValueError, TypeError) as error:
            raise ValidationError(f"{name}: {error}") from None
        page = Page.objects.filter(slug=slug).first()
        if page is None:
            page, results[slug] = Page(slug=slug), "created"
        else:
            results[slug] = "unchanged"
        changed = any(getattr(page, key) != value for key, value in fields.items())
        for key, value in fields.items():
            setattr(page, key, value)
        try:
            page.clean_fields(exclude=["parent", "reviewed_by", "translation"])
            page.validate_unique()
        except ValidationError as error:
            raise ValidationError(f"{name}: {_describe(error)}") from None
        if changed or results[slug] == "created":
            page._change_reason = reason
            page.save()
            results[slug] = results[slug] if results[slug] == "created" else "updated"
        pages[slug] = (name, page_file, page)

    for slug, (name, page_file, page) in pages.items():
        parent_slug = page_file.meta.get("parent")
        parent_id = Page.objects.filter(slug=parent_slug).values_list("pk", flat=True).first() if parent_slug else None
        if parent_slug and parent_id is None:
            raise ValidationError(f"{name}: parent {parent_slug!r} is not a page here.")
        translation_slug = page_file.meta.get("translation")
        translation_id = (
            Page.objects.filter(slug=translation_slug).values_list("pk", flat=True).first()
            if translation_slug
            else None
        )
        if translation_slug and translation_id is None:
            raise ValidationError(f"{name}: translation {translation_slug!r} is not a page here.")
        if page.parent_id != parent_id or page.translation_id != translation_id:
            page.parent_id = parent_id
            page.translation_id = translation_id
            page._change_reason = reason
            page.save()
            results[slug] = results[slug] if results[slug] == "created" else "updated"
        try:
            page.clean()
        except ValidationError as error:
            raise ValidationError(f"{name}: {_describe(error)}") from None
        related = set(Page.objects.filter(slug__in=page_file.meta.get("related") or []).values_list("pk", flat=True))
        if set(page.related.values_list("pk", flat=True)) != related:
            page.related.set(related)
            results[slug] = results[slug] if results[slug] == "created" else "updated"
        # Pages created later in this import can now be linked to.
        page.linked_pages.set(Page.objects.filter(slug__in=linked_slugs(page.body)).exclude(pk=page.pk))
        _sync_sources(page, _sources_from_file(page_file), results)
    return results


def _sync_sources(page, wanted, results):
    current = [tuple(getattr(source, key) for key in SOURCE_KEYS) for source in page.sources.all()]
    if current == wanted:
        return
    for source in page.sources.all():
        source.delete()
    for position, values in enumerate(wanted):
        Source.objects.create(page=page, order=position, **dict(zip(SOURCE_KEYS, values, strict=True)))
    if results[page.slug] == "unchanged":
        results[page.slug] = "updated"


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
