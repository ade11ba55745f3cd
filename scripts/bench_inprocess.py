"""
CPU per request, in one process, for each path of a page view (no network, no
wrk): the figures to compare while changing the request path, steadier than
wrk on a busy machine. Production settings on a throwaway SQLite database.

    .venv/bin/python scripts/bench_inprocess.py            # timings
    .venv/bin/python scripts/bench_inprocess.py --profile hit   # a pyinstrument profile of one path
    .venv/bin/python scripts/bench_inprocess.py --profile render   # of the uncached render
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def environ(path, **headers):
    from io import BytesIO

    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    env.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="atmp-inproc-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="atmp_site.settings",
        DJANGO_SECRET_KEY="inprocess-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database or f"sqlite:///{tmp}/db.sqlite3",
    )
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("PAGE_CACHE", "1")
    import django

    django.setup()
    import contextlib
    import io

    from django.core.management import call_command

    with contextlib.redirect_stdout(io.StringIO()):
        call_command("collectstatic", "--noinput", verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("seed_site", verbosity=0)
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()

    counter = iter(range(10**9))

    def get(path, **headers):
        if path.endswith("?n="):
            path += str(next(counter))
        status = []
        body = app(environ(path, **headers), lambda s, h: status.append(s))
        b"".join(body)
        body.close()
        return status[0]

    page = "/en/cell-therapy/"
    etag = {}

    def grab(s, h):
        etag.update(dict(h))

    b"".join(app(environ(page), grab))
    cases = {
        "hit": (page, {}),
        "304": (page, {"if_none_match": etag.get("ETag", '"x"')}),
        "cookie": (page, {"cookie": "theme=dark"}),
        "query": (page + "?utm=1", {}),
        "newquery": (page + "?n=", {}),
        "sitemap": ("/sitemap.xml", {}),
        "search": ("/en/search/?q=cell+therapy", {}),
    }
    if args.profile == "render":
        # The uncached render: a page's reader's copy, rendered and stored, as after a change.
        from content import readers_copy
        from content.models import Page

        page = Page.objects.published().select_related("translation").get(slug="cell-therapy")
        for _ in range(20):
            readers_copy.render_copy(page)
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(args.n):
                readers_copy.render_copy(page)
        print(profiler.output_text(unicode=False, color=False, show_all=bool(os.environ.get("SHOW_ALL"))))
        return
    if args.profile:
        path, headers = cases[args.profile]
        for _ in range(20):
            get(path, **headers)
        if os.environ.get("CPROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                for _ in range(args.n):
                    get(path, **headers)
            pstats.Stats(profile).sort_stats(os.environ["CPROFILE"]).print_stats(35)
            return
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(args.n):
                get(path, **headers)
        print(profiler.output_text(unicode=False, color=False, show_all=bool(os.environ.get("SHOW_ALL"))))
        return
    for name, (path, headers) in cases.items():
        for _ in range(20):
            status = get(path, **headers)
        started = time.perf_counter()
        for _ in range(args.n):
            get(path, **headers)
        elapsed = (time.perf_counter() - started) / args.n
        print(f"{name:<10} {status:<8} {elapsed * 1e6:8.0f} us/request", flush=True)


if __name__ == "__main__":
    main()
