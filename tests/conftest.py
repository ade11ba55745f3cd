import pytest

from content.models import Page


@pytest.fixture
def make_page(db):
    """Create a page through the model's own save(), as the admin does."""
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("title", f"Test page {n}")
        fields.setdefault("slug", f"test-page-{n}")
        fields.setdefault("summary", "A short summary.")
        fields.setdefault("body", "Some text.")
        fields.setdefault("status", Page.Status.PUBLISHED)
        page = Page(**fields)
        page.full_clean()
        page.save()
        return page

    return make


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client
