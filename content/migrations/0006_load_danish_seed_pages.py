"""Load the Danish seed pages (content/seed/da/*.md), each linked to its English original."""

import importlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from content.seed import load_seed_pages

    load_seed_pages(
        apps.get_model("content", "Page"),
        apps.get_model("content", "Source"),
        language="da",
        review_interval_days=settings.CONTENT_REVIEW_INTERVAL_DAYS,
    )
    # The content-check figures and the first recorded version the English
    # pages got in 0004 (by update(), so each page stays at version 1).
    from content import quality as checks  # renamed; the seed migrations are being rewritten

    first_versions = importlib.import_module("content.migrations.0004_versions_and_checks_for_existing_pages")
    Page = apps.get_model("content", "Page")
    HistoricalPage = apps.get_model("content", "HistoricalPage")
    HistoricalSource = apps.get_model("content", "HistoricalSource")
    now = timezone.now()
    for page in Page.objects.filter(language="da"):
        stats = checks.text_stats(page.body_html)
        Page.objects.filter(pk=page.pk).update(
            word_count=stats.words, reading_minutes=stats.reading_minutes, lix=stats.lix
        )
        page.refresh_from_db()
        if not HistoricalPage.objects.filter(id=page.pk).exists():
            HistoricalPage.objects.create(
                history_date=now,
                history_type="+",
                history_change_reason=first_versions.REASON,
                **first_versions._copy(page, HistoricalPage),
            )
        for source in apps.get_model("content", "Source").objects.filter(page=page):
            if not HistoricalSource.objects.filter(id=source.pk).exists():
                HistoricalSource.objects.create(
                    history_date=now,
                    history_type="+",
                    history_change_reason=first_versions.REASON,
                    **first_versions._copy(source, HistoricalSource),
                )


class Migration(migrations.Migration):
    dependencies = [("content", "0005_page_language_and_translation")]

    # Unapplying keeps the pages: they may have been edited since.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
