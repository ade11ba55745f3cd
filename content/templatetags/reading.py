"""Template checks for how an article opens (issue 17, readers' item 2)."""

import re

from django import template

from content.quality import as_read, plain_words

register = template.Library()

FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)


@register.filter
def repeats_summary(page):
    """True when the body's first paragraph says the summary word for word: show it once, not twice."""
    match = FIRST_PARAGRAPH.search(page.body_html or "")
    return bool(match and page.summary) and plain_words(as_read(match.group(1))) == " ".join(page.summary.split())
