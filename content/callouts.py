"""
Callout boxes in page markdown: "when to get help" and warnings.

Editors write Python-Markdown's admonition syntax (the quoted title is optional):

    !!! help "Ring til afdelingen med det samme, hvis du får"
        - feber

`help` (or `hjælp`) and `warning` (or `advarsel`) become an
`<aside class="callout callout-help" role="note" aria-label="...">` with a
visible heading, so screen readers announce the box and list its heading, and
it is marked by words and an icon, not by colour alone. The sanitiser in
`content.markdown` allows exactly the classes and role emitted here; it drops
the wrapper of any other type and keeps the text, and `unknown_types` warns of
such a type in the live preview and the content checks.
"""

import re
from xml.etree import ElementTree

from django.utils.translation import gettext
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.treeprocessors import Treeprocessor

# Admonition type (as editors may write it) -> callout kind.
CALLOUT_KINDS = {"help": "help", "hjælp": "help", "hjaelp": "help", "warning": "warning", "advarsel": "warning"}
CALLOUT_CLASSES = {"callout", "callout-help", "callout-warning"}
CALLOUT_TITLE_CLASS = "callout-title"
CALLOUT_ROLE = "note"
# An admonition line as editors write it: "!!! note" or '!!! note "Title"', at any indentation.
ADMONITION_LINE = re.compile(r"^[ \t]*!!![ \t]*(?P<type>[^\s\"]+)", re.M)


def unknown_types(text: str) -> list[str]:
    """The callout types in a markdown text the site does not know ("note"): they would show as plain text."""
    found = (match["type"] for match in ADMONITION_LINE.finditer(text or ""))
    return list(dict.fromkeys(kind for kind in found if kind.casefold() not in CALLOUT_KINDS))


class _CalloutProcessor(Treeprocessor):
    """Turn the admonition extension's `div.admonition` into an accessible `aside`."""

    def run(self, root: ElementTree.Element):
        seen_h2 = False
        for element in list(root):
            seen_h2 = seen_h2 or element.tag in {"h1", "h2"}
            classes = (element.get("class") or "").split()
            written_type = next((c for c in classes if c in CALLOUT_KINDS), None)
            if element.tag == "div" and "admonition" in classes and written_type:
                self._convert(element, written_type, heading="h3" if seen_h2 else "h2")

    @staticmethod
    def _convert(element: ElementTree.Element, written_type: str, heading: str):
        kind = CALLOUT_KINDS[written_type]
        title_element = next(
            (child for child in element if child.tag == "p" and "admonition-title" in (child.get("class") or "")),
            None,
        )
        title = "".join(title_element.itertext()).strip() if title_element is not None else ""
        # The admonition extension titles an untitled box with its type ("Help"): use ours instead,
        # translated now, inside the page language's translation.override().
        if not title or title == written_type.capitalize():
            title = gettext("When to get help") if kind == "help" else gettext("Warning")
        if title_element is not None:
            element.remove(title_element)
        element.tag = "aside"
        element.attrib = {"class": f"callout callout-{kind}", "role": CALLOUT_ROLE, "aria-label": title}
        title_heading = ElementTree.Element(heading, {"class": CALLOUT_TITLE_CLASS})
        title_heading.text = title
        element.insert(0, title_heading)


class CalloutExtension(Extension):
    def extendMarkdown(self, md):
        AdmonitionExtension().extendMarkdown(md)
        # After inline processing (20), before cross-links (15) and the toc (5),
        # so the toc lists a top-level callout's heading like any other section.
        md.treeprocessors.register(_CalloutProcessor(md), "atmp_callouts", 17)
