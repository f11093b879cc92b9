"""The communities' path in a real browser: a teacher joins a community and registers for an
event, the coordinator marks her present (a support record for IND-2); a methodologist forms
a mentoring pair from the suggestions, both teachers accept it, the methodologist approves
it, the mentor logs a meeting; the school's page shows its communities and pairs."""

import datetime
import re

import pytest
from django.utils import timezone

from communities.models import EventRegistration, MentoringPair, PairState
from monitoring.models import Diagnostic, SupportRecord, Teacher
from portal.models import Status
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolStatusFactory,
    TeacherFactory,
)
from tests.factories.communities import (
    CommunityIndexPageFactory,
    CommunityPageFactory,
    EventFactory,
)
from tests.factories.people import DEFAULT_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Адрес электронной почты").fill(user.email)
    page.get_by_role("textbox", name="Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile("/cabinet/"))


def test_join_attend_pair_accept_meet(page, home_page):
    year = timezone.localdate().year
    leader = SchoolFactory(code="250401", short_name="МАОУ «Гимназия № 1»")
    target = SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»")
    SchoolStatusFactory(school=leader, year=year, status=Status.LEADER)
    SchoolStatusFactory(school=target, year=year, status=Status.SHNOR)
    coordinator = TeacherFactory(school=leader, last_name="Ковалёва", first_name="Ирина")
    mentor = TeacherFactory(school=leader, last_name="Лебедев", first_name="Сергей")
    mentee = TeacherFactory(school=target, last_name="Волкова", first_name="Дарья")
    methodologist = MethodologistFactory()
    mentee_record = Teacher.objects.create(code="t-volkova", full_name="Волкова Д.", user=mentee)
    mentor_record = Teacher.objects.create(code="t-lebedev", full_name="Лебедев С.", user=mentor)
    Diagnostic.objects.create(
        teacher=mentee_record,
        date=datetime.date(year, 1, 20),
        kind="предметная",
        subject="Математика",
        score=40,
        deficits=["решение текстовых задач"],
    )
    Diagnostic.objects.create(
        teacher=mentor_record,
        date=datetime.date(year, 1, 20),
        kind="предметная",
        subject="Математика",
        score=95,
        deficits=[],
    )
    index = CommunityIndexPageFactory(parent=home_page)
    community = CommunityPageFactory(
        parent=index, title="МО учителей математики", slug="mo-matematiki", coordinator=coordinator
    )
    event = EventFactory(community=community, title="Семинар: текстовые задачи")

    # 1. The teacher joins the community and registers for the event.
    log_in(page, mentee)
    page.goto("/communities/")
    page.get_by_role("link", name="МО учителей математики").click()
    page.get_by_role("button", name="Вступить в сообщество").click()
    assert "Вы вступили" in page.content()
    page.get_by_role("link", name="Семинар: текстовые задачи").click()
    page.get_by_role("button", name="Зарегистрироваться").click()
    assert "Вы зарегистрированы" in page.content()
    assert EventRegistration.objects.filter(event=event, user=mentee).exists()

    # The seminar takes place; the coordinator marks who was there.
    event.starts_at = timezone.now() - datetime.timedelta(hours=2)
    event.save()
    log_in(page, coordinator)
    page.goto(f"/communities/events/{event.pk}/")
    page.get_by_role("checkbox", name=re.compile("Волкова")).check()
    page.get_by_role("button", name="Сохранить присутствие").click()
    assert "Присутствие отмечено: 1" in page.content()
    assert SupportRecord.objects.filter(teacher=mentee_record, source="event").exists()

    # 2. The methodologist forms a pair from the suggestions.
    log_in(page, methodologist)
    page.goto("/communities/pairs/")
    page.get_by_role("link", name="Подобрать наставника").click()
    page.get_by_label("Наставляемый").select_option(
        label=f"{mentee.get_full_name()} (МБОУ «СОШ № 3»)"
    )
    page.get_by_role("button", name="Подобрать").click()
    first = page.locator(".suggestion-list__item").first
    assert "Лебедев" in first.inner_text()
    assert "решение текстовых задач" in first.inner_text()
    first.get_by_role("link", name="Сформировать пару").click()
    page.get_by_label("Цели").fill("Научить решать текстовые задачи ОГЭ")
    page.get_by_role("button", name="Предложить пару").click()
    page.wait_for_url(re.compile(r"/communities/pairs/\d+/"))
    pair = MentoringPair.objects.get()
    assert (pair.mentor, pair.mentee, pair.state) == (mentor, mentee, PairState.PROPOSED)

    # 3. Both teachers accept it, from «Личный кабинет».
    for user in (mentor, mentee):
        log_in(page, user)
        assert "ждёт вашего согласия" in page.content()
        page.locator(".section-block", has_text="Наставничество").get_by_role("link").first.click()
        page.get_by_role("button", name="Принять участие в паре").click()
    pair.refresh_from_db()
    assert pair.state == PairState.AGREED

    # 4. The methodologist approves; the mentor logs a meeting.
    log_in(page, methodologist)
    page.goto(f"/communities/pairs/{pair.pk}/")
    page.get_by_role("button", name="Утвердить пару").click()
    assert "стала активной" in page.content()
    log_in(page, mentor)
    page.goto(f"/communities/pairs/{pair.pk}/")
    page.get_by_label("Тема встречи").fill("Разбор задач на движение")
    page.get_by_role("button", name="Записать встречу").click()
    assert "Встреча записана" in page.content()
    assert pair.meetings.count() == 1

    # 5. The school's page shows its communities and pairs.
    page.context.clear_cookies()
    page.goto(f"/schools/{target.code}/")
    section = page.locator(".section-block", has_text="Сообщества и наставничество")
    assert "МО учителей математики" in section.inner_text()
    assert "активных пар: 1" in section.inner_text()
    assert "Волкова" not in section.inner_text()
