"""
The content model: explainer pages written in markdown, and their sources.

Everything a reader's request needs that depends only on content is computed
when content changes, by one path: `Page.render()` (the stored HTML, sections
and quality figures of one page) and `refresh_listings()` (which pages each
page shows: ancestors, children, previous/next, read next). `Page.save()` runs
both in one transaction; a glossary change runs them for the pages using the
term, with `update()`, so no history is written for them. Both tell the page
cache exactly which pages changed (`pagecache.invalidate`), and the pages
whose own view changed get their reader's copy rendered right after the
commit (`content.readers_copy`).

One publishing rule: `Page.objects.published()` (status "published"). A page
or unpublished changes scheduled with `publish_at` are published by the
`publish_due` command, run every minute, so they appear within a minute of
their time; nothing changes a page when it is read.
"""

import datetime
import functools

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

import pagecache
from content import markdown, quality, readers_copy
from glossary import marking as glossary_marking

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


# The change reason on a source's history record when its page is deleted, so
# recovering the page brings back exactly those sources.
SOURCE_DELETED_WITH_PAGE = "Deleted with its page"


class Family(models.TextChoices):
    """The ATMP family a page belongs to; "general" is about ATMPs as a whole."""

    GENERAL = "general", _("ATMPs in general")
    CELL = "cell", _("Cell therapy")
    GENE = "gene", _("Gene therapy")
    TISSUE = "tissue", _("Tissue therapy")


class PageQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public sees, everywhere: search, sitemap and every listing too."""
        return self.filter(status=Page.Status.PUBLISHED)

    def in_language(self, language):
        return self.filter(language=language)

    def due_for_publishing(self):
        return self.filter(publish_at__lte=timezone.now())

    def review_overdue(self):
        # A published page that was never reviewed is overdue too.
        return self.filter(
            Q(next_review_due__lt=timezone.localdate()) | Q(next_review_due__isnull=True, status=Page.Status.PUBLISHED)
        )

    def never_approved(self):
        """Published pages no named medical reviewer has approved: readers see "Not yet medically approved"."""
        return self.published().filter(Q(reviewed_by__isnull=True) | Q(last_reviewed__isnull=True))

    def review_due_within(self, days):
        today = timezone.localdate()
        return self.filter(next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=days))

    def visible_to(self, user):
        """Staff see drafts (with a banner); everyone else sees published pages."""
        if user.is_active and user.is_staff:
            return self.all()
        return self.published()


class Page(models.Model):
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
    # What the page shows of other pages, by id, kept by refresh_listings(); read through published().
    depth = models.PositiveSmallIntegerField(editable=False, default=0)  # 0 for a root page
    listing = models.JSONField(editable=False, default=dict)

    objects = PageQuerySet.as_manager()
    # Every save is a version (django-simple-history); derived fields are
    # recomputed on restore, so they are not stored twice.
    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "sections",
            "word_count",
            "reading_minutes",
            "lix",
            "quality_warnings",
            "depth",
            "listing",
        ],  # fmt: skip
        cascade_delete_history=False,
    )

    # The fields unpublished changes may hold.
    DRAFTABLE_FIELDS = ("title", "summary", "body")

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["status", "family"]), models.Index(fields=["language", "depth"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        with transaction.atomic():
            before = Page.objects.filter(pk=self.pk).first() if self.pk else None
            old_neighbours = before.neighbourhood() if before else set()
            if self.is_due:
                # A publish-at time in the past publishes now.
                self.apply_publication()
            rendered = self.render()
            if self.last_reviewed and not self.next_review_due:
                self.next_review_due = self.last_reviewed + datetime.timedelta(
                    days=settings.CONTENT_REVIEW_INTERVAL_DAYS
                )
            super().save(*args, **kwargs)
            self.linked_pages.set(Page.objects.filter(slug__in=rendered.linked_slugs).exclude(pk=self.pk))
            self._pair_with_translation()
            refresh_listings(self.neighbourhood() | old_neighbours, [self.pk], [before])

    def get_absolute_url(self):
        # A page shows thirty or so links to pages: one reverse() per language, not one per link.
        return page_address_prefix(self.language, get_script_prefix()) + self.slug + "/"

    def _pair_with_translation(self):
        """Make the translation link symmetric, and drop a stale one on the other side."""
        Page.objects.filter(translation=self).exclude(pk=self.translation_id).update(translation=None)
        if self.translation_id:
            Page.objects.filter(pk=self.translation_id).exclude(translation=self).update(translation=self)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            neighbours = self.neighbourhood() - {self.pk}
            # Their cross-links to this page break: their stored checks must say so.
            linking = list(Page.objects.filter(linked_pages=self).exclude(pk=self.pk))
            for source in self.sources.all():
                source._change_reason = SOURCE_DELETED_WITH_PAGE
                source.delete()
            result = super().delete(*args, **kwargs)
            refresh_listings(neighbours, [self.pk], [self])
            rerender(linking)
            return result

    @property
    def is_due(self):
        return self.publish_at is not None and self.publish_at <= timezone.now()

    def apply_publication(self):
        """Make the unpublished changes (if any) the published page; clears the schedule. Does not save."""
        for name, value in (self.unpublished_changes or {}).items():
            if name in self.DRAFTABLE_FIELDS:
                setattr(self, name, value)
        self.unpublished_changes = {}
        self.status = self.Status.PUBLISHED
        self.publish_at = None

    def with_unpublished_changes(self):
        """An unsaved copy showing exactly what publishing the unpublished changes would show."""
        preview = Page.objects.get(pk=self.pk)
        for name, value in (self.unpublished_changes or {}).items():
            if name in self.DRAFTABLE_FIELDS:
                setattr(preview, name, value)
        preview.status = self.Status.PUBLISHED
        preview.render()
        return preview

    def render(self):
        """Fill the stored HTML, sections and quality figures from `body`. Does not save."""
        self.body = (self.body or "").replace("\r\n", "\n")
        # With the site-wide additions to the sanitised HTML (the glossary's term
        # links), so saves, previews and scheduled publications show the same page.
        rendered, self.body_html = markdown.render_page(self.body, self.language, page=self)
        self.sections = rendered.sections
        stats = quality.text_stats(rendered.html)
        self.word_count, self.reading_minutes, self.lix = stats.words, stats.reading_minutes, stats.lix
        # Reading time counted honestly: the lead and everything the body shows, its glossary notes too.
        self.reading_minutes = quality.text_stats(
            f"<p>{escape(self.summary or '')}</p>{glossary_marking.as_read(self.body_html)}"
        ).reading_minutes
        existing = set(
            Page.objects.filter(slug__in=rendered.linked_slugs, language=self.language).values_list("slug", flat=True)
        )
        broken = [slug for slug in rendered.linked_slugs if slug not in existing | {self.slug}]
        self.quality_warnings = quality.text_warnings(rendered.html, stats, broken, self.body)
        return rendered

    # --- What the page shows of other pages (kept by refresh_listings) -------

    def neighbourhood(self):
        """
        This page and the pages whose listings can show it: its parent, its
        previous and next pages, the pages it links to (their backlinks), its
        translation (the language switcher) and, for an overview page, the
        navigation of every page (pagecache key "nav:<language>").
        """
        pages = {self.pk, self.parent_id, self.translation_id, *self.listing.get("pager", [])}
        pages |= set(self.linked_pages.values_list("pk", flat=True)) if self.pk else set()
        return pages - {None}

    def compute_listing(self):
        """Which pages this page shows, by id, in order; read through published() at request time."""
        ancestors, node = [], self.parent
        while node is not None and node.pk not in ancestors and node.pk != self.pk:
            ancestors.insert(0, node.pk)
            node = node.parent
        pager = [p.pk if p else None for p in (previous_in_reading_order(self), next_in_reading_order(self))]
        children = list(self.children.order_by("order", "title").values_list("pk", flat=True))
        related = list(self.related.order_by("order", "title").values_list("pk", flat=True))
        backlinks = list(self.linked_from.order_by("title").values_list("pk", flat=True))
        # One "Read next" list: no page twice, none already linked in the text or the pager.
        shown = {self.pk, *pager, *self.linked_pages.values_list("pk", flat=True)}
        read_next = [pk for pk in dict.fromkeys(children + related + backlinks) if pk not in shown]
        return {"ancestors": ancestors, "pager": pager, "read_next": read_next}

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def ancestors(self):
        """From the root down to this page's parent (for the parent-loop check)."""
        chain, seen, page = [], {self.pk}, self.parent
        while page is not None and page.pk not in seen:
            chain.append(page)
            seen.add(page.pk)
            page = page.parent
        return list(reversed(chain))

    @property
    def is_overview(self):
        """A root page or a child of one: in the header menu and "Explore" of every page of its language."""
        return self.depth <= 1

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
            errors["body"] = ValidationError(
                _(
                    "These cross-links point to pages that do not exist in this page's language: %(slugs)s. "
                    "Check the slug after “page:”."
                ),
                params={"slugs": ", ".join(f"page:{slug}" for slug in missing)},
                code="broken_cross_link",
            )
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
        if self.parent_id and self.parent.language != self.language:
            errors["parent"] = ValidationError(
                _("The parent page must be in the same language."), code="parent_language"
            )
        elif self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = ValidationError(_("A page cannot be its own parent."), code="parent_loop")
        elif self.parent_id and self.pk and any(p.pk == self.pk for p in self.parent.ancestors()):
            errors["parent"] = ValidationError(_("That parent is below this page in the tree."), code="parent_loop")
        if self.pk:
            old_slug = Page.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
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

    def missing_cross_links(self, time_limit=None):
        slugs = markdown.render(self.body, time_limit=time_limit).linked_slugs
        # A cross-link stays within the page's language: /da/ pages link to /da/ pages.
        existing = set(Page.objects.filter(slug__in=slugs, language=self.language).values_list("slug", flat=True))
        existing.add(self.slug)  # a page may link to its own sections
        return [slug for slug in slugs if slug not in existing]

    @property
    def review_overdue(self):
        if self.next_review_due is None:
            return self.is_published  # never reviewed
        return self.next_review_due < timezone.localdate()

    @property
    def lix_band(self):
        return quality.lix_band(self.lix)

    @property
    def review_is_current(self):
        """True when a named medical reviewer has approved the page (the status line under its title)."""
        return bool(self.reviewed_by_id and self.last_reviewed)

    @property
    def reviewer_name(self):
        """The approving reviewer's full name for readers; never a username."""
        name = self.reviewed_by.get_full_name().strip() if self.reviewed_by_id else ""
        return name or gettext("a medical reviewer")


