"""
The search index: one `SearchEntry` per page, re-indexed on every save of the
page (`reindex_page`, connected in search/apps.py), so an edit is searchable at once.

Two databases, one interface, `SearchEntry.objects.search(text)`, each with the
machinery a migration creates only on it. A search looks only at the pages in
the reader's language. When nothing matches, each unknown word is replaced by
the closest word the pages use (`SearchWord`).

- PostgreSQL: a stored `tsvector` (title weight A, summary B, body C) with a GIN
  index, in the text search configuration of the page's language, ranked with
  ts_rank, snippets from ts_headline; closest words by trigram similarity.
- SQLite: an FTS5 virtual table (porter stemming) mirrored from this table by
  triggers, ranked with bm25 (title weighted highest), snippets from snippet();
  closest words by difflib.

Publishing has one rule, `Page.objects.published()`: an entry is found only
while its page is in it.

Order: a page whose title is the query itself first ("celleterapi" finds
"Celleterapi" before "Autolog og allogen celleterapi"), then the other title
matches, then the rest, each by rank. Headings are indexed with the summary
(weight B), not in the body text snippets are cut from, so a snippet never
runs a heading into the paragraph under it.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection, models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Abs, Length
from django.utils.safestring import mark_safe

from content.models import Page
from content.quality import plain_words, without_notes

# Text search configuration per page language: "celleterapien" finds "celleterapi" through Danish stemming.
SEARCH_CONFIGS = {"da": "danish", "en": "english"}
DEFAULT_LANGUAGE = "en"
# A reader's query is cut to this many characters: long enough for any real
# question, short enough that a pasted essay costs the database nothing.
MAX_QUERY_LENGTH = 100
RESULTS_LIMIT = 50

# Highlight marks for snippets: private-use characters that never occur in
# indexed text (they are removed from it), so after escaping the snippet they
# can be swapped for <mark> tags safely.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKS = re.compile(f"[{MARK_START}{MARK_END}]")
WORD_RE = re.compile(r"\w+")
HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)


def clean_query(raw):
    """The query as searched: printable, single-spaced, at most MAX_QUERY_LENGTH characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    text = " ".join(_MARKS.sub(" ", text).split())
    return text[:MAX_QUERY_LENGTH].strip()


def plain_text(body_html):
    """What a reader reads of a page body: no tags, entities decoded, no highlight marks, no source numbers."""
    return _MARKS.sub(" ", plain_words(without_notes(body_html)))


def highlighted(snippet):
    """Escape a snippet completely, then turn the highlight marks into <mark> tags."""
    escaped = html.escape(snippet or "", quote=True)
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


@dataclass
class SearchResult:
    page: Page
    snippet: str


@dataclass
class SearchOutcome:
    query: str
    results: list
    # Set when nothing matched the words as typed but a correction did.
    corrected_query: str = ""


class SearchEntryQuerySet(models.QuerySet):
    def search(self, raw_query, language=DEFAULT_LANGUAGE):
        """The published pages that match, best first (not cached: a search is a few indexed queries)."""
        query = clean_query(raw_query)
        if not WORD_RE.search(query):
            return SearchOutcome(query=query, results=[])
        corrected, rows = "", _ranked(query, language)
        if not rows:
            corrected = _corrected_query(query)
            if corrected and corrected.lower() != query.lower():
                rows = _ranked(corrected, language)
        # The pages as they are now, through the one publishing rule.
        pages = Page.objects.published().defer("body", "body_html", "sections").in_bulk([row[0] for row in rows])
        results = [SearchResult(pages[pk], highlighted(snippet)) for pk, _title, snippet in rows if pk in pages]
        return SearchOutcome(query=query, results=results, corrected_query=corrected if results else "")


class SearchEntry(models.Model):
    """A page as the search index sees it: title, summary and plain body text."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    language = models.CharField(max_length=10, default=DEFAULT_LANGUAGE)
    title = models.TextField()
    summary = models.TextField()
    text = models.TextField()
    # PostgreSQL only; the column exists on SQLite but stays empty.
    vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """
    Every word the published pages use, unstemmed: what misspellings are corrected to.
    Words are only added, and only from a page that is published when it is indexed,
    so a suggestion never names a word only a draft contains (issue 22, F7). A word no
    page uses any more costs a useless suggestion at worst; `rebuild_search_index`
    starts the vocabulary afresh.
    """

    word = models.CharField(max_length=60, unique=True)

    def __str__(self):
        return self.word


def reindex_page(sender, instance, **kwargs):
    # Raw (fixture) saves too. A deleted page needs nothing: its entry cascades, its FTS5 row by trigger.
    index_page(instance)


def index_page(page):
    """Write a page's entry, and its words if it is published."""
    fields = _entry_fields(page)
    if connection.vendor == "postgresql":
        fields["vector"] = search_vector(fields["language"], fields)  # in the same statement
    # Not update_or_create(): its row lock and savepoints cost three more queries on every save.
    if not SearchEntry.objects.filter(page_id=page.pk).update(**fields):
        SearchEntry.objects.create(page_id=page.pk, **fields)
    _add_words([page])


