"""
Whatever a client sends, the answer is a 4xx at worst, never a 500.

First the named cases (over-long addresses, query strings and form fields,
bytes that are not UTF-8), then Hypothesis fuzzing a few hundred requests per
endpoint. An endpoint another branch adds (search, feedback, ...) is one more
entry in FUZZED_FORMS; entries whose address this tree does not serve are
skipped with a note.
"""

from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

EXAMPLES = 300
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run, so a failure reproduces
    database=None,  # nothing to keep between runs (derandomized); writes no .hypothesis folder
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PUBLIC_PATHS = [
    "/", "/en/cell-therapy/", "/en/car-t/", "/sitemap.xml", "/robots.txt", "/healthz", "/admin/login/",
    "/en/search/", "/en/site-map/", "/en/glossary/",
]  # fmt: skip


@dataclass
class FuzzedForm:
    name: str
    method: str
    path: str
    fields: list  # the field names the form reads; the fuzzer adds others


FUZZED_FORMS = [
    FuzzedForm("admin login", "post", "/admin/login/", ["username", "password", "next"]),
    FuzzedForm("search", "get", "/en/search/", ["q", "page"]),
    FuzzedForm("feedback", "post", "/en/feedback/cell-therapy/", ["helpful", "comment"]),
]


def assert_not_a_server_error(response, what):
    assert response.status_code < 500, f"{what} -> {response.status_code}"


def client():
    return Client(raise_request_exception=False)


# --- Named cases ---------------------------------------------------------------


def test_an_over_long_address_is_not_found():
    # Refused (400: the language redirect would be too long) or not found: never a 500.
    assert client().get("/" + "a" * 20_000 + "/").status_code in {400, 404}
    assert client().get("/en/" + "a" * 20_000 + "/").status_code == 404


def test_an_over_long_query_string_is_ignored():
    response = client().get("/en/cell-therapy/", {"q": "x" * 100_000, "page": "9" * 500})
    assert response.status_code == 200


def test_bytes_that_are_not_utf8_in_the_address_are_not_found():
    # The test client puts %FF as the raw byte into PATH_INFO, as a WSGI server does.
    assert client().get("/%FF%FE/").status_code == 404
    assert client().get("/en/cell-therapy%C3%28/").status_code == 404


def test_bytes_that_are_not_utf8_in_the_query_string_are_harmless():
    assert client().get("/en/cell-therapy/?q=%FF%FE%C3%28").status_code == 200


def test_bytes_that_are_not_utf8_in_a_form_are_refused_cleanly():
    response = client().post(
        "/admin/login/", b"username=%FF%FE&password=\xff\xfe\xfd", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {200, 400}


def test_an_over_long_form_field_is_refused_with_400():
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): Django refuses to read it.
    response = client().post("/admin/login/", {"username": "x" * 3_000_000, "password": "x"})
    assert response.status_code == 400


def test_too_many_form_fields_are_refused_with_400():
    response = client().post("/admin/login/", {f"field{i}": "x" for i in range(2000)})
    assert response.status_code == 400


# --- Fuzzing -------------------------------------------------------------------

any_bytes = st.binary(max_size=300)
any_text = st.text(max_size=300)


@fuzz_settings
@given(segment=any_bytes)
def test_fuzzed_page_addresses(segment):
    path = "/" + quote_from_bytes(segment, safe="/") + "/"
    assert_not_a_server_error(client().get(path), path)


@fuzz_settings
@given(path=st.sampled_from(PUBLIC_PATHS), pairs=st.lists(st.tuples(any_bytes, any_bytes), max_size=5))
def test_fuzzed_query_strings_on_every_public_address(path, pairs):
    query = "&".join(f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in pairs)
    assert_not_a_server_error(client().get(f"{path}?{query}"), f"{path}?{query}")


@pytest.mark.parametrize("form", FUZZED_FORMS, ids=lambda form: form.name)
def test_fuzzed_forms(form):
    field_names = st.one_of(st.sampled_from(form.fields), any_text)

    @fuzz_settings
    @given(data=st.dictionaries(field_names, st.one_of(any_text, st.binary(max_size=300)), max_size=6))
    def fuzz(data):
        if form.method == "get":
            response = client().get(form.path, data)
        else:
            body = urlencode(data).encode()
            response = client().post(form.path, body, content_type="application/x-www-form-urlencoded")
        assert_not_a_server_error(response, f"{form.name}: {data!r}")

    fuzz()
