"""Reading a CSV or XLSX file into a header and rows of strings.

CSV: UTF-8 with or without BOM, falling back to Windows-1251 (what Russian office software
still often writes); the delimiter, `,` or `;`, is detected from the header line.
XLSX: the first sheet. Empty rows are skipped but keep their place in the numbering, so a
row number in a message is the one the user sees in their spreadsheet. A cell holding a formula
that was never calculated (a file written by a program, not saved in Excel) has no value to
import: such cells are listed in `Table.formula_cells`, and the import rejects their rows.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _


class FileFormatError(Exception):
    """The file as a whole cannot be read; the message is for the user, in Russian."""


@dataclass
class Table:
    header: list[str]
    # (row number as in the spreadsheet, cells as strings)
    rows: list[tuple[int, list[str]]]
    # row number → indexes of the cells holding a formula without a calculated value (XLSX)
    formula_cells: dict[int, list[int]] = field(default_factory=dict)

    def cell_errors(self, number: int, indexes) -> list[str]:
        """Messages for the uncalculated formulas of this row among the given columns."""
        from openpyxl.utils import get_column_letter

        found = sorted(set(self.formula_cells.get(number, ())) & set(indexes))
        return [
            _(
                "в ячейке %(cell)s формула без вычисленного значения: "
                "сохраните файл в Excel или вставьте значения"
            )
            % {"cell": f"{get_column_letter(index + 1)}{number}"}
            for index in found
        ]


XLSX_MAGIC = b"PK\x03\x04"
MAX_FILE_SIZE = 20 * 1024 * 1024


def read_table(data: bytes, filename: str = "") -> Table:
    if not data:
        raise FileFormatError(_("Файл пуст."))
    if len(data) > MAX_FILE_SIZE:
        raise FileFormatError(_("Файл слишком большой: не более 20 МБ."))
    name = filename.lower()
    if name.endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        table = _read_xlsx(data)
    elif name.endswith((".xls", ".ods")):
        raise FileFormatError(
            _("Поддерживаются только файлы CSV и XLSX. Сохраните таблицу в формате XLSX.")
        )
    else:
        table = _read_csv(data)
    if not any(cell.strip() for cell in table.header):
        raise FileFormatError(_("В первой строке файла нет заголовков столбцов."))
    return table


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise FileFormatError(_("Файл не похож на текстовый CSV: в нём есть двоичные данные."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileFormatError(_("Не удалось определить кодировку файла. Сохраните его в UTF-8."))


def _detect_delimiter(first_line: str) -> str:
    # The header row decides: whichever of ';' and ',' splits it into more columns.
    return ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_delimiter(first_line))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FileFormatError(_("Файл CSV повреждён: %(error)s") % {"error": error}) from error
    if not rows:
        raise FileFormatError(_("Файл пуст."))
    header, body = rows[0], rows[1:]
    numbered = [
        (index + 2, row) for index, row in enumerate(body) if any(cell.strip() for cell in row)
    ]
    return Table(header=header, rows=numbered)


def _cell_to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # Spreadsheets store whole numbers as floats: 2024.0 is the year 2024.
        if value.is_integer():
            return str(int(value))
        return format(Decimal(str(value)), "f")
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    def open_workbook(data_only: bool):
        try:
            return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        except Exception as error:
            # openpyxl raises a zoo of errors for a broken archive (BadZipFile, KeyError, …);
            # for the user they all mean the same.
            raise FileFormatError(
                _("Не удалось прочитать файл XLSX: он повреждён или это другой формат.")
            ) from error

    workbook = open_workbook(data_only=True)
    try:
        sheet = workbook.worksheets[0]
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not values:
        raise FileFormatError(_("Первый лист файла пуст."))
    formula_cells: dict[int, list[int]] = {}
    if _has_formulas(data):
        # With data_only openpyxl gives the value Excel cached for a formula, or None when
        # none was cached; only a second read, of the formulas themselves, tells that None
        # from an empty cell. Most files have no formulas and are read once.
        workbook = open_workbook(data_only=False)
        try:
            cells = workbook.worksheets[0].iter_rows()
            for index, (row, cached) in enumerate(zip(cells, values, strict=False)):
                if index == 0:
                    continue
                missing = [
                    position
                    for position, cell in enumerate(row)
                    if getattr(cell, "data_type", None) == "f"
                    and position < len(cached)
                    and cached[position] is None
                ]
                if missing:
                    formula_cells[index + 1] = missing
        finally:
            workbook.close()
    rows = [[_cell_to_text(value) for value in row] for row in values]
    header, body = rows[0], rows[1:]
    numbered = [
        (index + 2, row)
        for index, row in enumerate(body)
        if any(cell.strip() for cell in row) or index + 2 in formula_cells
    ]
    return Table(header=header, rows=numbered, formula_cells=formula_cells)


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the package holds a formula: a scan of the raw XML, much
    cheaper than a second parse of the workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                    continue
                with archive.open(name) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        if FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError):
        return False
    return False
