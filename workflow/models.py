"""
Clinical sign-off: review requests, the audit log, redirects from old slugs,
and translations flagged as out of step. All of it points at `content.Page`
(or at a glossary term), so the content model stays as it is.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The three roles (Django groups), created by migration 0002. Their names are
# stored in the database and used in code; the admin shows them translated.
AUTHOR = "Author"
MEDICAL_REVIEWER = "Medical reviewer"
PUBLISHER = "Publisher"
ROLES = {"author": AUTHOR, "reviewer": MEDICAL_REVIEWER, "publisher": PUBLISHER}
ROLE_LABELS = {AUTHOR: _("Author"), MEDICAL_REVIEWER: _("Medical reviewer"), PUBLISHER: _("Publisher")}


class ReviewRequest(models.Model):
    """One change submitted for medical review, and the reviewer's decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        WITHDRAWN = "withdrawn", _("Replaced by a newer submission")

    # What is reviewed: a page, or a glossary term.
    page = models.ForeignKey(
        "content.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    term = models.ForeignKey(
        "glossary.Term", verbose_name=_("term"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # The page's version when it was submitted: a later edit makes it a new change.
    page_version = models.PositiveIntegerField(_("page version"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("approve_change", _("Can approve a change (medical sign-off) and publish it")),
            ("publish_page", _("Can publish or unpublish a page directly")),
        ]

    def __str__(self):
        return f"{self.subject} ({self.get_state_display()})"

    @property
    def subject(self):
        """The page or the term under review."""
        return self.term if self.term_id else self.page

    @property
    def edit_url(self):
        subject = self.subject
        return reverse(f"admin:{subject._meta.app_label}_{subject._meta.model_name}_change", args=[subject.pk])

    @classmethod
    def of(cls, subject):
        """The reviews of a page or of a term."""
        return cls.objects.filter(**{subject_field(subject): subject})

    @classmethod
    def open_for(cls, subject):
        return cls.of(subject).filter(state=cls.State.PENDING).first()  # the latest (Meta.ordering)


def subject_field(subject):
    """The field of `ReviewRequest` and `AuditEntry` that points at `subject` (a page or a glossary term)."""
    return "term" if subject._meta.label == "glossary.Term" else "page"


class AuditEntry(models.Model):
    """Who did what to which page, and when. Kept after the page and the user are deleted."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Changes requested")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")
        RESTORE = "restore", _("Restored a version")
        DELETE = "delete", _("Deleted")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    page = models.ForeignKey(
        "content.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Or the glossary term; its word and slug are copied into page_title and page_slug.
    term = models.ForeignKey(
        "glossary.Term", verbose_name=_("term"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copies, so the log still reads after the page or the user is gone.
    page_title = models.CharField(_("page title"), max_length=120)
    page_slug = models.CharField(_("slug"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.get_action_display()} {self.page_title}"


class SlugRedirect(models.Model):
    """An address a page used to have; the public site answers it with a 301 to the page."""

    old_slug = models.SlugField(_("old slug"), max_length=80, unique=True)
    page = models.ForeignKey("content.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("redirect from an old address")
        verbose_name_plural = _("redirects from old addresses")

    def __str__(self):
        return f"{self.old_slug} → {self.page.slug}"


class TranslationUpdate(models.Model):
    """A translation whose other language version was approved with a change since it was last reviewed."""

    page = models.OneToOneField(
        "content.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="translation_update"
    )
    because_of = models.ForeignKey(
        "content.Page", verbose_name=_("changed version"), on_delete=models.CASCADE, related_name="+"
    )
    flagged_at = models.DateTimeField(_("flagged"), auto_now_add=True)

    class Meta:
        verbose_name = _("translation needing an update")
        verbose_name_plural = _("translations needing an update")

    def __str__(self):
        return str(self.page)
