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
