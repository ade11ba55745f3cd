import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from content.models import Page

# Tests that share one costly package or module fixture (a server, Chromium) run on one
# pytest-xdist worker, one after another; every other test is a unit of its own. (xdist's
# own `xdist_group` marker does nothing under pytest 9.2: it renames `item._nodeid`.)
SHARED_FIXTURE_SCOPES = (
    "tests/browser/",  # the site server and Chromium, package-scoped
    "tests/feedback/test_feedback_shared_limit.py::",  # one migrated database for two servers
    "tests/operations/test_slow_clients.py::",  # one prepared site
)


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return next((scope for scope in SHARED_FIXTURE_SCOPES if nodeid.startswith(scope)), nodeid)

    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as a new site has it: migrated, then seeded (pages and glossary) by `seed_site`."""
    with django_db_blocker.unblock():
        call_command("seed_site", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_default_cache():
    """Each test starts with an empty `default` cache, as a new worker does."""
    caches["default"].clear()


@pytest.fixture
def make_page(db):
    """Create a page through the model's own save(), as the admin does."""
    counter = iter(range(1, 10_000))

    def make(sourced=False, **fields):
        n = next(counter)
        fields.setdefault("title", f"Test page {n}")
        fields.setdefault("slug", f"test-page-{n}")
        fields.setdefault("summary", "A short summary.")
        fields.setdefault("body", "Some text.")
        fields.setdefault("status", Page.Status.PUBLISHED)
        fields.setdefault("language", "en")  # beside the English seed pages
        page = Page(**fields)
        page.full_clean()
        page.save()
        if sourced:  # a page that may be published: it lists its evidence
            page.sources.create(
                title="EPAR summary", publisher="European Medicines Agency", url="https://www.ema.europa.eu/",
                accessed="2026-12-01",
            )  # fmt: skip
        return page

    return make


@pytest.fixture
def client():
    """A reader's browser that asks for English, as most tests read the English pages.

    The admin follows the browser's language too (Danish when none is asked for)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def log_in_staff(client, django_user_model):
    """
    log_in_staff(username, role=None, permissions=()) -> `client`, logged in as a new staff member
    who has the workflow role `role` (a group) and the permissions named "app_label.codename", no more.
    """

    def log_in(username, role=None, permissions=()):
        user = django_user_model.objects.create_user(username, password="a-long-test-password", is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
        for permission in permissions:
            app_label, codename = permission.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def author_client(log_in_staff):
    """An author: writes pages; the review record comes from a reviewer's approval only (issue 13)."""
    return log_in_staff("an-author", role="Author")


@pytest.fixture
def people(django_user_model):
    """One user per role (the workflow's groups), each logged in to their own browser (asking for English)."""

    def person(username, role, **names):
        user = django_user_model.objects.create_user(
            username, f"{username}@hospital.example", "a-long-test-password", is_staff=True, **names
        )
        user.groups.add(Group.objects.get(name=role))
        browser = Client(headers={"accept-language": "en"})
        browser.force_login(user)
        browser.user = user
        return browser

    return {
        "author": person("anna", "Author"),
        "reviewer": person("rikke", "Medical reviewer", first_name="Rikke", last_name="Holm"),
        "reviewer2": person("jens", "Medical reviewer", first_name="Jens", last_name="Berg"),
        "publisher": person("pia", "Publisher"),
    }


def approved(page, reviewer, day):
    """Record `page`, as it is, as approved by `reviewer` on `day` (what workflow.actions.approve records)."""
    page.reviewed_by, page.last_reviewed = reviewer, day
    page.render()
    page.approved_digest = page.content_digest()
    page.save()
    return page
