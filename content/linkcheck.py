"""
Checks of what an editor's markdown links to, with a suggestion for each mistake, for the live
preview and the page form alike: a `page:` link to no page of the page's language ("did you mean
page:genterapi?"), and a `#section` anchor that no heading of the target page has.
"""

import bisect
import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from content import markdown
from content.models import Page, page_slugs

# [words](page:slug#anchor), [words](#anchor); an optional "title" after the address.
LINK_RE = re.compile(r"\]\(\s*<?(page:[^)\s>]*|#[^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
HEADING_ID_RE = re.compile(r"<h[1-6][^>]*\sid=\"([^\"]+)\"")
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(")


@dataclass
class LinkProblem:
    target: str  # as written: page:slug#anchor or #anchor
    message: str
    kind: str = "anchor"  # or "page": no page with that slug
    suggestion: str = ""


def heading_ids(body_html):
    return set(HEADING_ID_RE.findall(body_html or ""))


# Bounded work (issue 22, F5 and F10) on every preview and save, at 10,000 pages: an unknown slug is
# compared with its alphabetical neighbours only (difflib over every slug took 30 s), for the first few
# unknown links, and the anchors of a bounded number of linked pages are read from their stored HTML.
SUGGESTION_NEIGHBOURS = 50  # on each side
SUGGESTIONS_MAX = 10
LINKED_PAGES_READ_MAX = 100


def _nearest(word, candidates):
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def _nearest_slug(slug, sorted_slugs):
    """The nearest slug among the few that sort next to it."""
    position = bisect.bisect_left(sorted_slugs, slug)
    return _nearest(slug, sorted_slugs[max(0, position - SUGGESTION_NEIGHBOURS) : position + SUGGESTION_NEIGHBOURS])


def link_problems(text, language, own_slug="", own_html=None):
    """
    What is wrong with the text's page: and #anchor links, each with the nearest right target. Raises
    markdown.BodyRejected for a text over the length cap, or a check that exceeds the time limit.
    """
    markdown.check_body_length(text)
    with markdown.time_limit(markdown.PREVIEW_TIME_LIMIT):
        links = list(dict.fromkeys(LINK_RE.findall(text or "")))
        if not links:
            return []
        slugs = page_slugs(language)
        # (slug, "#", anchor, target): a #anchor link has an empty slug.
        parsed = [(*target.removeprefix(markdown.CROSS_LINK_SCHEME).partition("#"), target) for target in links]
        anchored = dict.fromkeys(
            slug for slug, _hash, anchor, _target in parsed if anchor and slug in slugs and slug != own_slug
        )
        # The heading ids of linked pages, from the HTML stored when each was saved (no render).
        stored = Page.objects.filter(language=language, slug__in=list(anchored)[:LINKED_PAGES_READ_MAX])
        ids_of = {slug: heading_ids(body_html) for slug, body_html in stored.values_list("slug", "body_html")}
        sorted_slugs = sorted(slugs)
        problems, unknown = [], 0
        for slug, _hash, anchor, target in parsed:
            other_page = slug and slug != own_slug
            if other_page and slug not in slugs:
                unknown += 1
                suggestion = unknown <= SUGGESTIONS_MAX and _nearest_slug(slug, sorted_slugs)
                message = _("%(link)s: there is no page with this slug in this page's language.") % {"link": target}
                if suggestion:
                    message += " " + _("Did you mean page:%(slug)s?") % {"slug": suggestion}
                problems.append(LinkProblem(target, message, "page", suggestion or ""))
                continue
            if not anchor or (other_page and slug not in ids_of):
                continue  # no anchor, or on a page beyond those read: not checked
            if other_page:
                ids = ids_of[slug]
            else:
                # Rendered only for a link to a section of this very page.
                if own_html is None:
                    own_html = markdown.render(text, language=language).html
                ids = heading_ids(own_html)
            anchor = markdown.slugify(anchor)
            if anchor in ids:
                continue
            where = f"page:{slug}" if other_page else _("this page")
            message = _("%(link)s: %(page)s has no section with the anchor #%(anchor)s.") % {
                "link": target,
                "page": where,
                "anchor": anchor,
            }
            suggestion = _nearest(anchor, ids)
            if suggestion:
                message += " " + _("Did you mean #%(anchor)s?") % {"anchor": suggestion}
            problems.append(LinkProblem(target, message, "anchor", suggestion or ""))
        return problems


def images_without_alt_text(text):
    """How many images in the text have no alternative text (![](...))."""
    return sum(not alt.strip() for alt in IMAGE_RE.findall(text or ""))
