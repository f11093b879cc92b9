import datetime

import factory
import wagtail_factories
from django.utils import timezone

from portal.models import (
    DocumentsPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Главная"
    hero_title = "Каждой школе — высокие результаты"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Страница {n}")
    intro = "Краткое описание страницы"


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Новости"
    slug = "news"


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Новость {n}")
    date = factory.LazyFunction(timezone.localdate)
    intro = "Школы подписали договор о сотрудничестве."


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "События"
    slug = "events"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Семинар {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    format = "offline"
    place = "МАОУ «Гимназия № 1», актовый зал"
    audience = "учителя математики"


class DocumentsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DocumentsPage

    title = "Документы"
    slug = "documents"
