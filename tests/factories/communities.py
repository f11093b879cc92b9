import datetime

import factory
import wagtail_factories
from django.utils import timezone

from communities.models import (
    CommunityIndexPage,
    CommunityPage,
    Event,
    Membership,
    MembershipState,
    MentoringPair,
)

from .people import TeacherFactory, UserFactory


class CommunityIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CommunityIndexPage

    title = "Сообщества педагогов"
    slug = "communities"


class CommunityPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CommunityPage

    title = factory.Sequence(lambda n: f"МО учителей математики {n}")
    slug = factory.Sequence(lambda n: f"mo-{n}")
    kind = "mo"
    topic = "Подготовка к ОГЭ"
    summary = "Методическое объединение учителей округа."
    join_policy = "open"
    coordinator = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(TeacherFactory)
    community = factory.SubFactory(CommunityPageFactory)
    state = MembershipState.MEMBER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    community = factory.SubFactory(CommunityPageFactory)
    title = factory.Sequence(lambda n: f"Семинар {n}")
    kind = "seminar"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    format = "offline"
    place = "МБОУ «СОШ № 3», каб. 12"
    agenda = "1. Разбор заданий.\n2. Обмен опытом."


class MentoringPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringPair

    mentor = factory.SubFactory(TeacherFactory)
    mentee = factory.SubFactory(TeacherFactory)
    goals = "Подготовить учеников к ОГЭ по математике."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))
