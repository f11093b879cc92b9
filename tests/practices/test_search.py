"""The bank's list: Russian word forms, facets with counts, filters in the URL, paging."""

import pytest
from django.http import QueryDict

from portal.models import Subject
from practices.models import GradeLevel, Problem
from practices.morphology import lemmatize
from practices.selectors import PracticeQuery, highlight, search_practices
from tests.factories.practices import PracticePageFactory

pytestmark = pytest.mark.django_db


def query(string: str) -> PracticeQuery:
    return PracticeQuery.from_querydict(QueryDict(string))


def test_lemmatize_reduces_word_forms():
    assert lemmatize("Учителей дробей Родителями") == "учитель дробь родитель"


@pytest.fixture
def practices(bank, reindex):
    gia = Problem.objects.get(slug="podgotovka-k-gia")
    parents = Problem.objects.get(slug="rabota-s-roditelyami")
    maths = Subject.objects.get(slug="matematika")
    ooo = GradeLevel.objects.get(slug="ooo")
    fractions = PracticePageFactory(
        parent=bank,
        title="Сокращение дробей на тренажёре",
        summary="Учитель математики отрабатывает с девятиклассниками действия с дробями.",
        problems=[gia],
        subjects=[maths],
        grade_levels=[ooo],
        format="lesson",
        evidence_level=3,
    )
    meetings = PracticePageFactory(
        parent=bank,
        title="Родительский университет",
        summary="Встречи с родителями учеников, которые готовятся к ОГЭ.",
        problems=[parents, gia],
        format="event",
        evidence_level=2,
    )
    reindex(fractions, meetings)
    return fractions, meetings


def test_search_finds_other_word_forms(practices, search_backend):
    fractions, meetings = practices
    assert search_practices(query("q=дроби")).backend == search_backend
    assert [p.pk for p in search_practices(query("q=дроби")).page] == [fractions.pk]
    assert [p.pk for p in search_practices(query("q=учителя")).page] == [fractions.pk]
    assert [p.pk for p in search_practices(query("q=родителей")).page] == [meetings.pk]


def test_search_combines_words_with_and(practices):
    assert search_practices(query("q=дробь родитель")).total == 0


def test_highlight_marks_matched_word_forms():
    fragment = highlight("Работа с родителями <b>важна</b>", ["родитель"])
    assert fragment == "Работа с <mark>родителями</mark> &lt;b&gt;важна&lt;/b&gt;"


def test_facet_counts_follow_other_filters(practices):
    results = search_practices(query("format=lesson"))
    assert results.total == 1
    facets = {facet.name: {v.value: v.count for v in facet.values} for facet in results.facets}
    # The format facet ignores its own filter, so both formats keep their counts…
    assert facets["format"]["lesson"] == 1 and facets["format"]["event"] == 1
    # …while the other facets count only what the format filter lets through.
    assert facets["problem"]["rabota-s-roditelyami"] == 0
    assert facets["problem"]["podgotovka-k-gia"] == 1
    assert facets["evidence"]["3"] == 1


def test_values_of_one_facet_are_ored(practices):
    assert search_practices(query("format=lesson&format=event")).total == 2
    assert (
        search_practices(query("problem=rabota-s-roditelyami&problem=podgotovka-k-gia")).total == 2
    )


def test_unknown_filter_values_are_ignored(practices):
    assert (
        search_practices(query("format=nonsense&evidence=99&status=x&year=abc&sort=zzz")).total == 2
    )


@pytest.mark.parametrize("page", ["999", "-1", "abc"])
def test_page_out_of_range_is_not_an_error(client, practices, page):
    response = client.get(f"/practices/?page={page}")
    assert response.status_code == 200


def test_bank_page_renders_facets_and_highlight(client, practices):
    response = client.get("/practices/?q=дроби")
    assert response.status_code == 200
    html = response.text
    assert "<mark>дробями</mark>" in html
    assert 'name="problem" value="podgotovka-k-gia"' in html


@pytest.mark.parametrize("q", ["a\x00b", "ж" * 10_000])
def test_bad_queries_get_a_message_not_a_500(client, practices, q):
    response = client.get("/practices/", {"q": q})
    assert response.status_code == 200
    assert "field__error" in response.text


