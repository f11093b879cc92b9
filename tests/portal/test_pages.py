"""The site's Wagtail pages: where each may be created, listings, validation, rendering."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from portal.models import (
    ContactPage,
    DocumentEntry,
    DocumentsPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from tests.factories import (
    DocumentsPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
_slugs = itertools.count()


def slug(prefix="p"):
    """Cyrillic titles slugify to nothing (WAGTAIL_ALLOW_UNICODE_SLUGS is off): give slugs."""
    return f"{prefix}-{next(_slugs)}"


def card_titles(response):
    """Titles of the news and event cards, in page order (other apps add cards of their own)."""
    return re.findall(
        r'<article class="card card--(?:news|event)">.*?class="card__link" href="[^"]*">([^<]*)</a>',
        response.content.decode(),
        re.DOTALL,
    )


# --- Where pages may be created ------------------------------------------------------------


class TestPageTree(WagtailPageTestCase):
    def test_home_page_only_under_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(NewsIndexPage, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_news_page_only_under_news_index(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(EventIndexPage, NewsPage)
        self.assertCanNotCreateAt(StandardPage, NewsPage)

    def test_event_page_only_under_event_index(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(NewsIndexPage, EventPage)

    def test_section_pages_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertCanCreateAt(HomePage, EventIndexPage)
        self.assertCanCreateAt(HomePage, DocumentsPage)
        self.assertCanCreateAt(HomePage, ContactPage)


def test_only_one_home_and_one_news_index(home_page):
    root = Page.get_first_root_node()
    assert not HomePage.can_create_at(root)  # max_count = 1
    NewsIndexPageFactory(parent=home_page)
    assert not NewsIndexPage.can_create_at(home_page)
    EventIndexPageFactory(parent=home_page)
    assert not EventIndexPage.can_create_at(home_page)


def test_instances_check_parent_types(home_page):
    news_index = NewsIndexPageFactory(parent=home_page)
    events = EventIndexPageFactory(parent=home_page)
    assert NewsPage.can_create_at(news_index)
    assert not NewsPage.can_create_at(events)
    assert EventPage.can_create_at(events)
    assert not EventPage.can_create_at(news_index)
    assert not EventPage.can_exist_under(home_page)


# --- Home -------------------------------------------------------------------------------------


def test_home_page_shows_latest_news_and_upcoming_events(client, home_page):
    news_index = NewsIndexPageFactory(parent=home_page)
    for days in range(5):
        NewsPageFactory(
            slug=slug(),
            parent=news_index,
            title=f"Новость {days}",
            date=timezone.localdate() - datetime.timedelta(days=days),
        )
    events = EventIndexPageFactory(parent=home_page)
    EventPageFactory(
        slug=slug(),
        parent=events,
        title="Прошедший семинар",
        start=NOW - datetime.timedelta(days=3),
    )
    EventPageFactory(
        slug=slug(), parent=events, title="Семинар завтра", start=NOW + datetime.timedelta(days=1)
    )
    EventPageFactory(
        slug=slug(), parent=events, title="Семинар позже", start=NOW + datetime.timedelta(days=9)
    )
    response = client.get("/")
    assert response.status_code == 200
    titles = card_titles(response)
    assert titles == ["Новость 0", "Новость 1", "Новость 2", "Семинар завтра", "Семинар позже"]
    text = response.content.decode()
    assert "Все новости" in text
    assert "Ближайшие события" in text


def test_home_page_without_news(client, home_page):
    text = client.get("/").content.decode()
    assert "Новостей пока нет." in text
    assert "Ближайших событий нет." in text


def test_home_query_count_does_not_grow(client, home_page, queries_do_not_grow):
    news_index = NewsIndexPageFactory(parent=home_page)
    events = EventIndexPageFactory(parent=home_page)

    def add(count):
        for _ in range(count):
            NewsPageFactory(slug=slug(), parent=news_index)
            EventPageFactory(slug=slug(), parent=events)

    add(1)
    response = queries_do_not_grow(lambda: client.get("/"), lambda: add(29))
    assert len(card_titles(response)) == 6


# --- News -------------------------------------------------------------------------------------


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def _news(parent, title, days_ago, tags=()):
    page = NewsPageFactory(
        slug=slug(),
        parent=parent,
        title=title,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    if tags:
        page.tags.add(*tags)
        page.save()
    return page


def test_news_index_lists_newest_first(client, news_index):
    _news(news_index, "Старая новость", 30)
    _news(news_index, "Свежая новость", 1)
    _news(news_index, "Средняя новость", 10)
    draft = _news(news_index, "Черновик", 0)
    draft.unpublish()
    response = client.get(news_index.url)
    assert response.status_code == 200
    assert card_titles(response) == ["Свежая новость", "Средняя новость", "Старая новость"]


def test_news_index_filters_by_tag(client, news_index):
    _news(news_index, "О наставничестве", 1, tags=["наставничество"])
    _news(news_index, "О семинаре", 2, tags=["семинар"])
    _news(news_index, "Обо всём", 3, tags=["наставничество", "семинар"])
    response = client.get(news_index.url, {"tag": "наставничество"})
    assert card_titles(response) == ["О наставничестве", "Обо всём"]
    assert "Новости с тегом «наставничество»." in response.content.decode()
    empty = client.get(news_index.url, {"tag": "нет-такого"})
    assert card_titles(empty) == []
    assert "Новостей пока нет." in empty.content.decode()


def test_news_tag_with_nul_byte_is_not_an_error(client, news_index):
    _news(news_index, "О семинаре", 1, tags=["семинар"])
    client.raise_request_exception = False
    response = client.get(news_index.url + "?tag=%D1%81%00")
    assert response.status_code == 200
    assert card_titles(response) == []


def test_news_index_pagination(client, news_index):
    for number in range(12):
        _news(news_index, f"Новость {number:02d}", number)
    first = client.get(news_index.url)
    assert len(card_titles(first)) == 10
    second = client.get(news_index.url, {"page": "2"})
    assert card_titles(second) == ["Новость 10", "Новость 11"]


def test_news_page_links_its_tags(client, news_index):
    page = _news(news_index, "Договор подписан", 0, tags=["партнёрство"])
    text = client.get(page.url).content.decode()
    assert "Договор подписан" in text
    assert (
        f'href="{news_index.url}?tag=%D0%BF%D0%B0%D1%80%D1%82%D0%BD%D1%91%D1%80%D1%81%D1%82%D0%B2%D0%BE"'
        in text
    )
    assert "#партнёрство" in text


def test_news_index_query_count_does_not_grow(client, news_index, queries_do_not_grow):
    for number in range(5):
        _news(news_index, f"Новость {number}", number, tags=["семинар"])

    def add_more():
        for number in range(25):
            _news(news_index, f"Ещё новость {number}", number, tags=["семинар", "мо"])

    response = queries_do_not_grow(lambda: client.get(news_index.url, {"tag": "семинар"}), add_more)
    assert len(card_titles(response)) == 10


# --- Events -----------------------------------------------------------------------------------


@pytest.fixture
def events(home_page):
    index = EventIndexPageFactory(parent=home_page)
    EventPageFactory(
        slug=slug(), parent=index, title="Вчерашний семинар", start=NOW - datetime.timedelta(days=1)
    )
    EventPageFactory(
        slug=slug(), parent=index, title="Давний семинар", start=NOW - datetime.timedelta(days=40)
    )
    EventPageFactory(
        slug=slug(),
        parent=index,
        title="Семинар через неделю",
        start=NOW + datetime.timedelta(days=7),
    )
    EventPageFactory(
        slug=slug(), parent=index, title="Семинар завтра", start=NOW + datetime.timedelta(days=1)
    )
    # Started an hour ago, still running: upcoming until it ends.
    EventPageFactory(
        slug=slug(),
        parent=index,
        title="Идёт сейчас",
        start=NOW - datetime.timedelta(hours=1),
        end=NOW + datetime.timedelta(hours=2),
    )
    return index


def test_event_index_shows_upcoming_by_default(client, events):
    response = client.get(events.url)
    assert response.status_code == 200
    assert card_titles(response) == ["Идёт сейчас", "Семинар завтра", "Семинар через неделю"]
    assert response.context["show_past"] is False


def test_event_index_shows_past_latest_first(client, events):
    response = client.get(events.url, {"when": "past"})
    assert card_titles(response) == ["Вчерашний семинар", "Давний семинар"]
    assert 'tabs__tab tabs__tab--active" href="' + events.url + '?when=past"' in (
        response.content.decode()
    )


def test_event_queryset_upcoming_and_past(events):
    assert [e.title for e in EventPage.objects.upcoming()] == [
        "Идёт сейчас",
        "Семинар завтра",
        "Семинар через неделю",
    ]
    assert [e.title for e in EventPage.objects.past()] == ["Вчерашний семинар", "Давний семинар"]
    later = NOW + datetime.timedelta(days=3)
    assert [e.title for e in EventPage.objects.upcoming(at=later)] == ["Семинар через неделю"]


def test_event_page_renders_details(client, events):
    event = EventPage.objects.get(title="Семинар завтра")
    text = client.get(event.url).content.decode()
    assert "Предстоящее событие" in text
    assert "МАОУ «Гимназия № 1», актовый зал" in text
    assert "Очно" in text
    past = EventPage.objects.get(title="Давний семинар")
    assert past.is_past
    assert "Событие прошло" in client.get(past.url).content.decode()


@pytest.fixture
def event(home_page):
    return EventPageFactory(slug=slug(), parent=EventIndexPageFactory(parent=home_page))


def test_event_ending_before_start_is_invalid(event):
    event.end = event.start - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict["end"] == ["Окончание не может быть раньше начала."]


def test_event_ending_before_start_is_refused_by_the_database(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventPage.objects.filter(pk=event.pk).update(end=event.start - datetime.timedelta(hours=1))


def test_online_event_needs_a_link(event):
    event.format = "online"
    event.online_url = ""
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict["online_url"] == [
        "Для онлайн-события укажите ссылку для подключения."
    ]
    event.online_url = "https://meet.example.ru/seminar"
    event.place = ""
    event.full_clean()


def test_mixed_event_needs_place_and_link(event):
    event.format = "mixed"
    event.place = ""
    event.online_url = ""
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert set(excinfo.value.message_dict) >= {"place", "online_url"}
    assert excinfo.value.message_dict["place"] == ["Для очного события укажите место проведения."]


def test_valid_event_passes_clean(event):
    event.end = event.start + datetime.timedelta(hours=2)
    event.full_clean()


# --- Standard pages ---------------------------------------------------------------------------


def _heading(text, level="h2", block_id=None):
    return {"type": "heading", "value": {"text": text, "level": level}, "id": block_id}


def test_toc_lists_h2_headings(home_page):
    page = StandardPageFactory(
        slug=slug(),
        parent=home_page,
        body=[
            _heading("Цели программы", block_id="a1"),
            {"type": "paragraph", "value": "<p>Текст</p>", "id": "p1"},
            _heading("Подраздел", level="h3", block_id="a2"),
            _heading("Показатели", block_id="a3"),
        ],
    )
    page = StandardPage.objects.get(pk=page.pk)
    assert page.toc == [("section-a1", "Цели программы"), ("section-a3", "Показатели")]


def test_standard_page_renders_toc_with_anchors(client, home_page):
    page = StandardPageFactory(
        slug=slug(),
        parent=home_page,
        title="О программе",
        body=[
            _heading("Цели", block_id="g1"),
            _heading("Задачи", block_id="g2"),
            _heading("Показатели", block_id="g3"),
        ],
    )
    text = client.get(page.url).content.decode()
    assert 'class="toc"' in text
    for anchor, title in (("g1", "Цели"), ("g2", "Задачи"), ("g3", "Показатели")):
        assert f'<a class="toc__link" href="#section-{anchor}">{title}</a>' in text
        assert f'id="section-{anchor}">{title}</h2>' in text


def test_standard_page_short_toc_is_hidden(client, home_page):
    page = StandardPageFactory(
        slug=slug(), parent=home_page, body=[_heading("Один", block_id="x1")]
    )
    assert 'class="toc"' not in client.get(page.url).content.decode()


# --- Documents --------------------------------------------------------------------------------


@pytest.fixture
def documents(home_page):
    page = DocumentsPageFactory(parent=home_page)
    for order, (title, kind) in enumerate(
        [
            ("Об утверждении муниципальной программы", "приказ"),
            ("О сетевом взаимодействии", "положение"),
            ("О назначении кураторов", "приказ"),
            ("План мероприятий на 2024 год", "план"),
        ]
    ):
        DocumentEntry.objects.create(page=page, sort_order=order, title=title, kind=kind)
    return page


def doc_titles(response):
    return re.findall(r'<h2 class="doc-list__title">([^<]*)</h2>', response.content.decode())


def test_documents_page_lists_all(client, documents):
    response = client.get(documents.url)
    assert response.status_code == 200
    assert doc_titles(response) == [
        "Об утверждении муниципальной программы",
        "О сетевом взаимодействии",
        "О назначении кураторов",
        "План мероприятий на 2024 год",
    ]
    assert response.context["document_kinds"] == ["план", "положение", "приказ"]


def test_documents_page_filters_by_kind(client, documents):
    response = client.get(documents.url, {"kind": "приказ"})
    assert doc_titles(response) == [
        "Об утверждении муниципальной программы",
        "О назначении кураторов",
    ]
    assert 'chips__chip chips__chip--active" href="' in response.content.decode()


def test_documents_page_unknown_kind_shows_all(client, documents):
    assert len(doc_titles(client.get(documents.url, {"kind": "указ"}))) == 4
