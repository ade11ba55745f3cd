"""Tags that describe a page to search engines and link previews: JSON-LD and Open Graph."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from content.models import Family

register = template.Library()

SITE_NAME = "ATMP explained"
# What each family's pages are about, as schema.org names it.
ABOUT = {
    Family.GENERAL: "Advanced therapy medicinal products",
    Family.CELL: "Cell therapy",
    Family.GENE: "Gene therapy",
    Family.TISSUE: "Tissue therapy",
}
# Inside <script>, "<", ">" and "&" could end the element or start a comment:
# escape them as JSON unicode escapes (as Django's json_script does).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def medical_web_page(page, url):
    """The schema.org MedicalWebPage description of a page, as a dict."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "description": page.summary,
        "url": url,
        "inLanguage": page.language,
        "about": {"@type": "MedicalTherapy", "name": ABOUT.get(page.family, page.title)},
        "audience": {"@type": "Patient"},
        "isPartOf": {"@type": "WebSite", "name": SITE_NAME},
    }
    if page.review_is_current:  # a review date only for text a named reviewer approved, as on the page
        data["lastReviewed"] = page.last_reviewed.isoformat()
    return data


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    return context["request"].build_absolute_uri(page.get_absolute_url())


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    data = medical_web_page(page, canonical_url(context, page))
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
