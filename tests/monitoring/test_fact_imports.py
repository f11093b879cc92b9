"""The `results`, `staff`, `diagnostics` and `support` formats of domain.md: bad rows with
every reason and the right row number, updates by key, all-or-nothing, exact rollback, and
the `import_monitoring` command."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitoring.importing import get_kind, rollback_import, run_import
from monitoring.models import (
    AssessmentResult,
    Diagnostic,
    ImportBatch,
    StaffEntry,
    SupportRecord,
    Teacher,
)
from tests.factories import SchoolFactory
from tests.monitoring.test_imports import csv_bytes

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1

RESULTS_HEADER = [
    "Код ОО",
    "Год",
    "Процедура",
    "Предмет",
    "Класс",
    "Участников",
    "Неудовлетворительно",
    "Высокий результат",
]
STAFF_HEADER = ["Код ОО", "Год", "Код педагога", "ФИО", "Должность", "Предметы"]
DIAGNOSTICS_HEADER = ["Код педагога", "Дата", "Вид", "Предмет", "Балл", "Дефициты"]
SUPPORT_HEADER = ["Код педагога", "Дата", "Форма", "Тема", "Организатор"]


def run(kind, rows, **kwargs):
    return run_import(get_kind(kind), csv_bytes(rows), f"{kind}.csv", **kwargs)


def state(model):
    """Every record of a model with all its stored values (the teacher's own timestamps
    aside), for comparing before and after."""
    rows = model.objects.order_by("pk").values()
    return [{k: v for k, v in row.items() if k not in ("created_at", "updated_at")} for row in rows]


@pytest.fixture
def schools(db):
    return {code: SchoolFactory(code=code) for code in ("250101", "250103", "250401")}


@pytest.fixture
def teachers(db):
    return {
        code: Teacher.objects.create(code=code, full_name=name)
        for code, name in [("T-001", "Иванова Анна Петровна"), ("T-002", "Петров Олег Ильич")]
    }


# --- results ------------------------------------------------------------------------------------


def test_results_import_adds_rows(schools):
    result = run(
        "results",
        [
            RESULTS_HEADER,
            ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"],
            ["250103", "2024", "огэ", "Русский язык", "", "30", "0", "10"],
        ],
    )
    assert result.ok and result.applied
    assert result.count("add") == 2
    egee = AssessmentResult.objects.get(school=schools["250101"])
    assert (egee.procedure, egee.subject, egee.grade, egee.participants) == (
        "ЕГЭ",
        "Математика",
        11,
        20,
    )
    oge = AssessmentResult.objects.get(school=schools["250103"])
    assert (oge.procedure, oge.grade) == ("ОГЭ", 0)


@pytest.mark.parametrize(
    ("row", "reasons"),
    [
        (
            ["999999", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"],
            ["неизвестный код ОО «999999»"],
        ),
        (
            ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "21", "2"],
            ["«Неудовлетворительно» (21) больше числа участников (20)"],
        ),
        (
            ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "25"],
            ["«Высокий результат» (25) больше числа участников (20)"],
        ),
        (
            ["250101", "2024", "ЕГЭ", "Математика", "11", "-5", "3", "2"],
            ["«Участников»: отрицательное число -5"],
        ),
        (
            ["250101", "1999", "ЕГЭ", "Математика", "11", "20", "3", "2"],
            [f"«Год»: значение 1999 вне допустимого диапазона 2000–{NEXT_YEAR}"],
        ),
        (
            ["250101", str(NEXT_YEAR + 1), "ЕГЭ", "Математика", "11", "20", "3", "2"],
            [f"«Год»: значение {NEXT_YEAR + 1} вне допустимого диапазона 2000–{NEXT_YEAR}"],
        ),
        (
            ["250101", "2024", "ЕГЭ-2", "Математика", "11", "20", "3", "2"],
            ["«Процедура»: неизвестное значение «ЕГЭ-2», допустимы: ЕГЭ, ОГЭ, ГВЭ, ВПР"],
        ),
        (
            ["250101", "2024", "ЕГЭ", "Математика", "12", "20", "3", "2"],
            ["«Класс»: значение 12 вне допустимого диапазона 1–11"],
        ),
    ],
    ids=["school", "failed", "high", "negative", "year-low", "year-high", "procedure", "grade"],
)
def test_results_bad_row(schools, row, reasons):
    result = run(
        "results",
        [RESULTS_HEADER, ["250103", "2024", "ВПР", "Математика", "5", "10", "1", "1"], row],
    )
    assert not result.ok and not result.applied
    assert [(r.number, r.errors) for r in result.rejected] == [(3, reasons)]
    assert not AssessmentResult.objects.exists()
    assert not ImportBatch.objects.exists()


def test_results_all_reasons_of_a_row_together_with_its_number(schools):
    result = run(
        "results",
        [
            RESULTS_HEADER,
            ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"],
            [],
            ["999999", "1999", "ЕГЭ?", "Математика", "11", "10", "-1", "11"],
        ],
    )
    assert [(r.number, r.errors) for r in result.rejected] == [
        (
            4,
            [
                "неизвестный код ОО «999999»",
                f"«Год»: значение 1999 вне допустимого диапазона 2000–{NEXT_YEAR}",
                "«Процедура»: неизвестное значение «ЕГЭ?», допустимы: ЕГЭ, ОГЭ, ГВЭ, ВПР",
                "«Неудовлетворительно»: отрицательное число -1",
                "«Высокий результат» (11) больше числа участников (10)",
            ],
        )
    ]
    assert not AssessmentResult.objects.exists()


def test_results_update_by_key_ignoring_subject_case_and_spaces(schools):
    run(
        "results", [RESULTS_HEADER, ["250101", "2024", "ЕГЭ", "Русский язык", "11", "20", "3", "2"]]
    )
    result = run(
        "results",
        [
            RESULTS_HEADER,
            ["250101", "2024", "егэ", "  РУССКИЙ   язык ", "11", "25", "1", "5"],
            ["250101", "2024", "ЕГЭ", "Русский язык", "9", "25", "1", "5"],
            ["250101", "2023", "ЕГЭ", "Русский язык", "11", "25", "1", "5"],
        ],
    )
    assert [row.action for row in result.rows] == ["update", "add", "add"]
    assert AssessmentResult.objects.count() == 3
    updated = AssessmentResult.objects.get(school=schools["250101"], year=2024, grade=11)
    assert (updated.participants, updated.failed, updated.high) == (25, 1, 5)


def test_results_rollback_restores_exact_state(schools):
    run("results", [RESULTS_HEADER, ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"]])
    before = state(AssessmentResult)
    result = run(
        "results",
        [
            RESULTS_HEADER,
            ["250101", "2024", "ЕГЭ", "математика", "11", "40", "10", "0"],
            ["250103", "2024", "ОГЭ", "Математика", "9", "30", "5", "1"],
        ],
    )
    assert state(AssessmentResult) != before
    rollback_import(result.batch)
    assert state(AssessmentResult) == before
    result.batch.refresh_from_db()
    assert result.batch.state == ImportBatch.State.ROLLED_BACK


def test_rolling_back_a_non_latest_batch_is_refused(schools):
    first = run(
        "results", [RESULTS_HEADER, ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"]]
    )
    run("results", [RESULTS_HEADER, ["250101", "2024", "ЕГЭ", "Математика", "11", "30", "3", "2"]])
    with pytest.raises(ValueError, match="отменить можно только последний"):
        rollback_import(first.batch)
    assert AssessmentResult.objects.get().participants == 30
    first.batch.refresh_from_db()
    assert first.batch.state == ImportBatch.State.APPLIED


def test_rolling_back_twice_is_refused(schools):
    result = run(
        "results", [RESULTS_HEADER, ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"]]
    )
    rollback_import(result.batch)
    with pytest.raises(ValueError, match="уже отменён"):
        rollback_import(result.batch)


# --- staff --------------------------------------------------------------------------------------


def test_staff_import_creates_teachers_and_entries(schools):
    result = run(
        "staff",
        [
            STAFF_HEADER,
            [
                "250101",
                "2024",
                "T-010",
                "Сидорова  Мария Ивановна",
                "учитель",
                "математика; физика",
            ],
            ["250103", "2024", "T-011", "Орлов Павел Андреевич", "", ""],
        ],
    )
    assert result.applied
    assert Teacher.objects.get(code="T-010").full_name == "Сидорова Мария Ивановна"
    entry = StaffEntry.objects.get(teacher__code="T-010")
    assert (entry.school, entry.year, entry.subjects) == (
        schools["250101"],
        2024,
        "математика; физика",
    )


@pytest.mark.parametrize(
    ("row", "reasons"),
    [
        (["999999", "2024", "T-1", "Орлов П. А.", "", ""], ["неизвестный код ОО «999999»"]),
        (
            ["250101", "2101", "T-1", "Орлов П. А.", "", ""],
            [f"«Год»: значение 2101 вне допустимого диапазона 2000–{NEXT_YEAR}"],
        ),
        (
            ["250101", "2024", "", "", "", ""],
            ["не заполнено поле «Код педагога»", "не заполнено поле «ФИО»"],
        ),
    ],
    ids=["school", "year", "empty"],
)
def test_staff_bad_row(schools, row, reasons):
    result = run("staff", [STAFF_HEADER, ["250101", "2024", "T-9", "Кто-то", "", ""], row])
    assert [(r.number, r.errors) for r in result.rejected] == [(3, reasons)]
    assert not StaffEntry.objects.exists()
    assert not Teacher.objects.exists()


def test_staff_update_by_school_year_teacher(schools, teachers):
    run(
        "staff",
        [STAFF_HEADER, ["250101", "2024", "T-001", "Иванова Анна Петровна", "учитель", "химия"]],
    )
    result = run(
        "staff",
        [
            STAFF_HEADER,
            ["250101", "2024", "T-001", "Иванова Анна Петровна", "завуч", "химия; биология"],
            ["250101", "2023", "T-001", "Иванова Анна Петровна", "учитель", "химия"],
            ["250103", "2024", "T-001", "Иванова Анна Петровна", "совместитель", ""],
        ],
    )
    assert [row.action for row in result.rows] == ["update", "add", "add"]
    assert StaffEntry.objects.count() == 3
    entry = StaffEntry.objects.get(school=schools["250101"], year=2024)
    assert (entry.position, entry.subjects) == ("завуч", "химия; биология")


def test_staff_rollback_removes_created_teachers_and_restores_names(schools, teachers):
    run(
        "staff", [STAFF_HEADER, ["250101", "2024", "T-001", "Иванова Анна Петровна", "учитель", ""]]
    )
    before = (state(StaffEntry), state(Teacher))
    result = run(
        "staff",
        [
            STAFF_HEADER,
            ["250101", "2024", "T-001", "Иванова-Смирнова Анна Петровна", "завуч", ""],
            ["250103", "2024", "T-050", "Новый Педагог Иванович", "учитель", ""],
        ],
    )
    assert Teacher.objects.filter(code="T-050").exists()
    assert Teacher.objects.get(code="T-001").full_name == "Иванова-Смирнова Анна Петровна"
    rollback_import(result.batch)
    assert not Teacher.objects.filter(code="T-050").exists()
    assert (state(StaffEntry), state(Teacher)) == before


# --- diagnostics --------------------------------------------------------------------------------


def test_diagnostics_import_and_update_by_key(teachers):
    result = run(
        "diagnostics",
        [
            DIAGNOSTICS_HEADER,
            ["T-001", "2024-03-15", "предметная", "Математика", "64,5", "дроби; проценты"],
            ["T-002", "15.03.2024", "Методическая", "", "80", ""],
        ],
    )
    assert result.applied
    first = Diagnostic.objects.get(teacher=teachers["T-001"])
    assert (first.score, first.deficits, first.date) == (
        Decimal("64.5"),
        ["дроби", "проценты"],
        datetime.date(2024, 3, 15),
    )
    again = run(
        "diagnostics",
        [DIAGNOSTICS_HEADER, ["T-001", "15.03.2024", "предметная", " математика ", "70", ""]],
    )
    assert [row.action for row in again.rows] == ["update"]
    first.refresh_from_db()
    assert (first.score, first.deficits) == (Decimal("70"), [])


@pytest.mark.parametrize(
    ("row", "reasons"),
    [
        (["T-999", "2024-03-15", "предметная", "", "50", ""], ["неизвестный код педагога «T-999»"]),
        (
            ["T-001", "2024-03-15", "предметная", "", "101", ""],
            ["«Балл»: балл 101 вне диапазона 0–100"],
        ),
        (
            ["T-001", "2024-03-15", "предметная", "", "-1", ""],
            ["«Балл»: балл -1 вне диапазона 0–100"],
        ),
        (
            ["T-001", "15/03/2024", "предметная", "", "50", ""],
            ["«Дата»: дата «15/03/2024» не в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"],
        ),
        (
            ["T-001", "31.02.2024", "предметная", "", "50", ""],
            ["«Дата»: дата «31.02.2024» не в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"],
        ),
        (
            ["T-001", "1999-12-31", "предметная", "", "50", ""],
            [f"«Дата»: год даты 31.12.1999 вне допустимого диапазона 2000–{NEXT_YEAR}"],
        ),
        (
            ["T-001", "2024-03-15", "психологическая", "", "50", ""],
            ["«Вид»: неизвестное значение «психологическая», допустимы: предметная, методическая"],
        ),
    ],
    ids=["teacher", "score-high", "score-negative", "date-format", "date-invalid", "year", "kind"],
)
def test_diagnostics_bad_row(teachers, row, reasons):
    result = run(
        "diagnostics",
        [DIAGNOSTICS_HEADER, ["T-002", "2024-01-10", "методическая", "", "60", ""], row],
    )
    assert [(r.number, r.errors) for r in result.rejected] == [(3, reasons)]
    assert not Diagnostic.objects.exists()


def test_diagnostics_rollback_restores_exact_state(teachers):
    run(
        "diagnostics",
        [DIAGNOSTICS_HEADER, ["T-001", "2024-03-15", "предметная", "Математика", "50", "дроби"]],
    )
    before = state(Diagnostic)
    result = run(
        "diagnostics",
        [
            DIAGNOSTICS_HEADER,
            ["T-001", "2024-03-15", "предметная", "математика", "75.25", ""],
            ["T-002", "2024-04-01", "методическая", "", "40", "оценивание"],
        ],
    )
    rollback_import(result.batch)
    assert state(Diagnostic) == before


# --- support ------------------------------------------------------------------------------------


def test_support_import_and_rollback(teachers):
    run("support", [SUPPORT_HEADER, ["T-001", "2024-02-01", "семинар", "Смысловое чтение", "ИМЦ"]])
    before = state(SupportRecord)
    result = run(
        "support",
        [
            SUPPORT_HEADER,
            ["T-001", "01.02.2024", "Семинар", "Смысловое  чтение", "ИРО"],
            ["T-002", "2024-05-20", "курсы", "ФГОС", ""],
        ],
    )
    assert [row.action for row in result.rows] == ["update", "add"]
    assert SupportRecord.objects.get(teacher=teachers["T-001"]).provider == "ИРО"
    assert (
        SupportRecord.objects.get(teacher=teachers["T-002"]).source == SupportRecord.Source.IMPORT
    )
    rollback_import(result.batch)
    assert state(SupportRecord) == before


@pytest.mark.parametrize(
    ("row", "reasons"),
    [
        (["T-999", "2024-02-01", "МО", "", ""], ["неизвестный код педагога «T-999»"]),
        (
            ["T-001", "2024-02-01", "вебинар", "", ""],
            [
                "«Форма»: неизвестное значение «вебинар», допустимы: "
                "МО, семинар, курсы, консультация, наставничество"
            ],
        ),
        (
            ["T-001", "2024.02.01", "МО", "", ""],
            ["«Дата»: дата «2024.02.01» не в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"],
        ),
        (
            ["T-999", "", "", "", ""],
            [
                "неизвестный код педагога «T-999»",
                "не заполнено поле «Дата»",
                "не заполнено поле «Форма»",
            ],
        ),
    ],
    ids=["teacher", "form", "date", "all-together"],
)
def test_support_bad_row(teachers, row, reasons):
    result = run("support", [SUPPORT_HEADER, ["T-002", "2024-01-10", "МО", "", ""], row])
    assert [(r.number, r.errors) for r in result.rejected] == [(3, reasons)]
    assert not SupportRecord.objects.exists()


# --- the command --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rows", "expected"),
    [
        (
            "results",
            [
                RESULTS_HEADER,
                ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"],
                ["999999", "2024", "ЕГЭ", "Математика", "11", "20", "30", "2"],
                ["250101", "2024", "ВПР", "Математика", "5", "-1", "0", "0"],
            ],
            [
                "Строка 3: неизвестный код ОО «999999»; "
                "«Неудовлетворительно» (30) больше числа участников (20)",
                "Строка 4: «Участников»: отрицательное число -1",
            ],
        ),
        (
            "staff",
            [
                STAFF_HEADER,
                ["250101", "2024", "T-1", "Орлов", "", ""],
                ["999999", "1990", "T-2", "", "", ""],
            ],
            [
                "Строка 3: неизвестный код ОО «999999»; "
                f"«Год»: значение 1990 вне допустимого диапазона 2000–{NEXT_YEAR}; "
                "не заполнено поле «ФИО»"
            ],
        ),
        (
            "diagnostics",
            [
                DIAGNOSTICS_HEADER,
                ["T-001", "2024-03-15", "предметная", "", "50", ""],
                ["T-404", "2024-13-01", "предметная", "", "150", ""],
            ],
            [
                "Строка 3: неизвестный код педагога «T-404»; "
                "«Дата»: дата «2024-13-01» не в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ; "
                "«Балл»: балл 150 вне диапазона 0–100"
            ],
        ),
        (
            "support",
            [
                SUPPORT_HEADER,
                ["T-001", "2024-02-01", "МО", "", ""],
                ["T-001", "2024-02-01", "кружок", "", ""],
            ],
            [
                "Строка 3: «Форма»: неизвестное значение «кружок», допустимы: "
                "МО, семинар, курсы, консультация, наставничество"
            ],
        ),
    ],
    ids=["results", "staff", "diagnostics", "support"],
)
def test_command_bad_rows_fail_and_save_nothing(tmp_path, schools, teachers, kind, rows, expected):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(csv_bytes(rows))
    err = StringIO()
    with pytest.raises(CommandError, match="Файл не импортирован"):
        call_command("import_monitoring", kind, str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip().splitlines() == expected
    assert not ImportBatch.objects.exists()
    model = {"results": AssessmentResult, "staff": StaffEntry, "diagnostics": Diagnostic}.get(
        kind, SupportRecord
    )
    assert not model.objects.exists()


def test_command_imports_results(tmp_path, schools):
    path = tmp_path / "results.csv"
    path.write_bytes(
        csv_bytes([RESULTS_HEADER, ["250101", "2024", "ОГЭ", "Математика", "9", "20", "3", "2"]])
    )
    out = StringIO()
    call_command("import_monitoring", "results", str(path), stdout=out, stderr=StringIO())
    assert "Импорт выполнен" in out.getvalue()
    assert AssessmentResult.objects.get().participants == 20
