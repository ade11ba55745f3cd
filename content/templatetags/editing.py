"""Template helpers for the editors' admin (issue 23, editors' items)."""

import re

from django import template

register = template.Library()

# ![alt text](address "title"): the markdown image syntax, as editors write it.
IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+"[^"]*")?\)')


@register.filter
def added_images(body_lines):
    """[(alt, url)] of the images on a diff's added lines, so a reviewer sees the image beside its alt text.
    Only the site's own files (/media/...): the admin shows nothing from elsewhere."""
    return [
        (match["alt"], match["url"])
        for line in body_lines or ()
        if getattr(line, "kind", None) == "added"
        for match in IMAGE.finditer(getattr(line, "text", ""))
        if match["url"].startswith("/media/")
    ]
