"""
Seeding: `manage.py seed_site` is the one way pages and glossary terms get into
a new database; migrations only build the schema.

It creates what is missing and never touches what exists: run twice it does
nothing, an editor's change survives it, a page or term an editor deleted
stays deleted, and a new seed file reaches a database that already has the others.
"""

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from content import pagefiles
from content.models import Page, Source
from content.pagefiles import SEED_DIR
from glossary.models import Term
from search.models import SearchEntry
from tests.support.admin_form import read_form

# Every page file in content/seed/da and content/seed/en.
SEED_PAGES = sum(len(pagefiles.read_seed_pages(language)) for language in pagefiles.SEED_LANGUAGES)

ROOT = Path(__file__).resolve().parents[2]
APP_IMPORT = re.compile(r"^\s*(from|import)\s+(content|glossary|search|feedback|workflow|atmp_site)\b", re.M)


def seed(*args):
    out = __import__("io").StringIO()
    call_command("seed_site", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "page versions": Page.history.count(),
        "sources": Source.objects.count(),
        "source versions": Source.history.count(),
        "terms": Term.objects.count(),
        "search entries": SearchEntry.objects.count(),
    }


def test_data_migrations_import_no_app_code():
    offenders = []
    for path in sorted(ROOT.glob("*/migrations/0*.py")):
        text = path.read_text(encoding="utf-8")
        if "RunPython" in text and APP_IMPORT.search(text):
            offenders.append(f"{path.relative_to(ROOT)}: {APP_IMPORT.search(text).group(0).strip()}")
        if "import_module" in text or "importlib" in text:
            offenders.append(f"{path.relative_to(ROOT)}: imports another migration")
    assert offenders == []


@pytest.mark.slow
@pytest.mark.own_database
def test_a_fresh_migrate_builds_an_empty_site_and_seed_site_fills_it(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}

    def manage(*command):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM content_page").fetchone() == (0,)
    first = manage("seed_site")
    second = manage("seed_site")

    assert f"Seed: {SEED_PAGES} pages and" in first
    assert "created page celleterapi" in first and "created term celleterapi (da)" in first
    assert f"Seed: 0 pages and 0 glossary terms created; {SEED_PAGES} seed pages already here" in second
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM content_page WHERE status = 'published'").fetchone() == (SEED_PAGES,)
        # One version per page: created once, through Page.save().
        assert db.execute("SELECT count(*) FROM content_historicalpage").fetchone() == (SEED_PAGES,)


@pytest.mark.django_db
def test_seed_site_twice_changes_nothing_and_writes_no_history():
    before = counts()
    output = seed()
    assert counts() == before
    assert "Seed: 0 pages and 0 glossary terms created" in output


@pytest.mark.django_db
def test_seeded_pages_are_rendered_marked_paired_and_searchable(client):
    page = Page.objects.get(slug="celleterapi")
    assert page.translation.slug == "cell-therapy"
    assert Page.objects.get(slug="cell-therapy").translation_id == page.pk
    assert page.word_count > 0 and page.sections
    response = client.get("/da/celleterapi/", headers={"accept-language": "da"})
    assert response.status_code == 200
    assert 'class="glossary-term"' in page.body_html
    assert 'class="glossary-term"' in response.content.decode()
    results = client.get("/en/search/", {"q": "allogeneic"}).content.decode()
    assert "/en/autologous-and-allogeneic/" in results


@pytest.mark.django_db
def test_an_editors_change_in_the_admin_survives_seeding(staff_client):
    page = Page.objects.get(slug="gene-therapy")
    form = read_form(staff_client.get(f"/admin/content/page/{page.pk}/change/").content.decode())
    form["summary"] = "An editor rewrote this summary."
    response = staff_client.post(f"/admin/content/page/{page.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    term = Term.objects.get(language="en", slug="donor")
    Term.objects.filter(pk=term.pk).update(definition="An editor's definition.")

    before = counts()
    seed()

    assert Page.objects.get(slug="gene-therapy").summary == "An editor rewrote this summary."
    assert Term.objects.get(pk=term.pk).definition == "An editor's definition."
    assert counts() == before


@pytest.mark.django_db
def test_pages_and_terms_an_editor_deleted_or_renamed_stay_gone(staff_client):
    renamed = Page.objects.get(slug="tissue-therapy")
    renamed.slug = "tissue-engineering"
    renamed.save()
    leaf = Page.objects.get(slug="eksempel-ebvallo")
    response = staff_client.post(f"/admin/content/page/{leaf.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Page.objects.filter(slug="eksempel-ebvallo").exists()
    term = Term.objects.get(language="en", slug="gene")
    response = staff_client.post(f"/admin/glossary/term/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    output = seed()

    assert not Page.objects.filter(slug__in=["tissue-therapy", "eksempel-ebvallo"]).exists()
    assert not Term.objects.filter(language="en", slug="gene").exists()
    assert "Seed: 0 pages and 0 glossary terms created" in output


@pytest.mark.django_db
def test_a_new_seed_file_reaches_an_existing_database(tmp_path, client):
    seed_dir = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed_dir)
    (seed_dir / "en" / "hospital-visits.md").write_text(
        "---\n"
        'title: "Hospital visits"\n'
        "slug: hospital-visits\n"
        "language: en\n"
        "status: published\n"
        "parent: what-is-atmp\n"
        'summary: "What to expect at the hospital."\n'
        "---\n"
        "## Before the infusion\n\nRead about [cell therapy](page:cell-therapy) first. The cells come by infusion.\n",
        encoding="utf-8",
    )
    before = counts()

    output = seed("--seed-dir", str(seed_dir))

    assert "created page hospital-visits" in output
    assert f"Seed: 1 pages and 0 glossary terms created; {SEED_PAGES} seed pages already here" in output
    page = Page.objects.get(slug="hospital-visits")
    assert page.parent.slug == "what-is-atmp"
    assert list(page.linked_pages.values_list("slug", flat=True)) == ["cell-therapy"]
    assert counts()["page versions"] == before["page versions"] + 1
    body = client.get("/en/hospital-visits/").content.decode()
    assert "Before the infusion" in body and "/en/cell-therapy/" in body
    assert "#term-infusion" in page.body_html  # marked by the glossary in its one save
    assert "/en/hospital-visits/" in client.get("/en/search/", {"q": "hospital visits"}).content.decode()


@pytest.mark.django_db
def test_a_file_without_status_is_a_draft():
    # One loader, one default: a hand-written file never goes public by accident.
    from content.pagefiles import import_page_files, parse_page_file

    page_file = parse_page_file("---\ntitle: T\nslug: no-status\nsummary: S.\nlanguage: en\n---\nText.\n")
    import_page_files([("no-status.md", page_file)])
    assert Page.objects.get(slug="no-status").status == Page.Status.DRAFT
