"""Reader-facing views: thin, each a queryset and a template."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from content.models import Page


def home(request):
    """Introduce ATMPs and lead to the top page of each family, in the reader's language."""
    published = Page.objects.published().in_language(get_language())
    roots = published.filter(parent__isnull=True)
    context = {
        "intro": roots.first(),
        "family_pages": published.filter(parent__in=roots),
    }
    return render(request, "content/home.html", context)


def page_detail(request, slug):
    pages = Page.objects.visible_to(request.user).select_related("parent", "translation")
    page = pages.filter(slug=slug, language=get_language()).first()
    if page is None:
        # /da/cell-therapy/: the slug is a page in the other language; go there.
        return redirect(get_object_or_404(pages, slug=slug))
    return render(request, "content/page_detail.html", page_context(page))


def page_context(page, **extra):
    """What the page template needs; the admin's preview uses it too."""
    published = Page.objects.published()
    translation = page.translation
    return {
        "page": page,
        "translation": translation if translation is not None and translation.is_published else None,
        "ancestors": page.ancestors(),
        "children": published.filter(parent=page),
        "related": published.filter(pk__in=page.related.values("pk")),
        "sources": page.sources.all(),
        **extra,
    }


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
