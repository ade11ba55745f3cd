"""The single content-generation row gives way to per-page keys in the "generations" cache (pagecache/__init__.py)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Django's own command, idempotent: the database caches' tables exist
    # before anything (post_migrate included) invalidates a page.
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="ContentGeneration"),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
