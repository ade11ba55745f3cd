"""
Content checks for editors: length, reading time, readability and warnings.

Everything is computed from a page's rendered HTML (what the reader gets), in
plain Python, so the figures can be tested against hand-counted texts.

Counting rules (stated here because every figure depends on them):

- A *word* is a run of letters, possibly joined by a hyphen or apostrophe
  ("CAR-T", "patient's"). Numbers are not words.
- A *long word* has more than 6 letters (hyphens and apostrophes not counted).
- A *sentence* ends at ".", "!", "?" or ":" followed by a space, and at the end
  of every block (paragraph, heading, list item, table cell), so a heading or a
  bullet without a full stop is still one sentence. Abbreviations with full
  stops ("e.g.") therefore count as sentence ends, as in hand-counted LIX.
- LIX = words / sentences + 100 × long words / words (Björnsson's readability
  index). Bands as in Wagtail's editor: under 35 good, 35–44 fair, 45 or more
  complex. Patient pages should aim for under 40.
- Reading time assumes 200 words a minute, slower than the adult average of
  about 240, because readers of health information often read carefully.
"""

import math
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy

from content import citations
from content.callouts import unknown_types

WORDS_PER_MINUTE = 200
LONG_WORD_LETTERS = 6
LIX_GOOD_BELOW = 35
LIX_COMPLEX_FROM = 45
PATIENT_LIX_TARGET = 40

WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
SENTENCE_END_RE = re.compile(r"(?<=[.!?:])\s+")
BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd",
    "blockquote", "pre", "ul", "ol", "table", "tr", "div",
}  # fmt: skip


class _TextBlocks(HTMLParser):
    """The text of each block element of some HTML, and its images."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.blocks, self.images, self._current = [], [], []
        self.feed(html or "")
        self.close()
        self._flush()

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self._current.append(" ")
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        self._current.append(data)


words = WORD_RE.findall


def sentences(html):
    """The sentences of rendered HTML, in reading order (each with at least one word)."""
    return [part for block in _TextBlocks(html).blocks for part in SENTENCE_END_RE.split(block) if words(part)]


def lix_band(lix):
    return "good" if lix < LIX_GOOD_BELOW else "fair" if lix < LIX_COMPLEX_FROM else "complex"


def translated_lix_band(lix):
    """The band as the admin shows it, in the editor's language."""
    labels = {"good": gettext_lazy("good"), "fair": gettext_lazy("fair"), "complex": gettext_lazy("complex")}
    return labels[lix_band(lix)]


@dataclass(frozen=True)
class TextStats:
    words: int
    long_words: int
    sentences: int

    @property
    def lix(self):
        """LIX rounded to one decimal; 0 for an empty text."""
        if not self.words or not self.sentences:
            return 0.0
        return round(self.words / self.sentences + 100 * self.long_words / self.words, 1)

    @property
    def lix_band(self):
        return lix_band(self.lix)

    @property
    def lix_band_label(self):
        return translated_lix_band(self.lix)

    @property
    def reading_minutes(self):
        return math.ceil(self.words / WORDS_PER_MINUTE)


def text_stats(html):
    found = sentences(html)
    all_words = [word for sentence in found for word in words(sentence)]
    long_words = sum(sum(ch.isalpha() for ch in word) > LONG_WORD_LETTERS for word in all_words)
    return TextStats(words=len(all_words), long_words=long_words, sentences=len(found))


def longest_sentences(html, count=3):
    """The `count` longest sentences as (number of words, sentence), longest first."""
    return sorted(((len(words(s)), s) for s in sentences(html)), key=lambda item: -item[0])[:count]


def images_without_alt(html):
    """The `src` of every image that has no (or only blank) alternative text."""
    return [image.get("src", "") for image in _TextBlocks(html).images if not (image.get("alt") or "").strip()]


