"""Glossary terms editors manage; page bodies link the first use of each term to it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content.models import Page


class Term(models.Model):
    term = models.CharField(_("term"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("The entry's anchor: /glossary/#term-slug.")
    )
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
        ordering = ["term"]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
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
