"""Previous/next within an ATMP family, one "Read next" list, and "Explore the other ATMPs"."""

import re

import pytest

from content.models import Family, Page
from tests.support import html

pytestmark = pytest.mark.django_db


def pager(body):
    return {tag["rel"]: tag["href"] for tag in html.tags(body, "a") if tag.get("rel") in {"prev", "next"}}


def section_links(body, heading_id):
    if f'id="{heading_id}"' not in body:
        return None
    return html.links(body.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0])


def read_next(body):
    return section_links(body, "read-next-heading")


def after_the_article(body):
    """Everything a reader meets after the text of the page, up to the footer."""
    rest = body.split('<div class="prose">', 1)[1]
    # The text may hold divs of its own (glossary notes, callouts): find the one that closes the prose.
    depth = 1
    for tag in re.finditer(r"<(/?)div\b", rest):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return rest[tag.end() :].split('<footer class="site-footer"', 1)[0]
    raise AssertionError("the text of the page is never closed")


def test_previous_and_next_follow_the_family_in_reading_order(client):
    # The cell family: Cell therapy, then its children in order.
    assert pager(client.get("/en/cell-therapy/").content.decode()) == {"next": "/en/autologous-and-allogeneic/"}
    assert pager(client.get("/en/autologous-and-allogeneic/").content.decode()) == {
        "prev": "/en/cell-therapy/",
        "next": "/en/ebvallo/",
    }
    assert pager(client.get("/en/ebvallo/").content.decode()) == {"prev": "/en/autologous-and-allogeneic/"}
    # A family of one page has nothing to page through.
    assert pager(client.get("/en/tissue-therapy/").content.decode()) == {}


def test_drafts_are_skipped_by_previous_and_next(client, make_page):
    make_page(slug="cell-draft", family=Family.CELL, parent=Page.objects.get(slug="cell-therapy"), order=1,
              title="Aaa draft", status=Page.Status.DRAFT)  # fmt: skip
    assert pager(client.get("/en/cell-therapy/").content.decode()) == {"next": "/en/autologous-and-allogeneic/"}


def test_read_next_lists_the_published_pages_linking_here_unless_already_linked(client, make_page):
    # In families of their own, so neither is the other's previous or next page.
    car_t, tissue = Page.objects.get(slug="car-t"), Page.objects.get(slug="tissue-therapy")
    target = make_page(slug="target", title="Target", family=Family.TISSUE, parent=tissue)
    make_page(slug="linker", title="Linker", body="See [the target](page:target).", family=Family.GENE, parent=car_t)
    make_page(slug="draft-linker", title="Draft linker", body="[t](page:target)", status=Page.Status.DRAFT)
    assert read_next(client.get("/en/target/").content.decode()) == ["/en/linker/"]
    # The linker already links to the target in its text: not listed again.
    assert read_next(client.get("/en/linker/").content.decode()) is None
    # Removing the link removes it from "Read next".
    linker = Page.objects.get(slug="linker")
    linker.body = "No link now."
    linker.save()
    assert read_next(client.get(target.get_absolute_url()).content.decode()) is None


def test_read_next_holds_children_related_and_backlinks_once_each_without_the_pager(client, make_page):
    hub = make_page(slug="hub", title="Hub", family=Family.TISSUE, parent=Page.objects.get(slug="tissue-therapy"))
    first = make_page(slug="first", title="First", family=Family.TISSUE, parent=hub, order=1)
    second = make_page(
        slug="second", title="Second", family=Family.TISSUE, parent=hub, order=2, body="[hub](page:hub)"
    )
    hub.related.add(second, Page.objects.get(slug="car-t"))
    links = read_next(client.get("/en/hub/").content.decode())
    # "First" is the next page in the pager; "Second" is a child, related and links here: once.
    assert links == ["/en/second/", "/en/car-t/"]
    assert pager(client.get("/en/hub/").content.decode())["next"] == first.get_absolute_url()


def test_celleterapi_ends_with_each_page_once_and_explores_only_the_other_families(client):
    body = client.get("/da/celleterapi/", headers={"accept-language": "da"}).content.decode()
    links = [link for link in html.links(after_the_article(body)) if link.startswith("/da/") and "#" not in link]
    assert len(links) == len(set(links)), f"a page is offered twice after the article: {links}"
    explore = section_links(body, "explore-heading")
    family = set(Page.objects.filter(language="da", family=Family.CELL).values_list("slug", flat=True))
    assert explore and not {link.strip("/").split("/")[1] for link in explore} & family
    assert "/da/genterapi/" in explore and "/da/vaevsterapi/" in explore


def test_ebvallo_explores_the_other_families_not_its_own(client):
    explore = section_links(client.get("/en/ebvallo/").content.decode(), "explore-heading")
    assert "/en/cell-therapy/" not in explore
    assert {"/en/gene-therapy/", "/en/tissue-therapy/", "/en/what-is-atmp/"} <= set(explore)
