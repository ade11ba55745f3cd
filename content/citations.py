"""
Citations: a medical paragraph points to the source it rests on.

Editors write `[^N]` after a claim, N being the source's 1-based position in
the page's sources list. `CitationExtension` turns it into
`<sup class="cite"><a href="#source-N">N</a></sup>` (`[^2][^5]` share one
`<sup>`: "2, 5"), a numbered link to the source under the page that works
without JavaScript and in print. The page template gives each source
`id="source-N"`; the sanitiser in `content.markdown` allows this class on `sup`.

The checks are pure functions of a page's body, sources and review date;
`content.quality.check_page` shows their warnings. Which paragraphs must cite:

- The body is split into blocks at blank lines; callout lines (`!!! help ...`)
  are left out, so the text inside a box must cite too.
- A block counts from `MIN_WORDS` words: shorter ones are headings in all but
  name, lead-ins ("... autologous or allogeneic:") or "Read more" sentences.
- Headings, table separator lines and blocks of only links never count, nor
  one sentence that links to another page of the site.
- A list is one block: one marker anywhere covers it, as does the marker of a
  lead-in right before it that ends with a colon ("Call at once if you:[^1]").
- A block of questions only ("Which vaccines can I have?") makes no claim.
- Pages that make no medical claims are exempt: `NON_MEDICAL_SLUGS`.

A page whose slug is in `EMERGENCY_SLUGS`, or whose text names CRS or ICANS,
must give the emergency number 112.
"""

import itertools
import re
import xml.etree.ElementTree as etree

from django.utils.translation import gettext_lazy
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

CITATION_RE = r"\[\^([1-9][0-9]{0,2})\]"
CITATION_CLASS = "cite"
SOURCE_ANCHOR = "source-{}"

MIN_WORDS = 10
NON_MEDICAL_SLUGS = {"about", "om-siden"}
EMERGENCY_SLUGS = {"side-effects", "bivirkninger"}
EMERGENCY_TOPIC_RE = re.compile(r"\b(CRS|ICANS)\b")
EMERGENCY_NUMBER_RE = re.compile(r"(?<![\d-])(112|1-1-2)(?![\d-])")

