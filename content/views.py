"""
Reader-facing views: thin, each a queryset and a template.

A page's request is a few queries whatever the size of the site: the page
(with its translation), the pages it shows (one query by the ids stored in
`Page.listing` at save time, through `published()`), its sources, and the
menu (context_processors). Each response names the page-cache keys it
depends on, so an edit makes cold only the pages that show what changed.
"""

import hashlib

from django.core.cache import caches
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from content.context_processors import OVERVIEW, overview_pages
from content.models import Page
from pagecache import fresh, snapshot
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


FRAGMENTS = {
    # name in the page template: the template that renders it
    "nav": "includes/site_nav_items.html",
    "article": "content/page_article.html",
    "explore": "includes/explore.html",
}
FRAGMENT_SECONDS = 24 * 60 * 60
# Only the fragments (and the admin) use these; a reader's view loads them when it renders one.
HEAVY_FIELDS = ("body", "body_html", "sections", "quality_warnings", "unpublished_changes")


def page_detail(request, slug):
    """
    A page. For readers (not staff), kept whole per address (scheme, host,
    path and query: the language switcher and the feedback thanks show them)
    by this worker, with the page-cache keys it depends on and their values
    (`pagecache.snapshot`): a request the page cache does not answer (a
    cookie, a query string, PAGE_CACHE=0) is then one read of the shared
    "generations" cache while nothing changed (`pagecache.fresh`), no query
    for the page and no rendering. Otherwise the page is loaded and rendered;
    for readers, the parts that do not depend on the request (menu, article,
    "explore") come from this worker's cache when another address of the same
    page rendered them for the same content. Staff get everything rendered
    afresh (drafts, edit links).
    """
    user = request.user
    store = caches["default"]
    reader = not user.is_staff
    if reader:
        address = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
        kept_key = f"pagebody:{get_language()}:{address}"
        kept = store.get(kept_key)
        if kept is not None and fresh(kept, store, kept_key):
            return depends_on(HttpResponse(kept["html"]), *kept["keys"])
    pages = Page.objects.visible_to(user).select_related("translation").order_by()
    # The text of the page and of its translation only when something is rendered from it.
    lean = pages.defer(*HEAVY_FIELDS, *(f"translation__{name}" for name in HEAVY_FIELDS))
    page = next(iter((lean if reader else pages).filter(slug=slug, language=get_language())), None)
    if page is None:
        # /da/cell-therapy/: the slug is a page in the other language; go there.
        return redirect(get_object_or_404(pages, slug=slug))
    # "view:<id>": this page's own response; "page:<id>": a page shown on it.
    keys = [f"view:{page.pk}", f"nav:{page.language}", *(f"page:{pk}" for pk in page_ids_shown(page) if pk)]
    if not reader or not page.is_published:
        context = page_context(page)
        context.pop("listed_ids")
        return depends_on(render(request, "content/page_detail.html", context), *keys)
    before = snapshot(keys)  # read before rendering: newer content may be kept under it, never older
    html = render_to_string("content/page_detail.html", reader_context(page, before), request)
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # Kept for other readers only if it holds nothing of this one's (no CSRF token).
        store.set(kept_key, {**before, "html": html}, FRAGMENT_SECONDS)
    return depends_on(HttpResponse(html), *keys)


def page_ids_shown(page):
    listing = page.listing
    return {page.pk, page.translation_id, *listing.get("ancestors", []), *listing.get("pager", []),
            *listing.get("read_next", [])} - {None}  # fmt: skip


def reader_context(page, before):
    """The outer template's context, with the request-independent fragments kept by this worker or rendered now."""
    store = caches["default"]
    # Under the values of the page's keys; while one has none, under "any" too.
    content = sorted(before["keys"].items()) + ([] if before["complete"] else [("any", before["any"])])
    content_version = hashlib.blake2b(repr(content).encode(), digest_size=16).hexdigest()
    names = {name: f"fragment:{name}:{page.pk}:{get_language()}:{content_version}" for name in FRAGMENTS}
    found = store.get_many(names.values())
    translation = page.translation
    context = {
        "page": page,
        "translation": translation if translation is not None and translation.is_published else None,
    }
    if len(found) == len(names):
        return {**context, "fragments": {name: found[key] for name, key in names.items()}}
    page.refresh_from_db(fields=HEAVY_FIELDS)  # one query, for what the fragments show
    full = page_context(page)
    fragments = {name: render_to_string(template, full) for name, template in FRAGMENTS.items()}
    store.set_many({names[name]: html for name, html in fragments.items()}, FRAGMENT_SECONDS)
    return {**context, "fragments": fragments}


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
        "listed_ids": listed_ids,
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