# What each warning says to the editor; the detail is stored with the page.
MESSAGES = {
    "broken_cross_link": gettext_lazy("Broken cross-links: %s."),
    "image_without_alt": gettext_lazy(
        "Images without alt text (describe each image for readers who cannot see it): %s."
    ),
    "no_sources": gettext_lazy("No sources: list the evidence this page rests on."),
    "review_overdue": gettext_lazy("Review overdue since %s."),
    "never_reviewed": gettext_lazy("Never medically reviewed: review overdue."),
    "unknown_callout": gettext_lazy(
        "Unknown callout type: %s. Use !!! help (or hjælp) or !!! warning (or advarsel); any other becomes plain text."
    ),
    "hard_to_read": gettext_lazy(
        "LIX %(lix)s: patient pages should be under %(target)s. Shorten the longest sentences."
    ),
    # Citations, review dates and the emergency number (content/citations.py).
    **citations.MESSAGES,
}


@dataclass
class ContentWarning:
    code: str
    detail: str = ""

    @property
    def message(self):
        message = str(MESSAGES[self.code])
        if self.code == "hard_to_read":
            return message % {"lix": self.detail, "target": PATIENT_LIX_TARGET}
        return message % self.detail if "%s" in message else message


@dataclass
class PageReport:
    stats: TextStats
    longest: list
    warnings: list


def text_warnings(html, stats, broken_slugs, markdown_text=""):
    """The warnings that depend only on the page's text, as [code, detail] pairs: stored at save time."""
    found = [
        ("unknown_callout", [f"!!! {kind}" for kind in unknown_types(markdown_text)]),
        ("broken_cross_link", [f"page:{slug}" for slug in broken_slugs]),
        ("image_without_alt", images_without_alt(html)),
        ("hard_to_read", [f"{stats.lix:g}"] if stats.lix >= PATIENT_LIX_TARGET else []),
    ]
    return [[code, ", ".join(items)] for code, items in found if items]


def page_warnings(page, has_sources, text=None):
    """The text warnings (`text`, or those stored) plus those of the sources and the date; renders nothing."""
    warnings = [ContentWarning(code, detail) for code, detail in (page.quality_warnings if text is None else text)]
    if not has_sources:
        warnings.append(ContentWarning("no_sources"))
    if page.review_overdue:
        # A page never reviewed is overdue: nobody has vouched for it yet.
        due = page.next_review_due
        warnings.append(ContentWarning("review_overdue", due.isoformat()) if due else ContentWarning("never_reviewed"))
    return warnings


# The glossary's notes and screen-reader cues added to a page's HTML (glossary.marking).
_NOTES = re.compile(r'<div class="glossary-notes">.*?</dl></div>|<span class="visually-hidden">.*?</span>', re.S)


def without_notes(body_html):
    """The body as its author wrote it: no glossary notes and no screen-reader cues (for checks, search, snippets)."""
    return _NOTES.sub("", body_html or "")


_CUES = re.compile(r'<span class="visually-hidden">.*?</span>', re.S)


def as_read(body_html):
    """The body as a sighted reader reads it: the glossary notes kept, the screen-reader cues left out."""
    return _CUES.sub("", body_html or "")


# The source numbers after a paragraph (content/citations.py) are links, not words of the text.
_CITATIONS = re.compile(r'<sup class="cite">.*?</sup>', re.S)


def plain_words(html):
    """The words of some HTML as one plain string: no tags, no source numbers, entities decoded, single-spaced."""
    return " ".join(unescape(strip_tags(_CITATIONS.sub("", html or ""))).split())


def check_page(page):
    """All content checks for a page as it is in memory (the change form shows those of the unpublished changes)."""
    # The author's text: the glossary notes added at save are not part of it.
    html = without_notes(page.body_html)
    stats = text_stats(html)
    has_sources = bool(page.pk and page.sources.exists())
    warnings = page_warnings(page, has_sources, text_warnings(html, stats, page.missing_cross_links(), page.body))
    warnings += [ContentWarning(code, detail) for code, detail in citations.page_warnings(page)]
    return PageReport(stats=stats, longest=longest_sentences(html), warnings=warnings)
