"""
What a page shows besides its own text, read from the database when the page is rendered.

Breadcrumbs, the pager (the family's reading order), "Read next", the menu and
"Explore the other ATMPs" all come from one `Listing` of the page's language,
read in two queries, once per request or once per publication
(`shared_listings`). Every page a render takes from it is noted as shown
(`note_shown`), so a later edit finds the stored pages to render again.
"""

import contextvars
import functools
from dataclasses import dataclass

from django.db.models import Q, Value
from django.urls import get_script_prefix

from content.models import Page, note_shown, page_address_prefix
from content.scoped import scoped

# What a listing of another page shows of it (a menu entry, a card, a breadcrumb, the pager). Loaded
# without its text, so a change to that text alone does not render this page again (content.publishing).
LISTED_FIELDS = ("title", "slug", "summary", "family", "language", "parent_id", "status", "order")
# The roots and their children (one per family): the menu, the home page and "Explore".
OVERVIEW = Q(parent__isnull=True) | Q(parent__parent__isnull=True)

_shared = contextvars.ContextVar("shared_listings", default=None)


def shared_listings():
    """Inside the block each language's listing is read once: only for work that sees one state of the content."""
    return scoped(_shared, {})  # never an outer block's: it may have read the pages before a change


def reader_pages(pages):
    """`pages` as a reader's page prints them: with the reviewer, the translation (listed) and the sources."""
    unlisted = [field.attname for field in Page._meta.concrete_fields if field.attname not in ("id", *LISTED_FIELDS)]
    return (
        pages.select_related("reviewed_by", "translation")
        .defer(*(f"translation__{name}" for name in unlisted))
        .prefetch_related("sources")
        .order_by()
    )


def prepare_pages(pages):
    """Pages a publication is about to render, loaded together: each render takes its own from here."""
    kept = _shared.get()
    if kept is not None:
        kept.update({("page", page.language, page.slug): page for page in pages})


def prepared_page(language, slug):
    """The page `prepare_pages` loaded for this render, noted as shown in full; None when there is none."""
    kept = _shared.get()
    page = kept.pop(("page", language, slug), None) if kept else None
    if page is not None:
        note_shown(page, text=True)  # loaded before the render recorded anything: it shows this page's text
    return page


def listing(language):
    kept = _shared.get()
    if kept is None:
        return Listing(language)
    if language not in kept:
        kept[language] = Listing(language)
    return kept[language]


def _key(page):
    return (page.order, page.title)


@dataclass(slots=True, eq=False)
class Listed:
    """A page as menus, cards, breadcrumbs and the pager list it: plain rows, ten times faster than models."""

    pk: int
    title: str
    slug: str
    summary: str
    family: str
    language: str
    parent_id: int | None
    status: str
    order: int

    @property
    def is_published(self):
        return self.status == Page.Status.PUBLISHED

    def get_absolute_url(self):
        return page_address_prefix(self.language, get_script_prefix()) + self.slug + "/"

    def __str__(self):
        return self.title


