"""
The one place where editor-written markdown becomes sanitised HTML: at save
(`Page.save()` stores it) and in the admin's previews, never per request.

Cross-links: `[gene therapy](page:gene-therapy)` becomes the page's address,
and the slugs a text names are reported, so a link to no page can be refused.
"""

import contextvars
import functools
import html
import re
import signal
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as ascii_slugify
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

from content.callouts import CALLOUT_CLASSES, CALLOUT_ROLE, CALLOUT_TITLE_CLASS, CalloutExtension
from content.citations import CITATION_CLASS, CitationExtension
from content.scoped import scoped

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
    # Citation markers `[^N]` (content/citations.py).
    "sup": {CITATION_CLASS},
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
        extensions=["tables", "sane_lists", "toc", _CrossLinkExtension(), CalloutExtension(), CitationExtension()],
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
    (found by the XSS corpus test, tests/operations/test_xss_corpus.py).
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


# --- Bounded work (issue 15): an editor's text is rendered on a web worker, which no text may hold for long.

BODY_MAX_LENGTH = 100_000
# Seconds; real pages of the maximum length render in well under half of it.
PREVIEW_TIME_LIMIT = float(getattr(settings, "CONTENT_RENDER_TIME_LIMIT", 1.0))


class BodyRejected(ValidationError):
    """A body that is too long, or too costly, to render."""


class _RenderTooSlow(Exception):
    pass


def check_body_length(text: str) -> None:
    if len(text or "") > BODY_MAX_LENGTH:
        raise BodyRejected(
            _(
                "The text is too long: %(length)s characters. A page may have at most %(limit)s; "
                "split it into several pages."
            ),
            params={"length": f"{len(text):,}", "limit": f"{BODY_MAX_LENGTH:,}"},
            code="body_too_long",
        )


@contextmanager
def _deadline(seconds):
    """
    Raise _RenderTooSlow inside the block once `seconds` have passed: a SIGALRM timer, so only in the main
    thread (where gunicorn's sync workers serve) and when no other timer runs; elsewhere no limit.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        # Raised inside a finalizer (__del__) the exception is printed and lost: ring again soon.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise _RenderTooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def time_limit(seconds):
    """Refuse, with BodyRejected, work on an editor's text (the admin's link check) that outlasts `seconds`."""
    try:
        with _deadline(seconds):
            yield
    except _RenderTooSlow:
        raise BodyRejected(
            _("Checking this text's links took too long. Remove some of its links and try again."),
            code="links_too_costly",
        ) from None


def _matching_brackets(data):
    """For each `[` in data, the index of its matching `]`, in one pass."""
    matches, open_at = {}, []
    for position, character in enumerate(data):
        if character == "[":
            open_at.append(position)
        elif character == "]" and open_at:
            matches[open_at.pop()] = position
    return matches


def _get_text_in_linear_time(processor, data, index):
    """
    Python-Markdown's LinkInlineProcessor.getText from a table of matching brackets made once per text:
    the original scans to the end of the text from every unclosed `[` (10,000 of them took 10 s).
    """
    if index == 0 or data[index - 1] != "[":
        return LinkInlineProcessor.getText(processor, data, index)
    cached = getattr(processor, "_bracket_table", None)
    if cached is None or cached[0] is not data:
        cached = (data, _matching_brackets(data))
        processor._bracket_table = cached
    closing = cached[1].get(index - 1)
    if closing is None:
        return data[index:], len(data), False
    return data[index:closing], closing + 1, True


# A link's address and title are looked for this far after its "](" at most: Python-Markdown scans to the
# end of the text for every unclosed one (quadratic). The render's time limit covers what remains.
LINK_DESTINATION_MAX_LENGTH = 2048


def _get_link_within_bounds(processor, data, index):
    end = min(len(data), index + LINK_DESTINATION_MAX_LENGTH)
    if data.find(")", index, end) == -1:
        return "", None, index, False  # no ")" to close it: not a link, found without a scan
    return LinkInlineProcessor.getLink(processor, data[:end], index)


def _scan_brackets_in_linear_time(converter):
    """Give this converter's link and image processors (inline and reference) bounded scans."""
    for processor in converter.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor):
            processor.getText = functools.partial(_get_text_in_linear_time, processor)
            processor.getLink = functools.partial(_get_link_within_bounds, processor)


# Renders already made while `rendering_once()` is open: (kind, text, language, ...) -> result.
_renders = contextvars.ContextVar("renders", default=None)


def rendering_once():
    """
    Within it, a text is rendered once however many checks and saves ask (an admin save validates, checks,
    publishes and stores one body); kept until the block ends. Inside another such block, the outer one's serve.
    """
    return nullcontext() if _renders.get() is not None else scoped(_renders, {})


def once(key, make):
    """`make()`, kept under `key` while `rendering_once()` is open (a refused text raises, and is not kept)."""
    renders = _renders.get()
    if renders is None:
        return make()
    if key not in renders:
        renders[key] = make()  # a refused text raises, and is not kept
    return renders[key]


def forget(*kinds):
    """Drop what `once()` kept under keys starting with one of `kinds` (what a save may have changed)."""
    renders = _renders.get()
    if renders is not None:
        for key in [key for key in renders if key[0] in kinds]:
            del renders[key]


def render(text: str, language: str | None = None, time_limit: float | None = None) -> RenderedMarkdown:
    """
    Editor markdown as sanitised HTML, with its sections and cross-links (addresses in `language`, by default
    the active one). With a `time_limit` (seconds), a text that takes longer raises BodyRejected.
    """
    language = language or translation.get_language()
    return once(("markdown", text, language), lambda: _render(text, language, time_limit))


def _render(text, language, time_limit):
    converter = _markdown_converter()
    _scan_brackets_in_linear_time(converter)
    try:
        with _deadline(time_limit), translation.override(language):
            unsafe_html = converter.convert(text or "")
    except _RenderTooSlow:
        raise BodyRejected(
            _(
                "This text is too complex to render (for example thousands of unclosed “[” or “<”). "
                "Remove the repeated characters and try again."
            ),
            code="body_too_complex",
        ) from None
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


def render_page(text: str, language: str, page=None, time_limit=None) -> tuple[RenderedMarkdown, str]:
    """
    (rendered markdown, HTML as the public gets it): `render()`, then the site-wide filters
    (`CONTENT_HTML_FILTERS`, the glossary's term links), for saves and the live preview alike.
    `page` lets a filter leave out the page's own topic.
    """
    rendered = render(text, language=language, time_limit=time_limit)

    def filtered():
        body_html = rendered.html
        for html_filter in _html_filters():
            body_html = html_filter(body_html, language, page=page)
        return body_html

    return rendered, once(("page", text, language, getattr(page, "pk", None)), filtered)


def render_markdown(text: str) -> str:
    """Sanitised HTML for a markdown text (markdownx's MARKDOWNIFY_FUNCTION setting)."""
    return render(text).html


def linked_slugs(text: str) -> list[str]:
    """Slugs of the pages a markdown text cross-links to."""
    return render(text).linked_slugs
