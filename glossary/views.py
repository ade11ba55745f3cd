"""The glossary page: every term A–Z, each with an anchor pages link to."""

from itertools import groupby

from django.shortcuts import render
from django.utils.translation import get_language

from glossary.models import Term

LINKED_PAGE_FIELDS = ("title", "slug", "language", "status")


def index(request):
    # Published terms only: a draft's definition reaches readers once a medical reviewer approved it (issue 22).
    # A term's page is only linked (title and address), so an edit of that page's text renders no glossary again.
    terms = (
        Term.objects.published()
        .filter(language=get_language())
        .select_related("page")
        .only(*(field.name for field in Term._meta.concrete_fields), *(f"page__{name}" for name in LINKED_PAGE_FIELDS))
    )
    terms = sorted(terms, key=lambda term: term.term.casefold())
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda term: term.letter)]
    return render(request, "glossary/index.html", {"letters": letters})