class Listing:
    """Every page of one language as other pages list it, and the reading order of its families."""

    def __init__(self, language):
        # Plain rows, so not noted as shown: each render notes what it uses of the listing.
        rows = Page.objects.filter(language=language).order_by().values_list("pk", *LISTED_FIELDS)
        pages = sorted((Listed(*row) for row in rows), key=_key)
        self.pages = {page.pk: page for page in pages}
        self.published = {page.slug: page for page in pages if page.is_published}
        self.children = {}
        for page in self.published.values():
            self.children.setdefault(page.parent_id, []).append(page)
        self.related, self.links_to, self.linked_from = {}, {}, {}
        # The related pages and the cross-links, in one read.
        pairs = [
            through.objects.filter(from_page__language=language).values_list("from_page_id", "to_page_id", Value(kind))
            for kind, through in enumerate((Page.related.through, Page.linked_pages.through))
        ]
        for source, target, kind in pairs[0].union(pairs[1], all=True):
            if kind == 0:
                self.related.setdefault(source, set()).add(target)
            else:
                self.links_to.setdefault(source, set()).add(target)
                self.linked_from.setdefault(target, set()).add(source)

    @functools.cached_property
    def overview(self):
        """The published overview pages: roots first, then their children, each by order and title."""
        roots = self.children.get(None, [])
        below = [page for page in self.published.values() if page.parent_id and self._is_root(page.parent_id)]
        return roots + sorted(below, key=_key)

    def _is_root(self, pk):
        parent = self.pages.get(pk)
        return parent is not None and parent.parent_id is None

    def _family_children(self, parent_id, family):
        return [page for page in self.children.get(parent_id, ()) if page.family == family]

    def _parent_in_family(self, page):
        parent = self.pages.get(page.parent_id)
        if parent is not None and parent.family == page.family and parent.is_published:
            return parent
        return None

    def next_in_reading_order(self, page):
        """A page, then its children, depth first: the page read after `page` in its family."""
        if not page.is_published:
            return None
        children = self._family_children(page.pk, page.family) if page.pk else []
        if children:
            return children[0]
        node = page
        while node is not None:
            later = [
                sibling
                for sibling in self._family_children(node.parent_id, node.family)
                if sibling.pk != node.pk and _key(sibling) > _key(node)
            ]
            if later:
                return later[0]
            node = self._parent_in_family(node)
            if node is not None:
                note_shown(node)
        return None

    def previous_in_reading_order(self, page):
        if not page.is_published:
            return None
        earlier = [
            sibling
            for sibling in self._family_children(page.parent_id, page.family)
            if sibling.pk != page.pk and _key(sibling) < _key(page)
        ]
        if not earlier:
            return self._parent_in_family(page)
        # The last page read before this one: the previous sibling's deepest last descendant.
        sibling = earlier[-1]
        while children := self._family_children(sibling.pk, sibling.family):
            note_shown(sibling)
            sibling = children[-1]
        return sibling

    def published_ancestors(self, page):
        """From the root down to the page's parent; pages not published are left out of the breadcrumbs."""
        chain, seen, node = [], {page.pk}, self.pages.get(page.parent_id)
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = self.pages.get(node.parent_id)
        note_shown(*chain)
        return [ancestor for ancestor in reversed(chain) if ancestor.is_published]

    def read_next_candidates(self, page):
        """Its published children, related pages and the pages that link to it, in that order."""
        if not page.pk:
            return []
        children = self.children.get(page.pk, [])  # of any family
        related = sorted(self._published(self.related.get(page.pk, ())), key=_key)
        linking = sorted(self._published(self.linked_from.get(page.pk, ())), key=lambda item: item.title)
        return children + related + linking

    def _published(self, pks):
        return [page for pk in pks if (page := self.pages.get(pk)) is not None and page.is_published]


def overview_pages(language):
    """The published overview pages of a language: roots first, then their children, each by order and title."""
    pages = listing(language).overview
    note_shown(*pages)
    return pages


def page_context(page, **extra):
    """What the page template needs; the admin's preview uses it too."""
    pages = listing(page.language)
    previous, next_ = pages.previous_in_reading_order(page), pages.next_in_reading_order(page)
    overview = overview_pages(page.language)
    # "Explore the other ATMPs": the overview pages of the other families, then "What is ATMP?".
    explore = [item for item in overview if item.parent_id and item.family != page.family and item.pk != page.pk]
    teasers = [item for item in overview if item.parent_id is None and item.pk != page.pk]
    # One "Read next" list: no page twice, none already linked in the text, the pager or "Explore".
    shown = {page.pk, *(item.pk for item in (previous, next_) if item), *(item.pk for item in explore + teasers)}
    shown |= pages.links_to.get(page.pk, set())
    candidates = pages.read_next_candidates(page)
    read_next = list({item.pk: item for item in candidates if item.pk not in shown}.values())
    translation = None
    if page.translation_id:
        # Loaded with the page by `reader_pages`; the admin's preview reads it here.
        translation = page._state.fields_cache.get("translation") or (
            Page.objects.only(*LISTED_FIELDS).filter(pk=page.translation_id).first()
        )
        if translation is not None:
            note_shown(translation)  # listed only: the language switch prints its address
    note_shown(*(item for item in (previous, next_) if item), *candidates)
    return {
        "page": page,
        "translation": translation if translation is not None and translation.is_published else None,
        "ancestors": pages.published_ancestors(page),
        "previous": previous,
        "next": next_,
        "read_next": read_next,
        "overview_pages": overview,
        "explore": explore,
        "teasers": teasers,
        "sources": page.sources.all() if page.pk else [],  # in the model's order; loaded by `reader_pages`
        **extra,
    }
