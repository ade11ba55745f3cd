"""
The database store of the page cache's keys (pagecache.backends): its lean
reads and one-statement writes must keep the cache API's meaning, or a
page would be served after its content changed.
"""

import pytest
from django.core.cache import caches

from pagecache import GENERATIONS, invalidate, snapshot, start_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    generations = caches[GENERATIONS]
    if not hasattr(generations, "add_many"):
        pytest.skip("the generations store is not the database here")
    return generations


# Keys no seed page has (the seeded site already gave its pages' keys values).
def test_set_many_replaces_and_add_many_only_fills_gaps(store):
    store.set_many({"page:9001": "first", "page:9002": "first"})
    store.set_many({"page:9001": "second"})
    store.add_many({"page:9001": "never", "page:9002": "never", "page:9003": "new"})
    assert store.get_many(["page:9001", "page:9002", "page:9003", "page:9004"]) == {
        "page:9001": "second",
        "page:9002": "first",
        "page:9003": "new",
    }


def test_what_djangos_own_cache_api_wrote_reads_back(store):
    store.set("view:9007", "from set()")
    assert store.add("view:9008", "from add()")
    assert store.get("view:9007") == "from set()"
    assert store.get_many(["view:9007", "view:9008"]) == {"view:9007": "from set()", "view:9008": "from add()"}
    store.delete("view:9007")
    assert store.get("view:9007") is None


def test_an_edit_after_a_snapshot_leaves_it_out_of_date(store):
    before = snapshot(["page:9041", "nav:xx"])  # the keys had no value: the snapshot gave them one
    assert before["complete"]
    assert snapshot(["page:9041", "nav:xx"])["keys"] == before["keys"]
    invalidate("page:9041")
    after = snapshot(["page:9041", "nav:xx"])
    assert after["keys"]["page:9041"] != before["keys"]["page:9041"]
    assert after["keys"]["nav:xx"] == before["keys"]["nav:xx"]
    assert after["any"] != before["any"]


def test_a_key_started_late_never_takes_a_value_a_change_gave_it(store):
    invalidate("page:9042")
    given = store.get("page:9042")
    start_keys({"page:9042"}, current="an older value of any")
    assert store.get("page:9042") == given
