"""The bank's path in a real browser: a teacher proposes a practice with a file, a
methodologist approves it in the Wagtail admin, the practice is found by another word form,
filtered by its facets, and applied by another school."""

import re

import pytest

from portal.models import Status
from practices.models import Adoption, PracticePage
from tests.factories import MethodologistFactory, SchoolFactory, SchoolStatusFactory, TeacherFactory
from tests.factories.people import DEFAULT_PASSWORD
from tests.factories.practices import PracticeIndexPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Адрес электронной почты").fill(user.email)
    page.get_by_role("textbox", name="Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile("/cabinet/"))


def log_out(page):
    page.context.clear_cookies()


@pytest.fixture
def bank(home_page):
    return PracticeIndexPageFactory(parent=home_page)


def test_propose_approve_find_filter_apply(page, bank, tmp_path):
    leader = SchoolFactory(code="250401", short_name="МАОУ «Гимназия № 1»")
    SchoolStatusFactory(school=leader, year=2024, status=Status.LEADER)
    target = SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»")
    author = TeacherFactory(school=leader, email="author@gym1.example.ru")
    colleague = TeacherFactory(school=target, email="colleague@sosh3.example.ru")
    methodologist = MethodologistFactory(email="metodist@example.ru")

    # 1. The teacher proposes a practice with a PDF attached.
    log_in(page, author)
    page.goto("/practices/propose/")
    page.get_by_role("textbox", name="Название практики").fill("Тренажёр по сокращению дробей")
    page.get_by_role("textbox", name="Кратко о практике").fill(
        "Учителя математики отрабатывают с классом сокращение дробей."
    )
    page.get_by_role("checkbox", name="Подготовка к ГИА").check()
    page.get_by_role("combobox", name="Формат").select_option(label="Методика, технология")
    page.get_by_role("textbox", name="Теги").fill("ОГЭ, дроби")
    page.get_by_role("textbox", name="Контекст и проблема").fill(
        "Треть девятиклассников путается в дробях."
    )
    page.get_by_role("textbox", name="Шаги внедрения").fill(
        "Диагностика\nТренажёр по 5 минут\nКонтрольная"
    )
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Материалы").set_input_files(str(pdf))
    page.get_by_role("button", name="Отправить на проверку").click()
    page.wait_for_url(re.compile("/cabinet/practices/"))
    assert "На проверке у методиста" in page.content()
    practice = PracticePage.objects.get(title="Тренажёр по сокращению дробей")
    log_out(page)

    # 2. The methodologist approves it in the Wagtail admin.
    log_in(page, methodologist)
    page.goto(f"/admin/pages/{practice.pk}/edit/")
    page.get_by_role("button", name="Больше действий").click()
    page.get_by_role("button", name="Одобрить и Опубликовать", exact=True).click()
    page.wait_for_url(re.compile("/admin/pages/"))
    practice.refresh_from_db()
    assert practice.live
    log_out(page)

    # 3. Anyone finds it by another word form and by its facets, with the counts shown.
    page.goto("/practices/")
    page.get_by_role("searchbox", name="Поиск по банку практик").fill("дробь")
    page.locator("form.bank").get_by_role("button", name="Найти").click()
    page.wait_for_url(re.compile("q="))
    assert page.locator(".practice-card").count() == 1
    assert "Тренажёр по сокращению дробей" in page.locator(".practice-card").inner_text()
    page.get_by_role("checkbox", name=re.compile("Методика, технология")).check()
    page.get_by_role("button", name="Применить").click()
    page.wait_for_url(re.compile("format=method"))
    label = page.locator(".facet__label", has_text="Методика, технология")
    assert label.locator(".facet__count").inner_text() == "1"
    assert page.locator(".practice-card").count() == 1

    # 4. A teacher of another school records that they applied it.
    log_in(page, colleague)
    page.goto(practice.url)
    page.get_by_role("link", name="Применил(а) в своей школе").click()
    page.get_by_label("Когда применили").fill("2026-10-01")
    page.get_by_role("textbox", name="Класс и предмет").fill("9 «А», математика")
    page.get_by_role("textbox", name="Что получилось").fill(
        "Контрольную по дробям написали без «2»."
    )
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile("#adoptions"))
    assert "Применила 1 школа" in page.content()
    assert Adoption.objects.filter(practice=practice, school=target).exists()
