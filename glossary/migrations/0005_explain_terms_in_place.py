"""
Glossary terms now link to a note at the end of their section, and a page no
longer marks its own topic. Stored HTML is derived data, so this migration
imports no app code (a later change to the renderer must not break a fresh
`migrate`): an existing database re-derives its pages once with
`python manage.py rerender_pages` (README, Upgrades). A new database is
rendered by `seed_site`.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("glossary", "0004_seed_danish_terms")]

    operations = []
