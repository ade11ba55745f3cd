"""
Review reminders by e-mail: each page's reviewer hears about their overdue
and soon-due pages; a page nobody has reviewed goes to every medical reviewer.
Sent through Django's e-mail framework (SMTP settings from the environment).
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from workflow.models import MEDICAL_REVIEWER


def send_review_reminders(overdue, soon, site_url=""):
    """E-mail each reviewer their pages, in the site's language (Danish); returns the addresses written to."""
    reviewers = list(get_user_model().objects.filter(groups__name=MEDICAL_REVIEWER, is_active=True).exclude(email=""))
    pages_for = defaultdict(lambda: {"overdue": [], "soon": []})
    for kind, pages in (("overdue", overdue), ("soon", soon)):
        for page in pages:
            reviewer = page.reviewed_by
            recipients = [reviewer] if reviewer is not None and reviewer.is_active and reviewer.email else reviewers
            for user in recipients:
                pages_for[user.email][kind].append(page)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for email, pages in sorted(pages_for.items()):
            lines = [_("Pages on the ATMP site that need your medical review:"), ""]
            for kind, heading in (("overdue", _("Overdue")), ("soon", _("Due soon"))):
                if pages[kind]:
                    lines.append(f"{heading}:")
                    for page in pages[kind]:
                        due = page.next_review_due.isoformat() if page.next_review_due else _("never reviewed")
                        link = site_url.rstrip("/") + reverse("admin:content_page_change", args=[page.pk])
                        lines.append(f"  - {page.title} ({due}) {link}")
                    lines.append("")
            count = len(pages["overdue"]) + len(pages["soon"])
            subject = _("%(count)s page(s) due for medical review") % {"count": count}
            messages.append(EmailMessage(subject, "\n".join(lines), to=[email]))
    if messages:
        # One SMTP connection for all of them (Django 6.1's MAILERS["default"]).
        mailers.default.send_messages(messages)
    return [message.to[0] for message in messages]
