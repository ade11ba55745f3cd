"""The "due for review" panel on the admin index, and the filters the workflow's admin templates use."""

from django import template
from django.conf import settings
from django.utils import translation

from content.admin import person_label
from content.models import Page
from workflow.models import ROLE_LABELS, ReviewRequest

register = template.Library()


@register.inclusion_tag("admin/workflow/due_panel.html", takes_context=True)
def review_due_panel(context):
    user = context["request"].user
    days = settings.CONTENT_REVIEW_DUE_SOON_DAYS
    reviews = ReviewRequest.objects.select_related("page", "term")
    returned = reviews.filter(state=ReviewRequest.State.CHANGES_REQUESTED, submitted_by=user)
    return {
        # First: live pages that tell readers "Not yet medically approved" (issue 23, editors' item 7),
        # the latest changed first.
        "never_approved": _first(Page.objects.never_approved().order_by("-updated_at", "title", "language"), "never"),
        "overdue": _first(
            Page.objects.review_overdue()
            .exclude(pk__in=Page.objects.never_approved())
            .order_by("next_review_due", "title"),
            "overdue",
        ),
        "soon": _first(Page.objects.review_due_within(days).order_by("next_review_due", "title"), "soon"),
        "days": days,
        "waiting": reviews.filter(state=ReviewRequest.State.PENDING).select_related("submitted_by"),
        "returned": returned.select_related("decided_by")[:10],
        "roles": [str(ROLE_LABELS.get(name, name)) for name in user.groups.values_list("name", flat=True)],
    }


# Pages a list of the panel shows; the page list (filtered alike) shows them all. The admin's front
# page stays short and quick on a site of thousands of pages.
PANEL_PAGES = 10


def _first(pages, review_filter):
    """The first pages of a list, how many it holds, and where the page list shows them all."""
    return {"pages": pages[:PANEL_PAGES], "count": pages.count(), "filter": review_filter}


@register.filter
def person(user):
    """A person as editors know them (by full name, as the admin's lists show them); "?" for no one."""
    return "?" if user is None else person_label(user)


@register.filter
def language_name(code):
    """A page's language in the editor's language: "English" in English, "engelsk" in Danish (lower case there)."""
    name = str(translation.get_language_info(code)["name_translated"])
    return name.lower() if translation.get_language() == "da" else name
