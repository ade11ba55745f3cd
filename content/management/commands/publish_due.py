"""
Publish pages whose publish-at time has come. Run from cron every minute:

    * * * * * cd /app && python manage.py publish_due

Safe to run twice at once: each due page is locked (SELECT ... FOR UPDATE SKIP
LOCKED) while it is published. A page that may not be published (changed since
its medical approval, no sources, an image without alt text) keeps its public
state, loses its schedule, and the reason is printed.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from content import publishing
from content.models import Page

CHANGED_SINCE_APPROVAL = "Changed since its medical approval: submit it for review again."


class Command(BaseCommand):
    help = "Publish the pages (and unpublished changes) whose publish-at time has come."

    def handle(self, *args, **options):
        published, refused = [], {}
        while True:
            with publishing.batch(), transaction.atomic():
                page = Page.objects.due_for_publishing().select_for_update(skip_locked=True).order_by("pk").first()
                if page is None:
                    break
                # The one place a scheduled page or its unpublished changes become public.
                page.apply_publication()
                problems = page.publication_problems()
                if page.changed_since_approval():
                    problems.insert(0, CHANGED_SINCE_APPROVAL)
                if problems:
                    # Nothing readers see changes; the schedule goes, so the next run does not try again.
                    Page.objects.filter(pk=page.pk).update(publish_at=None)
                    refused[page.slug] = " ".join(str(problem) for problem in problems)
                    continue
                page._change_reason = "Published at its publish-at time"
                page.save()
                published.append(page.slug)
        # Whatever a large change left to the background and a recycled worker did not finish.
        stored = publishing.render_missing()
        for slug in published:
            self.stdout.write(f"published {slug}")
        if stored:
            self.stdout.write(f"stored {stored} public pages")
        for slug, why in refused.items():
            self.stderr.write(f"not published {slug}: {why}")
        if options["verbosity"] > 1 and not published and not refused:
            self.stdout.write("nothing due")
