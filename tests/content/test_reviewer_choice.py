"""
The reviewer of a page is chosen among the medical reviewers only (issue 15, item 5).

Before, an editor with no right to see users could post any user id as
`reviewed_by` and read that user's name (superusers included) in the reopened
form. Now the choice is the active members of the "Medical reviewer" group, and
an id from outside it is a form error that names nobody.
"""

import pytest
from django.contrib.auth.models import Group, Permission

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
def limited_editor(client, django_user_model):
    """An editor who may change pages and publish them, but not see users (the publisher's rights, no more)."""
    user = django_user_model.objects.create_user("limited-editor", password="a-long-test-password", is_staff=True)
    codenames = ["add_page", "change_page", "view_page", "add_source", "change_source", "view_source"]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="content", codename__in=codenames))
    user.user_permissions.add(Permission.objects.get(content_type__app_label="workflow", codename="publish_page"))
    client.force_login(user)
    return client


@pytest.fixture
def author(client, django_user_model):
    """An author: writes pages; the review record comes from a reviewer's approval only (issue 13)."""
    user = django_user_model.objects.create_user("an-author", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Author"))
    client.force_login(user)
    return client


def test_an_author_is_offered_no_reviewer_and_cannot_name_one(author, people):
    assert "dr-hansen" not in author.get(ADD_URL).content.decode()
    data = page_form(reviewed_by=str(people["outsider"].pk))
    response = author.post(ADD_URL, data)
    assert "secret-superuser-name" not in response.content.decode()
    page = Page.objects.filter(slug="stem-cell-transplant").first()
    assert page is None or page.reviewed_by is None


def test_the_form_offers_only_active_medical_reviewers(limited_editor, people):
    body = limited_editor.get(ADD_URL).content.decode()
    assert "Hanne Hansen" in body  # by full name, not username (issue 23)
    assert "dr-retired" not in body
    assert "secret-superuser-name" not in body


@pytest.mark.parametrize("who", ["outsider", "retired"])
def test_a_user_outside_the_group_is_a_form_error_that_names_nobody(limited_editor, people, who):
    user = people[who]
    response = limited_editor.post(ADD_URL, page_form(reviewed_by=str(user.pk)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in html.text(page)
    assert user.username not in page
    assert not Page.objects.filter(slug="stem-cell-transplant").exists()


def test_a_medical_reviewer_can_be_named(limited_editor, people):
    response = limited_editor.post(ADD_URL, page_form(reviewed_by=str(people["reviewer"].pk)))
    assert response.status_code == 302
    assert Page.objects.get(slug="stem-cell-transplant").reviewed_by == people["reviewer"]
