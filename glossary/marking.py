"""
Mark the first use of each glossary term in a page body, and explain it in place.

Runs on the sanitised HTML of `content.markdown.render()` when a page is
rendered at save (`CONTENT_HTML_FILTERS`, through `markdown.render_page`), so a
reader's request does no work; glossary/signals.py marks the pages again when a
term changes. Only text is rewritten (and re-escaped): tags pass through exactly
as the sanitiser wrote them, and nothing is marked inside headings, links, code,
pre or abbreviations.

A marked term links to a note at the end of its section (before the next `h2`,
or at the end of the body): the term, its plain-language definition, a link
back to where the reader was and one to the A–Z glossary. It works without
JavaScript, and a screen reader hears the word followed by "(glossary)", so the
link is not mistaken for one to another page. A page never marks its own topic,
nor a term its text already explains where it first uses it ("CRS stands for
...", "ICANS står for ...") or first uses as a link (the linked page explains
it): a box repeating the sentence above it only makes a phone page longer
(issue 23, readers' item 5).
"""

import contextvars
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from django.utils import translation
from django.utils.translation import gettext

from content.scoped import scoped
from glossary.models import Term

# Text inside these elements is never marked.
SKIP_TAGS = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# What follows a term whose sentence explains it: "CRS stands for ...", "ICANS står for ...",
# "CAR-T betyder ...", "A donor is a person who ...".
EXPLAINED_BY_TEXT = re.compile(
    r"^\W{0,3}(?:stands for|is short for|short for|means|is called|står for|betyder|er en forkortelse)\b",
    re.I,
)


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


def _pattern(entries):
    """One regex for every variant, longest first; acronyms and names match case-sensitively."""
    alternatives, owners = [], {}
    variants = sorted({(v, e.slug) for e in entries for v in e.variants if v}, key=lambda item: -len(item[0]))
    for index, (variant, slug) in enumerate(variants):
        group = f"v{index}"
        owners[group] = slug
        # Acronyms and names ("EBV", "Danish Medicines Council") match only as
        # written; ordinary words match in any case ("Donor", "donor").
        flags = "(?-i:" if any(ch.isupper() for ch in variant[1:]) else "(?i:"
        # Plurals ("T cells") count as the term.
        alternatives.append(f"(?P<{group}>{flags}{re.escape(variant)})(?:s|es)?)")
    # Not inside a longer word or hyphenated name ("T cell" in "CAR-T cell"),
    # but "EBV" in "EBV-positive" counts. With no variants, "(?!)" matches nothing.
    return re.compile(r"(?<![\w-])(?:" + ("|".join(alternatives) or "(?!)") + r")(?!\w)"), owners


class _Marker(HTMLParser):
    def __init__(self, entries, language):
        super().__init__(convert_charrefs=True)
        self.pattern, self.owners = _pattern(entries)
        self.entries = {entry.slug: entry for entry in entries}
        with translation.override(language):
            self.cue = escape(gettext("(glossary)"))  # after a marked word, for screen readers
            self.notes_title = escape(gettext("Words explained in this section"))
            self.back = escape(gettext("Back to the text"))
            self.more = escape(gettext("In the glossary"))
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
        if SKIP_TAGS.intersection(self.open_tags):
            if self.link_href:
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
                continue  # explained right here, in the text: no note, and no link to one
            self.pending.append(self.entries[slug])
            if not data[match.end() :].strip():
                self.explained_by_text = (slug, len(self.out) + 1, match.group(0))
            self.out.append(escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<a class="glossary-term" href="#glossary-note-{escape(slug)}" id="glossary-mark-{escape(slug)}">'
                f'{escape(match.group(0), quote=False)}<span class="visually-hidden"> {self.cue}</span></a>'
            )
            position = match.end()
        self.out.append(escape(data[position:], quote=False))

    def flush_notes(self):
        """The notes for the terms marked since the last section heading, footnote-style."""
        if not self.pending:
            return
        items = "".join(
            f'<div class="glossary-note" id="glossary-note-{escape(entry.slug)}" tabindex="-1">'
            f"<dt>{escape(entry.term)}</dt>"
            f"<dd>{escape(entry.definition)} "
            f'<a class="glossary-back" href="#glossary-mark-{escape(entry.slug)}">{self.back}'
            f'<span class="visually-hidden">: {escape(entry.term)}</span></a> '
            f'<a class="glossary-more" href="{escape(entry.url)}">{self.more}'
            f'<span class="visually-hidden">: {escape(entry.term)}</span></a></dd></div>'
            for entry in self.pending
        )
        self.out.append(
            f'<div class="glossary-notes"><p class="glossary-notes-title">{self.notes_title}</p><dl>{items}</dl></div>'
        )
        self.pending = []

    def close(self):
        super().close()
        self.flush_notes()


def mark_terms(body_html, entries, *, language="en", page=None):
    """`body_html` with the first use of each entry's term marked and explained at the end of its section."""
    if page is not None:
        # A page does not mark its own topic: the term whose page it is, or one named like its title or slug.
        title = (page.title or "").casefold()
        entries = [
            entry
            for entry in entries
            if not (page.pk and entry.page_id == page.pk)
            and entry.slug != page.slug
            and all(variant.casefold() != title for variant in entry.variants)
        ]
    if not entries or not body_html:
        return body_html
    marker = _Marker(entries, language)
    marker.feed(body_html)
    marker.close()
    return "".join(marker.out)


# The published terms of each language, by `terms_read_once`.
_entries_read = contextvars.ContextVar("glossary_entries_read")


def terms_read_once():
    """Inside the block, the terms of a language are read once, however many pages are marked."""
    return scoped(_entries_read, {})


def mark_with_current_terms(body_html, language, page=None):
    """The page HTML filter (settings.CONTENT_HTML_FILTERS): mark the published terms of the page's language."""
    read = _entries_read.get({})  # outside `terms_read_once`, for this page only
    if language not in read:
        read[language] = [
            GlossaryEntry(
                slug=term.slug,
                url=term.get_absolute_url(),
                variants=(term.term, *term.synonym_list),
                definition=term.definition,
                page_id=term.page_id,
                page_url=term.page.get_absolute_url() if term.page_id else "",
            )
            for term in Term.objects.published().filter(language=language).select_related("page")
        ]
    return mark_terms(body_html, read[language], language=language, page=page)
