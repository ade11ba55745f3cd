"""Write every page to DIR/<slug>.md: markdown with YAML front matter (the seed format)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from content.pagefiles import export_all


class Command(BaseCommand):
    help = "Export every page as markdown with front matter (all fields, sources, review dates) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        self.stdout.write(f"wrote {len(export_all(directory))} page(s) to {directory}")
