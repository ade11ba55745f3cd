"""
Formerly gave the seed pages a first recorded version and their content-check figures
(a page created by seed_site gets both from Page.save()).

Kept as an empty step: databases that ran it keep its record, and a fresh
database gets its pages and terms from `manage.py seed_site` (after migrate),
which creates them through the models' own save. Data migrations import no app code:
a later change to the models or the renderer can never break a fresh migrate.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0003_editorial_workflow")]

    operations = []
