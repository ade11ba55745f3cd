"""
Formerly created the English glossary terms and marked them in the pages.

Kept as an empty step: databases that ran it keep its record, and a fresh
database gets its pages and terms from `manage.py seed_site` (after migrate),
which creates them through the models' own save. Data migrations import no app code:
a later change to the models or the renderer can never break a fresh migrate.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_initial"),
        ("content", "0002_load_seed_pages"),
    ]

    operations = []
