"""The foundation's paths in a real browser: registration with e-mail confirmation, login,
the home page, a school page and the accessibility mode."""

import re

import pytest
from django.core import mail

from portal.models import MembershipState, Status, User
from tests.factories import SchoolFactory, SchoolStatusFactory, TeacherFactory
from tests.factories.people import DEFAULT_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def school(home_page):
    school = SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»", district="Лозовый")
    SchoolStatusFactory(
        school=school, year=2024, status=Status.SHNOR, basis="по данным Рособрнадзора за 2023 год"
    )
    return school


def test_home_page_shows_portal_and_key_figures(page, school):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Каждой школе — высокие результаты"
    figures = page.locator(".figures__item").all_inner_texts()
    assert any("образовательных организаций" in text for text in figures)
    assert any(text.startswith("1") and "целевых школ" in text for text in figures)


def test_registration_with_email_confirmation_then_login(page, school):
    page.goto("/accounts/signup/")
    page.get_by_role("textbox", name="Адрес электронной почты").fill("ivanova@school3.example.ru")
    page.get_by_role("textbox", name="Фамилия").fill("Иванова")
    page.get_by_role("textbox", name="Имя", exact=True).fill("Мария")
    page.get_by_role("textbox", name="Отчество").fill("Петровна")
    page.get_by_role("textbox", name="Должность").fill("учитель математики")
    page.get_by_role("combobox", name="Образовательная организация").select_option(
        label="МБОУ «СОШ № 3» (Лозовый)"
    )
    page.get_by_role("textbox", name="Пароль", exact=True).fill("Надёжный-пароль-2026")
    page.get_by_role("textbox", name="Пароль (ещё раз)").fill("Надёжный-пароль-2026")
    page.get_by_label(re.compile("согласие на обработку")).check()
    page.get_by_role("button", name="Зарегистрируйтесь").click()

    page.wait_for_url(re.compile("/accounts/confirm-email/"))
    assert "Подтвердите" in page.content()
    user = User.objects.get(email="ivanova@school3.example.ru")
    assert user.membership == MembershipState.PENDING and user.school == school

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(
        0
    )
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Подтвердить").click()

    # Confirmation logs the new teacher in and lands in «Личный кабинет».
    page.wait_for_url(re.compile("/cabinet/"))
    assert "Иванова Мария Петровна" in page.content()
    assert "Ожидает подтверждения" in page.content()


def test_login_and_logout(page, school):
    teacher = TeacherFactory(school=school, email="teacher@school3.example.ru")
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Адрес электронной почты").fill(teacher.email)
    page.get_by_role("textbox", name="Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile("/cabinet/"))
    assert teacher.get_full_name() in page.content()

    page.get_by_role("button", name="Выйти").first.click()
    page.wait_for_url(re.compile(r"/(accounts/logout/)?$"))
    if "/accounts/logout/" in page.url:
        page.get_by_role("button", name="Выйти").last.click()
    page.goto("/cabinet/")
    assert "/accounts/login/" in page.url


def test_school_page_shows_status_and_contacts(page, school):
    page.goto("/schools/")
    page.get_by_role("link", name="МБОУ «СОШ № 3»").click()
    page.wait_for_url("**/schools/250103/")
    assert page.get_by_role("heading", level=1).inner_text() == "МБОУ «СОШ № 3»"
    assert "по данным Рособрнадзора за 2023 год" in page.content()
    assert page.locator(".status--shnor").first.is_visible()


def test_accessibility_mode_without_javascript(browser, live_server, school):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/schools/")
    page.get_by_role("link", name="Версия для слабовидящих").click()
    html = page.locator("html")
    assert "a11y--large" in html.get_attribute("class")
    assert "a11y--contrast" in html.get_attribute("class")
    font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font_size == "20px"

    page.get_by_role("link", name="Белым по чёрному").click()
    assert "a11y--inverted" in page.locator("html").get_attribute("class")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"

    page.get_by_role("link", name="Обычная версия", exact=True).click()
    assert not page.locator("html").get_attribute("class")
    context.close()


def test_home_page_has_no_serious_accessibility_violations(page, school):
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/")
    results = Axe().run(page)
    serious = [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
