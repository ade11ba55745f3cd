"""Re-index every page: after bulk changes that bypassed Page.save() (queryset.update(), raw SQL)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from content.models import Page
from search.models import SearchEntry, SearchWord, index_pages


class Command(BaseCommand):
    help = "Rebuild the search index and its vocabulary from the pages as they are stored."

    def handle(self, *args, **options):
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()
            pages = list(Page.objects.only("pk", "language", "status", "title", "summary", "body_html"))
            index_pages(pages)
        self.stdout.write(f"Indexed {len(pages)} pages.")
