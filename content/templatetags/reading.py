"""Template checks for how an article opens (issue 17, readers' item 2)."""

import re
from html import unescape

from django import template
from django.utils.html import strip_tags

register = template.Library()

FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
# Words only screen readers hear (a glossary mark's "(glossary)") are not part of the sentence.
HIDDEN = re.compile(r'<span class="visually-hidden">.*?</span>', re.S)
# Nor are the source numbers after it (content/citations.py).
CITATIONS = re.compile(r'<sup class="cite">.*?</sup>', re.S)


def _words(text):
    return " ".join(unescape(strip_tags(CITATIONS.sub("", HIDDEN.sub("", text)))).split())


@register.filter
def repeats_summary(page):
    """True when the body's first paragraph says the summary word for word: show it once, not twice."""
    match = FIRST_PARAGRAPH.search(page.body_html or "")
    return bool(match and page.summary) and _words(match.group(1)) == " ".join(page.summary.split())
