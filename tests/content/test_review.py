"""Review dates, reviewer and sources: public page, admin filters, review_report."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from content.models import Page, Source
from tests.conftest import approved
from tests.support import html

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def set_review(slug, next_due):
    page = Page.objects.get(slug=slug)
    page.next_review_due = next_due
    page.save()
    return page


def test_the_public_page_shows_review_dates_and_sources(django_user_model):
    page = Page.objects.get(slug="car-t")
    approved(
        page,
        django_user_model.objects.create_user("dr-dates", first_name="Dina", last_name="Dahl"),
        page.last_reviewed,
    )
    text = html.text(Client().get("/en/car-t/").content.decode())
    assert "Page last reviewed" in text and "Next review due" in text
    assert page.next_review_due.strftime("%-d %B %Y") in text
    for source in page.sources.all():
        assert source.title in text and source.publisher in text


def test_next_review_defaults_to_the_configured_interval(make_page, settings):
    settings.CONTENT_REVIEW_INTERVAL_DAYS = 180
    page = make_page(last_reviewed=datetime.date(2026, 1, 1))
    assert page.next_review_due == datetime.date(2026, 6, 30)


def test_the_reviewer_is_recorded(make_page, django_user_model):
    reviewer = django_user_model.objects.create_user("dr-hansen", is_staff=True)
    page = make_page(last_reviewed=TODAY, reviewed_by=reviewer)
    assert Page.objects.get(pk=page.pk).reviewed_by == reviewer
    assert page.history.order_by("-history_date").first().reviewed_by_id == reviewer.pk


def test_admin_filters_review_overdue_and_due_in_30_days(staff_client):
    set_review("car-t", TODAY - datetime.timedelta(days=1))
    set_review("ebvallo", TODAY + datetime.timedelta(days=20))
    set_review("gene-therapy", TODAY + datetime.timedelta(days=40))

    def listed(review):
        content = staff_client.get("/admin/content/page/", {"review": review}).content.decode()
        pks = {int(pk) for pk in re.findall(r"/admin/content/page/(\d+)/change/", content)}
        return set(Page.objects.filter(pk__in=pks).values_list("slug", flat=True)), html.text(content)

    overdue, overdue_text = listed("overdue")
    soon, _ = listed("soon")
    assert overdue == {"car-t"}
    assert soon == {"ebvallo"}
    assert "Review overdue since" in overdue_text  # the content-check column says why


def test_review_report_lists_pages_and_exits_non_zero_when_any_is_overdue(capsys):
    call_command("review_report")  # the seed pages are fresh: no error
    assert "Review overdue: 0" in capsys.readouterr().out

    set_review("ebvallo", TODAY + datetime.timedelta(days=10))
    set_review("car-t", TODAY - datetime.timedelta(days=3))
    with pytest.raises(CommandError) as raised:
        call_command("review_report")
    out = capsys.readouterr().out
    assert raised.value.returncode == 1
    assert "Review overdue: 1" in out and "car-t" in out
    assert "Review due within 30 days: 1" in out and "ebvallo" in out


def test_a_source_needs_title_publisher_url_and_access_date(make_page):
    page = make_page()
    source = Source(page=page, title="", publisher="", url="not a url")
    with pytest.raises(Exception) as raised:
        source.full_clean()
    assert set(raised.value.message_dict) == {"title", "publisher", "url", "accessed"}
