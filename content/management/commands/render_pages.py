"""Render every public page into the stored pages now: after a deploy, a migration or a bulk load."""

from django.core.management.base import BaseCommand

from content import publishing


class Command(BaseCommand):
    help = "Render every published page (home, site map, glossary, pages) into the stored pages of this release."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Only the paths this release has not stored yet (no re-render)."
        )

    def handle(self, *args, missing=False, **options):
        count = publishing.render_missing() if missing else publishing.render_all()
        self.stdout.write(f"Stored {count} public pages (release {publishing.release()}).")
