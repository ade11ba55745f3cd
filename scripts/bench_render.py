"""
How long content.markdown.render takes on pathological editor input, in seconds.

Each text is at most BODY_MAX_LENGTH (100,000) characters, the longest body a
page may have. Each render here may run for up to 20 s (the preview and the
admin's check stop at CONTENT_RENDER_TIME_LIMIT, 1 s), so the figures show what
is left for that limit to catch ("<a " repeated takes minutes: CPython's
html.parser). Not part of the test suite: timings never go in tests.

    DJANGO_DEBUG=1 .venv/bin/python scripts/bench_render.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_site.settings")

import django  # noqa: E402

django.setup()

from content.markdown import BODY_MAX_LENGTH, BodyRejected, render  # noqa: E402

BENCH_LIMIT_SECONDS = 20

REPEATED = [
    "[", "![", "[a", "[](", "[x](", "[x](y", "](", ">", "*", "*a", "**a",
    "_", "_a", "`", "<", "<a ", "<http://", "&", "\\",
]  # fmt: skip


def cases():
    for unit in REPEATED:
        yield f"{unit!r} × {BODY_MAX_LENGTH // len(unit):,}", (unit * BODY_MAX_LENGTH)[:BODY_MAX_LENGTH]
    yield "'[](' closed once at the end", ("[](" * BODY_MAX_LENGTH)[: BODY_MAX_LENGTH - 1] + ")"
    yield "quote ladder", "".join(">" * i + " x\n" for i in range(440))[:BODY_MAX_LENGTH]
    yield "a realistic long page", ("Some text with a [link](page:x) and *emphasis*.\n\n" * 2000)[:BODY_MAX_LENGTH]


if __name__ == "__main__":
    for name, text in cases():
        started = time.perf_counter()
        try:
            render(text, time_limit=BENCH_LIMIT_SECONDS)
            note = ""
        except BodyRejected:
            note = "  (stopped)"
        print(f"{time.perf_counter() - started:7.2f} s  {name}{note}", flush=True)