def test_query_count_does_not_grow_with_practices(
    client, bank, reindex, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/practices/?format=method&q=группах").status_code == 200
        return len(ctx.captured_queries)

    reindex(*[PracticePageFactory(parent=bank) for _ in range(3)])
    few = count_queries()
    reindex(*[PracticePageFactory(parent=bank) for _ in range(20)])
    with django_assert_max_num_queries(few):
        assert client.get("/practices/?format=method&q=группах").status_code == 200


def test_practice_page_shows_section_titles_and_adoptions(client, practices):
    fractions, _meetings = practices
    response = client.get(fractions.url)
    assert response.status_code == 200
    assert '<h2 class="block-heading">Контекст и проблема</h2>' in response.text
    assert "Пока ни одна школа не отметила применение этой практики." in response.text


def test_elasticsearch_down_falls_back_to_the_database(client, bank, reindex, settings, caplog):
    reindex(
        PracticePageFactory(
            parent=bank, title="Работа с родителями", summary="Встречи с родителями."
        )
    )
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.ELASTICSEARCH_NODE_CLASS = ""
    results = search_practices(query("q=родителей"))
    assert results.backend == "database"
    assert results.total == 1
    assert "Elasticsearch is unavailable" in caplog.text
    assert client.get("/practices/?q=родителей").status_code == 200


def test_publishing_and_unpublishing_keep_the_index_in_step(
    bank, osmem_clone, settings, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = osmem_clone.url
    settings.ELASTICSEARCH_NODE_CLASS = "tests.practices.es_node.PlainJsonNode"
    from practices import search_index

    search_index.rebuild([])
    practice = PracticePageFactory(parent=bank, title="Школьная служба медиации", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        practice.save_revision().publish()
    assert search_practices(query("q=медиация")).total == 1
    practice.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        practice.unpublish()
    results = search_practices(query("q=медиация"))
    assert results.backend == "elasticsearch" and results.total == 0


def test_facet_index_follows_changes_between_requests(client, bank, reindex, search_backend):
    reindex(PracticePageFactory(parent=bank, format="lesson"))
    first = search_practices(query("format=lesson"))
    assert first.total == 1
    second_practice = PracticePageFactory(parent=bank, format="lesson")
    reindex(second_practice)
    assert search_practices(query("format=lesson")).total == 2
    second_practice.unpublish()
    reindex()
    assert search_practices(query("format=lesson")).total == 1


def test_most_applied_sort_follows_adoptions(bank, reindex, django_capture_on_commit_callbacks):
    from practices.models import Adoption
    from practices.services import recount_adoptions
    from tests.factories import SchoolFactory

    older = PracticePageFactory(parent=bank, title="Старая практика", published_on="2024-01-10")
    newer = PracticePageFactory(parent=bank, title="Новая практика", published_on="2025-01-10")
    reindex(older, newer)
    assert [p.pk for p in search_practices(query("sort=applied")).page] == [newer.pk, older.pk]
    # After commit, as in a request: the Elasticsearch index is updated then.
    with django_capture_on_commit_callbacks(execute=True):
        Adoption.objects.create(
            practice=older,
            school=SchoolFactory(),
            applied_on="2025-02-01",
            context="5 класс",
            outcome="Хорошо.",
        )
        recount_adoptions(older.pk)
    assert [p.pk for p in search_practices(query("sort=applied")).page] == [older.pk, newer.pk]


def test_postgres_matches_agree_with_wagtails_backend(bank):
    """The bank reads Wagtail's PostgreSQL index table itself (selectors._indexed_matches):
    same practices, same relevance order as the backend's own ranked search."""
    from django.db import connection
    from modelsearch.backends import get_search_backend
    from modelsearch.index import insert_or_update_object

    from practices.selectors import _indexed_matches, published_practices

    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches through Wagtail's backend directly")
    texts = [
        ("Дроби на уроках математики", "Тренажёр для отработки."),
        ("Урок с тренажёром", "Девятиклассники сокращают дроби и решают задачи с дробями."),
        ("Работа с родителями", "Встречи перед экзаменами."),
        ("Дробь и проценты", "Урок-практикум по дробям и процентам в 6 классе."),
    ]
    for title, summary in texts:
        insert_or_update_object(PracticePageFactory(parent=bank, title=title, summary=summary))
    config = get_search_backend("default").config
    for lemmas in (["дробь"], ["дробь", "урок"], ["родитель"], ["и", "дробь"]):
        expected = list(
            published_practices()
            .search(" ".join(lemmas), operator="and", order_by_relevance=True)
            .get_queryset()
            .values_list("pk", flat=True)
        )
        assert expected, lemmas
        assert _indexed_matches(lemmas, config, ranked=True) == expected
        assert sorted(_indexed_matches(lemmas, config, ranked=False)) == sorted(expected)
