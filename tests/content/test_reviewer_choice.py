"""
The reviewer of a page is set by a medical reviewer's approval only (issue 15
item 5, issue 22 F4): no form offers a choice of reviewer or review date, so
nobody can name a user (or read a user's name) through it, and no publisher can
put a clinician's name on text they did not approve.
"""

import pytest
from django.contrib.auth.models import Group

from content.models import Page
from tests.content.test_editing import ADD_URL, page_form
from tests.support import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    group, _ = Group.objects.get_or_create(name="Medical reviewer")  # made by the workflow migration
    reviewer = django_user_model.objects.create_user("dr-hansen", first_name="Hanne", last_name="Hansen")
    retired = django_user_model.objects.create_user("dr-retired", is_active=False)
    outsider = django_user_model.objects.create_user("secret-superuser-name", is_staff=True, is_superuser=True)
    group.user_set.add(reviewer, retired)
    return {"reviewer": reviewer, "retired": retired, "outsider": outsider}


@pytest.fixture
def limited_editor(log_in_staff):
    """An editor who may change pages and publish them, but not see users (the publisher's rights, no more)."""
    pages = ["add_page", "change_page", "view_page", "add_source", "change_source", "view_source"]
    return log_in_staff(
        "limited-editor", permissions=[f"content.{name}" for name in pages] + ["workflow.publish_page"]
    )


def test_an_author_is_offered_no_reviewer_and_cannot_name_one(author_client, people):
    assert "dr-hansen" not in author_client.get(ADD_URL).content.decode()
    data = page_form(reviewed_by=str(people["outsider"].pk))
    response = author_client.post(ADD_URL, data)
    assert "secret-superuser-name" not in response.content.decode()
    page = Page.objects.filter(slug="stem-cell-transplant").first()
    assert page is None or page.reviewed_by is None


@pytest.mark.parametrize("who", ["reviewer", "outsider", "retired"])
def test_a_publisher_cannot_name_a_reviewer_or_a_review_date_either(limited_editor, people, who):
    # Issue 22, F4: the review record comes from an approval only, for every role. A posted
    # reviewer (even a real medical reviewer) and date are ignored, and nobody is named.
    user = people[who]
    body = limited_editor.get(ADD_URL).content.decode()
    assert "dr-hansen" not in body and "secret-superuser-name" not in body
    data = page_form(reviewed_by=str(user.pk), last_reviewed="2026-12-01")
    response = limited_editor.post(ADD_URL, data)
    assert response.status_code == 302
    page = Page.objects.get(slug="stem-cell-transplant")
    assert page.reviewed_by is None and page.last_reviewed is None
    assert (
        "Not yet medically approved" in html.text(limited_editor.get(page.get_absolute_url()).content.decode())
        or not page.is_published
    )
