"""The admin's door: brute-force lockout (django-axes) and an address set by the environment."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.test import Client

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


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("rev1", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Medical reviewer"))
    return user


def browser_at(address, **headers):
    return Client(REMOTE_ADDR=address, headers={"accept-language": "en", **headers})


def test_wrong_passwords_from_one_address_do_not_lock_the_reviewer_out_elsewhere(reviewer):
    # Issue 22, F6: five wrong passwords every 15 minutes kept a reviewer out for good.
    stranger, hospital = browser_at("203.0.113.7"), browser_at("198.51.100.20")
    for attempt in range(5):
        stranger.post(LOGIN_URL, {"username": "rev1", "password": f"guess-{attempt}"})
    assert stranger.post(LOGIN_URL, {"username": "rev1", "password": PASSWORD}).status_code == 429

    response = hospital.post(LOGIN_URL, {"username": "rev1", "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302
    assert hospital.session[SESSION_KEY] == str(reviewer.pk)


def test_many_failures_from_one_address_lock_that_address_whatever_the_user_names(reviewer, settings):
    stranger = browser_at("203.0.113.7")
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):  # four tries each for many user names: no name is locked
        response = stranger.post(LOGIN_URL, {"username": f"name-{attempt // 4}", "password": "wrong"})
        assert response.status_code == 200, f"attempt {attempt + 1} should just be refused"
    assert stranger.post(LOGIN_URL, {"username": "yet-another", "password": "wrong"}).status_code == 429
    # Locked as a whole, even for a real account with its right password; the reviewer elsewhere is not.
    assert stranger.post(LOGIN_URL, {"username": "rev1", "password": PASSWORD}).status_code == 429
    assert browser_at("198.51.100.20").post(LOGIN_URL, {"username": "rev1", "password": PASSWORD}).status_code == 302


def test_a_success_at_an_address_does_not_clear_its_other_failures(reviewer, settings):
    # Else one account of one's own would reset the address's count every few guesses.
    stranger = browser_at("203.0.113.7")
    for attempt in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        stranger.post(LOGIN_URL, {"username": f"name-{attempt // 4}", "password": "wrong"})
    assert stranger.post(LOGIN_URL, {"username": "rev1", "password": PASSWORD}).status_code == 302
    stranger.logout()
    assert stranger.post(LOGIN_URL, {"username": "another-name", "password": "wrong"}).status_code == 429


def test_behind_the_proxy_the_lock_is_on_the_address_the_proxy_saw(reviewer, settings):
    settings.FEEDBACK_TRUSTED_PROXY_COUNT = 1  # as compose.yaml sets it
    # Every request comes from the proxy's address; X-Forwarded-For's last entry is the client's.
    stranger = browser_at("172.18.0.5", x_forwarded_for="10.9.9.9, 203.0.113.7")
    for attempt in range(5):
        stranger.post(LOGIN_URL, {"username": "rev1", "password": f"guess-{attempt}"})
    assert stranger.post(LOGIN_URL, {"username": "rev1", "password": PASSWORD}).status_code == 429

    colleague = browser_at("172.18.0.5", x_forwarded_for="198.51.100.20")
    assert colleague.post(LOGIN_URL, {"username": "rev1", "password": PASSWORD}).status_code == 302


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
