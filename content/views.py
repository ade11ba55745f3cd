"""
Reader-facing views: thin, each a queryset and a template.

Anonymous readers mostly get these pages as stored when they were published
(content.delivery); the views render them then, and for everyone the stored
pages do not answer (staff, drafts, a query string, a cookie).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from content.models import Page, note_shown
from content.rendering import listing, overview_pages, page_context, prepared_page, reader_pages


def home(request):
    """Introduce ATMPs and lead to the top page of each family, in the reader's language."""
    overview = overview_pages(get_language())
    context = {
        "overview_pages": overview,
        "intro": next((page for page in overview if page.parent_id is None), None),
        "family_pages": [page for page in overview if page.parent_id is not None],
    }
    return render(request, "content/home.html", context)


def page_detail(request, slug):
    """A page; staff see drafts too (with a banner)."""
    page = prepared_page(get_language(), slug)  # loaded with the others a publication renders
    if page is None:
        pages = reader_pages(Page.objects.visible_to(request.user))
        page = next(iter(pages.filter(slug=slug, language=get_language())), None)
    if page is None:
        # /da/car-t/: workflow.middleware sends the reader on, in the address's language where it can.
        raise Http404
    return render(request, "content/page_detail.html", page_context(page))


def site_map(request):
    """Every published page as a tree, for readers (sitemap.xml is for search engines)."""
    pages = listing(get_language())
    published = list(pages.published.values())  # by order and title
    note_shown(*published)
    children = {}
    for page in published:
        parent = pages.pages.get(page.parent_id)
        children.setdefault(parent.pk if parent and parent.is_published else None, []).append(page)

    def tree(parent_id):
        return [{"page": page, "children": tree(page.pk)} for page in children.get(parent_id, [])]

    return render(request, "content/site_map.html", {"tree": tree(None)})


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
