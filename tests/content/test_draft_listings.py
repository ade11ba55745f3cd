"""
No public listing shows a draft (issue 15 item 2): breadcrumbs, menu, explore,
home, read next (children, related, pages linking here), pager, language
switcher, site map, sitemap.xml, search and JSON-LD; with stored pages on,
so a stored page never holds a draft's title either.
"""

import pytest

from content.models import Family, Page

pytestmark = pytest.mark.django_db


def draft(make_page, n, **fields):
    return make_page(title=f"Secret {n}", slug=f"secret-{n}", status=Page.Status.DRAFT, **fields)


def test_a_draft_in_every_position_of_every_listing_stays_hidden(client, make_page):
    car_t = Page.objects.get(slug="car-t")
    parent = draft(make_page, "parent", parent=car_t, family=Family.GENE)  # an ancestor
    page = make_page(title="Public child", slug="public-child", parent=parent, family=Family.GENE, order=5)
    draft(make_page, "menu", parent=Page.objects.get(slug="what-is-atmp"), family=Family.TISSUE)  # menu, explore
    draft(make_page, "child", parent=page, family=Family.GENE)  # read next, pager (next)
    draft(make_page, "sibling", parent=parent, family=Family.GENE, order=1)  # pager (previous)
    draft(make_page, "linker", parent=car_t, family=Family.GENE, body="[child](page:public-child)")  # links here
    page.related.add(draft(make_page, "related", parent=car_t, family=Family.GENE))
    danish = draft(make_page, "translation", language="da", parent=Page.objects.get(slug="celleterapi"))
    page.translation = danish
    page.save()

    paths = [
        "/en/public-child/", "/en/car-t/", "/en/what-is-atmp/", "/en/ebvallo/", "/en/", "/en/site-map/",
        "/sitemap.xml", "/en/search/?q=secret", "/da/", "/da/celleterapi/",
    ]  # fmt: skip
    for _ in range(2):  # rendered, then from the page cache
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            body = response.content.decode()
            assert "Secret" not in body and "secret-" not in body, path
    body = client.get("/en/public-child/").content.decode()
    assert "This page is not available in Danish yet" in body or "Denne side findes ikke på dansk endnu" in body
    crumbs = body.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert "/en/car-t/" in crumbs and "/en/public-child/" in crumbs
