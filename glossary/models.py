"""
Glossary terms editors manage; page bodies link the first use of each term to it.

A term is medical text, printed inside every page that uses it, so it goes
through the same sign-off as a page (issue 22): what readers see of it (the
word, synonyms, definition, slug and page link) changes only when it is
published. An author's edit of a published term is held in
`unpublished_changes`; a new term made in the admin is a draft that marks
nothing. A medical reviewer's approval publishes the change and records its
text (`approved_digest`); a publisher may publish without review, and then the
pages printing the term no longer name their reviewer (`Page.content_digest`).
"""

import hashlib
import json

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from content.models import HoldsUnpublishedChanges, Page


class TermQuerySet(models.QuerySet):
    def published(self):
        """The terms readers see: on the glossary page and marked in the pages."""
        return self.filter(status=Term.Status.PUBLISHED)


class Term(HoldsUnpublishedChanges, models.Model):
    Status = Page.Status
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Terms are marked in the pages of their own language."),
    )
    term = models.CharField(_("term"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("The entry's anchor: /glossary/#term-slug."))
    definition = models.TextField(_("plain-language definition"), max_length=600)
    synonyms = models.CharField(
        _("synonyms"),
        max_length=300,
        blank=True,
        help_text=_("Other words for the same thing, comma-separated, e.g. “CAR T, CAR-T cell therapy”."),
    )
    page = models.ForeignKey(
        Page,
        verbose_name=_("page about this term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="glossary_terms",
    )
    # Made by code (seeding, imports) a term is published; the admin makes an editor's new term a draft.
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PUBLISHED)
    # A published term's edit waiting for review: {"term": ..., "slug": ..., "definition": ..., ...}.
    unpublished_changes = models.JSONField(_("unpublished changes"), editable=False, default=dict, blank=True)
    version = AutoIncVersionField(_("version"), help_text=_("Goes up by one at every save."))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_reviewed = models.DateField(_("term last reviewed"), null=True, blank=True, editable=False)
    # The published text that was signed off (`text_digest`): by a medical reviewer's approval, or,
    # for the site's starting terms and the terms that existed before terms were reviewed, the text
    # the reviewed pages already showed. A publication without review leaves it behind.
    approved_digest = models.CharField(editable=False, max_length=64, blank=True, default="")

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords(cascade_delete_history=False)

    # What readers see of a term, and so what an author's edit of a published term holds back.
    DRAFTABLE_FIELDS = ("term", "slug", "synonyms", "definition", "page_id")

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="glossary_term_unique_per_language"),
            models.UniqueConstraint(fields=["language", "slug"], name="glossary_slug_unique_per_language"),
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        with translation.override(self.language):
            return f"{reverse('glossary:index')}#{self.anchor}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def text_digest(self):
        """A hash of what readers see of the term (migration 0008 keeps its own copy of this)."""
        definition = self.definition.replace("\r\n", "\n")
        shown = [self.language, self.slug, self.term, self.synonyms, definition, self.page_id]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()

    @property
    def review_is_current(self):
        """Whether readers see text that was signed off (see `approved_digest`), not text published without review."""
        return bool(self.approved_digest) and self.approved_digest == self.text_digest()

    def proposed(self):
        """An unsaved copy showing the term as publishing its unpublished changes would show it."""
        return self.show_unpublished_changes(Term.objects.get(pk=self.pk))

    def apply_publication(self):
        """Make the unpublished changes (if any) what readers see. Does not save."""
        self.show_unpublished_changes()
        self.unpublished_changes = {}
        self.status = self.Status.PUBLISHED

    @property
    def anchor(self):
        return f"term-{self.slug}"

    @property
    def synonym_list(self):
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]

    @property
    def letter(self):
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"
