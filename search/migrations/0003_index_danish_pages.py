"""Index every page again now that pages have languages: Danish ones with the Danish configuration."""

import importlib

from django.db import migrations


def index_all_pages(apps, schema_editor):
    # The same indexing as 0002's, over every page of both languages.
    importlib.import_module("search.migrations.0002_database_search_index").index_existing_pages(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_database_search_index"),
        ("content", "0006_load_danish_seed_pages"),
        # The Danish pages' HTML with their glossary marks, as readers see it.
        ("glossary", "0004_seed_danish_terms"),
    ]

    operations = [migrations.RunPython(index_all_pages, migrations.RunPython.noop)]
