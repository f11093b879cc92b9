import pytest
from modelsearch.index import insert_or_update_object

from tests.factories.practices import PracticeIndexPageFactory


@pytest.fixture
def bank(home_page):
    return PracticeIndexPageFactory(parent=home_page)


@pytest.fixture
def reindex():
    """Index pages created by factories (the search signal handlers run on publish only)."""

    def _reindex(*pages):
        for page in pages:
            insert_or_update_object(page.specific)

    return _reindex
