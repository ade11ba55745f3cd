"""Pages get a language and a link to their translation. Pages written before this are English."""

import django.db.models.deletion
from django.db import migrations, models

import content.models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_editorial_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpage",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="en",
                help_text="The page's address starts with it: /da/... or /en/...",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="historicalpage",
            name="translation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The same page in the other language, if it has been written.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="content.page",
                verbose_name="translation",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="en",
                help_text="The page's address starts with it: /da/... or /en/...",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="translation",
            field=models.OneToOneField(
                blank=True,
                help_text="The same page in the other language, if it has been written.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="content.page",
                verbose_name="translation",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpage",
            name="slug",
            field=models.SlugField(
                help_text="The page's address: /da/slug/ or /en/slug/. Other pages link to it as (page:slug).",
                max_length=80,
                validators=[content.models.validate_not_reserved],
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="page",
            name="slug",
            field=models.SlugField(
                help_text="The page's address: /da/slug/ or /en/slug/. Other pages link to it as (page:slug).",
                max_length=80,
                unique=True,
                validators=[content.models.validate_not_reserved],
                verbose_name="slug",
            ),
        ),
        # Every page so far is English; new pages default to Danish, the site's first language.
        migrations.AlterField(
            model_name="page",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="da",
                help_text="The page's address starts with it: /da/... or /en/...",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpage",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="da",
                help_text="The page's address starts with it: /da/... or /en/...",
                max_length=5,
                verbose_name="language",
            ),
        ),
    ]
