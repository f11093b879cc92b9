import pytest

from practices.models import Problem
from tests.factories.practices import PracticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices(bank, reindex):
    parents = Problem.objects.get(slug="rabota-s-roditelyami")
    published = PracticePageFactory(
        parent=bank,
        title="Родительский университет",
        summary="Встречи с родителями.",
        problems=[parents],
    )
    hidden = PracticePageFactory(parent=bank, title="Черновик практики", live=False)
    reindex(published, hidden)
    return published, hidden


def test_list_filters_and_searches_like_the_page(client, practices):
    published, _hidden = practices
    data = client.get(
        "/api/practices/", {"q": "родителей", "problem": "rabota-s-roditelyami"}
    ).json()
    assert data["count"] == 1
    assert data["results"][0]["id"] == published.pk
    assert data["results"][0]["problems"] == [
        {"slug": "rabota-s-roditelyami", "name": "Работа с родителями"}
    ]
    problem_facet = next(f for f in data["facets"] if f["name"] == "problem")
    assert {
        "value": "rabota-s-roditelyami",
        "label": "Работа с родителями",
        "count": 1,
        "selected": True,
    } in problem_facet["values"]


def test_drafts_are_not_in_the_api(client, practices):
    _published, hidden = practices
    assert client.get("/api/practices/").json()["count"] == 1
    assert client.get(f"/api/practices/{hidden.pk}/").status_code == 404


def test_detail(client, practices):
    published, _hidden = practices
    data = client.get(f"/api/practices/{published.pk}/").json()
    assert data["title"] == "Родительский университет"
    assert data["body"][0]["type"] == "section"
    assert data["adoptions"] == []


def test_openapi_schema(client, practices):
    schema = client.get("/api/openapi.json").json()
    assert "/api/practices/" in schema["paths"]
    assert "/api/practices/{practice_id}/" in schema["paths"]


def test_bad_query_gets_an_error_field_not_a_500(client, practices):
    response = client.get("/api/practices/", {"q": "x" * 500, "page": "9999", "format": "nope"})
    assert response.status_code == 200
    assert response.json()["error"]


def test_feeds(client, practices):
    rss = client.get("/practices/feed/")
    assert (
        rss.status_code == 200
        and "Родительский университет" in rss.text
        and "Черновик" not in rss.text
    )
    atom = client.get("/practices/feed/atom/")
    assert atom.status_code == 200 and "<feed" in atom.text
