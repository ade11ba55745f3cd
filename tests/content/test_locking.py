"""Two editors on one page: the second save is refused, nothing is lost (django-concurrency)."""

import pytest
from concurrency.exceptions import RecordModifiedError
from django.db import transaction
from django.test import Client

from content.models import Page
from tests.support import html
from tests.support.admin_form import read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(django_user_model):
    clients = []
    for name in ("anna", "bo"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-test-password",
                                                     is_staff=True, is_superuser=True)  # fmt: skip
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        clients.append(client)
    return clients


def change_url(page):
    return f"/admin/content/page/{page.pk}/change/"


def test_the_second_of_two_concurrent_saves_is_refused_and_both_texts_survive(two_editors):
    anna, bo = two_editors
    page = Page.objects.get(slug="car-t")
    anna_form = read_form(anna.get(change_url(page)).content.decode())
    bo_form = read_form(bo.get(change_url(page)).content.decode())

    bo_form["body"] = bo_form["body"] + "\n\nBo's new paragraph about side effects.\n"
    assert bo.post(change_url(page), bo_form).status_code == 302

    anna_form["body"] = anna_form["body"] + "\n\nAnna's paragraph about costs.\n"
    response = anna.post(change_url(page), anna_form)

    assert response.status_code == 200  # the form again, not a redirect
    page.refresh_from_db()
    assert "Bo's new paragraph about side effects." in page.body
    assert "Anna's paragraph" not in page.body
    content = response.content.decode()
    text = html.text(content)
    assert "Not saved: someone else saved this page after you opened it" in text
    assert "bo saved version" in text
    # What Bo changed, as a diff; next to the body field a message too.
    assert "<ins>Bo&#x27;s new paragraph about side effects.</ins>" in content
    assert "Another editor changed this after you opened the page" in text
    # What Anna typed is still in her form.
    assert "Anna&#x27;s paragraph about costs." in content


def test_a_stale_model_save_is_refused_by_the_database_check():
    first = Page.objects.get(slug="car-t")
    second = Page.objects.get(slug="car-t")
    first.summary = "Saved first."
    first.save()
    second.summary = "Saved second, from an old copy."
    with pytest.raises(RecordModifiedError), transaction.atomic():
        second.save()
    assert Page.objects.get(slug="car-t").summary == "Saved first."


def test_each_save_raises_the_version_by_one(make_page):
    page = make_page()
    start = page.version
    page.body = "Changed."
    page.save()
    assert page.version == start + 1
    assert Page.objects.get(pk=page.pk).version == start + 1


def test_a_tampered_version_is_refused(staff_client):
    page = Page.objects.get(slug="car-t")
    form = read_form(staff_client.get(change_url(page)).content.decode())
    form["version"] = "999999"  # unsigned: could skip the check if accepted
    form["body"] = "Overwritten."
    response = staff_client.post(change_url(page), form)
    assert response.status_code == 400
    assert "Overwritten." not in Page.objects.get(pk=page.pk).body
