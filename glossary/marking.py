"""
Link the first use of each glossary term in a page body to its definition.

Runs on the sanitised HTML that `content.markdown.render()` produced, when the
page is saved (glossary/signals.py), so a reader's request does no work. It
rewrites text only: tags pass through exactly as the sanitiser wrote them, text
is re-escaped, and nothing is marked inside headings, links, code, pre or
abbreviations. The link is an ordinary `<a>` to `/glossary/#term-slug`, which
works without JavaScript and reads as the word itself to a screen reader.
"""

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

# Text inside these elements is never marked.
SKIP_TAGS = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    url: str
    variants: tuple  # the term and its synonyms


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


class _Marker(HTMLParser):
    def __init__(self, entries):
        super().__init__(convert_charrefs=True)
        self.pattern, self.owners = _pattern(entries)
        self.urls = {entry.slug: entry.url for entry in entries}
        self.out, self.open_tags, self.done = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag not in VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.open_tags:
            # Pop up to and including the innermost matching element.
            while self.open_tags and self.open_tags.pop() != tag:
                pass

    def handle_data(self, data):
        if self.pattern is None or SKIP_TAGS.intersection(self.open_tags):
            self.out.append(escape(data, quote=False))
            return
        position = 0
        for match in self.pattern.finditer(data):
            slug = self.owners[match.lastgroup]
            if slug in self.done:
                continue
            self.done.add(slug)
            self.out.append(escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<a class="glossary-term" href="{escape(self.urls[slug])}">{escape(match.group(0), quote=False)}</a>'
            )
            position = match.end()
        self.out.append(escape(data[position:], quote=False))


def mark_terms(body_html, entries):
    """`body_html` with the first use of each entry's term linked to its definition."""
    if not entries or not body_html:
        return body_html
    marker = _Marker(list(entries))
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
        )
        for term in terms
    ]


def mark_with_current_terms(body_html, language):
    """The page HTML filter (settings.CONTENT_HTML_FILTERS): mark today's glossary terms of the page's language."""
    from glossary.models import Term

    return mark_terms(body_html, entries_from(Term.objects.filter(language=language), language))
