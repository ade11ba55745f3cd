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
        parser.add_argument(
            "--email",
            action="store_true",
            help="Also e-mail each page's medical reviewer about their overdue and soon-due pages.",
        )
        parser.add_argument(
            "--site-url", default="", help="Prefix for the admin links in e-mails, e.g. https://atmp.dk"
        )

    def handle(self, *args, days, email=False, site_url="", **options):
        overdue, soon = (
            list(pages.select_related("reviewed_by").order_by("next_review_due", "title"))
            for pages in (Page.objects.review_overdue(), Page.objects.review_due_within(days))
        )
        self.stdout.write(f"Review overdue: {len(overdue)}")
        for page in overdue:
            self.stdout.write(f"  {page.next_review_due or 'never reviewed'}  {page.slug}  {page.title}")
        self.stdout.write(f"Review due within {days} days: {len(soon)}")
        for page in soon:
            self.stdout.write(f"  {page.next_review_due}  {page.slug}  {page.title}")
        if email:
            from workflow.reminders import send_review_reminders

            for address in send_review_reminders(overdue, soon, site_url):
                self.stdout.write(f"Reminder sent to {address}")
        if overdue:
            raise CommandError(f"{len(overdue)} page(s) overdue for medical review.", returncode=1)
