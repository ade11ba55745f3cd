"""
An author's text cannot hold a worker through the link check (issue 22, F5 and F10).

The admin's form and live preview check an author's `page:` and `#anchor`
links and suggest the nearest slug. That check used to run before the length
cap and outside the render time limit, load every page's body, render every
linked page again, and compare each unknown slug with every slug on the site:
one ~129 kB save held a worker for 30 s, one preview on a 10,000-page site was
killed after 31 s. The check now runs after the cap, inside the time limit, on
an index of slugs. The bound asserted is generous (3 s) so the tests do not
depend on the machine's load; the old code took tens of seconds.
"""

import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from content.models import Page
from tests.support import html
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/content/page/add/"
LIVE_PREVIEW = "/admin/content/page/live-preview/?language=en&slug=new-page"
BOUND_SECONDS = 3


@pytest.fixture
def author(django_user_model):
    user = django_user_model.objects.create_user(
        "anna", "anna@hospital.example", "a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Author"))
    browser = Client(headers={"accept-language": "en"})
    browser.force_login(user)
    return browser


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def test_a_long_body_of_links_is_refused_for_its_length_at_once_and_kept(author):
    body = "".join(f"[x](page:no-such-pg-{n:04d}) " for n in range(5000)) + "[a](#a)"
    assert 125_000 < len(body) < 140_000
    form = read_form(author.get(ADD_URL).content.decode())
    form.update(title="Many links", slug="many-links", summary="A summary.", body=body, family="cell")
    form["top_level"] = "on"

    response, seconds = timed(author.post, ADD_URL, form)

    print(f"admin save of {len(body):,} characters: {response.status_code} in {seconds:.2f} s")
    assert seconds < BOUND_SECONDS
    assert response.status_code == 200  # the form again, with the reason
    text = html.text(response.content.decode())
    assert f"The text is too long: {len(body):,} characters. A page may have at most 100,000" in text
    assert "Did you mean" not in text  # nothing of the over-long text was checked
    assert body in response.content.decode()  # nothing lost
    assert not Page.objects.filter(slug="many-links").exists()


@pytest.fixture
def grown_site(db):
    """2,000 more English pages, as a grown site has (bulk_create: no render, fast)."""
    Page.objects.bulk_create(
        Page(
            language="en",
            title=f"Grown page {n}",
            slug=f"un-grown-page-{n:04d}",
            summary="A summary.",
            body="## Section\n\nText.",
            body_html='<h2 id="section">Section</h2><p>Text.</p>',
            status=Page.Status.PUBLISHED,
        )
        for n in range(2000)
    )


def test_a_preview_of_many_unknown_links_in_code_spans_answers_within_the_limit(author, grown_site):
    # Links in code spans render as text (fast), but the link check still reads them.
    text = "".join(f"`[x](page:un-known-page-{n:04d})` " for n in range(2800))
    assert len(text) < 100_000

    response, seconds = timed(author.post, LIVE_PREVIEW, {"content": text})

    print(f"preview of {len(text):,} characters on a grown site: {response.status_code} in {seconds:.2f} s")
    assert seconds < BOUND_SECONDS
    assert response.status_code == 200
    shown = html.text(response.content.decode())
    assert "page:un-known-page-0000: there is no page with this slug" in shown
    assert "Did you mean page:un-grown-page-" in shown  # a neighbour in the index of slugs


def test_anchors_of_linked_pages_are_read_from_what_they_stored(author, grown_site):
    text = "[right](page:un-grown-page-0001#section) and [wrong](page:un-grown-page-0002#sectoin)"

    response = author.post(LIVE_PREVIEW, {"content": text})

    shown = html.text(response.content.decode())
    assert "page:un-grown-page-0001#section" not in shown
    assert "page:un-grown-page-0002 has no section with the anchor #sectoin. Did you mean #section?" in shown
