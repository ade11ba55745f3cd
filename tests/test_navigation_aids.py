"""Previous/next within an ATMP family, and "Pages that link here"."""

import pytest

from content.models import Family, Page
from tests import html

pytestmark = pytest.mark.django_db


def pager(body):
    return {tag["rel"]: tag["href"] for tag in html.tags(body, "a") if tag.get("rel") in {"prev", "next"}}


def backlinks(body):
    if "Pages that link here" not in body:
        return None
    section = body.split('id="backlinks-heading"', 1)[1].split("</section>", 1)[0]
    return html.links(section)


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


def test_pages_that_link_here_lists_the_published_pages_linking_to_this_one(client, make_page):
    target = make_page(slug="target", title="Target")
    make_page(slug="linker", title="Linker", body="See [the target](page:target).")
    make_page(slug="draft-linker", title="Draft linker", body="[t](page:target)", status=Page.Status.DRAFT)
    assert backlinks(client.get("/en/target/").content.decode()) == ["/en/linker/"]
    assert backlinks(client.get("/en/linker/").content.decode()) is None
    # Removing the link removes the backlink.
    linker = Page.objects.get(slug="linker")
    linker.body = "No link now."
    linker.save()
    assert backlinks(client.get(target.get_absolute_url()).content.decode()) is None


def test_seed_pages_show_their_backlinks(client):
    links = backlinks(client.get("/en/car-t/").content.decode())
    assert "/en/cell-therapy/" in links and "/en/autologous-and-allogeneic/" in links
