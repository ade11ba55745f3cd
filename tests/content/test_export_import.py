"""Pages as files: export, import, and a byte-identical round trip."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from content.models import Page, Source
from content.pagefiles import SEED_DIR, parse_page_file

pytestmark = pytest.mark.django_db


def files(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.md"))}


@pytest.fixture
def rich_page(make_page, django_user_model):
    """A page using every field a file carries, including odd input an editor's browser sends."""
    reviewer = django_user_model.objects.create_user("dr-hansen", is_staff=True)
    page = make_page(
        title="Costs: who pays?",
        slug="costs",
        summary="  Who pays for ATMP treatment in Denmark.  ",
        body="\r\n\r\n## Costs\r\n\r\nThe hospital pays — not you.\r\n\r\nSee [CAR-T](page:car-t).\r\n\r\n",
        family="cell",
        parent=Page.objects.get(slug="cell-therapy"),
        order=7,
        last_reviewed=datetime.date(2026, 3, 1),
        reviewed_by=reviewer,
        publish_at=timezone.now() + datetime.timedelta(days=2),
    )
    page.related.set(Page.objects.filter(slug__in=["car-t", "ebvallo"]))
    page.unpublished_changes = {"title": "Costs", "summary": "Who pays.", "body": "## Costs\r\n\r\nDraft text.\r\n"}
    page.save()
    Source.objects.create(
        page=page, title="Prices", publisher="Amgros", url="https://amgros.dk/", accessed="2026-03-01"
    )
    return page


def test_export_import_export_is_byte_identical(tmp_path, rich_page):
    call_command("export_pages", tmp_path / "first")
    call_command("import_pages", tmp_path / "first")
    call_command("export_pages", tmp_path / "second")
    first, second = files(tmp_path / "first"), files(tmp_path / "second")
    # 17 English, 17 Danish (7 + issue 14's 6 + issue 21's 4 each), 1 made here
    assert len(first) == Page.objects.count() == 35
    assert first == second


def test_the_export_carries_every_field_and_the_sources(tmp_path, rich_page):
    call_command("export_pages", tmp_path)
    page_file = parse_page_file((tmp_path / "costs.md").read_text(encoding="utf-8"))
    meta = page_file.meta
    assert meta["title"] == "Costs: who pays?" and meta["parent"] == "cell-therapy" and meta["order"] == 7
    assert meta["related"] == ["car-t", "ebvallo"] and meta["reviewed_by"] == "dr-hansen"
    assert meta["last_reviewed"] == datetime.date(2026, 3, 1) and meta["next_review_due"] == rich_page.next_review_due
    assert meta["draft"]["body"] == "## Costs\n\nDraft text.\n"
    assert page_file.sources == [
        {"title": "Prices", "publisher": "Amgros", "url": "https://amgros.dk/", "accessed": datetime.date(2026, 3, 1)}
    ]
    assert page_file.body.startswith("## Costs\n")


def test_import_creates_and_updates_pages_from_files(tmp_path, rich_page):
    call_command("export_pages", tmp_path)
    rich_page.delete()
    edited = (tmp_path / "car-t.md").read_text(encoding="utf-8").replace("## What CAR-T is", "## What CAR-T means")
    (tmp_path / "car-t.md").write_text(edited, encoding="utf-8")

    call_command("import_pages", tmp_path)

    costs = Page.objects.get(slug="costs")
    assert costs.parent.slug == "cell-therapy" and costs.reviewed_by.username == "dr-hansen"
    assert list(costs.sources.values_list("publisher", flat=True)) == ["Amgros"]
    assert costs.unpublished_changes["summary"] == "Who pays."
    car_t = Page.objects.get(slug="car-t")
    assert "## What CAR-T means" in car_t.body
    assert car_t.history.order_by("-history_date").first().history_change_reason == "Imported from a page file"


def test_the_seed_files_import_unchanged(capsys):
    call_command("import_pages", SEED_DIR / "en")
    call_command("import_pages", SEED_DIR / "da")
    assert set(capsys.readouterr().out.split()) == {"unchanged", *Page.objects.values_list("slug", flat=True)}


def test_a_bad_file_imports_nothing_and_says_which(tmp_path):
    call_command("export_pages", tmp_path)
    good = (tmp_path / "car-t.md").read_text(encoding="utf-8")
    (tmp_path / "car-t.md").write_text(good.replace("## What CAR-T is", "## Changed"), encoding="utf-8")
    (tmp_path / "zz-broken.md").write_text(
        "---\ntitle: Broken\nslug: broken\nsummary: x\n---\nSee [nothing](page:no-such-page).\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="zz-broken.md: body: .*page:no-such-page"):
        call_command("import_pages", tmp_path)
    assert not Page.objects.filter(slug="broken").exists()
    assert "## Changed" not in Page.objects.get(slug="car-t").body


def test_a_bad_slug_is_refused(tmp_path):
    (tmp_path / "x.md").write_text("---\ntitle: X\nslug: Not A Slug\nsummary: x\n---\nText.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="x.md: slug"):
        call_command("import_pages", tmp_path)
