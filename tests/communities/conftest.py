import pytest

from tests.factories.communities import CommunityIndexPageFactory, CommunityPageFactory


@pytest.fixture
def index(home_page):
    return CommunityIndexPageFactory(parent=home_page)


@pytest.fixture
def community(index):
    return CommunityPageFactory(parent=index, title="МО учителей математики", slug="mo-math")


@pytest.fixture
def request_community(index):
    return CommunityPageFactory(
        parent=index,
        title="Экспертный совет",
        slug="council",
        kind="council",
        join_policy="request",
    )
