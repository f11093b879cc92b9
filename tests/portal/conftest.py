import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True)
def _clear_cache():
    """Wagtail keeps site root paths and settings in the cache; a rolled-back test must not
    leave them behind for the next one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def count_queries(db):
    """count_queries(fn) → (result, number of queries fn ran)."""

    def run(fn):
        with CaptureQueriesContext(connection) as ctx:
            result = fn()
        return result, len(ctx.captured_queries)

    return run


@pytest.fixture
def queries_do_not_grow(count_queries, django_assert_max_num_queries):
    """check(request, add_more): run request() with little data and count its queries, call
    add_more() to multiply the data, then require request() to run no more queries than
    before. `cap` is a sanity bound for the first count (other apps add page sections
    through hooks, so it is generous). Returns the last response."""

    def check(request, add_more, *, cap=40):
        request()  # warm the cross-request caches (site root paths, content types, settings)
        _response, few = count_queries(request)
        assert few <= cap, f"{few} queries for one page"
        add_more()
        request()
        with django_assert_max_num_queries(few):
            return request()

    return check
