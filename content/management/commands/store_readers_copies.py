"""Render the readers' copies of the published pages now, instead of at their next readers (content.readers_copy)."""

import time

from django.core.management.base import BaseCommand

from content import readers_copy
from content.models import Page, ReadersCopy
from pagecache import rendering_fingerprint


class Command(BaseCommand):
    help = (
        "Render each published page's reader's copy that is missing or out of date (after a deploy, "
        "a bulk import or a change to the menu), so no reader waits for a render."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", help="only pages in this language (da or en)")

    def handle(self, *args, language=None, **options):
        pages = Page.objects.published().select_related("translation").order_by("pk")
        if language:
            pages = pages.filter(language=language)
        started, rendered, current = time.monotonic(), 0, 0
        # Copies rendered by earlier releases are never served again (pagecache.rendering_fingerprint).
        ReadersCopy.objects.exclude(address__startswith=f"{rendering_fingerprint()}:").delete()
        for page in pages.iterator(chunk_size=500):
            if readers_copy.kept_copy(page.language, page.slug) is not None:
                current += 1
            elif readers_copy.render_copy(page) is not None:
                rendered += 1
        self.stdout.write(
            f"Rendered {rendered} readers' copies in {time.monotonic() - started:.1f} s; {current} were current."
        )
