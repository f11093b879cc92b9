"""The agreements' path in a real browser: the head of a low-result school finds a partner
and sends a request, the leader's head accepts, both edit the plan, both sign, the agreement
is in force in the public registry, its PDF opens with the Cyrillic text and its hash is
shown, and a report is filed."""

import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from agreements.models import Agreement, PlanItem, Report
from portal.models import Status, Subject
from tests.factories import SchoolFactory, SchoolHeadFactory, SchoolStatusFactory
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


def add_plan_item(page, agreement, action, start, end, responsible):
    page.goto(f"/agreements/{agreement.pk}/")
    page.get_by_role("link", name="Добавить мероприятие").click()
    page.get_by_label("Мероприятие").fill(action)
    page.get_by_label("Начало").fill(start)
    page.get_by_label("Срок").fill(end)
    page.get_by_label("Ответственный").fill(responsible)
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(rf"/agreements/{agreement.pk}/"))


def test_find_request_accept_plan_sign_publish_report(page, home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    leader = SchoolFactory(code="250401", short_name="МАОУ «Гимназия № 1»")
    target = SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»")
    SchoolStatusFactory(school=leader, year=2024, status=Status.LEADER)
    SchoolStatusFactory(school=target, year=2024, status=Status.SHNOR)
    Subject.objects.get_or_create(name="Математика", defaults={"slug": "matematika"})
    target_head = SchoolHeadFactory(school=target, email="head@sosh3.example.ru")
    leader_head = SchoolHeadFactory(school=leader, email="head@gym1.example.ru")

    # 1. The ШНОР head finds the leader and sends a request.
    log_in(page, target_head)
    page.goto("/agreements/partners/")
    assert "МАОУ «Гимназия № 1»" in page.content()
    page.get_by_role("link", name="Отправить запрос").first.click()
    page.get_by_role("checkbox", name="Математика").check()
    page.get_by_label("Сообщение руководителю школы-лидера").fill(
        "Просим помочь с подготовкой к ОГЭ по математике."
    )
    page.get_by_role("button", name="Отправить запрос").click()
    page.wait_for_url(re.compile("/agreements/requests/"))

    # 2. The leader's head accepts: a draft agreement appears.
    log_in(page, leader_head)
    page.goto("/agreements/requests/")
    page.get_by_role("button", name="Принять и создать черновик договора").click()
    page.wait_for_url(re.compile(r"/agreements/\d+/"))
    agreement = Agreement.objects.get()
    assert agreement.state == Agreement.State.DRAFT
    start, end = agreement.start_date, agreement.end_date

    # 3. Both heads edit the plan.
    add_plan_item(
        page,
        agreement,
        "Открытые уроки математики",
        start.isoformat(),
        end.isoformat(),
        "Зам. директора Гимназии № 1",
    )
    log_in(page, target_head)
    add_plan_item(
        page,
        agreement,
        "Пробный ОГЭ и разбор ошибок",
        start.isoformat(),
        end.isoformat(),
        "Руководитель МО СОШ № 3",
    )
    assert PlanItem.objects.count() == 2
    page.get_by_role("button", name="Отправить на согласование").click()

    # 4. Both sign.
    page.get_by_role("button", name="Подписать от имени школы").click()
    assert "подписан одной стороной" in page.content()
    log_in(page, leader_head)
    page.goto(f"/agreements/{agreement.pk}/")
    page.get_by_role("button", name="Подписать от имени школы").click()
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE

    # 5. In force in the public registry; the PDF opens with Cyrillic and its hash is shown.
    page.context.clear_cookies()
    page.goto("/agreements/")
    row = page.get_by_role("row").filter(has_text=agreement.number)
    assert "действует" in row.inner_text()
    page.goto(f"/agreements/{agreement.pk}/")
    version = agreement.versions.get(number=agreement.version)
    assert version.sha256 in page.content()
    response = page.request.get(f"/agreements/{agreement.pk}/pdf/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Открытые уроки математики" in text and "Гимназия № 1" in text

    # 6. A report is filed.
    log_in(page, target_head)
    page.goto(f"/agreements/{agreement.pk}/")
    page.get_by_role("link", name="Отчитаться").first.click()
    page.get_by_label("Дата").fill(start.isoformat())
    page.get_by_label("Что сделано").fill("Проведены два открытых урока, 12 учителей.")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(rf"/agreements/{agreement.pk}/"))
    assert Report.objects.filter(done__contains="два открытых урока").exists()
    assert "Проведены два открытых урока" in page.content()
