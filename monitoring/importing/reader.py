"""Reading a CSV or XLSX file into a header and rows of strings.

CSV: UTF-8 with or without BOM, falling back to Windows-1251 (what Russian office software
still often writes); the delimiter, `,` or `;`, is detected from the header line.
XLSX: the first sheet. Empty rows are skipped but keep their place in the numbering, so a
row number in a message is the one the user sees in their spreadsheet.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


class FileFormatError(Exception):
    """The file as a whole cannot be read; the message is for the user, in Russian."""


@dataclass
class Table:
    header: list[str]
    # (row number as in the spreadsheet, cells as strings)
    rows: list[tuple[int, list[str]]]


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

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises a zoo of errors for a broken archive (BadZipFile, KeyError, …);
        # for the user they all mean the same.
        raise FileFormatError(
            _("Не удалось прочитать файл XLSX: он повреждён или это другой формат.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_to_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise FileFormatError(_("Первый лист файла пуст."))
    header, body = rows[0], rows[1:]
    numbered = [
        (index + 2, row) for index, row in enumerate(body) if any(cell.strip() for cell in row)
    ]
    return Table(header=header, rows=numbered)
