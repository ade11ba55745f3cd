"""
"Was this page helpful?" answers. Deliberately anonymous: no IP address, no
user, no cookie; only the page, the answer, an optional comment and the time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from content.models import Page

COMMENT_MAX_LENGTH = 500


class Feedback(models.Model):
    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.page}: {_('yes') if self.helpful else _('no')}"


class PageFeedbackSummary(Page):
    """The pages as editors see them in the admin's feedback overview."""

    class Meta:
        proxy = True
        verbose_name = _("feedback per page")
        verbose_name_plural = _("feedback per page")
