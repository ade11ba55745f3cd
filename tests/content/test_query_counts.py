"""
A reader's request costs a small, fixed number of queries, whatever the size of the site.

Each page type is counted on the seed site grown by 5 pages and again by 30
more (children, siblings, pages linking here, related pages, all listed on
the measured pages), each time the first view after the edits: the count
must not change, and stays within a small bound.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Family, Page

pytestmark = pytest.mark.django_db

# A rendered page's count includes one indexed query for the pages patients come for
# (content/templatetags/navigation.py), in the menu of every page and on the home page (issue 23).
PAGES = {
    # Stored when published (content.publishing): one read, also right after an edit.
    "home": ("/en/", 1),
    "page with parent and children": ("/en/cell-therapy/", 1),
    "page deep in the tree": ("/en/ebvallo/", 1),
    "translated page": ("/da/celleterapi/", 1),
    "site map": ("/en/site-map/", 1),
    "glossary": ("/en/glossary/", 1),
    # Rendered per request: the search, its pages, the menu.
    "search": ("/en/search/?q=cell", 7),
}


def grow(count, start):
    """`count` more pages that the measured pages list: children, links to them, related pages."""
    cell, ebvallo = Page.objects.get(slug="cell-therapy"), Page.objects.get(slug="ebvallo")
    celleterapi = Page.objects.get(slug="celleterapi")
    for n in range(start, start + count):
        page = Page(
            title=f"Extra page {n}", slug=f"extra-{n}", summary="More.", family=Family.CELL, language="en",
            body="See [cell therapy](page:cell-therapy).", parent=cell if n % 2 else ebvallo, status="published",
        )  # fmt: skip
        page.save()
        ebvallo.related.add(page)
        Page(
            title=f"Ekstra side {n}", slug=f"ekstra-{n}", summary="Mere.", family=Family.CELL, language="da",
            body="Se [celleterapi](page:celleterapi).", parent=celleterapi, status="published",
        ).save()  # fmt: skip


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.slow  # saves and publishes 70 pages one by one: ~25 s on SQLite, ~70 s on PostgreSQL
def test_the_query_count_of_each_page_type_does_not_grow_with_the_site(client, django_assert_num_queries):
    grow(5, 0)
    small = {kind: queries(client, path) for kind, (path, _) in PAGES.items()}
    assert small == {kind: min(count, PAGES[kind][1]) for kind, count in small.items()}, "more than the bound"
    grow(30, 5)
    for kind, (path, _) in PAGES.items():
        with django_assert_num_queries(small[kind]):
            client.get(path)


def test_the_admin_page_list_reads_stored_figures_and_does_no_work_per_row(staff_client):
    # Before, each row rendered its checks (a query for its cross-links): the count grew with the rows.
    grow(2, 100)
    small = queries(staff_client, "/admin/content/page/")
    grow(10, 102)
    after = queries(staff_client, "/admin/content/page/")
    assert after == small
    body = staff_client.get("/admin/content/page/").content.decode()
    assert "LIX" in body and "No sources" in body  # the generated pages have none
