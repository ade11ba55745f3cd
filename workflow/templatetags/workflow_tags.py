"""The "due for review" panel on the admin index, and the reviewer line readers see."""

from django import template
from django.conf import settings

from content.models import Page
from workflow.models import ROLE_LABELS, ReviewRequest

register = template.Library()


@register.inclusion_tag("admin/workflow/due_panel.html", takes_context=True)
def review_due_panel(context):
    user = context["request"].user
    days = settings.CONTENT_REVIEW_DUE_SOON_DAYS
    waiting = ReviewRequest.objects.filter(state=ReviewRequest.State.PENDING).select_related("page", "submitted_by")
    returned = ReviewRequest.objects.filter(
        state=ReviewRequest.State.CHANGES_REQUESTED, submitted_by=user
    ).select_related("page", "decided_by")[:10]
    return {
        "overdue": Page.objects.review_overdue().order_by("next_review_due", "title"),
        "soon": Page.objects.review_due_within(days).order_by("next_review_due", "title"),
        "days": days,
        "waiting": waiting,
        "returned": returned,
        "is_reviewer": user.has_perm("workflow.approve_change"),
        "roles": [str(ROLE_LABELS.get(name, name)) for name in user.groups.values_list("name", flat=True)],
    }
