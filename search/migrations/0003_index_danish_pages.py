"""Index every page again now that pages have languages: Danish ones with the Danish configuration."""

from django.db import migrations


def index_all_pages(apps, schema_editor):
    from search.models import index_page

    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchWord = apps.get_model("search", "SearchWord")
    for page in apps.get_model("content", "Page").objects.all():
        index_page(SearchEntry, page, SearchWord)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_database_search_index"),
        ("content", "0006_load_danish_seed_pages"),
        # The Danish pages' HTML with their glossary marks, as readers see it.
        ("glossary", "0004_seed_danish_terms"),
    ]

    operations = [migrations.RunPython(index_all_pages, migrations.RunPython.noop)]
