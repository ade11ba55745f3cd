"""
The pages patients come for, in their words: on the home page's first screen
and first in the menu (issue 23, readers' item 1). Each is noted as shown by
the page that prints the menu, so an edit of one renders those pages again.
"""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from content.models import note_shown
from content.rendering import listing

register = template.Library()

# (English slug, Danish slug, the words a patient would use), in the order a patient needs them.
PATIENT_PAGES = (
    ("car-t", "car-t-behandling", _("CAR-T: what it is and what it does")),
    ("car-t-treatment-journey", "forloebet-ved-car-t", _("Your CAR-T treatment, step by step")),
    ("side-effects", "bivirkninger", _("Side effects and when to get help")),
    ("questions-for-your-doctor", "spoergsmaal-til-din-laege", _("Questions for your doctor")),
)
PATIENT_SLUGS = {slug for row in PATIENT_PAGES for slug in row[:2]}
# The page printed as a sheet to take to the appointment (static/css/site.css, "question sheet").
QUESTION_SHEETS = {"questions-for-your-doctor", "spoergsmaal-til-din-laege"}


@register.simple_tag(takes_context=True)
def patient_pages(context):
    """
    [(words, page)] for the patient pages published in this language, in order; missing pages left out.
    Worked out once per response however often a template asks (the home page and its menu both do).
    """
    language = get_language()
    kept = context.dicts[0].setdefault("_patient_pages", {})  # the render's base dict, shared by includes
    if language not in kept:
        published = listing(language).published
        found = [(label, published.get(en if language == "en" else da)) for en, da, label in PATIENT_PAGES]
        kept[language] = [(label, page) for label, page in found if page is not None]
        note_shown(*(page for _label, page in kept[language]))
    return kept[language]


@register.filter
def is_question_sheet(page):
    return getattr(page, "slug", None) in QUESTION_SHEETS


@register.filter
def is_patient_page(page):
    """In the menu's first group already: not listed twice."""
    return getattr(page, "slug", None) in PATIENT_SLUGS
