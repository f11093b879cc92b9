import pytest
from modelsearch.index import insert_or_update_object

from practices import search_index
from practices.selectors import published_practices
from tests.factories.practices import PracticeIndexPageFactory

ES_NODE_CLASS = "tests.practices.es_node.PlainJsonNode"


@pytest.fixture
def bank(home_page):
    return PracticeIndexPageFactory(parent=home_page)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings):
    """Run a search test on both backends: the database, and Elasticsearch served by
    osmem-server (a clone of a session-wide in-memory server per test)."""
    if request.param == "elasticsearch":
        clone = request.getfixturevalue("osmem_clone")
        settings.ELASTICSEARCH_URL = clone.url
        settings.ELASTICSEARCH_NODE_CLASS = ES_NODE_CLASS
    return request.param


@pytest.fixture
def reindex(search_backend):
    """Index pages created by factories in the search backend under test."""

    def _reindex(*pages):
        for page in pages:
            insert_or_update_object(page.specific)
        if search_backend == "elasticsearch":
            search_index.rebuild(
                published_practices().prefetch_related(
                    "problems", "subjects", "grade_levels", "tags"
                )
            )

    return _reindex
