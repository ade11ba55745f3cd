"""
Checks of what an editor's markdown links to, with a suggestion for each mistake.

Used by the admin's live preview (flagged as the editor types) and by the page
form (refused at save), so both say the same thing: a `page:` link to a slug
that does not exist in the page's language ("did you mean page:genterapi?"),
and a `#section` anchor that no heading of the target page has.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from content import markdown
from content.models import Page

# [words](page:slug#anchor), [words](#anchor); an optional "title" after the address.
LINK_RE = re.compile(r"\]\(\s*<?(page:[^)\s>]*|#[^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
HEADING_ID_RE = re.compile(r"<h[1-6][^>]*\sid=\"([^\"]+)\"")
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(")
# A reference-style link's definition: [gene]: page:gene-therapy
REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(page:[^\s>]*)", re.MULTILINE)


def quick_linked_slugs(text):
    """
    The slugs of a text's page: links found without rendering it (inline and
    reference-style links), for lists where a render per row is too slow: the
    admin's page list rendered every page's markdown again for its checks column.
    """
    slugs = []
    for target in LINK_RE.findall(text or "") + REFERENCE_RE.findall(text or ""):
        if target.startswith(markdown.CROSS_LINK_SCHEME):
            slug = target.removeprefix(markdown.CROSS_LINK_SCHEME).partition("#")[0]
            if slug not in slugs:
                slugs.append(slug)
    return slugs


@dataclass
class LinkProblem:
    target: str  # as written: page:slug#anchor or #anchor
    message: str
    kind: str = "anchor"  # or "page": no page with that slug
    suggestion: str = ""


def heading_ids(body_html):
    return set(HEADING_ID_RE.findall(body_html or ""))


def _nearest(word, candidates):
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def link_problems(text, language, own_slug="", own_html=None):
    """What is wrong with the text's page: and #anchor links, each with the nearest right target."""
    links = []
    for target in LINK_RE.findall(text or ""):
        if target not in links:
            links.append(target)
    if not links:
        return []
    pages = dict(Page.objects.filter(language=language).values_list("slug", "body"))
    ids_of = {}
    problems = []
    for target in links:
        slug, _hash, anchor = target.removeprefix(markdown.CROSS_LINK_SCHEME).partition("#")
        if target.startswith("#"):
            slug = ""
        if slug and slug != own_slug and slug not in pages:
            message = _("%(link)s: there is no page with this slug in this page's language.") % {"link": target}
            suggestion = _nearest(slug, pages)
            if suggestion:
                message += " " + _("Did you mean page:%(slug)s?") % {"slug": suggestion}
            problems.append(LinkProblem(target, message, "page", suggestion or ""))
            continue
        if not anchor:
            continue
        if slug and slug != own_slug:
            if slug not in ids_of:
                ids_of[slug] = heading_ids(markdown.render(pages[slug], language=language).html)
            ids = ids_of[slug]
        else:
            # Rendered only for a link to a section of this very page.
            if own_html is None:
                own_html = markdown.render(text, language=language).html
            ids = heading_ids(own_html)
        if markdown.slugify(anchor) in ids:
            continue
        where = f"page:{slug}" if slug and slug != own_slug else _("this page")
        message = _("%(link)s: %(page)s has no section with the anchor #%(anchor)s.") % {
            "link": target,
            "page": where,
            "anchor": markdown.slugify(anchor),
        }
        suggestion = _nearest(markdown.slugify(anchor), ids)
        if suggestion:
            message += " " + _("Did you mean #%(anchor)s?") % {"anchor": suggestion}
        problems.append(LinkProblem(target, message, "anchor", suggestion or ""))
    return problems


def images_without_alt_text(text):
    """How many images in the text have no alternative text (![](...))."""
    return sum(1 for alt in IMAGE_RE.findall(text or "") if not alt.strip())