# --- Reading order within a family: a page, then its children, depth first ---


def _family(page):
    """The published pages of the page's family and language."""
    return Page.objects.published().filter(family=page.family, language=page.language)


def _siblings(page):
    return _family(page).filter(parent_id=page.parent_id).exclude(pk=page.pk)


def _parent_in_family(page):
    parent = page.parent
    if parent is not None and parent.family == page.family and parent.is_published:
        return parent
    return None


def next_in_reading_order(page):
    if not page.is_published:
        return None
    child = _family(page).filter(parent=page).order_by("order", "title").first()
    if child is not None:
        return child
    node = page
    while node is not None:
        after = Q(order__gt=node.order) | Q(order=node.order, title__gt=node.title)
        sibling = _siblings(node).filter(after).order_by("order", "title").first()
        if sibling is not None:
            return sibling
        node = _parent_in_family(node)
    return None


def previous_in_reading_order(page):
    if not page.is_published:
        return None
    before = Q(order__lt=page.order) | Q(order=page.order, title__lt=page.title)
    sibling = _siblings(page).filter(before).order_by("-order", "-title").first()
    if sibling is None:
        return _parent_in_family(page)
    # The last page read before this one: the previous sibling's deepest last descendant.
    while (last := _family(sibling).filter(parent=sibling).order_by("-order", "-title").first()) is not None:
        sibling = last
    return sibling


