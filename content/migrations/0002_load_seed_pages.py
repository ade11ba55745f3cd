"""Load the seed pages (content/seed/*.md) into a fresh database, once."""

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    from content.seed import load_seed_pages

    load_seed_pages(
        apps.get_model("content", "Page"),
        apps.get_model("content", "Source"),
        review_interval_days=settings.CONTENT_REVIEW_INTERVAL_DAYS,
    )


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    # Unapplying keeps the pages: they may have been edited since.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
