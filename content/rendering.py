"""
What a page shows besides its own text, computed from the database when the page is rendered.

Breadcrumbs, the pager (the family's reading order), "Read next", the menu
and "Explore the other ATMPs" are read here, at render time, and only through
`Page.objects.published()`: nothing about other pages is stored on a page.
Renders happen when content is published (content.publishing), so these few
queries are paid once per change, not once per reader.
"""

from django.db.models import Q

from content.models import Page

# What a listing of another page shows of it (a menu entry, a card, a breadcrumb, the pager). Loaded
# without its text, so a change to that text alone does not render this page again (content.publishing).
LISTED_FIELDS = ("title", "slug", "summary", "family", "language", "parent_id", "status", "order")
# The roots and their children (one per family): the menu, the home page and "Explore".
OVERVIEW = Q(parent__isnull=True) | Q(parent__parent__isnull=True)


def overview_pages(language):
    """The published overview pages of a language: roots first, then their children, each by order and title."""
    pages = Page.objects.published().filter(OVERVIEW, language=language).only(*LISTED_FIELDS)
    return sorted(pages.order_by("order", "title"), key=lambda page: page.parent_id is not None)


# --- Reading order within a family: a page, then its children, depth first ---


def _listed(pk):
    return Page.objects.only(*LISTED_FIELDS).filter(pk=pk).first() if pk else None


def _family(page):
    """The published pages of the page's family and language."""
    return Page.objects.published().filter(family=page.family, language=page.language).only(*LISTED_FIELDS)


def _siblings(page):
    return _family(page).filter(parent_id=page.parent_id).exclude(pk=page.pk)


def _parent_in_family(page):
    parent = _listed(page.parent_id)
    if parent is not None and parent.family == page.family and parent.is_published:
        return parent
    return None


def next_in_reading_order(page):
    if not page.is_published:
        return None
    child = _family(page).filter(parent=page).order_by("order", "title").first()
    if child is not None:
        return child
    node = page
    while node is not None:
        after = Q(order__gt=node.order) | Q(order=node.order, title__gt=node.title)
        sibling = _siblings(node).filter(after).order_by("order", "title").first()
        if sibling is not None:
            return sibling
        node = _parent_in_family(node)
    return None


def previous_in_reading_order(page):
    if not page.is_published:
        return None
    before = Q(order__lt=page.order) | Q(order=page.order, title__lt=page.title)
    sibling = _siblings(page).filter(before).order_by("-order", "-title").first()
    if sibling is None:
        return _parent_in_family(page)
    # The last page read before this one: the previous sibling's deepest last descendant.
    while (last := _family(sibling).filter(parent=sibling).order_by("-order", "-title").first()) is not None:
        sibling = last
    return sibling


def published_ancestors(page):
    """From the root down to the page's parent; pages not published are left out of the breadcrumbs."""
    chain, seen, node = [], {page.pk}, _listed(page.parent_id)
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = _listed(node.parent_id)
    return [ancestor for ancestor in reversed(chain) if ancestor.is_published]


def page_context(page, **extra):
    """What the page template needs; the admin's preview uses it too."""
    previous, next_ = previous_in_reading_order(page), next_in_reading_order(page)
    overview = overview_pages(page.language)
    # "Explore the other ATMPs": the overview pages of the other families, then "What is ATMP?".
    explore = [item for item in overview if item.parent_id and item.family != page.family and item.pk != page.pk]
    teasers = [item for item in overview if item.parent_id is None and item.pk != page.pk]
    # One "Read next" list: no page twice, none already linked in the text, the pager or "Explore".
    shown = {page.pk, *(item.pk for item in (previous, next_) if item), *(item.pk for item in explore + teasers)}
    if page.pk:
        shown |= set(page.linked_pages.values_list("pk", flat=True))
    published = Page.objects.published().filter(language=page.language).only(*LISTED_FIELDS)
    candidates = []
    if page.pk:
        candidates += list(published.filter(parent=page).order_by("order", "title"))
        candidates += list(published.filter(pk__in=page.related.values("pk")).order_by("order", "title"))
        candidates += list(published.filter(linked_pages=page).order_by("title"))
    read_next = list({item.pk: item for item in candidates if item.pk not in shown}.values())
    translation = _listed(page.translation_id)
    return {
        "page": page,
        "translation": translation if translation is not None and translation.is_published else None,
        "ancestors": published_ancestors(page),
        "previous": previous,
        "next": next_,
        "read_next": read_next,
        "overview_pages": overview,
        "explore": explore,
        "teasers": teasers,
        "sources": page.sources.order_by("order", "pk") if page.pk else [],
        **extra,
    }
