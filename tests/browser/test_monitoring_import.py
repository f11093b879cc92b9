"""A methodologist loads assessment results in the admin: a file with a bad row is refused
with its row number and reason, the fixed file is previewed, committed and shows in the log,
and the indicator pages and the home page show the new values."""

import re

import pytest

from monitoring.models import AssessmentResult, ImportBatch
from portal.models import Status
from tests.factories import MethodologistFactory, SchoolFactory, SchoolStatusFactory
from tests.factories.people import DEFAULT_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = "Код ОО;Год;Процедура;Предмет;Класс;Участников;Неудовлетворительно;Высокий результат"


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Адрес электронной почты").fill(user.email)
    page.get_by_role("textbox", name="Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile("/cabinet/"))


def choose_and_check(page, path):
    page.get_by_label("Вид данных").select_option(label="Результаты оценочных процедур")
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_load_state()


def test_methodologist_fixes_a_bad_row_and_commits(page, home_page, tmp_path):
    school = SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»")
    SchoolStatusFactory(school=school, year=2024, status=Status.SHNOR)
    methodologist = MethodologistFactory(email="metodist@example.ru")
    bad = tmp_path / "results.csv"
    bad.write_text(
        f"{HEADER}\n250103;2024;ОГЭ;Математика;9;25;4;3\n250103;2024;ОГЭ;Русский язык;9;25;30;3\n",
        encoding="utf-8",
    )
    fixed = tmp_path / "results-fixed.csv"
    fixed.write_text(
        f"{HEADER}\n250103;2024;ОГЭ;Математика;9;25;4;3\n250103;2024;ОГЭ;Русский язык;9;25;3;3\n"
        "250103;2023;ОГЭ;Математика;9;20;6;0\n",
        encoding="utf-8",
    )

    # Before: no results, so the failing share and its dynamics are «нет данных».
    page.goto("/indicators/?year=2024")
    assert "нет данных" in page.locator(".indicator-card", has_text="IND-3").inner_text()

    log_in(page, methodologist)
    page.goto("/admin/")
    page.get_by_role("button", name="Мониторинг").click()
    page.get_by_role("link", name="Загрузка данных").click()
    page.wait_for_url(re.compile("/admin/monitoring/import/"))

    # 1. The bad file: the report names the row and the reason, nothing is saved.
    choose_and_check(page, bad)
    report = page.locator(".import-preview__rejected")
    assert report.locator("td.import-preview__number").all_inner_texts() == ["3"]
    assert "«Неудовлетворительно» (30) больше числа участников (25)" in report.inner_text()
    assert "Этот файл загрузить нельзя" in page.content()
    assert page.get_by_role("button", name="Загрузить", exact=True).count() == 0
    assert not AssessmentResult.objects.exists()

    # 2. The fixed file: a preview of what will be written, then the commit.
    choose_and_check(page, fixed)
    counts = page.locator(".import-preview__counts").inner_text()
    assert "Будет добавлено\n3" in counts
    assert page.locator(".import-preview__sample tbody tr").count() == 3
    page.get_by_role("button", name="Загрузить", exact=True).click()
    page.wait_for_url(re.compile("/admin/monitoring/import/log/"))
    assert "Файл «results-fixed.csv» загружен" in page.content()
    assert AssessmentResult.objects.count() == 3

    # 3. The log lists it, with the rollback action.
    row = page.locator(".import-log tbody tr").first
    assert "results-fixed.csv" in row.inner_text()
    assert "Результаты оценочных процедур" in row.inner_text()
    assert row.get_by_role("link", name="Отменить импорт").count() == 1
    batch = ImportBatch.objects.get()
    assert batch.user == methodologist

    # 4. The indicators show the new values: IND-3 for 2024 is 7 of 50 failing results, and
    # IND-6 (F fell from 6/20 to 7/50) is 100 % on the indicator page and the home page.
    page.goto("/indicators/?year=2024")
    assert "14,0 %" in page.locator(".indicator-card", has_text="IND-3").inner_text()
    page.goto("/indicators/IND-6/?year=2024")
    assert "100,0 %" in page.locator("main").inner_text()
    page.goto("/")
    assert (
        "100,0 %" in page.locator(".home-indicators .indicator-card", has_text="IND-6").inner_text()
    )
