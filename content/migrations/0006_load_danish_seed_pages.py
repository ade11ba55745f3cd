"""Load the Danish seed pages (content/seed/da/*.md), each linked to its English original."""

import importlib

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    from content.seed import load_seed_pages

    load_seed_pages(
        apps.get_model("content", "Page"),
        apps.get_model("content", "Source"),
        language="da",
        review_interval_days=settings.CONTENT_REVIEW_INTERVAL_DAYS,
    )
    # The same first version and content-check figures the English pages got.
    first_versions = importlib.import_module("content.migrations.0004_versions_and_checks_for_existing_pages")
    first_versions.record_first_versions(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("content", "0005_page_language_and_translation")]

    # Unapplying keeps the pages: they may have been edited since.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
