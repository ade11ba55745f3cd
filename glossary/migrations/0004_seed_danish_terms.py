"""
Formerly created the Danish glossary terms and marked them in the Danish pages.

Kept as an empty step: databases that ran it keep its record, and a fresh
database gets its pages and terms from `manage.py seed_site` (after migrate),
which creates them through the models' own save. Data migrations import no app code:
a later change to the models or the renderer can never break a fresh migrate.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0003_term_language"),
        ("content", "0006_load_danish_seed_pages"),
    ]

    operations = []
