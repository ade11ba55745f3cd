"""
The steps of clinical sign-off, for a page or a glossary term (issue 22):
submit, approve (which publishes) or request changes, each with its audit
entry and the checks that refuse it. Publishing and unpublishing are logged by
workflow/signals.py, whichever way they happen.
"""

import copy
import datetime
import types

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from content import history, publishing, quality
from content.models import Page
from glossary.models import Term
from glossary.signals import pages_rendered_after_commit
from workflow.models import AuditEntry, ReviewRequest, TranslationUpdate, subject_field


def log(action, subject, user=None, comment=""):
    """An audit entry about a page or a glossary term (`subject`); one of a deletion keeps its title and slug only."""
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEntry.objects.create(
        action=action,
        **{subject_field(subject): None if action == AuditEntry.Action.DELETE else subject},
        page_title=(subject.term if isinstance(subject, Term) else subject.title)[:120],
        page_slug=subject.slug,
        user=user,
        username=user.get_username() if user else "",
        comment=comment,
    )


def review_material(page):
    """What a reviewer looks at: the diff against the published version and the content checks."""
    # Rendered afresh, so the glossary definitions it prints are the ones a reviewer sees now.
    shown = page.with_unpublished_changes()
    # A page never published is compared with nothing: all of it is new.
    published = page if page.is_published else types.SimpleNamespace(body="")
    return {
        "changes": history.compare(published, shown),
        "report": quality.check_page(shown),
        "problems": shown.publication_problems(),
    }


def term_review_material(term):
    """What a reviewer looks at for a glossary term: what readers see now and after approval, and where."""
    proposed = term.proposed()
    rows = []
    for name in ("term", "slug", "synonyms", "definition", "page"):
        before = getattr(term, name) if term.is_published else None
        after = getattr(proposed, name)
        label = Term._meta.get_field(name).verbose_name
        rows.append({"label": label, "before": before, "after": after, "changed": before != after})
    printed_in = Page.objects.filter(language=term.language, body_html__contains=f'#term-{term.slug}"')
    return {"rows": rows, "pages": list(printed_in.only("title", "slug", "language").order_by("title"))}


def authors_of_change(page, review):
    """Everyone who wrote the change under review: the submitter and whoever saved it since the last sign-off."""
    # The last sign-off: an approval (decided after its own save) or a publication. `page` may be a glossary term.
    approved = ReviewRequest.of(page).filter(state=ReviewRequest.State.APPROVED).aggregate(at=Max("decided_at"))
    published = AuditEntry.objects.filter(**{subject_field(page): page}, action=AuditEntry.Action.PUBLISH)
    last_signoff = max(filter(None, [approved["at"], published.aggregate(at=Max("at"))["at"]]), default=None)
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


def _check_approval(review, user, subject):
    _check_decision(review, user)
    if user.pk in authors_of_change(subject, review):
        raise ValidationError(
            _("You wrote or submitted this change, so another medical reviewer must approve it."), code="own_change"
        )
    if subject.version != review.page_version:
        if review.term_id:
            raise ValidationError(
                _("The term was changed after it was submitted. The author must submit the new version for review."),
                code="stale",
            )
        raise ValidationError(
            _("The page was changed after it was submitted. The author must submit the new version for review."),
            code="stale",
        )


def approve(review, user, comment=""):
    """
    Sign off the change: the page's (or term's) reviewer and review dates are set, and it is published
    now, or (a page) at its publish-at time if that is still to come.
    """
    with publishing.batch():
        model = Term if review.term_id else Page
        subject = model.objects.select_for_update().get(pk=review.term_id or review.page_id)
        _check_approval(review, user, subject)
        name = user.get_full_name() or user.get_username()
        subject._change_reason = _("Medically approved by %(user)s") % {"user": name}
        if review.term_id:
            _approve_term(subject, user, comment)
        else:
            _approve_page(subject, user, comment)
        review.state = ReviewRequest.State.APPROVED
        review.decided_by, review.decided_at, review.comment = user, timezone.now(), comment
        review.page_version = subject.version
        review.save()
        return subject


def _approve_page(page, user, comment):
    proposed = page.with_unpublished_changes()
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
    page.save()
    # This version is now reviewed; its translation is out of step if the text changed.
    TranslationUpdate.objects.filter(page=page).delete()
    if text_changed and page.translation_id:
        TranslationUpdate.objects.update_or_create(page_id=page.translation_id, defaults={"because_of": page})


def _approve_term(term, user, comment):
    term._as_stored = copy.copy(term)  # what readers saw (glossary/signals.py need not read it again)
    term.apply_publication()
    term.validate_constraints()  # a word or slug another term took since the change was written
    # Exactly what was approved: the pages printing it keep their reviewer only while it reads so.
    term.approved_digest = term.text_digest()
    term.reviewed_by, term.last_reviewed = user, timezone.localdate()
    # Logged before the save, so the log reads "approved" then "published" (glossary/signals.py).
    log(AuditEntry.Action.APPROVE, term, user, comment)
    with pages_rendered_after_commit():
        term.save()


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
