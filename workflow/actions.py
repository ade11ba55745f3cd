"""
The steps of clinical sign-off: submit, approve, request changes, and the
checks that refuse a publication.

Each step writes its audit entry. Publishing and unpublishing are logged by
the signals in workflow/signals.py, whichever way they happen (an approval, a
publisher's save, the scheduled publish_due job); a glossary term's by
glossary/signals.py. A glossary term goes through the same steps as a page
(issue 22): submit, approve (which publishes it) or request changes.
"""

import copy
import datetime
import types

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content import history, publishing

# The content checks live in content.quality:
# this is the one place the workflow imports them.
from content import quality as content_checks
from content.models import Page
from glossary.models import Term
from glossary.signals import pages_rendered_after_commit
from workflow.models import AuditEntry, ReviewRequest, TranslationUpdate, subject_field


def log(action, subject, user=None, comment="", exists=None):
    """An audit entry about a page or a glossary term (`subject`); `exists` when the caller knows if its row does."""
    if exists is None:
        exists = bool(subject.pk) and type(subject).objects.filter(pk=subject.pk).exists()
    return AuditEntry.objects.create(
        action=action,
        **{subject_field(subject): subject if exists else None},
        page_title=(subject.term if isinstance(subject, Term) else subject.title)[:120],
        page_slug=subject.slug,
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        comment=comment,
    )


def proposed_version(page):
    """The page as it will read once its unpublished changes are published."""
    # Rendered afresh, so the glossary definitions it prints are the ones a reviewer sees now.
    return page.with_unpublished_changes()


def review_material(page):
    """What a reviewer looks at: the diff against the published version and the content checks."""
    shown = proposed_version(page)
    # A page never published is compared with nothing: all of it is new.
    published = page if page.is_published else types.SimpleNamespace(body="")
    return {
        "shown": shown,
        "changes": history.compare(published, shown),
        "report": content_checks.check_page(shown),
        "problems": shown.publication_problems(),
    }


def term_review_material(term):
    """What a reviewer looks at for a glossary term: what readers see now and after approval, and where."""
    proposed = term.proposed()
    rows = []
    for name in ("term", "slug", "synonyms", "definition", "page"):
        before = getattr(term, name) if term.is_published else None
        after = getattr(proposed, name)
        rows.append(
            {
                "label": Term._meta.get_field(name).verbose_name,
                "before": before,
                "after": after,
                "changed": before != after,
            }
        )
    printed_in = Page.objects.filter(language=term.language, body_html__contains=f'#term-{term.slug}"')
    return {"rows": rows, "pages": list(printed_in.only("title", "slug", "language").order_by("title"))}


def authors_of_change(page, review):
    """Everyone who wrote the change under review: the submitter and whoever saved it since the last sign-off."""
    # The last sign-off: an approval (decided after its own save) or a publication. `page` may be a glossary term.
    moments = [
        ReviewRequest.of(page)
        .filter(state=ReviewRequest.State.APPROVED)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first(),
        AuditEntry.objects.filter(**{subject_field(page): page}, action=AuditEntry.Action.PUBLISH)
        .order_by("-at")
        .values_list("at", flat=True)
        .first(),
    ]
    last_signoff = max((moment for moment in moments if moment), default=None)
    records = page.history.exclude(history_user=None)
    if last_signoff:
        records = records.filter(history_date__gt=last_signoff)
    authors = set(records.values_list("history_user_id", flat=True))
    if review.submitted_by_id:
        authors.add(review.submitted_by_id)
    return authors


@transaction.atomic
def submit(page, user):
    """Ask for medical review of the page (or term) as it is now: its unpublished changes, or the draft."""
    ReviewRequest.of(page).filter(state=ReviewRequest.State.PENDING).update(state=ReviewRequest.State.WITHDRAWN)
    review = ReviewRequest.objects.create(**{subject_field(page): page}, submitted_by=user, page_version=page.version)
    log(AuditEntry.Action.SUBMIT, page, user)
    return review


def _check_decision(review, user):
    if review.state != ReviewRequest.State.PENDING:
        raise ValidationError(_("This change has already been decided on."), code="decided")
    if not user.has_perm("workflow.approve_change"):
        raise ValidationError(_("Only a medical reviewer can decide on a change."), code="not_reviewer")