_MARKER_RE = re.compile(CITATION_RE)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_CALLOUT_LINE_RE = re.compile(r"^\s*!!!")
_HEADING_RE = re.compile(r"^\s*#{1,6}\s")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LINK_ONLY_LINE_RE = re.compile(r"^\s*(?:[-*+]|\d+\.)?\s*\[[^\]]*\]\([^)]*\)[\s.]*$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
_LIST_MARK_RE = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_TABLE_RULE_RE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")


# --- Rendering -------------------------------------------------------------


class _CitationProcessor(InlineProcessor):
    """`[^2][^5]` -> one `<sup>` with the links "2, 5" (side by side they would read "25")."""

    def handleMatch(self, m, data):
        sup = etree.Element("sup", {"class": CITATION_CLASS})
        for position, number in enumerate(_MARKER_RE.findall(m.group(0))):
            link = etree.SubElement(sup, "a", {"href": "#" + SOURCE_ANCHOR.format(number)})
            link.text = number
            if position:
                # The separator goes after the previous link (ElementTree keeps text between elements as tail).
                sup[position - 1].tail = ", "
        return sup, m.start(0), m.end(0)


class CitationExtension(Extension):
    def extendMarkdown(self, md):
        # Before reference links (170), which would otherwise read `[^1]` as a
        # reference to an undefined link and leave it as text.
        md.inlinePatterns.register(_CitationProcessor(f"(?:{CITATION_RE})+", md), "atmp_citation", 175)


# --- Checks ----------------------------------------------------------------


def cited_numbers(body):
    """The source numbers a body cites, as a set of ints."""
    return {int(number) for number in _MARKER_RE.findall(body or "")}


def blocks(body):
    """The body's blocks: text between blank lines, callout lines removed, indentation stripped."""
    lines = ("" if _CALLOUT_LINE_RE.match(line) else line.strip() for line in (body or "").splitlines())
    return ["\n".join(block) for text, block in itertools.groupby(lines, key=bool) if text]


def _must_cite(block):
    lines = [line for line in block.splitlines() if not _TABLE_RULE_RE.match(line)]
    if all(_HEADING_RE.match(line) for line in lines) or all(_LINK_ONLY_LINE_RE.match(line) for line in lines):
        return False
    prose = "\n".join(line for line in lines if not _HEADING_RE.match(line))
    sentences = [part for line in lines for part in _SENTENCE_END_RE.split(_LIST_MARK_RE.sub("", line).strip())]
    if "(page:" in prose and len(sentences) == 1:  # one sentence that links to another page
        return False
    if all(sentence.rstrip().endswith("?") for sentence in sentences if sentence.strip()):
        return False
    return len(_WORD_RE.findall(_LINK_RE.sub(r"\1", prose))) >= MIN_WORDS


def uncited_paragraphs(body, slug=""):
    """The blocks of a medical page that must cite a source and cite none (see the module docstring)."""
    if slug in NON_MEDICAL_SLUGS:
        return []
    pairs = itertools.pairwise(["", *blocks(body)])
    return [block for previous, block in pairs if _must_cite(block) and not _covered(block, previous)]


def _covered(block, previous):
    """A marker in the block, or the block is a list after a lead-in that cites and ends with a colon."""
    lead_in_cites = _MARKER_RE.search(previous) and _MARKER_RE.sub("", previous).rstrip().endswith(":")
    return bool(_MARKER_RE.search(block) or (_LIST_MARK_RE.match(block) and lead_in_cites))


def uncited_sources(body, source_count):
    """Numbers (1-based) of the page's sources that no marker in the body cites."""
    cited = cited_numbers(body)
    return [number for number in range(1, source_count + 1) if number not in cited]


def missing_sources(body, source_count):
    """Numbers cited in the body that are not in the page's sources list."""
    return sorted(number for number in cited_numbers(body) if number > source_count)


def sources_accessed_after_review(accessed_dates, last_reviewed):
    """(number, date) of each source read after the page's last review: the review cannot have covered it."""
    if not last_reviewed:
        return []
    return [(n, date) for n, date in enumerate(accessed_dates, start=1) if date and date > last_reviewed]


def lacks_emergency_number(body, slug=""):
    """True for a side-effects or emergency page that does not give the emergency number 112."""
    needed = slug in EMERGENCY_SLUGS or EMERGENCY_TOPIC_RE.search(body or "")
    return bool(needed) and not EMERGENCY_NUMBER_RE.search(body or "")


MESSAGES = {
    "uncited_source": gettext_lazy("Sources no paragraph cites (add [^N] where the page rests on them): %s."),
    "missing_source": gettext_lazy("Citations to sources the page does not list: %s."),
    "uncited_paragraph": gettext_lazy("Paragraphs that cite no source (add [^N]): %s."),
    "source_after_review": gettext_lazy(
        "Sources read after the last review, so the review did not cover them: %s. Review the page again."
    ),
    "no_emergency_number": gettext_lazy("This page is about side effects but does not give the emergency number 112."),
}


def _excerpt(block, length=50):
    text = " ".join(_LINK_RE.sub(r"\1", block).split())
    return f"“{text[:length]}…”" if len(text) > length else f"“{text}”"


def warnings_for(body, slug, accessed_dates, last_reviewed):
    """The citation and safety warnings for a page, as [code, detail] pairs (pure; no database)."""
    warnings = []
    if not_cited := uncited_sources(body, len(accessed_dates)):
        warnings.append(["uncited_source", ", ".join(map(str, not_cited))])
    if not_listed := missing_sources(body, len(accessed_dates)):
        warnings.append(["missing_source", ", ".join(map(str, not_listed))])
    if paragraphs := uncited_paragraphs(body, slug):
        warnings.append(["uncited_paragraph", f"{len(paragraphs)}: " + "; ".join(map(_excerpt, paragraphs))])
    if late := sources_accessed_after_review(accessed_dates, last_reviewed):
        warnings.append(["source_after_review", ", ".join(f"{n} ({date.isoformat()})" for n, date in late)])
    if lacks_emergency_number(body, slug):
        warnings.append(["no_emergency_number", ""])
    return warnings


def page_warnings(page):
    """`warnings_for` a saved or unsaved Page (its sources read from the database when it has an id)."""
    accessed = list(page.sources.values_list("accessed", flat=True)) if page.pk else []
    return warnings_for(page.body, page.slug, accessed, page.last_reviewed)
