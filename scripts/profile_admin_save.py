"""
How long saving a new page in the admin takes, and where the time goes (issue 17).

    .venv/bin/python scripts/profile_admin_save.py [--runs 5] [--profile]

A throwaway SQLite database (migrated, seed pages loaded), a superuser, and
the admin's add form posted through Django's test client, as a browser would;
prints the median of the runs and, with --profile, the functions that cost
the most in one more run (cProfile, cumulative time).
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="admin-save-"))
    os.environ.update(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{work}/db.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_site.settings")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    # No collectstatic for a measurement: plain static storage, as the tests use.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from content.models import Page

    user = get_user_model().objects.create_superuser("profiler", "p@example.org", "a-long-profile-password")
    client = Client(headers={"accept-language": "da"})
    client.force_login(user)
    parent = Page.objects.get(slug="celleterapi")
    body = (Page.objects.get(slug="celleterapi").body + "\n\n") * 2

    def save(n):
        data = {
            "title": f"Ny side {n}", "slug": f"ny-side-{n}", "language": "da", "status": "published",
            "summary": "En kort opsummering.", "body": body, "family": "cell", "parent": str(parent.pk),
            "order": "5", "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0",
            "sources-MIN_NUM_FORMS": "0", "sources-MAX_NUM_FORMS": "1000",
        }  # fmt: skip
        started = time.perf_counter()
        response = client.post("/admin/content/page/add/", data)
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.content.decode()[-3000:]
        return elapsed

    save(0)  # warm-up: imports, template compilation
    times = [save(n) for n in range(1, args.runs + 1)]
    print(f"admin save of a new page: median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")  # fmt: skip

    # What the browser loads next: "Save" redirects to the page list.
    def page_list():
        started = time.perf_counter()
        assert client.get("/admin/content/page/").status_code == 200
        return time.perf_counter() - started

    listing = [page_list() for _ in range(args.runs)]
    print(f"the page list the save redirects to: median {statistics.median(listing) * 1000:.0f} ms")
    # The page list's "content checks" column runs quality.check_page() on every row.
    from content import markdown, quality

    pages = list(Page.objects.all())
    for name, step in (
        ("quality.check_page", quality.check_page),
        ("  markdown.linked_slugs (a full render)", lambda page: markdown.linked_slugs(page.body)),
        ("  quality.text_stats", lambda page: quality.text_stats(page.body_html)),
        ("  quality.longest_sentences", lambda page: quality.longest_sentences(page.body_html)),
    ):
        started = time.perf_counter()
        for page in pages:
            step(page)
        print(f"{name} for all {len(pages)} pages: {(time.perf_counter() - started) * 1000:.0f} ms")
    if args.profile:
        for name, action in (("save", lambda: save(args.runs + 1)), ("page list", page_list)):
            profiler = cProfile.Profile()
            profiler.enable()
            action()
            profiler.disable()
            print(f"--- {name}: own time per function ---")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
