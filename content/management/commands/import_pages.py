"""Create or update pages from DIR/*.md files written by export_pages (or the seed files)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from content import publishing
from content.pagefiles import PageFileError, import_page_files, read_page_files


class Command(BaseCommand):
    help = "Create or update pages from the markdown files in DIR. All or nothing: one bad file changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            files = read_page_files(directory)
            if not files:
                raise CommandError(f"No .md files in {directory}.")
            # Every public page is stored before the command ends (a background thread would die with it).
            with publishing.in_foreground(), publishing.batch():
                results = import_page_files(files)
        except (PageFileError, ValidationError) as error:
            raise CommandError(f"Nothing imported. {' '.join(getattr(error, 'messages', [str(error)]))}") from None
        for slug, result in results.items():
            self.stdout.write(f"{result:9} {slug}")
