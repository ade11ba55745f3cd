"""
The content model: explainer pages written in markdown, and their sources.

`Page.save()` derives what is stored from the text (sanitised HTML, sections,
quality figures, cross-links); content.publishing renders what readers see, in
the save's transaction. Every page row loaded while a public page renders is
noted (`Page.from_db`), so publishing knows which stored pages show which pages.

One publishing rule: `Page.objects.published()`. A page says "Medically
reviewed by" only while it shows exactly what the reviewer approved
(`approved_digest`, `review_is_current`).
"""

import contextlib
import contextvars
import datetime
import functools
import hashlib
import json
import re

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from content import markdown, quality
from content.scoped import scoped

# Slugs live beside the site's own paths under /da/ and /en/ (/en/search/), and
# at the top of the sitemap's and the admin's URL space: those cannot be slugs.
RESERVED_SLUGS = {
    "admin", "da", "en", "feedback", "glossary", "healthz", "markdownx", "media", "ordliste", "soeg",
    "robots.txt", "search", "site-map", "sitemap.xml", "static",
}  # fmt: skip


@functools.cache
def page_address_prefix(language, script_prefix):
    """Where pages in a language live ("/en/"), for `Page.get_absolute_url` (slugs are ASCII: no quoting)."""
    with translation.override(language):
        address = reverse("content:page", kwargs={"slug": "slug"})
    return address.removesuffix("slug/")


def validate_not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the site itself; choose another slug."),
            params={"slug": slug},
            code="reserved",
        )


# Sent by `rederive()`, which changes pages with update() (no save, no post_save).
derived_fields_changed = Signal()

# The pages loaded while a public page renders (`Page.from_db`), when recording.
_shown_pages = contextvars.ContextVar("shown_pages", default=None)


def recording_shown_pages():
    """Collect every page row loaded inside the block: {id: whether its text (body) was loaded}."""
    return scoped(_shown_pages, {})


def note_shown(*pages, text=False):
    """Note pages a render lists (menu entry, card, breadcrumb, pager), or shows in full, when recording."""
    shown = _shown_pages.get()
    if shown is not None:
        for page in pages:
            shown[page.pk] = shown.get(page.pk, False) or text


# How glossary marking links a term in a page's HTML (glossary.marking).
TERM_ANCHOR = re.compile(r'#term-([a-z0-9-]+)"')
# A source as the page lists it.
SOURCE_FIELDS = ("title", "publisher", "url", "accessed")

# Derived from the text by `Page.render()`: not kept in the history, updated by `rederive()`.
DERIVED_FIELDS = ("body_html", "sections", "word_count", "reading_minutes", "lix", "quality_warnings")

# What decides where a page sits in the site, and so which other pages list it.
PLACEMENT_FIELDS = ("slug", "language", "status", "parent_id", "order", "title", "family", "translation_id")

# The change reason on a source's history record when its page is deleted, so
# recovering the page brings back exactly those sources.
SOURCE_DELETED_WITH_PAGE = "Deleted with its page"


class Family(models.TextChoices):
    """The ATMP family a page belongs to; "general" is about ATMPs as a whole."""

    GENERAL = "general", _("ATMPs in general")
    CELL = "cell", _("Cell therapy")
    GENE = "gene", _("Gene therapy")
    TISSUE = "tissue", _("Tissue therapy")


class HoldsUnpublishedChanges:
    """A model whose edits of a published object may wait as `unpublished_changes` (of its DRAFTABLE_FIELDS)."""

    def show_unpublished_changes(self, on=None):
        """Put the unpublished changes on `on` (this object unless given), as publishing them would; returns it."""
        on = self if on is None else on
        for name, value in (self.unpublished_changes or {}).items():
            if name in self.DRAFTABLE_FIELDS:
                setattr(on, name, value)
        return on


class PageQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public sees, everywhere: search, sitemap and every listing too."""
        return self.filter(status=Page.Status.PUBLISHED)

    def in_language(self, language):
        return self.filter(language=language)

    def due_for_publishing(self):
        return self.filter(publish_at__lte=timezone.now())

    def never_approved(self):
        """Published pages no named medical reviewer has approved: readers see "Not yet medically approved"."""
        return self.published().filter(Q(approved_digest="") | Q(reviewed_by__isnull=True))

    def review_overdue(self):
        # A published page that was never reviewed is overdue too.
        return self.filter(
            Q(next_review_due__lt=timezone.localdate()) | Q(next_review_due__isnull=True, status=Page.Status.PUBLISHED)
        )

    def review_due_within(self, days):
        today = timezone.localdate()
        return self.filter(next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=days))

    def visible_to(self, user):
        """Staff see drafts (with a banner); everyone else sees published pages."""
        if user.is_active and user.is_staff:
            return self.all()
        return self.published()


class Page(HoldsUnpublishedChanges, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The page's address starts with it: /da/... or /en/..."),
    )
    # The same page in the other language. Kept symmetric by save(): setting it
    # on one version sets it on the other.
    translation = models.OneToOneField(
        "self",
        verbose_name=_("translation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The same page in the other language, if it has been written."),
    )
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_not_reserved],
        help_text=_("The page's address: /da/slug/ or /en/slug/. Other pages link to it as (page:slug)."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two plain sentences. Shown as the lead paragraph and in search engines."),
    )
    body = MarkdownxField(
        _("body"),
        help_text=_(
            "Markdown. Use ## for sections. Link to another page with "
            "[words](page:slug), for example [gene therapy](page:gene-therapy)."
        ),
    )
    # Filled by save() from `body`; never edited by hand, never rendered per request.
    body_html = models.TextField(editable=False, default="")
    sections = models.JSONField(editable=False, default=list)

    family = models.CharField(_("ATMP family"), max_length=10, choices=Family, default=Family.GENERAL)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent page"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Position among its siblings."))
    related = models.ManyToManyField("self", verbose_name=_("related pages"), symmetrical=False, blank=True)
    linked_pages = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="linked_from",
        editable=False,
        blank=True,
        help_text="Pages this page's body cross-links to; kept in step by save().",
    )

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Publish the page (or its unpublished changes) at this time. A time in the past publishes on save. "
            "Leave empty to publish by hand."
        ),
    )
    # Changes saved but not yet published on a published page: {"title": ..., "summary": ..., "body": ...}.
    # The public keeps seeing the published fields until they are published.
    unpublished_changes = models.JSONField(
        _("unpublished changes"), editable=False, default=dict, blank=True, db_column="pending_changes"
    )
    # Optimistic locking (django-concurrency): a save from a form opened at an
    # older version is refused instead of overwriting someone else's edit.
    version = AutoIncVersionField(_("version"), help_text=_("Goes up by one at every save."))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who did the last medical review."),
    )
    last_reviewed = models.DateField(_("page last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Left empty, it is set to the review interval after the last review."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Quality figures, computed by render() (content.quality), never per request.
    word_count = models.PositiveIntegerField(_("words"), editable=False, default=0)
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), editable=False, default=0)
    lix = models.FloatField(_("LIX"), editable=False, default=0)
    quality_warnings = models.JSONField(editable=False, default=list)  # [code, detail] pairs
    # What the medical reviewer approved (`content_digest()` of the approved
    # version), set only by an approval: the page names its reviewer only while
    # it shows exactly that.
    approved_digest = models.CharField(editable=False, max_length=64, blank=True, default="")

    objects = PageQuerySet.as_manager()
    # Every save is a version (django-simple-history); derived fields are
    # recomputed on restore, so they are not stored twice.
    history = HistoricalRecords(excluded_fields=list(DERIVED_FIELDS), cascade_delete_history=False)

    # The fields unpublished changes may hold.
    DRAFTABLE_FIELDS = ("title", "summary", "body")
    # Set by save(): the fields as stored before it ({attname: value}), None for a new page.
    stored_before_save = None

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["order", "title"]
        indexes = [
            models.Index(fields=["status", "family"]),
            # The listing of a language (content.rendering) and the read of its slugs (cross-link checks)
            # without the pages' text, which SQLite stores before most of these columns: 10,000 pages
            # listed in 28 ms instead of 46 (the summary, stored before the text, is read from the row;
            # it is not in the index, whose entries PostgreSQL caps at 2.7 kB).
            models.Index(
                fields=["language", "parent", "status", "order", "family", "title", "slug"], name="page_listing"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The language's slugs are read once for the checks, the render and the cross-links.
        with all_or_nothing(), markdown.rendering_once():
            # The page as stored until now, read once for everything that compares (the pre_save receivers
            # too), unless the caller read it under the row lock in this transaction (the admin's form).
            before = self.__dict__.pop("known_before_save", None)
            if before is None and self.pk:
                before = (
                    Page.objects.filter(pk=self.pk).values(*(f.attname for f in Page._meta.concrete_fields)).first()
                )
            self.stored_before_save = before
            rendered = self.render()
            if self.last_reviewed and not self.next_review_due:
                interval = datetime.timedelta(days=settings.CONTENT_REVIEW_INTERVAL_DAYS)
                self.next_review_due = self.last_reviewed + interval
            super().save(*args, **kwargs)
            same_text = before is not None and _text(before["body"]) == _text(self.body)
            if not (same_text and before["language"] == self.language):
                self._link(rendered.linked_slugs)  # otherwise kept in step by the saves of the pages it links to
            markdown.forget("slugs", "page figures")  # what this save may have changed
            self._pair_with_translation()
            if (before and before["slug"]) != self.slug:
                # Pages that link to this slug counted the link as broken (or found another page), and those
                # that linked the old one now have a broken link: derive them again.
                linking = Q(body__contains=f"page:{self.slug}") | Q(linked_pages=self)
                rederive(Page.objects.filter(linking).exclude(pk=self.pk).distinct())

    def get_absolute_url(self):
        # A page shows thirty or so links to pages: one reverse() per language, not one per link.
        return page_address_prefix(self.language, get_script_prefix()) + self.slug + "/"

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        # A public page being rendered notes every page it loads (content.publishing).
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        note_shown(instance, text="body" in field_names)
        return instance

    def _link(self, slugs):
        """Keep `linked_pages` in step with the cross-links of the body (to pages of its language)."""
        ids = page_ids_by_slug(self.language)
        self.linked_pages.set({ids[slug] for slug in slugs if slug in ids} - {self.pk})

    def _pair_with_translation(self):
        """Make the translation link symmetric, and drop a stale one on the other side."""
        before = self.stored_before_save
        if before is not None and before["translation_id"] == self.translation_id:
            return  # unchanged, and kept symmetric by every save that changed it
        Page.objects.filter(translation=self).exclude(pk=self.translation_id).update(translation=None)
        if self.translation_id:
            Page.objects.filter(pk=self.translation_id).exclude(translation=self).update(translation=self)

    def delete(self, *args, **kwargs):
        with all_or_nothing():
            # Their cross-links to this page break: their stored checks must say so.
            linking = list(Page.objects.filter(linked_pages=self).exclude(pk=self.pk))
            for source in self.sources.all():
                source._change_reason = SOURCE_DELETED_WITH_PAGE
                source.delete()
            result = super().delete(*args, **kwargs)
            markdown.forget("slugs", "page figures")  # what this delete may have changed
            rederive(linking)
            return result

    def apply_publication(self):
        """Make the unpublished changes (if any) the published page; clears the schedule. Does not save."""
        self.show_unpublished_changes()
        self.unpublished_changes = {}
        self.status = self.Status.PUBLISHED
        self.publish_at = None
        self.render()

    # --- Medical sign-off ---------------------------------------------------------

    def content_digest(self):
        """A hash of what a reviewer approves: title, summary, body, sources and the unreviewed definitions printed."""
        from django.apps import apps  # noqa: PLC0415  (the glossary app builds on this one)

        term_slugs = sorted(set(TERM_ANCHOR.findall(self.body_html or "")))
        # A term whose published text was signed off in its own review adds nothing: that review covers
        # every page printing it. A definition published without review is the page's text (issue 22).
        printed = apps.get_model("glossary", "Term").objects.filter(language=self.language, slug__in=term_slugs)
        terms = [
            (term.slug, term.term, term.definition) for term in printed.order_by("slug") if not term.review_is_current
        ]
        # The sources as readers see them, in order.
        sources = self.sources.order_by("order", "pk").values_list(*SOURCE_FIELDS) if self.pk else []
        shown = {
            "title": self.title,
            "summary": self.summary,
            "body": (self.body or "").replace("\r\n", "\n"),
            "sources": [list(map(str, row)) for row in sources],
            "terms": terms,
        }
        return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()

    def publication_problems(self, has_sources=None):
        """Why the page as it is in memory may not be published (empty when it may)."""
        problems = []
        if not (self.pk and self.sources.exists()) if has_sources is None else not has_sources:
            problems.append(gettext("It has no sources: list the evidence the page rests on before it is published."))
        missing_alt = quality.images_without_alt(self.body_html)
        if missing_alt:
            problems.append(
                gettext("Images without alt text: %s. Describe each image for readers who cannot see it.")
                % ", ".join(missing_alt)
            )
        return problems

    def changed_since_approval(self):
        """Whether the page in memory differs from the text a medical reviewer approved (False if none did)."""
        return bool(self.approved_digest) and self.approved_digest != self.content_digest()

    @property
    def review_is_current(self):
        """Whether readers see exactly what a named medical reviewer approved."""
        signed_off = self.approved_digest and self.reviewed_by_id and self.last_reviewed
        return bool(signed_off) and self.approved_digest == self.content_digest()

    @property
    def reviewer_name(self):
        """The reviewer as readers see them: the full name, never the user name."""
        reviewer = self.reviewed_by
        return (reviewer and reviewer.get_full_name().strip()) or _("a medical reviewer")

    def with_unpublished_changes(self):
        """An unsaved copy showing exactly what publishing the unpublished changes would show."""
        preview = self.show_unpublished_changes(Page.objects.get(pk=self.pk))
        preview.status = self.Status.PUBLISHED
        preview.render()
        return preview

    def render(self):
        """Fill the stored HTML, sections and quality figures from `body`. Does not save."""
        self.body = (self.body or "").replace("\r\n", "\n")
        # An admin save renders the page twice (to check it may be published, then to save it): once is enough.
        key = ("page figures", self.body, self.language, self.summary, self.slug, self.pk)
        rendered, derived = markdown.once(key, self._derive)
        for name, value in derived.items():
            setattr(self, name, value)
        return rendered

    def _derive(self):
        # With the site-wide additions to the sanitised HTML (the glossary's term
        # links), so saves, previews and scheduled publications show the same page.
        rendered, self.body_html = markdown.render_page(self.body, self.language, page=self)
        stats = quality.text_stats(rendered.html)
        broken = self.missing_cross_links(linked_slugs=rendered.linked_slugs)
        return rendered, {
            "body_html": self.body_html,
            "sections": rendered.sections,
            "word_count": stats.words,
            "lix": stats.lix,
            "reading_minutes": self.reading_time(),
            "quality_warnings": quality.text_warnings(rendered.html, stats, broken, self.body),
        }

    def reading_time(self):
        """Minutes, counted honestly: the lead and everything the body shows, its glossary notes too."""
        return quality.text_stats(
            f"<p>{escape(self.summary or '')}</p>{quality.as_read(self.body_html)}"
        ).reading_minutes

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def ancestors(self):
        """This page's parent, its parent and so on up, stopping at a loop (for the parent-loop check)."""
        seen, page = {self.pk}, self.parent
        while page is not None and page.pk not in seen:
            yield page
            seen.add(page.pk)
            page = page.parent

    def clean(self):
        super().clean()
        errors = {}
        try:
            # Long or pathological bodies are refused before they can hold the worker (issue 15).
            markdown.check_body_length(self.body)
            missing = self.missing_cross_links(time_limit=markdown.PREVIEW_TIME_LIMIT)
        except markdown.BodyRejected as error:
            errors["body"], missing = error, []
        if missing:
            errors["body"] = broken_cross_links(f"page:{slug}" for slug in missing)
        if self.translation_id:
            if self.translation_id == self.pk or self.translation.language == self.language:
                errors["translation"] = ValidationError(
                    _("A translation must be a page in the other language."), code="translation_language"
                )
            elif self.translation.translation_id not in (None, self.pk):
                errors["translation"] = ValidationError(
                    _("“%(page)s” is already the translation of another page."),
                    params={"page": self.translation},
                    code="translation_taken",
                )
        if self.parent_id:
            if self.parent.language != self.language:
                errors["parent"] = ValidationError(
                    _("The parent page must be in the same language."), code="parent_language"
                )
            elif self.parent_id == self.pk:
                errors["parent"] = ValidationError(_("A page cannot be its own parent."), code="parent_loop")
            elif self.pk and self.parent_id != self.stored("parent_id") and self in self.parent.ancestors():
                errors["parent"] = ValidationError(
                    _("That parent is below this page in the tree."), code="parent_loop"
                )
        old_slug = self.pk and self.stored("slug")
        if old_slug and old_slug != self.slug:
            linking = list(Page.objects.filter(linked_pages=self.pk).values_list("title", flat=True))
            if linking:
                errors["slug"] = ValidationError(
                    _("Other pages link to this slug: %(pages)s. Change their links first."),
                    params={"pages": ", ".join(linking)},
                    code="slug_in_use",
                )
        if errors:
            raise ValidationError(errors)

    def stored_copy(self):
        """The page as the row the admin's form read under its lock (`known_before_save`); None if it did not."""
        known = self.__dict__.get("known_before_save")
        if known is None:
            return None
        copy = Page(**known)
        copy._state.adding, copy._state.db = False, self._state.db
        return copy

    def stored(self, attname):
        """A field as the database holds it: from the row the admin's form read under its lock, if it did."""
        known = self.__dict__.get("known_before_save")
        if known is not None:
            return known[attname]
        return Page.objects.filter(pk=self.pk).values_list(attname, flat=True).first()

    def missing_cross_links(self, time_limit=None, linked_slugs=None):
        """The cross-links (of the body, unless given) that name no page of the page's language."""
        if linked_slugs is None:
            linked_slugs = markdown.render(self.body, time_limit=time_limit).linked_slugs
        # A cross-link stays within the page's language: /da/ pages link to /da/ pages.
        existing = page_slugs(self.language) | {self.slug}  # a page may link to its own sections
        return [slug for slug in linked_slugs if slug not in existing]

    @property
    def review_overdue(self):
        if self.next_review_due is None:
            return self.is_published  # never reviewed
        return self.next_review_due < timezone.localdate()

    @property
    def lix_band(self):
        return quality.lix_band(self.lix)


