"""
The one place where editor-written markdown becomes HTML.

Pages are rendered when they are saved (`Page.save()` stores the result), and
the admin's live preview (django-markdownx, `MARKDOWNX_MARKDOWNIFY_FUNCTION`)
calls `render_markdown` too, so what an editor previews is exactly what the
public will get, sanitised the same way. Nothing renders markdown per request.

Cross-links: `[gene therapy](page:gene-therapy)` links to the page whose slug
is `gene-therapy`. The renderer turns the reference into the page's URL and
reports which slugs a text refers to, so the model can refuse a link to a page
that does not exist.
"""

import html
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
import nh3
from django.urls import reverse
from django.utils import translation
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from content.callouts import CALLOUT_CLASSES, CALLOUT_ROLE, CALLOUT_TITLE_CLASS, CalloutExtension

CROSS_LINK_SCHEME = "page:"
SLUG_RE = re.compile(r"^[-a-z0-9_]+$")

# What editors may produce. Everything else (script, iframe, style, event
# handlers, javascript:/data: URLs, ...) is removed by nh3.
ALLOWED_TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2",
    "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"scope"},
    # Callouts (content/callouts.py); their role is checked by _drop_disguised_script_urls.
    "aside": {"role", "aria-label"},
}
# Only the callout classes, and only on the callout's own elements.
ALLOWED_CLASSES = {
    "aside": CALLOUT_CLASSES,
    "h2": {CALLOUT_TITLE_CLASS},
    "h3": {CALLOUT_TITLE_CLASS},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class RenderedMarkdown:
    html: str
    # Sections for the "On this page" list: [{"id": ..., "title": ...}].
    sections: list = field(default_factory=list)
    # Slugs named by `page:` cross-links, in order of first appearance.
    linked_slugs: list = field(default_factory=list)


class _CrossLinkProcessor(Treeprocessor):
    """Resolve `page:slug` links and keep a single h1 (the page title) per page."""

    def run(self, root: ElementTree.Element):
        self.md.linked_slugs = []
        for element in root.iter():
            if element.tag == "h1":
                # The template renders the title as the page's only h1.
                element.tag = "h2"
            if element.tag != "a":
                continue
            href = (element.get("href") or "").strip()
            if not href.startswith(CROSS_LINK_SCHEME):
                continue
            slug, _, anchor = href.removeprefix(CROSS_LINK_SCHEME).partition("#")
            if slug not in self.md.linked_slugs:
                self.md.linked_slugs.append(slug)
            if SLUG_RE.match(slug):
                url = reverse("content:page", kwargs={"slug": slug})
                element.set("href", f"{url}#{anchor}" if anchor else url)
            else:
                element.set("href", "#")


class _CrossLinkExtension(Extension):
    def extendMarkdown(self, md):
        # After inline processing (priority 20) so links exist; before the toc
        # extension reads headings, so demoted h1s are listed as sections.
        md.treeprocessors.register(_CrossLinkProcessor(md), "atmp_cross_links", 15)


def _markdown_converter():
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", _CrossLinkExtension(), CalloutExtension()],
        extension_configs={"toc": {"toc_depth": "2-2"}},
        output_format="html",
    )


URL_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _drop_disguised_script_urls(tag, attribute, value):
    """
    nh3's attribute_filter: remove a URL whose scheme is hidden by control characters.

    nh3 reads `jav&#9;ascript:alert(1)` as a relative URL and keeps it, but a
    browser removes tabs and newlines inside a URL and reads `javascript:`. So
    the scheme is checked again with control characters and whitespace removed
    (found by the XSS corpus test, tests/test_xss_corpus.py).
    """
    if attribute == "role":
        # Only the role callouts carry: no editor-written role="alert" or the like.
        return value if tag == "aside" and value == CALLOUT_ROLE else None
    if attribute in {"href", "src"}:
        squeezed = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
        scheme = URL_SCHEME_RE.match(squeezed)
        if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
            return None
    return value


def sanitise_html(unsafe_html: str) -> str:
    return nh3.clean(
        unsafe_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_drop_disguised_script_urls,
    )


def render(text: str, language: str | None = None) -> RenderedMarkdown:
    """Render editor markdown to sanitised HTML, with its sections and cross-links.

    Cross-links become addresses in `language` (/da/... or /en/...); by
    default the active language, as in the admin's live preview.
    """
    converter = _markdown_converter()
    with translation.override(language or translation.get_language()):
        unsafe_html = converter.convert(text or "")
    sections = [{"id": token["id"], "title": html.unescape(token["name"])} for token in converter.toc_tokens]
    return RenderedMarkdown(
        html=sanitise_html(unsafe_html),
        sections=sections,
        # Markdown skips the tree processors for an empty text, so there may be no list.
        linked_slugs=list(getattr(converter, "linked_slugs", [])),
    )


def render_markdown(text: str) -> str:
    """The markdownx preview function: sanitised HTML for a markdown text."""
    return render(text).html


def linked_slugs(text: str) -> list[str]:
    """Slugs of the pages a markdown text cross-links to."""
    return render(text).linked_slugs
