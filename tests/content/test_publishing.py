"""
The publishing contract: after any editor action, the next anonymous reader
sees the change; nothing one release stored is served by another; nothing
stored carries a session or a CSRF token; a 304 carries the security headers.

Readers here are cookie-less test clients, so they get the stored pages
(content.delivery) exactly as production readers do.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Page, RenderedPage, Source
from content.publishing import release
from glossary.models import Term
from tests.support import html
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def reader_sees(path):
    """What a new reader gets: the text of the page, and whether it came from the stored pages."""
    response = Client(headers={"accept-language": "en"}).get(path)
    assert response.status_code == 200, path
    return html.text(response.content.decode())


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


def admin_edit(browser, page, **changes):
    form = read_form(browser.get(change_url(page)).content.decode())
    form.update(changes)
    response = browser.post(change_url(page), form, follow=True)
    assert response.status_code == 200
    return response


def test_a_stored_page_is_served_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/en/cell-therapy/")
    assert response.status_code == 200 and response.stored_page
    assert "Cell therapy" in html.text(response.content.decode())


def test_a_publishers_admin_save_shows_at_once_on_the_page_and_where_it_is_listed(people):
    page = Page.objects.get(slug="ebvallo")
    admin_edit(people["publisher"], page, title="Ebvallo (tabelecleucel)", summary="A new summary for readers.")
    assert "A new summary for readers." in reader_sees("/en/ebvallo/")
    # Listed in the site map: it shows the new title too.
    assert "Ebvallo (tabelecleucel)" in reader_sees("/en/site-map/")


def test_an_approval_publishes_the_approved_text(people):
    page = Page.objects.get(slug="car-t")
    admin_edit(people["author"], page, body=page.body + "\n\nAsk about fever.\n", _submit_review="1")
    assert "Ask about fever." not in reader_sees("/en/car-t/")
    review = f"/admin/workflow/reviewrequest/{page_review(page)}/review/"
    people["reviewer"].post(review, {"_approve": "1", "comment": ""})
    text = reader_sees("/en/car-t/")
    assert "Ask about fever." in text and "Medically reviewed by Rikke Holm" in text


def page_review(page):
    from workflow.models import ReviewRequest

    return ReviewRequest.open_for(page).pk


def test_a_scheduled_publication_shows_once_publish_due_runs(make_page):
    page = make_page(slug="soon", title="Soon", status=Page.Status.DRAFT, parent=Page.objects.get(slug="car-t"))
    Source.objects.create(
        page=page, title="EMA", publisher="EMA", url="https://www.ema.europa.eu/", accessed="2026-12-01"
    )
    Page.objects.filter(pk=page.pk).update(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    assert Client().get("/en/soon/").status_code == 404
    call_command("publish_due", verbosity=0)
    assert "Soon" in reader_sees("/en/soon/")
    assert "Soon" in reader_sees("/en/car-t/")  # listed under "Read next" by its parent


def test_a_deleted_page_is_gone_from_readers_and_from_the_pages_that_listed_it(people, make_page):
    page = make_page(slug="going", title="Going away", parent=Page.objects.get(slug="car-t"))
    assert "Going away" in reader_sees("/en/car-t/")
    people["publisher"].post(f"/admin/content/page/{page.pk}/delete/", {"post": "yes"})
    assert Client().get("/en/going/").status_code == 404
    assert "Going away" not in reader_sees("/en/car-t/")


def test_a_source_a_related_page_and_a_glossary_term_show_at_once(make_page):
    page = Page.objects.get(slug="ebvallo")
    Source.objects.create(
        page=page, title="A brand new source", publisher="EMA", url="https://x.example/", accessed="2026-12-01"
    )
    assert "A brand new source" in reader_sees("/en/ebvallo/")
    other = make_page(slug="related-one", title="Related one", parent=Page.objects.get(slug="what-is-atmp"))
    page.related.add(other)
    assert "Related one" in reader_sees("/en/ebvallo/")
    term = Term.objects.filter(language="en", term="EBV").first() or Term.objects.filter(language="en").first()
    term.definition = "A definition changed a moment ago."
    term.save()
    assert "A definition changed a moment ago." in reader_sees("/en/glossary/")


def test_restoring_an_old_version_of_a_published_page_changes_nothing_readers_see(people, make_page):
    # A restore of a published page is a draft of changes for review: the public page stays as published.
    page = make_page(slug="restorable", title="Restorable", body="First words.", sourced=True)
    page.body = "Second words."
    page.save()
    first = page.history.order_by("history_date").first()
    people["publisher"].post(f"/admin/content/page/{page.pk}/history/{first.history_id}/restore/")
    page.refresh_from_db()
    assert page.unpublished_changes["body"] == "First words."
    text = reader_sees("/en/restorable/")
    assert "Second words." in text and "First words." not in text


def test_a_page_rendered_by_another_release_is_never_served(client):
    path = "/en/cell-therapy/"
    RenderedPage.objects.filter(path=path).update(release="0" * 16, html="<p>old release</p>")
    response = client.get(path)
    assert response.status_code == 200 and "old release" not in response.content.decode()
    assert not getattr(response, "stored_page", False)  # rendered live until published again


def test_an_edit_takes_the_edited_page_from_a_container_still_running_the_older_release():
    # A rolling deploy: an older container serves its own release's rows while this one publishes.
    older = "0" * 16
    for stored in RenderedPage.objects.filter(release=release(), path__in=["/en/ebvallo/", "/en/gene-therapy/"]):
        stored.pk, stored.release = None, older
        stored.save()
    page = Page.objects.get(slug="ebvallo")
    page.body += "\n\nA sentence added after the deploy."
    page.save()
    kept = set(RenderedPage.objects.filter(release=older).values_list("path", flat=True))
    # The older container renders the edited page live now; a page the edit did not touch it may still serve.
    assert kept == {"/en/gene-therapy/"}


def test_nothing_stored_carries_a_session_or_a_csrf_token(client):
    assert RenderedPage.objects.filter(release=release()).count() >= 26
    for stored in RenderedPage.objects.filter(release=release()):
        assert "csrfmiddlewaretoken" not in stored.html and "sessionid" not in stored.html
    response = client.get("/en/cell-therapy/")
    assert not response.cookies


def test_a_304_carries_the_security_headers(client):
    first = client.get("/en/cell-therapy/")
    again = client.get("/en/cell-therapy/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Resource-Policy",
    ):
        assert again.has_header(header), header
    assert again["ETag"] == first["ETag"]


def test_a_page_that_asks_for_gzip_gets_it_and_the_same_text(client):
    import gzip

    plain = client.get("/en/cell-therapy/").content
    packed = client.get("/en/cell-therapy/", headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == plain


def test_an_admin_save_of_a_page_or_a_term_costs_at_most_30_queries_with_its_publication(people, monkeypatch):
    # Everything the request sends: the editor's session, the form's checks, the save with its
    # history, search entry and audit, and the publication of every stored page it changes.
    from content import publishing

    rendered = []
    store = publishing.store
    monkeypatch.setattr(publishing, "store", lambda paths: rendered.extend(paths) or store(paths))
    publisher = people["publisher"]

    def admin_save(url, form_id, **changes):
        form = read_form(publisher.get(url).content.decode(), form_id)
        form.update(changes)
        rendered.clear()
        with CaptureQueriesContext(connection) as queries:
            response = publisher.post(url, form)
        assert response.status_code == 302, "saved"
        return len(as_in_production(queries.captured_queries))

    page = Page.objects.get(slug="ebvallo")
    form = read_form(publisher.get(change_url(page)).content.decode())
    assert admin_save(change_url(page), "page_form", body=form["body"] + "\n\nOne more line.") <= SAVE_QUERIES
    assert rendered == ["/en/ebvallo/"]
    # Listed on other pages: ten stored pages in two languages are rendered again.
    assert admin_save(change_url(page), "page_form", summary="A new summary.") <= SAVE_QUERIES
    assert len(rendered) >= 10
    term = Term.objects.get(language="en", slug="autologous")
    url = f"/admin/glossary/term/{term.pk}/change/"
    assert admin_save(url, "term_form", definition=term.definition + " More.", _publish="1") <= SAVE_QUERIES
    term.refresh_from_db()
    term.definition += " Again."
    rendered.clear()
    with CaptureQueriesContext(connection) as queries:
        term.save()  # outside the admin: the pages that print it are rendered in its transaction
    assert len(as_in_production(queries.captured_queries)) <= SAVE_QUERIES
    assert {"/en/glossary/", "/en/cell-therapy/"} <= set(rendered)  # the glossary and a page that prints it


SAVE_QUERIES = 30


def as_in_production(queries):
    """
    The queries without the savepoint pair of the outermost transaction: the
    test's own transaction turns the request's into a savepoint, which in
    production is the transaction's start and end (not sent as statements).
    """
    first = next((query["sql"] for query in queries if query["sql"].startswith("SAVEPOINT ")), None)
    if first is None:
        return queries
    outer = {first, "RELEASE " + first}
    return [query for query in queries if query["sql"] not in outer]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="another process shares the test database on PostgreSQL")
def test_an_edit_made_in_another_process_is_what_the_next_reader_here_gets():
    call_command("seed_site", verbosity=0)
    assert "Edited elsewhere" not in reader_sees("/en/ebvallo/")
    settings_dict = connection.settings_dict
    url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    script = (
        "from content.models import Page; p = Page.objects.get(slug='ebvallo'); "
        "p.summary = 'Edited elsewhere.'; p.save()"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "atmp_site.test_settings"}
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, timeout=120)
    assert "Edited elsewhere." in reader_sees("/en/ebvallo/")


def test_an_edit_renders_again_only_the_stored_pages_that_show_the_edited_page(make_page):
    page = make_page(slug="leaf", title="A leaf page", parent=Page.objects.get(slug="ebvallo"))
    before = dict(RenderedPage.objects.filter(release=release()).values_list("path", "etag"))
    page.body = "New words on the leaf."
    page.save()
    after = dict(RenderedPage.objects.filter(release=release()).values_list("path", "etag"))
    changed = {path for path in after if after[path] != before.get(path)}
    assert "/en/leaf/" in changed
    # The Danish pages do not show it, nor do most English ones: they were left as stored.
    assert not any(path.startswith("/da/") for path in changed)
    assert len(changed) < len(after) / 4


def test_a_change_that_reaches_many_pages_never_leaves_a_stale_one(settings, monkeypatch):
    from content import publishing

    monkeypatch.setattr(publishing, "RENDER_NOW", 3)
    monkeypatch.setattr(publishing, "render_in_background", lambda paths: None)  # as if not yet done
    menu_page = Page.objects.get(slug="cell-therapy")  # in every English page's menu
    menu_page.title = "Cell therapy, renamed"
    menu_page.save()
    for path in ["/en/", "/en/car-t/", "/en/ebvallo/", "/en/side-effects/"]:
        assert "Cell therapy, renamed" in reader_sees(path), path
    # What was not rendered yet is answered live meanwhile, then stored by render_pages.
    missing = RenderedPage.objects.filter(release=release()).count()
    call_command("render_pages", "--missing", verbosity=0)
    assert RenderedPage.objects.filter(release=release()).count() > missing
    assert "Cell therapy, renamed" in reader_sees("/en/car-t/")


def test_a_seeded_site_has_no_false_broken_cross_link_warnings():
    # Seeding creates pages one by one: a link to a page created later was counted as broken (issue 23, #12).
    warned = [
        page.slug for page in Page.objects.all() if any(w[0] == "broken_cross_link" for w in page.quality_warnings)
    ]
    assert warned == []
    # And the cross-links are recorded, so a page lists the pages that link to it.
    assert Page.objects.get(slug="ebvallo").linked_from.filter(slug="side-effects").exists()


def test_a_new_overview_page_shows_at_once_in_the_menu_of_every_page(make_page):
    # A child of a top-level page is in every page's menu and "Explore" (issue 24's proportionality must not miss it).
    make_page(slug="life-after", title="Life after cell therapy", parent=Page.objects.get(slug="what-is-atmp"))
    for path in ["/en/gene-therapy/", "/en/ebvallo/", "/en/"]:
        assert "Life after cell therapy" in reader_sees(path), path