def approve(review, user, comment=""):
    """
    Sign off the change: the page's reviewer and review dates are set, and it
    is published now, or at its publish-at time if that is still to come.
    """
    with publishing.batch():
        if review.term_id:
            return _approve_term(review, user, comment)
        return _approve(review, user, comment)


def _approve(review, user, comment):
    page = Page.objects.select_for_update().get(pk=review.page_id)
    _check_decision(review, user)
    if user.pk in authors_of_change(page, review):
        raise ValidationError(
            _("You wrote or submitted this change, so another medical reviewer must approve it."), code="own_change"
        )
    if page.version != review.page_version:
        raise ValidationError(
            _("The page was changed after it was submitted. The author must submit the new version for review."),
            code="stale",
        )
    proposed = proposed_version(page)
    problems = proposed.publication_problems()
    if problems:
        raise ValidationError(problems, code="not_publishable")
    text_changed = bool(page.unpublished_changes) or not page.is_published
    today = timezone.localdate()
    # Exactly what was approved: the page names its reviewer only while it shows this.
    page.approved_digest = proposed.content_digest()
    page.reviewed_by = user
    page.last_reviewed = today
    page.next_review_due = today + datetime.timedelta(days=settings.CONTENT_REVIEW_INTERVAL_DAYS)
    if page.publish_at is None or page.publish_at <= timezone.now():
        page.apply_publication()
    # Logged before the save, so the log reads "approved" then "published".
    log(AuditEntry.Action.APPROVE, page, user, comment)
    page._change_reason = _("Medically approved by %(user)s") % {"user": user.get_full_name() or user.get_username()}
    page.save()
    review.state = ReviewRequest.State.APPROVED
    review.decided_by, review.decided_at, review.comment = user, timezone.now(), comment
    review.page_version = page.version
    review.save()
    # This version is now reviewed; its translation is out of step if the text changed.
    TranslationUpdate.objects.filter(page=page).delete()
    if text_changed and page.translation_id:
        TranslationUpdate.objects.update_or_create(page_id=page.translation_id, defaults={"because_of": page})
    return page


def _approve_term(review, user, comment):
    """A glossary term's sign-off: publish the change now, with its reviewer and date, and record its text."""
    term = Term.objects.select_for_update().get(pk=review.term_id)
    term._as_stored = copy.copy(term)  # what readers saw (glossary/signals.py need not read it again)
    _check_decision(review, user)
    if user.pk in authors_of_change(term, review):
        raise ValidationError(
            _("You wrote or submitted this change, so another medical reviewer must approve it."), code="own_change"
        )
    if term.version != review.page_version:
        raise ValidationError(
            _("The term was changed after it was submitted. The author must submit the new version for review."),
            code="stale",
        )
    term.apply_publication()
    term.validate_constraints()  # a word or slug another term took since the change was written
    # Exactly what was approved: the pages printing it keep their reviewer only while it reads so.
    term.approved_digest = term.text_digest()
    term.reviewed_by, term.last_reviewed = user, timezone.localdate()
    # Logged before the save, so the log reads "approved" then "published" (glossary/signals.py).
    log(AuditEntry.Action.APPROVE, term, user, comment, exists=True)
    term._change_reason = _("Medically approved by %(user)s") % {"user": user.get_full_name() or user.get_username()}
    with pages_rendered_after_commit():
        term.save()
    review.state = ReviewRequest.State.APPROVED
    review.decided_by, review.decided_at, review.comment = user, timezone.now(), comment
    review.page_version = term.version
    review.save()
    return term


@transaction.atomic
def request_changes(review, user, comment):
    _check_decision(review, user)
    if not comment.strip():
        raise ValidationError(_("Write what the author should change."), code="comment_required")
    review.state = ReviewRequest.State.CHANGES_REQUESTED
    review.decided_by, review.decided_at, review.comment = user, timezone.now(), comment.strip()
    review.save()
    log(AuditEntry.Action.REJECT, review.subject, user, review.comment)
    return review
