"""The bulk writes of the fact imports (multi-row INSERT, UPDATE … FROM VALUES): adding,
updating and rolling back each kind keeps every field, on SQLite and PostgreSQL alike."""

import datetime
from decimal import Decimal

import pytest

from monitoring.importing import get_kind, rollback_import, run_import
from monitoring.models import AssessmentResult, Diagnostic, StaffEntry, SupportRecord, Teacher
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def csv(rows):
    def cell(value):
        value = str(value)
        return f'"{value}"' if ";" in value else value

    return ("\r\n".join(";".join(cell(value) for value in row) for row in rows) + "\r\n").encode()


RESULTS = ["school_code", "year", "procedure", "subject", "grade", "participants", "failed", "high"]


def test_results_add_update_and_roll_back():
    SchoolFactory(code="250101")
    first = run_import(
        get_kind("results"),
        csv(
            [
                RESULTS,
                ["250101", 2024, "ВПР", "Математика", 5, 50, 10, 4],
                ["250101", 2024, "ЕГЭ", " русский  язык ", "", 30, 1, 9],
            ]
        ),
        "first.csv",
    )
    assert first.applied and first.count("add") == 2
    maths = AssessmentResult.objects.get(procedure="ВПР")
    assert (maths.participants, maths.failed, maths.high, maths.grade) == (50, 10, 4, 5)
    russian = AssessmentResult.objects.get(procedure="ЕГЭ")
    assert (russian.subject, russian.subject_key, russian.grade) == (
        "русский язык",
        "русский язык",
        0,
    )

    second = run_import(
        get_kind("results"),
        csv([RESULTS, ["250101", 2024, "ВПР", "МАТЕМАТИКА", 5, 52, 7, 6]]),
        "second.csv",
    )
    assert second.count("update") == 1
    maths.refresh_from_db()
    assert (maths.subject, maths.participants, maths.failed, maths.high) == ("МАТЕМАТИКА", 52, 7, 6)
    assert AssessmentResult.objects.count() == 2

    rollback_import(second.batch)
    maths.refresh_from_db()
    assert (maths.subject, maths.participants, maths.failed, maths.high) == (
        "Математика",
        50,
        10,
        4,
    )
    rollback_import(first.batch)
    assert not AssessmentResult.objects.exists()


def test_staff_diagnostics_and_support_add_update_and_roll_back():
    SchoolFactory(code="250103")
    staff = run_import(
        get_kind("staff"),
        csv(
            [
                ["school_code", "year", "teacher_code", "full_name", "position", "subjects"],
                [
                    "250103",
                    2024,
                    "T-1",
                    "Петрова Анна Игоревна",
                    "учитель",
                    "Математика; Информатика",
                ],
            ]
        ),
        "staff.csv",
    )
    assert staff.applied
    entry = StaffEntry.objects.get()
    assert (entry.teacher.code, entry.position, entry.subjects) == (
        "T-1",
        "учитель",
        "Математика; Информатика",
    )
    header = ["teacher_code", "date", "kind", "subject", "score", "deficits"]
    first = run_import(
        get_kind("diagnostics"),
        csv(
            [
                header,
                [
                    "T-1",
                    "15.03.2024",
                    "предметная",
                    "Математика",
                    "61,5",
                    "смысловое чтение; подготовка к ГИА",
                ],
            ]
        ),
        "d1.csv",
    )
    assert first.applied
    diagnostic = Diagnostic.objects.get()
    assert diagnostic.date == datetime.date(2024, 3, 15)
    assert diagnostic.score == Decimal("61.50")
    assert diagnostic.deficits == ["смысловое чтение", "подготовка к ГИА"]
    second = run_import(
        get_kind("diagnostics"),
        csv(
            [
                header,
                ["T-1", "2024-03-15", "предметная", "математика", "74", "формирующее оценивание"],
            ]
        ),
        "d2.csv",
    )
    assert second.count("update") == 1
    diagnostic.refresh_from_db()
    assert (diagnostic.score, diagnostic.deficits) == (Decimal("74.00"), ["формирующее оценивание"])
    rollback_import(second.batch)
    diagnostic.refresh_from_db()
    assert diagnostic.score == Decimal("61.50")
    assert diagnostic.deficits == ["смысловое чтение", "подготовка к ГИА"]

    support = run_import(
        get_kind("support"),
        csv(
            [
                ["teacher_code", "date", "form", "title", "provider"],
                ["T-1", "2024-04-02", "семинар", "Формирующее оценивание", "ЦРО"],
            ]
        ),
        "s.csv",
    )
    record = SupportRecord.objects.get()
    assert (record.date, record.form, record.provider) == (
        datetime.date(2024, 4, 2),
        "семинар",
        "ЦРО",
    )
    assert (record.source, record.source_ref) == (SupportRecord.Source.IMPORT, "")
    rollback_import(support.batch)
    assert not SupportRecord.objects.exists()
    assert Teacher.objects.filter(code="T-1").exists()


def test_results_rows_outside_the_clean_path_get_the_full_check():
    SchoolFactory(code="250101")
    result = run_import(
        get_kind("results"),
        csv(
            [
                RESULTS,
                ["250101", "2024", "впр", "Математика", "5", "50", "10", "4"],
                ["250101", "2024", "ОГЭ", "Русский\tязык", "9.0", "40", "2", "8"],
                ["250101", "2024", "ВПР", "Физика", "12", "10", "11", "0"],
                ["259999", "²⁰²⁴", "ВПР", "", "5", "-1", "0", "0"],
            ]
        ),
        "mixed.csv",
    )
    assert [row.action for row in result.rows] == ["add", "add", "reject", "reject"]
    physics, unknown = result.rejected
    assert any("Класс" in error for error in physics.errors)
    assert any("больше числа участников" in error for error in physics.errors)
    assert any("неизвестный код ОО" in error for error in unknown.errors)
    assert any("Предмет" in error for error in unknown.errors)
    assert not result.applied and not AssessmentResult.objects.exists()
    keys = [row.key for row in result.rows[:2]]
    assert keys[0] == str(("250101", 2024, "ВПР", "математика", 5))
    assert keys[1] == str(("250101", 2024, "ОГЭ", "русский язык", 9))
