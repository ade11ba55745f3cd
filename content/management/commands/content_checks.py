"""Print the content checks of every page: words, reading time, LIX and warnings."""

from django.core.management.base import BaseCommand

from content import quality
from content.models import Page


class Command(BaseCommand):
    help = "Print word count, reading time, LIX readability and warnings for every page."

    def handle(self, *args, **options):
        self.stdout.write(f"{'page':28} {'words':>5} {'min':>3} {'LIX':>5}  band     warnings")
        uncited = {"uncited_paragraph": 0, "uncited_source": 0}
        for page in Page.objects.order_by("slug"):
            report = quality.check_page(page)
            stats = report.stats
            codes = ", ".join(w.code for w in report.warnings) or "-"
            figures = f"{stats.words:>5} {stats.reading_minutes:>3} {stats.lix:>5}  {stats.lix_band:8}"
            self.stdout.write(f"{page.slug:28} {figures} {codes}")
            for warning in report.warnings:
                if warning.code in uncited:
                    # The detail starts with the count ("3: ...") or lists the numbers ("1, 4").
                    uncited[warning.code] += (
                        int(warning.detail.split(":")[0]) if ":" in warning.detail else len(warning.detail.split(","))
                    )
        self.stdout.write(
            f"Uncited paragraphs: {uncited['uncited_paragraph']}. Uncited sources: {uncited['uncited_source']}."
        )
