"""The "Was this page helpful?" form: anonymous, origin-checked, rate-limited, visible to editors."""

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from content.models import Page
from feedback.models import Feedback
from tests.support import html

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def empty_rate_limit_counters():
    for alias in ("default", "shared"):
        caches[alias].clear()
    yield
    for alias in ("default", "shared"):
        caches[alias].clear()


@pytest.fixture
def reader():
    # A browser-like client: Django's CSRF checks enforced, as in production.
    return Client(enforce_csrf_checks=True)


def send(client, slug="cell-therapy", origin=ORIGIN, ip="192.0.2.10", **fields):
    """POST an answer; HTTP_* keyword arguments are request headers, the rest form fields."""
    headers = {key: value for key, value in fields.items() if key.startswith("HTTP_")}
    data = {key: value for key, value in fields.items() if not key.startswith("HTTP_")}
    data.setdefault("helpful", "yes")
    headers["REMOTE_ADDR"] = ip
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post(f"/en/feedback/{slug}/", data, **headers)


def test_every_published_page_has_the_form_saying_no_personal_data_is_kept(reader):
    body = reader.get("/en/cell-therapy/").content.decode()
    forms = [form for form in html.tags(body, "form") if form.get("action") == "/en/feedback/cell-therapy/"]
    assert forms and forms[0]["method"] == "post"
    assert "We do not store your name, IP address or any other personal data" in html.text(body)
    assert html.tags(body, "legend")


def test_the_page_carries_no_per_reader_token_so_it_can_be_cached_for_everyone(reader):
    response = reader.get("/en/cell-therapy/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_an_answer_is_stored_and_the_reader_is_thanked_on_the_page(reader):
    response = send(reader, helpful="no", comment="  Too many long words.  ")
    assert response.status_code == 302
    assert response["Location"] == "/en/cell-therapy/?feedback=sent#feedback"
    answer = Feedback.objects.get()
    assert (answer.page.slug, answer.helpful, answer.comment) == ("cell-therapy", False, "Too many long words.")
    thanked = reader.get(response["Location"]).content.decode()
    assert "Thank you for your feedback" in html.text(thanked)


def test_a_referer_from_this_site_is_enough_when_there_is_no_origin_header(reader):
    response = send(reader, origin=None, HTTP_REFERER=f"{ORIGIN}/cell-therapy/")
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": None},
        {"origin": None, "HTTP_REFERER": "https://evil.example/cell-therapy/"},
        {"origin": ORIGIN, "HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_a_cross_site_post_is_refused_as_csrf_and_stores_nothing(reader, headers):
    response = send(reader, **headers)
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


@override_settings(FEEDBACK_RATE_LIMIT=3)
def test_the_rate_limit_stops_one_client_but_not_another(reader):
    statuses = [send(reader, ip="192.0.2.10").status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3
    assert send(reader, ip="198.51.100.7").status_code == 302
    assert Feedback.objects.count() == 4


@override_settings(FEEDBACK_RATE_LIMIT=1, FEEDBACK_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_limit_follows_the_forwarded_client(reader):
    assert send(reader, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10").status_code == 302
    assert send(reader, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10").status_code == 429
    # A client cannot escape by adding its own addresses to the left.
    assert send(reader, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.10").status_code == 429
    assert send(reader, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_the_ip_address_is_kept_nowhere_in_the_database(reader):
    send(reader, ip="203.0.113.77", comment="Helpful.")
    fields = {field.name for field in Feedback._meta.get_fields()}
    assert fields == {"id", "page", "helpful", "comment", "created_at"}
    assert "203.0.113.77" not in repr(list(Feedback.objects.values()))


@pytest.mark.parametrize("data", [{"helpful": "maybe"}, {"helpful": ""}, {"comment": "x" * 501}])
def test_a_bad_answer_or_a_too_long_comment_is_refused(reader, data):
    response = send(reader, **data)
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_drafts_take_no_feedback(reader, make_page):
    make_page(slug="a-draft", status=Page.Status.DRAFT)
    assert send(reader, slug="a-draft").status_code == 404
    assert "/en/feedback/a-draft/" not in reader.get("/a-draft/").content.decode()


def test_get_is_not_allowed(reader):
    assert reader.get("/en/feedback/cell-therapy/").status_code == 405


def test_editors_see_counts_and_recent_comments_per_page(reader, staff_client):
    for helpful, comment in [("yes", ""), ("yes", "Clear, thank you."), ("no", "What does infusion mean?")]:
        send(reader, helpful=helpful, comment=comment, ip=f"192.0.2.{len(comment)}")
    page = Page.objects.get(slug="cell-therapy")
    changelist = html.text(staff_client.get("/admin/feedback/pagefeedbacksummary/").content.decode())
    assert "Cell therapy 2 1 2" in changelist
    change = html.text(staff_client.get(f"/admin/feedback/pagefeedbacksummary/{page.pk}/change/").content.decode())
    assert "What does infusion mean?" in change and "Clear, thank you." in change
