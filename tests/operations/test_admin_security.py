"""The admin's door: brute-force lockout (django-axes) and an address set by the environment."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from tests.operations.test_operations import run_django
from tests.support import html

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "the-right-long-password"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def sign_in(client, password):
    return client.post(LOGIN_URL, {"username": "editor", "password": password, "next": "/admin/"})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, editor):
    for attempt in range(1, 5):
        response = sign_in(client, f"guess-{attempt}")
        assert response.status_code == 200, f"attempt {attempt} should just be refused"
        assert "Please enter the correct username and password" in html.text(response.content.decode())
    fifth = sign_in(client, "guess-5")
    assert fifth.status_code == 429

    response = sign_in(client, PASSWORD)
    message = html.text(response.content.decode())
    print(f"lockout: status {response.status_code}: {message[message.find('Sign-in locked') :][:200]}")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in message
    assert "locked for 15 minutes, even with the right password" in message
    assert SESSION_KEY not in client.session


def test_the_right_password_works_again_once_the_cool_off_has_passed(client, editor, settings):
    for attempt in range(5):
        sign_in(client, f"guess-{attempt}")
    assert sign_in(client, PASSWORD).status_code == 429
    # Let the cool-off time pass: the failures now lie further back than it.
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME * 1.1)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(editor.pk)


def test_a_lockout_of_one_editor_does_not_lock_out_another(client, editor, django_user_model):
    django_user_model.objects.create_user("reviewer", password=PASSWORD, is_staff=True)
    for attempt in range(5):
        sign_in(client, f"guess-{attempt}")
    response = client.post(LOGIN_URL, {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302


def test_a_very_long_user_name_is_refused_not_a_server_error(client):
    response = client.post(LOGIN_URL, {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 200


@pytest.mark.slow
def test_the_admin_address_comes_from_the_environment():
    # /admin/ is then an ordinary page address (a slug nobody may use), not the admin.
    code = (
        "from django.test import Client; from django.urls import resolve; r = Client().get('/redaktion-7f3a/'); "
        "print(resolve('/da/admin/').view_name, r.status_code, r['Location'])"
    )
    result = run_django(
        code,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_ADMIN_PATH="redaktion-7f3a",
    )
    old, new, location = result.stdout.split()[-3:] or (result.stderr, "", "")
    assert (old, new) == ("content:page", "302"), result.stderr
    assert location.startswith("/redaktion-7f3a/login/")
