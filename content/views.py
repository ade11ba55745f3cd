"""Reader-facing views: thin, each a queryset and a template."""

from django.shortcuts import get_object_or_404, render

from content.models import Page


def home(request):
    """Introduce ATMPs and lead to the top page of each family."""
    roots = Page.objects.published().filter(parent__isnull=True)
    context = {
        "intro": roots.first(),
        "family_pages": Page.objects.published().filter(parent__in=roots),
    }
    return render(request, "content/home.html", context)


def page_detail(request, slug):
    page = get_object_or_404(Page.objects.visible_to(request.user).select_related("parent"), slug=slug)
    published = Page.objects.published()
    context = {
        "page": page,
        "ancestors": page.ancestors(),
        "children": published.filter(parent=page),
        "related": published.filter(pk__in=page.related.values("pk")),
        "sources": page.sources.all(),
    }
    return render(request, "content/page_detail.html", context)


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