def index_pages(pages):
    """Write the entries and words of many pages in a few queries (rebuild_search_index, benchmarks)."""
    pages = list(pages)
    ids = [page.pk for page in pages]
    SearchEntry.objects.filter(page_id__in=ids).delete()
    entries = [SearchEntry(page_id=page.pk, **_entry_fields(page)) for page in pages]
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if connection.vendor == "postgresql":
        for language in {entry.language for entry in entries}:
            SearchEntry.objects.filter(page_id__in=ids, language=language).update(vector=search_vector(language))
    _add_words(pages)


def search_vector(language, fields=None):
    """The entry's vector from its columns, or from `fields` (the values an UPDATE writes beside it)."""
    config = _config(language)
    title, summary, text = (Value(fields[name]) if fields else name for name in ("title", "summary", "text"))
    return (
        SearchVector(title, weight="A", config=config)
        + SearchVector(summary, weight="B", config=config)
        + SearchVector(text, weight="C", config=config)
    )


def _config(language):
    return SEARCH_CONFIGS.get(language, SEARCH_CONFIGS[DEFAULT_LANGUAGE])


def _entry_fields(page):
    body_html = page.body_html or ""
    headings = " ".join(plain_text(match.group(2)) for match in HEADING_RE.finditer(body_html))
    return {
        "language": page.language or DEFAULT_LANGUAGE,
        "title": _MARKS.sub(" ", page.title),
        "summary": _MARKS.sub(" ", f"{page.summary} {headings}".strip()),
        "text": plain_text(HEADING_RE.sub(" ", body_html)),
    }


def _add_words(pages):
    """Add the words worth suggesting (lower case, 3 to 60 letters) of the published `pages` to the vocabulary."""
    published = [page for page in pages if page.status == Page.Status.PUBLISHED]
    texts = (f"{page.title} {page.summary} {plain_text(page.body_html)}".lower() for page in published)
    words = {word for text in texts for word in WORD_RE.findall(text) if 3 <= len(word) <= 60 and word.isalpha()}
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in words], ignore_conflicts=True, batch_size=1000)


def _ranked(query, language):
    """[(page id, title, snippet with marks)], best first."""
    backend = _postgres_search if connection.vendor == "postgresql" else _sqlite_search
    # Stable: a title that is the query itself, ignoring case and punctuation ("CAR-T" is "car t"),
    # moves to the top; the rest keep the database's order.
    words = WORD_RE.findall(query.casefold())
    return sorted(backend(query, language), key=lambda row: WORD_RE.findall(row[1].casefold()) != words)


def _postgres_search(query, language):
    config = _config(language)
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (
        SearchEntry.objects.filter(page__in=Page.objects.published(), language=language, vector=search_query)
        .annotate(
            rank=SearchRank(F("vector"), search_query),
            # Weights {D, C, B, A}: only title lexemes count here.
            title_rank=SearchRank(F("vector"), search_query, weights=[0, 0, 0, 1]),
            snippet=SearchHeadline(
                "text",
                search_query,
                config=config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
            ),
        )
        .order_by(
            Case(When(title__iexact=query, then=Value(0)), default=Value(1)),
            Case(When(title_rank__gt=0, then=Value(0)), default=Value(1)),
            "-rank",
            "title",
        )
        .values_list("page_id", "title", "snippet")[:RESULTS_LIMIT]
    )


def _sqlite_search(query, language):
    sql = """
        SELECT fts.rowid, entry.title, snippet(search_fts, 2, %s, %s, '…', 24)
        FROM search_fts AS fts
        JOIN search_searchentry AS entry ON entry.page_id = fts.rowid
        JOIN content_page AS page ON page.id = entry.page_id
        WHERE search_fts MATCH %s AND entry.language = %s AND page.id IN ({published})
        ORDER BY fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) DESC,
                 bm25(search_fts, 10.0, 4.0, 1.0), page.title
        LIMIT %s
    """
    published_sql, published_params = Page.objects.published().values("pk").query.sql_with_params()
    # Each word quoted, so FTS5 operators and punctuation in a query are plain text.
    words = " ".join(f'"{word}"' for word in WORD_RE.findall(query))
    params = [MARK_START, MARK_END, words, language, *published_params, f"title : ({words})", RESULTS_LIMIT]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(published=published_sql), params)
        return cursor.fetchall()


def _corrected_query(query):
    """Each unknown word replaced by the closest word the pages use, or "" if none is close."""
    words, changed = [], False
    for word in WORD_RE.findall(query):
        lower = word.lower()
        known = not lower.isalpha() or len(lower) < 3 or SearchWord.objects.filter(word=lower).exists()
        closest = None if known else _closest_word(lower)
        words.append(closest or word)
        changed = changed or closest is not None
    return " ".join(words) if changed else ""


def _closest_word(word):
    if connection.vendor == "postgresql":
        # Closest by trigrams; between near-equals, the one nearest in length
        # ("autologus": "autologous", not the shorter Danish "autolog").
        return (
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(score=TrigramSimilarity("word", word) - 0.05 * Abs(Length("word") - len(word)))
            .order_by("-score", "word")
            .values_list("word", flat=True)
            .first()
        )
    candidates = SearchWord.objects.filter(word__startswith=word[0]).values_list("word", flat=True)
    return next(iter(difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.8)), None)
