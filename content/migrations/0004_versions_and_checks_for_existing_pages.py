"""
Give the pages that exist before history was kept a first version, and fill
their content-check figures (word count, reading time, LIX).

Without a first version an editor could not see what changed in the first
edit, and a conflict message could not show what another editor changed.
"""

from django.db import migrations
from django.utils import timezone

REASON = "First recorded version (page existed before history was kept)"


def _copy(instance, historical_model):
    names = {f.attname for f in historical_model._meta.concrete_fields}
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.attname in names}


def record_first_versions(apps, schema_editor):
    from content import quality as checks  # renamed; the seed migrations are being rewritten

    Page = apps.get_model("content", "Page")
    Source = apps.get_model("content", "Source")
    HistoricalPage = apps.get_model("content", "HistoricalPage")
    HistoricalSource = apps.get_model("content", "HistoricalSource")
    now = timezone.now()
    for page in Page.objects.all():
        stats = checks.text_stats(page.body_html)
        page.word_count, page.reading_minutes, page.lix = stats.words, stats.reading_minutes, stats.lix
        page.save(update_fields=["word_count", "reading_minutes", "lix", "version"])
        if not HistoricalPage.objects.filter(id=page.pk).exists():
            HistoricalPage.objects.create(
                history_date=now, history_type="+", history_change_reason=REASON, **_copy(page, HistoricalPage)
            )
    for source in Source.objects.all():
        if not HistoricalSource.objects.filter(id=source.pk).exists():
            HistoricalSource.objects.create(
                history_date=now, history_type="+", history_change_reason=REASON, **_copy(source, HistoricalSource)
            )


class Migration(migrations.Migration):
    dependencies = [("content", "0003_editorial_workflow")]

    operations = [migrations.RunPython(record_first_versions, migrations.RunPython.noop)]
