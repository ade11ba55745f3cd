"""
Mark the first use of each glossary term in a page body, and explain it in place.

Runs on the sanitised HTML that `content.markdown.render()` produced, when the
page is saved (glossary/signals.py), so a reader's request does no work. It
rewrites text only: tags pass through exactly as the sanitiser wrote them, text
is re-escaped, and nothing is marked inside headings, links, code, pre or
abbreviations.

A marked term is a link to a short note at the end of its section (before the
next `h2`, or at the end of the body): the term and its plain-language
definition, a link back to where the reader was, and one to the A–Z glossary.
It works without JavaScript, footnote-style, and a screen reader hears the word
followed by "(glossary)" so the link is not mistaken for one to another page.
A page never marks its own topic (the term whose page it is, or whose name is
the page's title or slug), nor a term its own text already explains where it
first uses it ("CRS stands for ...", "ICANS står for ...") or first uses as a
link (the linked page explains it): a box repeating the sentence above it only
makes a phone page longer (issue 23, readers' item 5).
"""

import contextvars
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from content.scoped import scoped

# Text inside these elements is never marked.
SKIP_TAGS = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    url: str  # the entry on the A–Z glossary page
    variants: tuple  # the term and its synonyms
    definition: str = ""
    page_id: int | None = None  # the page about this term, which does not mark it
    page_url: str = ""  # that page's address: a page linking the term there does not explain it again

    @property
    def term(self):
        return self.variants[0]


@dataclass(frozen=True)
class Labels:
    """The words the notes use, in the page's language."""

    cue: str  # after a marked word, for screen readers
    notes: str  # above a section's notes
    back: str  # link back to the text
    glossary: str  # link to the A–Z entry


def _labels(language):
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(language):
        return Labels(
            cue=gettext("(glossary)"),
            notes=gettext("Words explained in this section"),
            back=gettext("Back to the text"),
            glossary=gettext("In the glossary"),
        )


# What follows a term whose sentence explains it: "CRS stands for ...", "ICANS står for ...",
# "CAR-T betyder ...", "A donor is a person who ...".
EXPLAINED_BY_TEXT = re.compile(
    r"^\W{0,3}(?:stands for|is short for|short for|means|is called|står for|betyder|er en forkortelse)\b",
    re.I,
)


def _pattern(entries):
    """One regex for every variant, longest first; acronyms and names match case-sensitively."""
    alternatives, owners = [], {}
    variants = sorted({(v, e.slug) for e in entries for v in e.variants if v}, key=lambda item: -len(item[0]))
    for index, (variant, slug) in enumerate(variants):
        group = f"v{index}"
        owners[group] = slug
        # Acronyms and names ("EBV", "Danish Medicines Council") match only as
        # written; ordinary words match in any case ("Donor", "donor").
        case_sensitive = any(ch.isupper() for ch in variant[1:])
        flags = "(?-i:" if case_sensitive else "(?i:"
        # Plurals ("T cells") count as the term.
        alternatives.append(f"(?P<{group}>{flags}{re.escape(variant)})(?:s|es)?)")
    if not alternatives:
        return None, owners
    # Not inside a longer word or hyphenated name ("T cell" in "CAR-T cell"),
    # but "EBV" in "EBV-positive" counts.
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?!\w)"), owners


def note_id(slug):
    return f"glossary-note-{slug}"


def mark_id(slug):
    return f"glossary-mark-{slug}"


