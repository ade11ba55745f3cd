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
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """Collects the text of each block element, and the images."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.images, self._current = [], [], []

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

    def close(self):
        super().close()
        self._flush()


def _parse(html):
    parser = _TextBlocks()
    parser.feed(html or "")
    parser.close()
    return parser


def words(text):
    return WORD_RE.findall(text)


def is_long(word):
    return sum(ch.isalpha() for ch in word) > LONG_WORD_LETTERS


def sentences(html):
    """The sentences of rendered HTML, in reading order (each with at least one word)."""
    found = []
    for block in _parse(html).blocks:
        found.extend(part for part in SENTENCE_END_RE.split(block) if words(part))
    return found


def lix_band(lix):
    if lix < LIX_GOOD_BELOW:
        return "good"
    if lix < LIX_COMPLEX_FROM:
        return "fair"
    return "complex"


# The bands as the admin shows them, in the editor's language.
LIX_BAND_LABELS = {"good": gettext_lazy("good"), "fair": gettext_lazy("fair"), "complex": gettext_lazy("complex")}


def translated_lix_band(lix):
    return LIX_BAND_LABELS[lix_band(lix)]


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
        return math.ceil(self.words / WORDS_PER_MINUTE) if self.words else 0


def text_stats(html):
    found = sentences(html)
    all_words = [word for sentence in found for word in words(sentence)]
    return TextStats(
        words=len(all_words),
        long_words=sum(1 for word in all_words if is_long(word)),
        sentences=len(found),
    )


def longest_sentences(html, count=3):
    """The `count` longest sentences as (number of words, sentence), longest first."""
    ranked = sorted(((len(words(s)), s) for s in sentences(html)), key=lambda item: -item[0])
    return ranked[:count]


def images_without_alt(html):
    """The `src` of every image that has no (or only blank) alternative text."""
    return [image.get("src", "") for image in _parse(html).images if not (image.get("alt") or "").strip()]


@dataclass
class ContentWarning:
    code: str
    message: str


@dataclass
class PageReport:
    stats: TextStats
    longest: list
    warnings: list = field(default_factory=list)


def check_page(page, existing_slugs=None, linked=None):
    """
    All content checks for a saved page.

    `existing_slugs` lets a list of pages share one query for cross-link
    checks; without it the page asks the database itself. `linked` (the
    slugs the body links to) spares rendering the markdown again.
    """
    from content.markdown import linked_slugs
    from content.models import Page

    html = page.body_html
    report = PageReport(stats=text_stats(html), longest=longest_sentences(html))
    if existing_slugs is None and linked is None:
        broken = page.missing_cross_links()
    else:
        linked = linked_slugs(page.body) if linked is None else linked
        if existing_slugs is None:
            existing_slugs = set(
                Page.objects.filter(slug__in=linked, language=page.language).values_list("slug", flat=True)
            )
        broken = [slug for slug in linked if slug not in existing_slugs and slug != page.slug]
    if broken:
        report.warnings.append(
            ContentWarning("broken_cross_link", _("Broken cross-links: %s.") % ", ".join(f"page:{s}" for s in broken))
        )
    missing_alt = images_without_alt(html)
    if missing_alt:
        report.warnings.append(
            ContentWarning(
                "image_without_alt",
                _("Images without alt text (describe each image for readers who cannot see it): %s.")
                % ", ".join(missing_alt),
            )
        )
    # The admin list annotates source_count to spare a query per row.
    source_count = getattr(page, "source_count", None)
    has_sources = source_count > 0 if source_count is not None else bool(page.pk and page.sources.exists())
    if not has_sources:
        report.warnings.append(ContentWarning("no_sources", _("No sources: list the evidence this page rests on.")))
    if page.review_overdue:
        report.warnings.append(
            ContentWarning("review_overdue", _("Review overdue since %s.") % page.next_review_due.isoformat())
        )
    if report.stats.lix >= PATIENT_LIX_TARGET:
        report.warnings.append(
            ContentWarning(
                "hard_to_read",
                _("LIX %(lix)s: patient pages should be under %(target)s. Shorten the longest sentences.")
                % {"lix": report.stats.lix, "target": PATIENT_LIX_TARGET},
            )
        )
    return report
