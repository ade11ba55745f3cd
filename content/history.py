"""
Versions of pages (kept by django-simple-history): readable differences,
restoring a version, recovering a deleted page. A restore or a recovery is an
ordinary save, so it is itself a new version and nothing is ever lost.
"""

import difflib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from content import publishing
from content.models import SOURCE_DELETED_WITH_PAGE, SOURCE_FIELDS, Page, Source

# What a restore brings back. Status and schedule stay as they are now:
# restoring old text does not by itself publish or unpublish the page.
RESTORED_FIELDS = (
    "title", "slug", "summary", "body", "family", "parent_id", "order",
    "last_reviewed", "next_review_due", "reviewed_by_id",
)  # fmt: skip
# Fields whose changes are listed one by one under "What changed".
COMPARED_FIELDS = ("title", "slug", "summary", "status", "family", "parent_id", "order", "publish_at",
                   "last_reviewed", "next_review_due", "reviewed_by_id")  # fmt: skip
# A source as a restore brings it back: what the page lists, and where.
RESTORED_SOURCE_FIELDS = (*SOURCE_FIELDS, "order")

# django-simple-history's kinds of version, in the editor's language.
HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}
# Change reasons stored in English by migrations; shown translated.
gettext_noop("First recorded version (page existed before history was kept)")
gettext_noop("Created from the seed files")  # content.pagefiles.SEED_REASON
gettext_noop("Imported from a page file")


def describe(version):
    """What a version was, for the history list: "Changed: Saved a draft of changes (not public)"."""
    kind = HISTORY_TYPES.get(version.history_type, version.history_type)
    reason = version.history_change_reason
    return f"{kind}: {_(reason)}" if reason else str(kind)


@dataclass
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap" (unchanged lines left out)
    text: str


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


def text_diff(old, new, context=2):
    """A line diff of two markdown texts, unchanged stretches shortened to `context` lines."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines = []
    for number, group in enumerate(matcher.get_grouped_opcodes(context)):
        if number or (group and (group[0][1] > 0 or group[0][3] > 0)):
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in old_lines[i1:i2])
            else:
                lines.extend(DiffLine("removed", line) for line in old_lines[i1:i2])
                lines.extend(DiffLine("added", line) for line in new_lines[j1:j2])
    return lines


def _label(name):
    return str(Page._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()


def _readable(name, value):
    """Related pages and users by name rather than by database id."""
    if value is None:
        return None
    if name == "parent_id":
        return Page.objects.filter(pk=value).values_list("title", flat=True).first() or f"#{value} (deleted)"
    if name == "reviewed_by_id":
        user = get_user_model().objects.filter(pk=value).first()
        return (user.get_full_name().strip() or user.get_username()) if user else f"#{value} (deleted)"
    return value


def compare(old, new):
    """What changed from `old` to `new` (pages or historical records): field changes and body diff."""
    changes = []
    for name in COMPARED_FIELDS:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            changes.append(FieldChange(_label(name), _readable(name, before), _readable(name, after)))
    before_body, after_body = getattr(old, "body", ""), getattr(new, "body", "")
    return {
        "fields": changes,
        "body": text_diff(before_body, after_body) if before_body != after_body else [],
        "draft_changed": getattr(old, "unpublished_changes", {}) != getattr(new, "unpublished_changes", {}),
    }


def _latest_source_records(page_id, **filters):
    """The newest historical record of each source the page has had."""
    records = Source.history.filter(page_id=page_id, **filters).order_by("history_date")
    return {record.id: record for record in records}.values()


def _replace_sources(page, records):
    """Make the page's sources those of `records` (historical sources), saving only real changes."""
    keep = {record.id for record in records}
    for source in page.sources.exclude(pk__in=keep):
        source.delete()
    for record in records:
        values = {name: getattr(record, name) for name in RESTORED_SOURCE_FIELDS}
        current = Source.objects.filter(pk=record.id).first()
        if current is None:
            Source(pk=record.id, page=page, **values).save(force_insert=True)
        elif current.page_id == page.pk and any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.save()


@publishing.batch()
def restore(page, record, user=None):
    """
    Make an older version the page's current content, as a new version. On a
    published page the version's text becomes the draft of changes instead, for
    an editor to check and publish; settings and sources stay. The page is
    loaded fresh and locked: no clash with the optimistic lock, no undoing a save unseen.
    """
    current = Page.objects.select_for_update().get(pk=page.pk)
    reason = _("Restored the version of %(date)s (version %(version)s)") % {
        "date": record.history_date.strftime("%Y-%m-%d %H:%M"),
        "version": record.version,
    }
    if current.is_published:
        current.unpublished_changes = {name: getattr(record, name) for name in Page.DRAFTABLE_FIELDS}
        current._change_reason = _("%(reason)s as a draft of changes (not public)") % {"reason": reason}
        current.save()
        return current
    for name in RESTORED_FIELDS:
        setattr(current, name, getattr(record, name))
    if current.parent_id and not Page.objects.filter(pk=current.parent_id).exists():
        current.parent_id = None
    current.unpublished_changes = {}
    current.full_clean(exclude=["reviewed_by"])
    current._change_reason = reason
    current.save()
    sources_then = _latest_source_records(current.pk, history_date__lte=record.history_date)
    _replace_sources(current, [source for source in sources_then if source.history_type != "-"])
    return current


def deleted_pages():
    """The deletion record of each page that is deleted and not yet recovered, newest first."""
    return Page.history.filter(history_type="-").exclude(id__in=Page.objects.values("pk")).order_by("-history_date")


@publishing.batch()
def recover(record):
    """Bring a deleted page back from its deletion record, with the sources it had."""
    if Page.objects.filter(pk=record.id).exists():
        raise ValidationError(_("This page has already been recovered."))
    if Page.objects.filter(slug=record.slug).exists():
        raise ValidationError(
            _("Another page now uses the slug “%(slug)s”. Change that page's slug first."),
            params={"slug": record.slug},
        )
    page = record.instance
    if page.parent_id and not Page.objects.filter(pk=page.parent_id).exists():
        page.parent_id = None
    page._change_reason = _("Recovered after deletion")
    page.save(force_insert=True)
    for source_record in _latest_source_records(record.id):
        if source_record.history_type == "-" and source_record.history_change_reason == SOURCE_DELETED_WITH_PAGE:
            source = source_record.instance
            source._change_reason = _("Recovered with its page")
            source.save(force_insert=True)
    return page
