"""
"Draft of changes" is called "unpublished changes" (same column), and a page
stores its quality warnings, its depth in the tree and what it lists (filled
for existing pages after migrate by content.apps).
"""

from django.db import migrations, models


def renamed(model):
    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.RenameField(model, "pending_changes", "unpublished_changes"),
            migrations.AlterField(
                model,
                "unpublished_changes",
                models.JSONField(
                    blank=True,
                    db_column="pending_changes",
                    default=dict,
                    editable=False,
                    verbose_name="unpublished changes",
                ),
            ),
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("content", "0005_page_language_and_translation")]

    operations = [
        renamed("page"),
        renamed("historicalpage"),
        migrations.AddField("page", "quality_warnings", models.JSONField(default=list, editable=False)),
        migrations.AddField("page", "depth", models.PositiveSmallIntegerField(default=0, editable=False)),
        migrations.AddField("page", "listing", models.JSONField(default=dict, editable=False)),
        *[
            migrations.AlterField(
                model,
                "publish_at",
                models.DateTimeField(
                    blank=True,
                    help_text="Publish the page (or its unpublished changes) at this time. A time in the past "
                    "publishes on save. Leave empty to publish by hand.",
                    null=True,
                    verbose_name="publish at",
                ),
            )
            for model in ("page", "historicalpage")
        ],
        migrations.AddIndex("page", models.Index(fields=["language", "depth"], name="content_pag_languag_627633_idx")),
    ]
