"""
Search and glossary-marking timings on a larger site, measured, then thrown away.

Creates N extra published pages (default 1000) inside a transaction on the
database DATABASE_URL names, times page saves (render, glossary marking,
search indexing), searches and one glossary change (every page re-marked),
prints the figures and rolls everything back. Not part of the test suite:
timings never go in tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt4 DJANGO_DEBUG=1 \
        .venv/bin/python scripts/bench_search.py [N]
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from content.models import Page  # noqa: E402
from glossary.models import Term  # noqa: E402
from search.models import SearchEntry  # noqa: E402

WORDS = [
    "cell",
    "gene",
    "tissue",
    "therapy",
    "donor",
    "immune",
    "system",
    "treatment",
    "hospital",
    "patient",
    "doctor",
    "nurse",
    "blood",
    "infusion",
    "virus",
    "transplant",
    "cancer",
    "laboratory",
    "change",
    "body",
    "disease",
    "monitoring",
    "safety",
    "medicine",
    "approval",
    "rules",
]
QUERIES = ["cell therapy", "donor cells", "CAR-T", "allogenic", "autologus", "immune system", "xylophone", "gene"]


class Rollback(Exception):
    pass


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def summary(samples):
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return f"median {ms(statistics.median(samples))}, p95 {ms(p95)}, n={len(samples)}"


def main(count):
    rng = random.Random(4)  # noqa: S311  (repeatable filler text, not security)
    client = Client(HTTP_HOST="localhost")
    print(f"database: {connection.vendor}; extra pages: {count}")
    try:
        with transaction.atomic():
            saves = []
            for n in range(count):
                body = "\n\n".join(
                    f"## Section {s}\n\n" + " ".join(rng.choice(WORDS) for _ in range(120)) + "." for s in range(4)
                )
                page = Page(title=f"Bench page {n} {rng.choice(WORDS)}", slug=f"bench-{n}", summary="A bench page.",
                            body=body, status=Page.Status.PUBLISHED)  # fmt: skip
                start = time.perf_counter()
                page.save()
                saves.append(time.perf_counter() - start)
            print(f"page save (render + glossary marking + search index): {summary(saves)}")
            pages = Page.objects.count()
            for query in QUERIES:
                client.get("/en/search/", {"q": query})  # warm up
                timings = []
                for _ in range(20):
                    start = time.perf_counter()
                    response = client.get("/en/search/", {"q": query})
                    timings.append(time.perf_counter() - start)
                    assert response.status_code == 200
                print(f"search page “{query}” over {pages} pages: {summary(timings)}")
                timings = []
                for _ in range(20):
                    start = time.perf_counter()
                    SearchEntry.objects.search(query)
                    timings.append(time.perf_counter() - start)
                print(f"  of which the search itself (queries, ranking, snippets): {summary(timings)}")
            start = time.perf_counter()
            Term.objects.create(term="Bench term", slug="bench-term", definition="Only for the benchmark.")
            print(f"adding one glossary term (re-marks all {pages} pages): {ms(time.perf_counter() - start)}")
            raise Rollback
    except Rollback:
        print("rolled back; the database is as it was")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
