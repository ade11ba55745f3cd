"""
What the workflow notices on every save or delete of a page, however it
happens (admin, approval, the publish_due job, a restore): publication and
unpublication go into the audit log, and a changed slug leaves a redirect.
A glossary term's publication (what readers see of it changed) and deletion
are logged too (issue 22).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from content.models import Page
from glossary.models import Term
from glossary.signals import seen_by_readers
from workflow.actions import log
from workflow.models import AuditEntry, SlugRedirect

# The audit log's note on a publication of text no medical reviewer approved as it is.
WITHOUT_REVIEW = gettext_noop("without medical review")


def current_user():
    """The user of the request being served (simple_history's middleware keeps it), or None (a cron job)."""
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)  # log() records an anonymous user as no one


@receiver(post_save, sender=Page)
def log_publication_and_redirect_old_slug(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = instance.stored_before_save  # the row as Page.save read it, None for a new page
    is_published = instance.status == Page.Status.PUBLISHED
    was_published = before is not None and before["status"] == Page.Status.PUBLISHED
    unreviewed = "" if not is_published or instance.review_is_current else WITHOUT_REVIEW
    if is_published != was_published:
        action = AuditEntry.Action.PUBLISH if is_published else AuditEntry.Action.UNPUBLISH
        log(action, instance, current_user(), unreviewed)
    elif is_published and before["unpublished_changes"] and not instance.unpublished_changes:
        held = before["unpublished_changes"]
        if all(getattr(instance, name) == value for name, value in held.items() if name in Page.DRAFTABLE_FIELDS):
            note = " ".join(filter(None, ["unpublished changes", unreviewed]))
            log(AuditEntry.Action.PUBLISH, instance, current_user(), note)
    elif unreviewed and any(before[name] != getattr(instance, name) for name in Page.DRAFTABLE_FIELDS):
        # A publisher changed the live text directly: readers see text no reviewer approved.
        log(AuditEntry.Action.PUBLISH, instance, current_user(), unreviewed)
    if before and before["slug"] != instance.slug:
        SlugRedirect.objects.update_or_create(old_slug=before["slug"], defaults={"page": instance})
    if not before or before["slug"] != instance.slug:
        # The slug is this page's now: an old address that redirected elsewhere must not take it.
        SlugRedirect.objects.filter(old_slug=instance.slug).delete()


@receiver(post_delete, sender=Page)
@receiver(post_delete, sender=Term, dispatch_uid="workflow_term_deleted")
def log_deletion(sender, instance, **kwargs):
    log(AuditEntry.Action.DELETE, instance, current_user())


@receiver(post_save, sender=Term, dispatch_uid="workflow_term_published")
def log_term_publication(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # glossary/signals.py keeps the stored row from before the save (`_old`).
    before, after = seen_by_readers(getattr(instance, "_old", None)), seen_by_readers(instance)
    if after is not None and (before is None or before[:-1] != after[:-1]):
        note = "" if instance.review_is_current else WITHOUT_REVIEW
        log(AuditEntry.Action.PUBLISH, instance, current_user(), note)