def broken_cross_links(links):
    """The refusal of cross-links (page:slug) to pages that do not exist: the model's and the admin form's."""
    return ValidationError(
        _(
            "These cross-links point to pages that do not exist in this page's language: %(slugs)s. "
            "Check the slug after “page:”."
        ),
        params={"slugs": ", ".join(links)},
        code="broken_cross_link",
    )


def _text(body):
    """A body as markdown reads it: the form's line endings and outer blank lines do not count."""
    return body.replace("\r\n", "\n").strip()


def page_slugs(language):
    """The slugs of the pages of `language`: what a cross-link (page:slug) may name."""
    return page_ids_by_slug(language).keys()


def page_ids_by_slug(language):
    """{slug: id} of the pages of `language`."""
    # Read once per admin request (markdown.rendering_once): its link check, model check, render and save all ask.
    return markdown.once(
        ("slugs", language),
        lambda: dict(Page.objects.filter(language=language).order_by().values_list("slug", "pk")),
    )


def all_or_nothing():
    """A transaction for a save's statements; inside a caller's, that one (a savepoint costs two statements)."""
    return contextlib.nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic()


def rederive(pages):
    """
    Render the stored HTML and checks of `pages` again after a change outside them (a glossary
    term, a page they link to), with update(): no new version and no new "updated" date.
    """
    changed = []
    with transaction.atomic(), markdown.rendering_once():  # the language's slugs read once for them all
        for page in pages:
            old_html, old_warnings = page.body_html, page.quality_warnings
            page._link(page.render().linked_slugs)
            if page.body_html != old_html or page.quality_warnings != old_warnings:
                Page.objects.filter(pk=page.pk).update(**{name: getattr(page, name) for name in DERIVED_FIELDS})
                changed.append(page)
        if changed:
            derived_fields_changed.send(sender=Page, pages=[page.pk for page in changed])
    return [page.pk for page in changed]


