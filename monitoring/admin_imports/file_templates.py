"""Empty files of every import kind, for the user to fill in: a CSV with the Russian column
names (UTF-8 with BOM and `;`, what Russian Excel opens correctly) and an XLSX."""

import csv
import io

from monitoring.importing import ImportKind


def template_csv(kind: ImportKind) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(
        [column.russian for column in kind.columns]
    )
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: ImportKind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.title)[:31]
    sheet.append([column.russian for column in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=column.required)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.russian) + 4)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
