"""Render every page again through the one derive path (after an upgrade that changes how pages are rendered)."""

from django.core.management.base import BaseCommand

from content.models import Page, rerender


class Command(BaseCommand):
    help = "Render every page's stored HTML, sections and checks again; writes no history."

    def handle(self, *args, **options):
        pages = list(Page.objects.all())
        rerender(pages)
        self.stdout.write(f"Rendered {len(pages)} pages again.")
