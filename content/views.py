"""
Reader-facing views: thin, each a queryset and a template.

A reader's page is served from its reader's copy (content.readers_copy): two
reads, no rendering. Rendering it is a few queries whatever the size of the
site: the page (with its translation), the pages it shows (one query by the
ids stored in `Page.listing` at save time, through `published()`, the menu's
included) and its sources. Each response names the page-cache keys it
depends on, so an edit makes cold only the pages that show what changed.
"""

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from content import readers_copy
from content.context_processors import OVERVIEW, overview_pages
from content.models import Page
from pagecache.middleware import depends_on

LISTED_FIELDS = ("title", "slug", "summary", "family", "language", "parent_id", "status")


def home(request):
    """Introduce ATMPs and lead to the top page of each family, in the reader's language."""
    language = get_language()
    overview = overview_pages(language)
    context = {
        "overview_pages": overview,
        "intro": next((page for page in overview if page.parent_id is None), None),
        "family_pages": [page for page in overview if page.parent_id is not None],
    }
    return depends_on(render(request, "content/home.html", context), f"nav:{language}")


def page_detail(request, slug):
    """
    A page. Readers (not staff) get the page's reader's copy (content.readers_copy):
    rendered once per content change for every worker, served as stored with
    the request's origin put in, whatever the query string or cookies, except
    the thanks after sending feedback. Staff, drafts and the thanks are
    rendered for the request.
    """
    language = get_language()
    reader = not request.user.is_staff
    thanked = request.GET.get("feedback") == "sent"
    if reader and not thanked:
        entry = readers_copy.kept_copy(language, slug, getattr(request, "content_version", None))
        if entry is not None:
            return depends_on(HttpResponse(readers_copy.for_request(entry, request)), *entry["keys"])
    pages = Page.objects.visible_to(request.user).select_related("translation").order_by()
    page = next(iter(pages.filter(slug=slug, language=language)), None)
    if page is None:
        # /da/car-t/: workflow.middleware sends the reader on, in the address's language where it can.
        raise Http404
    if reader and not thanked and page.is_published:
        entry = readers_copy.render_copy(page)
        if entry is not None:
            return depends_on(HttpResponse(readers_copy.for_request(entry, request)), *entry["keys"])
    response = render(request, "content/page_detail.html", page_context(page))
    return depends_on(response, *page_keys(page))


def page_keys(page):
    """The page-cache keys a page's view depends on: "view:<id>" its own response, "page:<id>" a page it shows."""
    listing = page.listing
    shown = {page.pk, page.translation_id, *listing.get("ancestors", []), *listing.get("pager", []),
             *listing.get("read_next", [])} - {None}  # fmt: skip
    return [f"view:{page.pk}", f"nav:{page.language}", *(f"page:{pk}" for pk in sorted(shown))]


def page_context(page, **extra):
    """What the page template needs, from what was stored at save time; the admin's preview uses it too."""
    listing = page.listing
    ancestor_ids, pager_ids, read_next_ids = (
        listing.get("ancestors", []),
        listing.get("pager", []),
        listing.get("read_next", []),
    )
    listed_ids = {*ancestor_ids, *pager_ids, *read_next_ids} - {None}
    # One query for every page shown, the menu's included; drafts are left out
    # here, whatever was stored: the public never sees one listed.
    shown = Page.objects.published().filter(Q(pk__in=listed_ids) | OVERVIEW, language=page.language)
    listed = {item.pk: item for item in shown.only(*LISTED_FIELDS, "depth").order_by("depth", "order", "title")}
    overview = [item for item in listed.values() if item.depth <= 1]
    previous, next_ = (listed.get(pk) for pk in (pager_ids or [None, None]))
    # "Explore the other ATMPs": the overview pages of the other families, then "What is ATMP?".
    explore = [item for item in overview if item.parent_id and item.family != page.family and item.pk != page.pk]
    teasers = [item for item in overview if item.parent_id is None and item.pk != page.pk]
    explored = {item.pk for item in explore + teasers}
    read_next = [listed[pk] for pk in read_next_ids if pk in listed and pk not in explored]
    translation = page.translation
    return {
        "page": page,
        "translation": translation if translation is not None and translation.is_published else None,
        "ancestors": [listed[pk] for pk in ancestor_ids if pk in listed],
        "previous": previous,
        "next": next_,
        "read_next": read_next,
        "overview_pages": overview,
        "explore": explore,
        "teasers": teasers,
        "sources": page.sources.order_by("order", "pk"),
        **extra,
    }


def site_map(request):
    """Every published page as a tree, for readers (sitemap.xml is for search engines)."""
    pages = list(
        Page.objects.published()
        .in_language(get_language())
        .order_by("order", "title")
        .only("title", "slug", "summary", "parent_id", "language")
    )
    published_ids = {page.pk for page in pages}
    children = {}
    for page in pages:
        parent = page.parent_id if page.parent_id in published_ids else None
        children.setdefault(parent, []).append(page)

    def tree(parent_id):
        return [{"page": page, "children": tree(page.pk)} for page in children.get(parent_id, [])]

    return render(request, "content/site_map.html", {"tree": tree(None)})


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
