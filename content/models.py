"""
The content model: explainer pages written in markdown, and their sources.

Markdown is rendered once, in `Page.save()`, into `body_html`; a reader's
request only reads stored HTML.
"""

import datetime

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from content import checks, markdown

# Slugs live at the top of the URL space (/cell-therapy/), so the site's own
# paths cannot be page slugs.
RESERVED_SLUGS = {
    "admin", "da", "en", "feedback", "glossary", "healthz", "markdownx", "media",
    "robots.txt", "search", "site-map", "sitemap.xml", "static",
}  # fmt: skip


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


def next_scheduled_publication():
    """When the next scheduled page falls due, or None (the page cache expires then)."""
    return Page.objects.filter(publish_at__gt=timezone.now()).aggregate(models.Min("publish_at"))["publish_at__min"]


class Family(models.TextChoices):
    """The ATMP family a page belongs to; "general" is about ATMPs as a whole."""

    GENERAL = "general", _("ATMPs in general")
    CELL = "cell", _("Cell therapy")
    GENE = "gene", _("Gene therapy")
    TISSUE = "tissue", _("Tissue therapy")


class PageQuerySet(models.QuerySet):
    def published(self):
        # A page whose publish-at time has passed is public even if the
        # publish_due cron job has not run yet (Page.from_db shows it as published).
        return self.filter(Q(status=Page.Status.PUBLISHED) | Q(publish_at__lte=timezone.now()))

    def in_language(self, language):
        return self.filter(language=language)

    def due_for_publishing(self):
        return self.filter(publish_at__lte=timezone.now())

    def review_overdue(self):
        return self.filter(next_review_due__lt=timezone.localdate())

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
            "Publish the page (or its draft of changes) at this time. A time in the past publishes on save. "
            "Leave empty to publish by hand."
        ),
    )
    # Changes saved as a draft on a published page: {"title": ..., "summary": ..., "body": ...}.
    # The public keeps seeing the published fields until the draft is published.
    pending_changes = models.JSONField(_("draft of changes"), editable=False, default=dict, blank=True)
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
    # Content-check figures, computed by save() (content.checks), never per request.
    word_count = models.PositiveIntegerField(_("words"), editable=False, default=0)
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), editable=False, default=0)
    lix = models.FloatField(_("LIX"), editable=False, default=0)

    objects = PageQuerySet.as_manager()
    # Every save is a version (django-simple-history); derived fields are
    # recomputed on restore, so they are not stored twice.
    history = HistoricalRecords(
        excluded_fields=["body_html", "sections", "word_count", "reading_minutes", "lix"],
        cascade_delete_history=False,
    )

    # The fields a draft of changes may hold.
    DRAFTABLE_FIELDS = ("title", "summary", "body")

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["status", "family"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.is_due:
            # A publish-at time in the past publishes now.
            self.apply_publication()
        rendered = self.render()
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = self.last_reviewed + datetime.timedelta(days=settings.CONTENT_REVIEW_INTERVAL_DAYS)
        super().save(*args, **kwargs)
        self.linked_pages.set(Page.objects.filter(slug__in=rendered.linked_slugs).exclude(pk=self.pk))
        self._pair_with_translation()

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("content:page", kwargs={"slug": self.slug})

    def _pair_with_translation(self):
        """Make the translation link symmetric, and drop a stale one on the other side."""
        Page.objects.filter(translation=self).exclude(pk=self.translation_id).update(translation=None)
        if self.translation_id:
            Page.objects.filter(pk=self.translation_id).exclude(translation=self).update(translation=self)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            for source in self.sources.all():
                source._change_reason = SOURCE_DELETED_WITH_PAGE
                source.delete()
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        page = super().from_db(db, field_names, values, **kwargs)
        # The check on read: a page whose publish-at time has come is shown as
        # published even before the publish_due job saves it. Costs one
        # comparison; markdown is rendered only for a page that is due.
        if page.__dict__.get("publish_at") is not None and "pending_changes" in page.__dict__ and page.is_due:
            page.apply_publication()
            page.render()
        return page

    @property
    def is_due(self):
        return self.publish_at is not None and self.publish_at <= timezone.now()

    def apply_publication(self):
        """Make the draft of changes (if any) the published page; clears the schedule. Does not save."""
        for name, value in (self.pending_changes or {}).items():
            if name in self.DRAFTABLE_FIELDS:
                setattr(self, name, value)
        self.pending_changes = {}
        self.status = self.Status.PUBLISHED
        self.publish_at = None

    def with_pending_changes(self):
        """An unsaved copy showing exactly what publishing the draft of changes would show."""
        preview = Page.objects.get(pk=self.pk)
        for name, value in (self.pending_changes or {}).items():
            if name in self.DRAFTABLE_FIELDS:
                setattr(preview, name, value)
        preview.status = self.Status.PUBLISHED
        preview.render()
        return preview

    def render(self):
        """Fill the stored HTML and the content-check figures from `body`."""
        self.body = (self.body or "").replace("\r\n", "\n")
        # With the site-wide additions to the sanitised HTML (the glossary's term
        # links), so saves, previews and scheduled publications show the same page.
        rendered, self.body_html = markdown.render_page(self.body, self.language)
        self.sections = rendered.sections
        stats = checks.text_stats(rendered.html)
        self.word_count, self.reading_minutes, self.lix = stats.words, stats.reading_minutes, stats.lix
        return rendered

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def ancestors(self):
        """From the root down to this page's parent, for breadcrumbs."""
        chain, seen, page = [], {self.pk}, self.parent
        while page is not None and page.pk not in seen:
            chain.append(page)
            seen.add(page.pk)
            page = page.parent
        return list(reversed(chain))

    def clean(self):
        super().clean()
        errors = {}
        missing = self.missing_cross_links()
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

    def missing_cross_links(self):
        slugs = markdown.linked_slugs(self.body)
        # A cross-link stays within the page's language: /da/ pages link to /da/ pages.
        existing = set(Page.objects.filter(slug__in=slugs, language=self.language).values_list("slug", flat=True))
        existing.add(self.slug)  # a page may link to its own sections
        return [slug for slug in slugs if slug not in existing]

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    @property
    def lix_band(self):
        return checks.lix_band(self.lix)


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
