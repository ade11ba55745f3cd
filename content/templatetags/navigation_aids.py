"""Previous/next within a page's ATMP family, and the pages that link to a page."""

from django import template

from content.models import Page

register = template.Library()


def family_reading_order(family, language):
    """The family's published pages in one language, in tree order: each page, then its children."""
    pages = list(Page.objects.published().filter(family=family, language=language).order_by("order", "title"))
    ids = {page.pk for page in pages}
    children = {}
    for page in pages:
        children.setdefault(page.parent_id if page.parent_id in ids else None, []).append(page)
    ordered = []

    def walk(parent_id):
        for page in children.get(parent_id, []):
            ordered.append(page)
            walk(page.pk)

    walk(None)
    return ordered


@register.inclusion_tag("includes/family_pager.html")
def family_pager(page):
    ordered = family_reading_order(page.family, page.language)
    position = next((i for i, other in enumerate(ordered) if other.pk == page.pk), None)
    if position is None:
        return {"previous": None, "next": None}
    return {
        "previous": ordered[position - 1] if position > 0 else None,
        "next": ordered[position + 1] if position + 1 < len(ordered) else None,
    }


@register.inclusion_tag("includes/backlinks.html")
def backlinks(page):
    return {"pages": page.linked_from.published().order_by("title"), "page": page}
