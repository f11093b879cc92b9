"""XLSX cells holding a formula that was never calculated: openpyxl reads them as empty, so
the reader lists them and the import rejects their rows with a message saying what to do."""

import io
import re
import zipfile

import openpyxl
import pytest

from monitoring.importing import get_kind, read_table, run_import
from monitoring.importing.reader import _has_formulas
from monitoring.models import AssessmentResult
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Код ОО",
    "Год",
    "Процедура",
    "Предмет",
    "Класс",
    "Участников",
    "Неудовлетворительно",
    "Высокий результат",
    "Примечание",
]
MESSAGE = (
    "в ячейке {cell} формула без вычисленного значения: "
    "сохраните файл в Excel или вставьте значения"
)


def workbook_bytes(rows) -> bytes:
    # openpyxl writes formulas without a cached value, as a program generating a file does.
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_values(data: bytes, value: str) -> bytes:
    """The same package with every formula's cached value filled, as Excel saves it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"(</f>)<v\s*/>", rb"\1<v>" + value.encode() + b"</v>", content)
            target.writestr(item, content)
    return buffer.getvalue()


@pytest.fixture
def school(db):
    return SchoolFactory(code="250101")


def test_uncalculated_formula_rejects_its_row_with_the_cell(school):
    data = workbook_bytes(
        [
            HEADER,
            ["250101", 2024, "ЕГЭ", "Математика", 11, 20, 3, 2, ""],
            ["250101", 2024, "ЕГЭ", "Русский язык", 11, "=F2+5", 1, 0, ""],
        ]
    )
    result = run_import(get_kind("results"), data, "results.xlsx")
    assert [(row.number, row.errors) for row in result.rejected] == [
        (3, [MESSAGE.format(cell="F3"), "не заполнено поле «Участников»"])
    ]
    assert not result.applied
    assert not AssessmentResult.objects.exists()


def test_all_formula_cells_of_a_row_are_reported(school):
    data = workbook_bytes(
        [HEADER, ["250101", "=2023+1", "ЕГЭ", "Математика", 11, 20, "=F2/10", 2, ""]]
    )
    result = run_import(get_kind("results"), data, "results.xlsx", dry_run=True)
    errors = result.rejected[0].errors
    assert errors[:2] == [MESSAGE.format(cell="B2"), MESSAGE.format(cell="G2")]


def test_formula_in_an_ignored_column_does_not_reject_the_row(school):
    data = workbook_bytes(
        [HEADER, ["250101", 2024, "ЕГЭ", "Математика", 11, 20, 3, 2, '=CONCAT("a","b")']]
    )
    result = run_import(get_kind("results"), data, "results.xlsx")
    assert result.ok and result.applied
    assert AssessmentResult.objects.get().participants == 20


def test_formula_with_a_cached_value_is_read_as_that_value(school):
    data = with_cached_values(
        workbook_bytes([HEADER, ["250101", 2024, "ЕГЭ", "Математика", 11, "=10+15", 3, 2, ""]]),
        "25",
    )
    result = run_import(get_kind("results"), data, "results.xlsx")
    assert result.ok and result.applied
    assert AssessmentResult.objects.get().participants == 25


def test_row_of_only_uncalculated_formulas_is_not_skipped_as_empty():
    data = workbook_bytes([["Код ОО", "Год"], ["=A1", "=B1"], ["250101", 2024]])
    table = read_table(data, "x.xlsx")
    assert [number for number, _cells in table.rows] == [2, 3]
    assert table.formula_cells == {2: [0, 1]}
    assert table.cell_errors(2, [1]) == [MESSAGE.format(cell="B2")]


def test_files_without_formulas_are_read_once():
    plain = workbook_bytes([HEADER, ["250101", 2024]])
    assert not _has_formulas(plain)
    assert _has_formulas(workbook_bytes([HEADER, ["=1+1"]]))
    assert read_table(plain, "x.xlsx").formula_cells == {}


def test_empty_rows_are_still_skipped_and_keep_their_numbers(school):
    data = workbook_bytes(
        [HEADER, ["250101", 2024, "ЕГЭ", "Математика", 11, 20, 3, 2], [], [None, None], ["x"]]
    )
    table = read_table(data, "x.xlsx")
    assert [number for number, _cells in table.rows] == [2, 5]