class _Marker(HTMLParser):
    def __init__(self, entries, labels):
        super().__init__(convert_charrefs=True)
        self.pattern, self.owners = _pattern(entries)
        self.entries = {entry.slug: entry for entry in entries}
        self.labels = labels
        self.out, self.open_tags, self.done, self.pending = [], [], set(), []
        self.link_href = ""  # the href of the link the text is in, if any
        self.explained_by_text = None  # a term that ended a text node: is it explained by the next one?

    def handle_starttag(self, tag, attrs):
        if tag == "h2" and not self.open_tags:
            self.flush_notes()
        self.out.append(self.get_starttag_text())
        if tag == "a":
            self.link_href = dict(attrs).get("href") or ""
        if tag not in VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag == "a":
            self.link_href = ""
        if tag in self.open_tags:
            # Pop up to and including the innermost matching element.
            while self.open_tags and self.open_tags.pop() != tag:
                pass

    def handle_data(self, data):
        if self.explained_by_text:
            # The term ended the previous text node ("<strong>CRS</strong> står for ..."):
            # when the words after it explain it, its note goes.
            (slug, index, word), self.explained_by_text = self.explained_by_text, None
            if EXPLAINED_BY_TEXT.match(data) and self.pending and self.pending[-1].slug == slug:
                self.pending.pop()
                self.out[index] = escape(word, quote=False)  # no note, so no link to one
        if self.pattern is None or SKIP_TAGS.intersection(self.open_tags):
            if self.pattern is not None and self.link_href:
                # First used as a link to its own page ("[CAR-T](page:car-t)"): that page explains it; no note later.
                for match in self.pattern.finditer(data):
                    entry = self.entries[self.owners[match.lastgroup]]
                    if entry.page_url and self.link_href.split("#")[0] == entry.page_url:
                        self.done.add(entry.slug)
            self.out.append(escape(data, quote=False))
            return
        position = 0
        for match in self.pattern.finditer(data):
            slug = self.owners[match.lastgroup]
            if slug in self.done:
                continue
            self.done.add(slug)
            if EXPLAINED_BY_TEXT.match(data[match.end() :]):
                # Explained right here, in the text: no note, and no link to one.
                self.out.append(escape(data[position : match.end()], quote=False))
                position = match.end()
                continue
            self.pending.append(self.entries[slug])
            if not data[match.end() :].strip():
                self.explained_by_text = (slug, len(self.out) + 1, match.group(0))
            self.out.append(escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<a class="glossary-term" href="#{escape(note_id(slug))}" id="{escape(mark_id(slug))}">'
                f"{escape(match.group(0), quote=False)}"
                f'<span class="visually-hidden"> {escape(self.labels.cue)}</span></a>'
            )
            position = match.end()
        self.out.append(escape(data[position:], quote=False))

    def flush_notes(self):
        """The notes for the terms marked since the last section heading, footnote-style."""
        if not self.pending:
            return
        labels = self.labels
        items = "".join(
            f'<div class="glossary-note" id="{escape(note_id(entry.slug))}" tabindex="-1">'
            f"<dt>{escape(entry.term)}</dt>"
            f"<dd>{escape(entry.definition)} "
            f'<a class="glossary-back" href="#{escape(mark_id(entry.slug))}">{escape(labels.back)}'
            f'<span class="visually-hidden">: {escape(entry.term)}</span></a> '
            f'<a class="glossary-more" href="{escape(entry.url)}">{escape(labels.glossary)}'
            f'<span class="visually-hidden">: {escape(entry.term)}</span></a></dd></div>'
            for entry in self.pending
        )
        self.out.append(
            f'<div class="glossary-notes"><p class="glossary-notes-title">{escape(labels.notes)}</p>'
            f"<dl>{items}</dl></div>"
        )
        self.pending = []

    def close(self):
        super().close()
        self.flush_notes()


# Defined beside the content checks, which the glossary builds on.
from content.quality import as_read, without_notes  # noqa: E402, F401


def without_topic(entries, page):
    """The entries a page marks: not the one whose page it is, nor one named like its title or slug."""
    if page is None:
        return list(entries)
    title = (page.title or "").casefold()
    return [
        entry
        for entry in entries
        if not (
            (page.pk and entry.page_id == page.pk)
            or entry.slug == page.slug
            or any(variant.casefold() == title for variant in entry.variants)
        )
    ]


def mark_terms(body_html, entries, *, language="en", page=None):
    """`body_html` with the first use of each entry's term marked and explained at the end of its section."""
    entries = without_topic(entries, page)
    if not entries or not body_html:
        return body_html
    marker = _Marker(entries, _labels(language))
    marker.feed(body_html)
    marker.close()
    return "".join(marker.out)


def entries_from(terms, language):
    """GlossaryEntry values from Term rows (real or historical models) of one language."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        base = reverse("glossary:index")
    return [
        GlossaryEntry(
            slug=term.slug,
            url=f"{base}#term-{term.slug}",
            variants=(term.term, *[w.strip() for w in term.synonyms.split(",") if w.strip()]),
            definition=term.definition,
            page_id=term.page_id,
            page_url=_page_url(term),
        )
        for term in terms
    ]


def _page_url(term):
    page = term.page if term.page_id else None
    get_url = getattr(page, "get_absolute_url", None)  # historical models (migrations) have none
    return get_url() if get_url else ""


# The published terms of each language, when read once for many pages (`terms_read_once`).
_entries_read = contextvars.ContextVar("glossary_entries_read", default=None)


def terms_read_once():
    """Inside the block, the terms of a language are read once, however many pages are marked."""
    return scoped(_entries_read, {})


def mark_with_current_terms(body_html, language, page=None):
    """The page HTML filter (settings.CONTENT_HTML_FILTERS): mark the published terms of the page's language."""
    from glossary.models import Term

    read = _entries_read.get()
    entries = read.get(language) if read is not None else None
    if entries is None:
        entries = entries_from(Term.objects.published().filter(language=language).select_related("page"), language)
        if read is not None:
            read[language] = entries
    return mark_terms(body_html, entries, language=language, page=page)
