"""The indicators as CSV (UTF-8 with BOM, `;`, decimal commas, as Russian spreadsheets expect),
XLSX and JSON. Built from the same figures as the pages, so the same rules apply: withheld
values stay withheld, the breakdown by school is there only for those allowed to see it."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import indicator_format as fmt
from .indicator_selectors import CODES, Figure, IndicatorSeries, breakdown
from .indicators import DEFINITIONS, Indicator

HEADER = [
    "Год",
    "Код",
    "Показатель",
    "Значение",
    "Единица",
    "Числитель",
    "Знаменатель",
    "Целевое значение",
    "Цель достигнута",
    "Предыдущий год",
    "Изменение, п. п.",
    "Примечание",
]
SCHOOL_HEADER = [
    "Год",
    "Код",
    "Показатель",
    "Код ОО",
    "ОО",
    "Значение",
    "Единица",
    "Числитель",
    "Знаменатель",
]


def _number(value: float | None, code: str, as_text: bool):
    """Shares in percent (62.5), counts as they are; text with a decimal comma for CSV."""
    if value is None:
        return "" if as_text else None
    if code == "IND-8":
        return int(value)
    percent = round(value * 100, 2)
    return fmt.decimal_comma(percent, 2) if as_text else percent


def _met(figure: Figure) -> str:
    if figure.code == "IND-3" or figure.target is None or figure.withheld:
        return ""
    return {True: "да", False: "нет", None: ""}[figure.met]


def figure_row(figure: Figure, as_text: bool) -> list:
    unit = "договоров" if figure.code == "IND-8" else "%"
    hidden = figure.withheld
    change = figure.change if figure.code == "IND-3" and not hidden else None
    return [
        figure.year,
        figure.code,
        str(DEFINITIONS[figure.code].title),
        _number(None if hidden else figure.value, figure.code, as_text),
        unit,
        "" if hidden or figure.numerator is None else figure.numerator,
        "" if hidden or figure.denominator is None else figure.denominator,
        _number(figure.target, figure.code, as_text),
        _met(figure),
        _number(figure.previous, figure.code, as_text) if figure.code == "IND-3" else "",
        _number(change, figure.code, as_text),
        fmt.WITHHELD if hidden else ("" if figure.value is not None else fmt.NO_DATA),
    ]


def school_rows(code: str, computed: dict[int, dict[str, Indicator]], user, as_text: bool):
    """The breakdown by school of one indicator for every year, as far as the user may see."""
    rows = []
    for year, indicators in computed.items():
        indicator = indicators[code]
        found = breakdown(indicator, user, set(indicators["IND-1"].denominator_schools))
        for row in found["rows"]:
            pair = indicator.by_school.get(row["school"].pk)
            if pair is None:
                value, numerator, denominator = None, "", ""
            else:
                numerator, denominator = pair
                value = numerator / denominator if denominator else None
            rows.append(
                [
                    year,
                    code,
                    str(DEFINITIONS[code].title),
                    row["school"].code,
                    row["school"].short_name,
                    _number(value, code, as_text),
                    "%",
                    numerator,
                    denominator,
                ]
            )
    return rows


def to_csv(rows: list[list], school_rows_: list[list] | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    if school_rows_ is not None:
        writer.writerow([])
        writer.writerow(SCHOOL_HEADER)
        writer.writerows(school_rows_)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, title in enumerate(header, start=1):
        width = max([len(str(title))] + [len(str(r[index - 1] or "")) for r in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def to_xlsx(rows: list[list], school_rows_: list[list] | None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Показатели"
    _sheet(sheet, HEADER, rows)
    if school_rows_ is not None:
        _sheet(book.create_sheet("По школам"), SCHOOL_HEADER, school_rows_)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(
    all_series: dict[str, IndicatorSeries],
    years: list[int],
    codes: list[str],
    schools: dict[str, list[list]] | None,
) -> bytes:
    data = {
        "years": years,
        "indicators": {
            code: {
                "title": str(DEFINITIONS[code].title),
                "unit": DEFINITIONS[code].unit,
                "values": {str(f.year): f.as_export() for f in all_series[code].figures},
            }
            for code in codes
        },
    }
    if schools is not None:
        for code, rows in schools.items():
            data["indicators"][code]["by_school"] = [
                {
                    "year": row[0],
                    "school_code": row[3],
                    "school": row[4],
                    "value": None if row[5] is None else row[5] / 100,
                    "numerator": row[7] if row[7] != "" else None,
                    "denominator": row[8] if row[8] != "" else None,
                }
                for row in rows
            ]
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def export(fmt_name: str, code: str | None, all_series, computed, years, user) -> bytes:
    """The dashboard's values for all years, or one indicator with its breakdown by school
    (the breakdown only for those allowed; for anyone else it is left out)."""
    codes = [code] if code else CODES
    as_text = fmt_name == "csv"
    rows = [figure_row(f, as_text) for c in codes for f in all_series[c].figures]
    by_school = None
    if code and code != "IND-8":
        found = school_rows(code, computed, user, as_text=False)
        if found or _may_see_breakdown(user):
            by_school = found
    if fmt_name == "csv":
        text_rows = None
        if by_school is not None:
            text_rows = [
                row[:5] + [_number(_share(row), code, True)] + row[6:] for row in by_school
            ]
        return to_csv(rows, text_rows)
    if fmt_name == "xlsx":
        return to_xlsx(rows, by_school)
    return to_json(all_series, years, codes, {code: by_school} if by_school is not None else None)


def _share(row: list) -> float | None:
    return None if row[5] is None else row[5] / 100


def _may_see_breakdown(user) -> bool:
    from .access import visible_schools

    return visible_schools(user) != set()
