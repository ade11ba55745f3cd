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

import functools
import html
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
import nh3
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as ascii_slugify
from markdown.treeprocessors import Treeprocessor

CROSS_LINK_SCHEME = "page:"
SLUG_RE = re.compile(r"^[-a-z0-9_]+$")

# What editors may produce. Everything else (script, iframe, style, event
# handlers, javascript:/data: URLs, ...) is removed by nh3.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2",
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
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Danish letters that have no ASCII decomposition; without this the toc
# extension drops them ("følges tæt" -> "flges-tt") and links written with the
# letters go nowhere.
DANISH_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slugify(value: str, separator: str = "-") -> str:
    """A heading's anchor: the toc extension's ASCII slug, with æ, ø and å kept as ae, oe and aa."""
    return ascii_slugify(value.translate(DANISH_TRANSLITERATION), separator)


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
            # An anchor written as the heading reads (#derfor-følges-tæt) finds
            # the heading's id (#derfor-foelges-taet).
            anchor = slugify(anchor) if anchor else ""
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
        extensions=["tables", "sane_lists", "toc", _CrossLinkExtension()],
        extension_configs={"toc": {"toc_depth": "2-2", "slugify": slugify}},
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


@functools.cache
def _html_filters():
    return [import_string(path) for path in settings.CONTENT_HTML_FILTERS]


def render_page(text: str, language: str) -> tuple[RenderedMarkdown, str]:
    """
    A page body as the public gets it: `render()`, then the site-wide HTML
    filters (`CONTENT_HTML_FILTERS`, the glossary's term links). `Page.render()`
    and the admin's live preview both call this, so the preview is the page.
    Returns the rendered markdown and the filtered HTML.
    """
    rendered = render(text, language=language)
    body_html = rendered.html
    for html_filter in _html_filters():
        body_html = html_filter(body_html, language)
    return rendered, body_html


def render_markdown(text: str) -> str:
    """The markdownx preview function: sanitised HTML for a markdown text."""
    return render(text).html


def linked_slugs(text: str) -> list[str]:
    """Slugs of the pages a markdown text cross-links to."""
    return render(text).linked_slugs
