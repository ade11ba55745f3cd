"""Previous/next within a page's ATMP family, and the pages that link to a page."""

from django import template
from django.db.models import Q

from content.models import Page

register = template.Library()


def _family(page):
    """The published pages of the page's family and language."""
    return Page.objects.published().filter(family=page.family, language=page.language)


def _siblings(page):
    return _family(page).filter(parent_id=page.parent_id).exclude(pk=page.pk)


def _after(page):
    return Q(order__gt=page.order) | Q(order=page.order, title__gt=page.title)


def _before(page):
    return Q(order__lt=page.order) | Q(order=page.order, title__lt=page.title)


def _parent_in_family(page):
    parent = page.parent
    if parent is not None and parent.family == page.family and parent.is_published:
        return parent
    return None


def next_in_reading_order(page):
    """Reading order is the family's tree read depth first: a page, then its children."""
    child = _family(page).filter(parent=page).order_by("order", "title").first()
    if child is not None:
        return child
    node = page
    while node is not None:
        sibling = _siblings(node).filter(_after(node)).order_by("order", "title").first()
        if sibling is not None:
            return sibling
        node = _parent_in_family(node)
    return None


def previous_in_reading_order(page):
    sibling = _siblings(page).filter(_before(page)).order_by("-order", "-title").first()
    if sibling is None:
        return _parent_in_family(page)
    # The last page read before this one: the previous sibling's deepest last descendant.
    while (last := _family(sibling).filter(parent=sibling).order_by("-order", "-title").first()) is not None:
        sibling = last
    return sibling


@register.inclusion_tag("includes/family_pager.html")
def family_pager(page):
    # A few indexed queries, whatever the size of the family (the bench grows
    # one to 10,000 pages): never the whole family.
    if not page.is_published:
        return {"previous": None, "next": None}
    return {"previous": previous_in_reading_order(page), "next": next_in_reading_order(page)}


@register.inclusion_tag("includes/backlinks.html")
def backlinks(page):
    return {"pages": page.linked_from.published().order_by("title"), "page": page}
