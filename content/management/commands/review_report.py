"""
Print pages whose medical review is overdue or due soon.

Exits with status 1 when any page is overdue, so a monitoring job can alert.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.models import Page


class Command(BaseCommand):
    help = "List pages whose review is overdue or due soon; exit 1 if any is overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CONTENT_REVIEW_DUE_SOON_DAYS,
            help="How far ahead counts as due soon (default: %(default)s days).",
        )

    def handle(self, *args, days, **options):
        overdue = list(Page.objects.review_overdue().order_by("next_review_due", "title"))
        soon = list(Page.objects.review_due_within(days).order_by("next_review_due", "title"))
        self.stdout.write(f"Review overdue: {len(overdue)}")
        for page in overdue:
            self.stdout.write(f"  {page.next_review_due}  {page.slug}  {page.title}")
        self.stdout.write(f"Review due within {days} days: {len(soon)}")
        for page in soon:
            self.stdout.write(f"  {page.next_review_due}  {page.slug}  {page.title}")
        if overdue:
            raise CommandError(f"{len(overdue)} page(s) overdue for medical review.", returncode=1)
