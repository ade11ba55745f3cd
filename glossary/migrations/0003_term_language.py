"""Glossary terms get a language; the terms so far are English. Terms are unique per language."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_page_language_and_translation"),
        ("glossary", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="term",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="en",
                help_text="Terms are marked in the pages of their own language.",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="term",
            name="slug",
            field=models.SlugField(
                help_text="The entry's anchor: /glossary/#term-slug.", max_length=80, verbose_name="slug"
            ),
        ),
        migrations.AlterField(
            model_name="term",
            name="term",
            field=models.CharField(max_length=80, verbose_name="term"),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(fields=("language", "term"), name="glossary_term_unique_per_language"),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(fields=("language", "slug"), name="glossary_slug_unique_per_language"),
        ),
        # New terms default to Danish, the site's first language.
        migrations.AlterField(
            model_name="term",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="da",
                help_text="Terms are marked in the pages of their own language.",
                max_length=5,
                verbose_name="language",
            ),
        ),
    ]
