"""
Search and sitemap throughput on a 10,000-page site, under gunicorn and wrk.

For each database (a throwaway SQLite file; with --postgres, a throwaway
`<name>_search_bench` database beside the one given, dropped at the end):
migrate, seed, grow the site to --pages published pages (copies of the seed
pages' text under new titles, indexed in bulk exactly as `Page.save()` indexes
one page), start the project under gunicorn with production settings, and
load each address with wrk. Prints req/s, p50 and p99 per address; timings are
printed, never asserted.

    .venv/bin/python scripts/bench_search.py                       # SQLite only
    .venv/bin/python scripts/bench_search.py --postgres postgres://postgres@127.0.0.1:5432/coreb
    .venv/bin/python scripts/bench_search.py --pages 1000 --duration 3   # quicker

`make bench` can call `measure(bench, label, database_url, pages)` with the
`Bench` of scripts/bench: it returns {address: wrk result}, and "bare": a bare
Django view returning the same bytes as the first address, measured in the
same run (the machine's floor at that moment).
"""

import argparse
import importlib.machinery
import importlib.util
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What readers search for: many matches, one word in Danish, a misspelling
# (corrected), nothing at all; then the sitemap index and sections.
ADDRESSES = [
    "/en/search/?q=cell+therapy",
    "/da/search/?q=celleterapi",
    "/en/search/?q=autologus",
    "/en/search/?q=xylophone",
    "/sitemap.xml",
    "/sitemap-en.xml",
    "/sitemap-da.xml?p=3",
]

# Run in the project's environment: grow the site to TARGET published pages.
GROW = """
import itertools
import sys

import django

django.setup()
from django.db import transaction
from content.models import Page
from search.models import index_pages

target = int(sys.argv[1])
seeds = list(Page.objects.published().order_by("pk"))
# Generated pages sit in groups of 99 under hub pages under the CAR-T page of
# their language, so the menus stay as they are.
anchors = {page.language: page for page in seeds if page.slug in ("car-t", "car-t-behandling")}
n, batch, hubs = Page.objects.count(), [], {}
with transaction.atomic():
    for seed in itertools.cycle(seeds):
        if n >= target:
            break
        hub = hubs.get(seed.language)
        if hub is None or hub.generated >= 99:
            hub = Page(title=f"Topic {n}", slug=f"topic-{n}", language=seed.language, summary="Generated pages.",
                       body="Generated.", family="cell", parent=anchors[seed.language], status="published", order=50)
            hub.save()
            hub.generated, hubs[seed.language] = 0, hub
            n += 1
        batch.append(Page(
            title=f"{seed.title}: notes {n}", slug=f"{seed.slug}-notes-{n}", language=seed.language,
            summary=seed.summary, body=seed.body, body_html=seed.body_html, sections=seed.sections,
            family=seed.family, parent=hub, status="published", order=n % 50,
            last_reviewed=seed.last_reviewed, next_review_due=seed.next_review_due,
        ))
        hub.generated += 1
        n += 1
        if len(batch) >= 500:
            index_pages(Page.objects.bulk_create(batch))
            batch = []
    index_pages(Page.objects.bulk_create(batch))
print(Page.objects.published().count())
"""


def load_bench():
    """scripts/bench (a script without .py) as a module: its Bench, Server, wrk and output."""
    loader = importlib.machinery.SourceFileLoader("bench", str(ROOT / "scripts" / "bench"))
    spec = importlib.util.spec_from_loader("bench", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def measure(bench, label, database_url, pages, addresses=ADDRESSES):
    """Grow the site on DATABASE_URL to PAGES pages, then wrk each address; returns {address: result}."""
    module = sys.modules.get("bench") or load_bench()
    env = bench.project_env(database_url)
    count = bench.python(env, GROW, str(pages))
    module.log(f"\n== {label}: search and sitemap with {count} published pages")
    results = {}
    with bench.project(env) as project:
        status, body, _ = module.fetch(project.base + addresses[0])
        assert status == 200, (addresses[0], status)
        for address in addresses:
            status, _, _ = module.fetch(project.base + address)
            assert status == 200, (address, status)
            results[address] = module.wrk(bench.args, project.base + address)
            module.show(address, results[address])
    # The floor on this machine now: a bare Django view returning the first address's bytes.
    with bench.bare(body) as bare:
        results["bare"] = module.wrk(bench.args, bare.base + module.PAGE)
        module.show("bare Django view, same bytes", results["bare"])
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000, help="published pages to grow to (default 10000)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"), help="a PostgreSQL URL")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()

    module = load_bench()
    sys.modules["bench"] = module
    module.ensure_wrk()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    module.log(
        f"scripts/bench_search.py on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, gunicorn {args.workers} sync workers"
    )
    with tempfile.TemporaryDirectory(prefix="atmp-bench-search-") as tmp_name:
        tmp = Path(tmp_name)
        bench = module.Bench(args, tmp)
        databases = []
        if args.postgres:
            pg_url, drop = module.postgres_database(args.postgres, suffix="_search_bench")
            databases.append(("PostgreSQL", pg_url, drop))
        if not args.no_sqlite:
            databases.append(("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", None))
        bench.manage(bench.project_env(databases[0][1]), "collectstatic", "--noinput")
        for label, url, drop in databases:
            try:
                env = bench.project_env(url)
                bench.manage(env, "migrate", "--noinput")
                bench.manage(env, "createcachetable")
                bench.manage(env, "seed_site")
                measure(bench, label, url, args.pages)
            finally:
                if drop:
                    drop()


if __name__ == "__main__":
    main()
