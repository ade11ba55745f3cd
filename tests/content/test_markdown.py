"""The one render function: cross-links, structure, and sanitising."""

import pytest
from django.test import SimpleTestCase

from content.markdown import render, render_markdown
from tests.support import html

DANGEROUS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<iframe src="https://example.org"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<svg onload="alert(1)"></svg>',
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div onmouseover="alert(1)">hover</div>',
    '<object data="x.swf"></object>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


def assert_harmless(output):
    for tag, attrs in html.parse(output).elements:
        assert tag not in {"script", "iframe", "object", "embed", "svg", "math", "style"}, output
        for name, value in attrs.items():
            assert not name.startswith("on"), output
            assert name != "style", output
            cleaned = "".join(ch for ch in (value or "") if ch.isprintable() and not ch.isspace()).lower()
            assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), output


@pytest.mark.parametrize("payload", DANGEROUS)
def test_dangerous_markup_is_removed(payload):
    assert_harmless(render_markdown(f"Before\n\n{payload}\n\nAfter"))


def test_ordinary_markdown_survives_sanitising():
    output = render_markdown("Some **bold** and a [link](https://www.ema.europa.eu/).\n\n- one\n- two")
    SimpleTestCase().assertHTMLEqual(
        output,
        '<p>Some <strong>bold</strong> and a <a href="https://www.ema.europa.eu/" rel="noopener noreferrer">'
        "link</a>.</p><ul><li>one</li><li>two</li></ul>",
    )


def test_cross_links_become_page_addresses_and_are_reported():
    result = render("See [gene therapy](page:gene-therapy) and [CAR-T](page:car-t#monitoring).", language="en")
    assert html.links(result.html) == ["/en/gene-therapy/", "/en/car-t/#monitoring"]
    # A Danish page's links lead to Danish addresses.
    assert html.links(render("Se [genterapi](page:genterapi).", language="da").html) == ["/da/genterapi/"]
    assert result.linked_slugs == ["gene-therapy", "car-t"]


def test_a_cross_link_inside_code_is_left_as_text():
    result = render("Write `[words](page:slug)` to link.")
    assert result.linked_slugs == []
    assert html.links(result.html) == []


def test_the_body_never_adds_a_second_h1():
    output = render_markdown("# A heading\n\ntext")
    assert html.tags(output, "h1") == []
    assert len(html.tags(output, "h2")) == 1


def test_sections_come_from_second_level_headings():
    result = render("## How it works\n\ntext\n\n### Detail\n\n## Safety and control\n\ntext")
    assert result.sections == [
        {"id": "how-it-works", "title": "How it works"},
        {"id": "safety-and-control", "title": "Safety and control"},
    ]


@pytest.mark.parametrize("blank", ["", "   \n"])
def test_a_blank_body_renders_to_nothing(blank):
    # The admin's live preview asks for the empty body of a new page as soon as it opens.
    result = render(blank)
    assert (result.html, result.sections, result.linked_slugs) == ("", [], [])
