"""
Publish pages whose publish-at time has come. Run from cron every minute:

    * * * * * cd /app && python manage.py publish_due

Safe to run twice at once: each due page is locked (SELECT ... FOR UPDATE
SKIP LOCKED) while it is published, so two runs never publish the same page
twice, and a page published by one run no longer matches in the other.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from content.models import Page


class Command(BaseCommand):
    help = "Publish the pages (and unpublished changes) whose publish-at time has come."

    def handle(self, *args, **options):
        published = []
        while True:
            with transaction.atomic():
                page = Page.objects.due_for_publishing().select_for_update(skip_locked=True).order_by("pk").first()
                if page is None:
                    break
                # The one place a scheduled page or its unpublished changes become public.
                page.apply_publication()
                page._change_reason = "Published at its publish-at time"
                page.save()
                published.append(page.slug)
        for slug in published:
            self.stdout.write(f"published {slug}")
        if options["verbosity"] > 1 and not published:
            self.stdout.write("nothing due")
