"""Glossary terms editors manage; page bodies link the first use of each term to it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from content.models import Page


class Term(models.Model):
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
    def anchor(self):
        return f"term-{self.slug}"

    @property
    def synonym_list(self):
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]

    @property
    def letter(self):
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"
