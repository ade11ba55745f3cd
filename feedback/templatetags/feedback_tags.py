from django import template

from feedback.models import COMMENT_MAX_LENGTH

register = template.Library()


@register.inclusion_tag("feedback/form.html", takes_context=True)
def feedback_form(context, page):
    """The form, or the thanks after sending (from the query string, so the page stays cacheable)."""
    request = context["request"]
    return {
        "page": page,
        "sent": request.GET.get("feedback") == "sent",
        "comment_max_length": COMMENT_MAX_LENGTH,
    }
