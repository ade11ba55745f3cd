"""
The content model: explainer pages written in markdown, and their sources.

Markdown is rendered once, in `Page.save()`, into `body_html`; a reader's
request only reads stored HTML.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from content import markdown

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


class Family(models.TextChoices):
    """The ATMP family a page belongs to; "general" is about ATMPs as a whole."""

    GENERAL = "general", _("ATMPs in general")
    CELL = "cell", _("Cell therapy")
    GENE = "gene", _("Gene therapy")
    TISSUE = "tissue", _("Tissue therapy")


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)

    def visible_to(self, user):
        """Staff see drafts (with a banner); everyone else sees published pages."""
        if user.is_active and user.is_staff:
            return self.all()
        return self.published()


class Page(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_not_reserved],
        help_text=_("The page's address: /slug/. Other pages link to it as (page:slug)."),
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
    last_reviewed = models.DateField(_("page last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Left empty, it is set to the review interval after the last review."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        indexes = [models.Index(fields=["status", "family"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        rendered = markdown.render(self.body)
        self.body_html = rendered.html
        self.sections = rendered.sections
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = self.last_reviewed + datetime.timedelta(days=settings.CONTENT_REVIEW_INTERVAL_DAYS)
        super().save(*args, **kwargs)
        self.linked_pages.set(Page.objects.filter(slug__in=rendered.linked_slugs).exclude(pk=self.pk))

    def get_absolute_url(self):
        return reverse("content:page", kwargs={"slug": self.slug})

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
                _("These cross-links point to pages that do not exist: %(slugs)s. Check the slug after “page:”."),
                params={"slugs": ", ".join(f"page:{slug}" for slug in missing)},
                code="broken_cross_link",
            )
        if self.parent_id and self.pk and self.parent_id == self.pk:
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
        existing = set(Page.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        existing.add(self.slug)  # a page may link to its own sections
        return [slug for slug in slugs if slug not in existing]

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()


class Source(models.Model):
    """Evidence a page rests on, listed on the page for readers and reviewers."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    accessed = models.DateField(_("date accessed"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.title} ({self.publisher})"
