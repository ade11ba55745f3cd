"""
Re-mark every page: glossary terms now link to a note at the end of their
section (not away to the A–Z page), and a page no longer marks its own topic.
"""

from django.db import migrations


def remark(apps, schema_editor):
    from content.markdown import render
    from glossary.marking import entries_from, mark_terms

    Term = apps.get_model("glossary", "Term")
    Page = apps.get_model("content", "Page")
    for language in Page.objects.values_list("language", flat=True).distinct():
        entries = entries_from(Term.objects.filter(language=language), language)
        for page in Page.objects.filter(language=language):
            html = mark_terms(render(page.body, language=language).html, entries, language=language, page=page)
            Page.objects.filter(pk=page.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [("glossary", "0004_seed_danish_terms")]

    operations = [migrations.RunPython(remark, migrations.RunPython.noop)]