def refresh_listings(page_ids, changed=(), before=()):
    """
    The derive path for what pages show of each other: recompute `depth` and
    `listing` of `page_ids` (and of the pages that become a changed page's
    neighbours, and the descendants of a page that moved) with update(); then
    invalidate in the page cache the `changed` pages (ids) wherever they are
    shown ("page:<id>"), the own page of every page whose listing changed
    ("view:<id>"), and the navigation if an overview page changed (`before`:
    the changed pages as they were).
    Writes no history and calls no save().
    """
    changed = set(changed)
    todo, done = set(page_ids) | changed, set()
    keys = {f"{kind}:{pk}" for pk in changed for kind in ("page", "view")}
    states = [page for page in before if page is not None]
    with transaction.atomic():
        while todo:
            pk = todo.pop()
            done.add(pk)
            page = Page.objects.select_related("parent").filter(pk=pk).first()
            if page is None:
                continue
            listing = page.compute_listing()
            depth = len(listing["ancestors"])
            if listing["ancestors"] != page.listing.get("ancestors"):
                todo |= set(Page.objects.filter(parent_id=pk).values_list("pk", flat=True)) - done
            if (listing, depth) != (page.listing, page.depth):
                Page.objects.filter(pk=pk).update(listing=listing, depth=depth)
                keys.add(f"view:{pk}")
            if pk in changed:
                todo |= {other for other in listing["pager"] if other} - done
                page.depth = depth
                states.append(page)
        from content.templatetags.navigation import PATIENT_SLUGS  # the menu's patient pages

        for page in states:
            keys.add(f"view:{page.translation_id}")  # its language switcher, when the pairing changed
            if page.is_overview or page.slug in PATIENT_SLUGS:
                keys.add(f"nav:{page.language}")
        _content_changed(keys)


def _content_changed(keys):
    """Tell the page cache which keys a change renews; render the changed pages' readers' copies after the commit."""
    pagecache.invalidate(*keys)
    readers_copy.refresh_after_commit(int(key[5:]) for key in keys if key.startswith("view:") and key[5:] != "None")


def rerender(pages):
    """
    The derive path for a change outside the page (a glossary term): render
    the pages again and store what changed with update(), in one transaction;
    no save(), no history, no "updated" date; invalidates those pages only.
    """
    with transaction.atomic():
        changed = []
        for page in pages:
            old_html, old_warnings = page.body_html, page.quality_warnings
            page.render()
            if page.body_html != old_html or page.quality_warnings != old_warnings:
                fields = ("body_html", "sections", "word_count", "reading_minutes", "lix", "quality_warnings")
                Page.objects.filter(pk=page.pk).update(**{name: getattr(page, name) for name in fields})
                changed.append(page.pk)
        refresh_listings((), changed)
    return changed


@receiver(m2m_changed, sender=Page.related.through, dispatch_uid="content_related_changed")
def related_changed(sender, instance, action, pk_set, **kwargs):
    if action.startswith("post_"):
        refresh_listings({instance.pk, *(pk_set or ())})


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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _content_changed({f"view:{self.page_id}"})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _content_changed({f"view:{self.page_id}"})
        return result


class ReadersCopy(models.Model):
    """
    A published page as rendered for readers, kept for every worker and
    container (content.readers_copy): served while the page-cache keys it
    depends on hold the values they had when it was rendered.
    """

    # The release's rendering fingerprint, the language and the slug: what a reader's request knows.
    address = models.CharField(max_length=200, primary_key=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    html = models.TextField()
    depends_on = models.JSONField()  # {page-cache key: its value when rendered}
    content_version = models.CharField(max_length=64)  # the value of "any" when last found current
    complete = models.BooleanField()  # every key in depends_on had a value (pagecache.fresh)
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reader's copy")
        verbose_name_plural = _("readers' copies")

    def __str__(self):
        return self.address
