"""
Create the site's starting pages and glossary terms that this database lacks.

Idempotent, and safe on a live site: it only ever creates. A seed page only
when no page has ever carried its slug (`seed_missing_pages`), a seed term only
when its language has no term of that slug or word and none was deleted in the
admin. Run after `migrate` by `make run`, the entrypoint and the test setup.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from content import publishing
from content.models import Page, rederive
from content.pagefiles import SEED_DIR, SEED_LANGUAGES, PageFileError, read_page_files, seed_missing_pages
from glossary.seeding import create_missing_terms, link_term_pages


class Command(BaseCommand):
    help = "Create the seed pages (content/seed/<language>/*.md) and glossary terms that this database lacks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed-dir",
            type=Path,
            default=SEED_DIR,
            help="The folder holding one folder of page files per language (default: content/seed).",
        )

    def handle(self, *args, seed_dir, **options):
        try:
            files = [item for language in SEED_LANGUAGES for item in read_page_files(seed_dir / language)]
            # Every public page is stored before the command ends (a background thread would die with it).
            with publishing.in_foreground(), publishing.batch():
                # Terms first, so every new page is glossary-marked in its one save.
                terms = create_missing_terms()
                created, skipped = seed_missing_pages(files)
                linked = link_term_pages(terms)
                # Derived once more with every page and term in place: each page's own subject is no
                # longer explained on it, and links to pages created after it resolve.
                rederive(Page.objects.filter(slug__in=created))
        except (PageFileError, ValidationError) as error:
            raise CommandError(f"Nothing seeded. {' '.join(getattr(error, 'messages', [str(error)]))}") from None
        for slug in created:
            self.stdout.write(f"created page {slug}")
        for slug, why in skipped.items():
            self.stdout.write(f"left out page {slug}: {why}")
        for term in terms:
            self.stdout.write(f"created term {term.term} ({term.language})")
        if options["verbosity"] > 1 and linked:
            self.stdout.write(f"linked {linked} new terms to their pages")
        left = len(files) - len(created) - len(skipped)
        self.stdout.write(
            f"Seed: {len(created)} pages and {len(terms)} glossary terms created; "
            f"{left} seed pages already here (left as they are)."
        )
