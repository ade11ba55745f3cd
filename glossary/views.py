"""The glossary page: every term A–Z, each with an anchor pages link to."""

from itertools import groupby

from django.shortcuts import render
from django.utils.translation import get_language

from glossary.models import Term


def index(request):
    terms = sorted(
        Term.objects.filter(language=get_language()).select_related("page"), key=lambda term: term.term.casefold()
    )
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda term: term.letter)]
    return render(request, "glossary/index.html", {"letters": letters})