class Source(models.Model):
    """Evidence a page rests on, listed on the page for readers and reviewers."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    accessed = models.DateField(_("date accessed"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Kept after the page is deleted, so a recovered page gets its sources back.
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.title} ({self.publisher})"


class RenderedPage(models.Model):
    """A public page as anonymous readers get it, rendered when content is published (content.publishing)."""

    # The code that rendered it (publishing.release()): a deploy never serves an older release's page.
    release = models.CharField(max_length=32)
    path = models.CharField(max_length=200)
    language = models.CharField(max_length=5)
    # A hash of the HTML and headers: the version readers' requests ask for first
    # (content.delivery), so it and the short columns come before the HTML,
    # which SQLite then reads only when a worker does not hold that version.
    etag = models.CharField(max_length=64)
    # The headers the site's middleware gave it (security, CSP, content type, language).
    headers = models.JSONField(default=dict)
    rendered_at = models.DateTimeField(auto_now=True)
    html = models.TextField()
    # Every page loaded while rendering it: an edit of one of them renders it again.
    shows = models.ManyToManyField(Page, related_name="+", through="Shown")

    class Meta:
        verbose_name = _("stored public page")
        verbose_name_plural = _("stored public pages")
        constraints = [models.UniqueConstraint(fields=["release", "path"], name="rendered_page_unique_path")]

    def __str__(self):
        return self.path


class Shown(models.Model):
    """A page a stored page showed when it was rendered: in full (its text), or only listed (title, summary)."""

    rendered = models.ForeignKey(RenderedPage, on_delete=models.CASCADE)
    # No constraint in the database: a render may note a page that another transaction deletes before
    # this row commits. Such a row is harmless (it names no page), and a page's delete removes its own.
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    text = models.BooleanField()

    def __str__(self):
        return f"{self.rendered} shows {self.page_id}"


class PublishLock(models.Model):
    """One row, updated at the start of every publication: publishers take turns (content.publishing)."""

    taken_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"publishing lock (last taken {self.taken_at})"
