"""Keep the search index in step with pages: every save re-indexes the page."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from content.models import Page
from search.models import SearchEntry, index_page


@receiver(post_save, sender=Page, dispatch_uid="search_index_page")
def reindex_page(sender, instance, **kwargs):
    # Fixtures (raw saves) are indexed too: the entry needs only the page row.
    # Deletion needs no handler: the entry cascades, and on SQLite a trigger
    # removes its row from the FTS5 table.
    index_page(SearchEntry, instance)
