"""Monitoring imports: the `schools` and `statuses` formats of domain.md, through
run_import and through `manage.py import_monitoring`."""

import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from monitoring.importing import FileFormatError, get_kind, read_table, run_import
from portal.models import School, SchoolStatus, Status
from tests.factories import SchoolFactory, SchoolStatusFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1

SCHOOLS_HEADER = ["code", "name", "short_name", "kind", "district", "address", "head", "email"]
SCHOOL_ROWS = [
    [
        "250101",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
        "МБОУ «СОШ № 1»",
        "СОШ",
        "Центральный",
        "г. Партизанск, ул. Ленинская, 15",
        "Ковалёва Ирина Викторовна",
        "sosh1@example.ru",
    ],
    [
        "250401",
        "Муниципальное автономное общеобразовательное учреждение «Гимназия № 1»",
        "МАОУ «Гимназия № 1»",
        "Гимназия",
        "Северный",
        "г. Партизанск, ул. Садовая, 3",
        "Лебедева Марина Юрьевна",
        "",
    ],
]


def csv_bytes(rows, delimiter=";", encoding="utf-8"):
    text = "\r\n".join(delimiter.join(_quote(cell, delimiter) for cell in row) for row in rows)
    return (text + "\r\n").encode(encoding)


def _quote(cell, delimiter):
    cell = str(cell)
    if delimiter in cell or '"' in cell or "\n" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def xlsx_bytes(rows, extra_sheet=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Данные"
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        other = workbook.create_sheet("Второй")
        for row in extra_sheet:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_schools(data, filename="schools.csv", **kwargs):
    return run_import(get_kind("schools"), data, filename, **kwargs)


def import_statuses(data, filename="statuses.csv", **kwargs):
    return run_import(get_kind("statuses"), data, filename, **kwargs)


def command(kind, path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_monitoring", kind, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_command(kind, path, *args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_monitoring", kind, str(path), *args, stdout=out, stderr=err)
    return str(excinfo.value), out.getvalue(), err.getvalue()


@pytest.fixture
def schools(db):
    return {
        code: SchoolFactory(code=code, short_name=name)
        for code, name in [
            ("250101", "МБОУ «СОШ № 1»"),
            ("250102", "МБОУ «СОШ № 2»"),
            ("250401", "МАОУ «Гимназия № 1»"),
        ]
    }


# --- schools: encodings, delimiters, headers ----------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8"), (",", "utf-8"), (";", "utf-8-sig"), (",", "utf-8-sig"), (";", "cp1251")],
    ids=["utf8-semicolon", "utf8-comma", "bom-semicolon", "bom-comma", "cp1251-semicolon"],
)
def test_schools_csv_encodings_and_delimiters(delimiter, encoding):
    data = csv_bytes([SCHOOLS_HEADER, *SCHOOL_ROWS], delimiter=delimiter, encoding=encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    result = import_schools(data)
    assert result.ok
    assert result.applied
    assert result.count("add") == 2
    school = School.objects.get(code="250101")
    assert school.short_name == "МБОУ «СОШ № 1»"
    assert school.name.endswith("«Средняя общеобразовательная школа № 1»")
    assert school.head == "Ковалёва Ирина Викторовна"
    assert school.address == "г. Партизанск, ул. Ленинская, 15"
    assert school.email == "sosh1@example.ru"
    assert School.objects.get(code="250401").district == "Северный"


def test_schools_header_by_russian_name_any_case_and_spaces():
    header = [
        " КОД  ОО ",
        "полное наименование",
        "Краткое Наименование",
        "тип",
        "РАЙОН",
        "Адрес",
        "руководитель",
        "EMAIL",
        "телефон",
        "сайт",
    ]
    row = [
        "250105",
        "МБОУ «Средняя общеобразовательная школа № 5»",
        "МБОУ «СОШ № 5»",
        "СОШ",
        "Южный",
        "ул. Мира, 5",
        "Иванов Иван Иванович",
        "sosh5@example.ru",
        "+7 (42363) 6-05-05",
        "sosh5.example.ru",
    ]
    result = import_schools(csv_bytes([header, row]))
    assert result.ok, result.rejected
    school = School.objects.get(code="250105")
    assert school.short_name == "МБОУ «СОШ № 5»"
    assert school.district == "Южный"
    assert school.phone == "+7 (42363) 6-05-05"
    # A website without a scheme gets https://.
    assert school.website == "https://sosh5.example.ru"


def test_schools_unknown_extra_columns_are_ignored():
    header = ["Примечание", *SCHOOLS_HEADER, "ИНН"]
    rows = [[f"прим {i}", *row, "2508000000"] for i, row in enumerate(SCHOOL_ROWS)]
    result = import_schools(csv_bytes([header, *rows]))
    assert result.ok
    assert School.objects.get(code="250101").short_name == "МБОУ «СОШ № 1»"


def test_schools_empty_short_name_uses_full_name():
    result = import_schools(csv_bytes([["code", "name"], ["250777", "Школа " + "о" * 300]]))
    assert result.ok
    school = School.objects.get(code="250777")
    assert school.short_name == school.name[:200]


def test_schools_xlsx_first_sheet():
    data = xlsx_bytes(
        [
            ["Код ОО", "Полное наименование", "Краткое наименование"],
            [250201, "ООШ № 14", "МБОУ «ООШ № 14»"],
        ],
        extra_sheet=[["code", "name"], ["999999", "Не та школа"]],
    )
    result = import_schools(data, "реестр.xlsx")
    assert result.ok
    assert list(School.objects.values_list("code", "short_name")) == [("250201", "МБОУ «ООШ № 14»")]


def test_xlsx_detected_by_content_without_extension():
    data = xlsx_bytes([["code", "name"], ["250202", "ООШ № 27"]])
    assert import_schools(data, "upload").ok
    assert School.objects.filter(code="250202").exists()


def test_repeated_school_code_updates_the_school():
    SchoolFactory(code="250101", name="Старое наименование", short_name="Старое")
    result = import_schools(csv_bytes([SCHOOLS_HEADER, *SCHOOL_ROWS]))
    assert result.ok
    assert [row.action for row in result.rows] == ["update", "add"]
    assert School.objects.filter(code="250101").count() == 1
    assert School.objects.get(code="250101").short_name == "МБОУ «СОШ № 1»"


def test_key_repeated_inside_the_file_later_row_wins():
    rows = [["code", "name"], ["250300", "Первое"], ["250300", "Второе"]]
    result = import_schools(csv_bytes(rows))
    assert [row.action for row in result.rows] == ["add", "update"]
    assert School.objects.get(code="250300").name == "Второе"


def test_schools_dry_run_saves_nothing_but_counts():
    SchoolFactory(code="250101", name="Старое наименование", short_name="Старое")
    result = import_schools(csv_bytes([SCHOOLS_HEADER, *SCHOOL_ROWS]), dry_run=True)
    assert result.ok
    assert not result.applied
    assert (result.count("add"), result.count("update")) == (1, 1)
    assert School.objects.count() == 1
    assert School.objects.get(code="250101").short_name == "Старое"


# --- schools: bad rows ---------------------------------------------------------------------------


def test_schools_bad_email_rejects_the_whole_file():
    rows = [SCHOOLS_HEADER, SCHOOL_ROWS[0], [*SCHOOL_ROWS[1][:7], "не-почта"]]
    result = import_schools(csv_bytes(rows))
    assert not result.ok
    assert not result.applied
    assert [(row.number, row.action) for row in result.rows] == [(2, "add"), (3, "reject")]
    assert result.rejected[0].errors == ["некорректный адрес электронной почты «не-почта»"]
    assert not School.objects.exists()


def test_schools_missing_code_and_name_reported_together():
    result = import_schools(csv_bytes([["code", "name", "email"], ["", "", "плохо"]]))
    assert result.rejected[0].errors == [
        "не заполнено поле «Код ОО»",
        "не заполнено поле «Полное наименование»",
        "некорректный адрес электронной почты «плохо»",
    ]


def test_schools_too_long_value_is_a_bad_row():
    result = import_schools(csv_bytes([["code", "name", "phone"], ["250101", "Школа", "1" * 61]]))
    assert result.rejected[0].errors == ["«Телефон»: не длиннее 60 символов"]


def test_schools_bad_website_is_a_bad_row():
    result = import_schools(
        csv_bytes([["code", "name", "website"], ["250101", "Школа", "не сайт"]])
    )
    assert result.rejected[0].errors == ["некорректный адрес сайта «не сайт»"]


def test_schools_website_over_limit_after_adding_scheme():
    website = "example.ru/" + "a" * 184
    assert len(website) == 195
    try:
        result = import_schools(
            csv_bytes([["code", "name", "website"], ["250101", "Школа", website]])
        )
    except Exception as error:  # DataError on PostgreSQL
        pytest.fail(f"import crashed: {error!r}")
    if result.ok:
        assert len(School.objects.get(code="250101").website) <= 200
    else:
        assert "200" in " ".join(result.rejected[0].errors)


# --- statuses ------------------------------------------------------------------------------------


def test_statuses_import_creates_confirmed_statuses(schools):
    rows = [
        ["school_code", "year", "status", "basis"],
        ["250101", "2024", "ШНОР", "перечень Рособрнадзора"],
        ["250102", "2024", "ШНСУ", ""],
        ["250401", "2024", "лидер", "приказ УО № 7"],
    ]
    result = import_statuses(csv_bytes(rows))
    assert result.ok and result.applied
    assert {
        (s.school.code, s.year, s.status, s.basis, s.confirmed, s.source)
        for s in SchoolStatus.objects.select_related("school")
    } == {
        ("250101", 2024, "ШНОР", "перечень Рособрнадзора", True, "import"),
        ("250102", 2024, "ШНСУ", "", True, "import"),
        ("250401", 2024, "лидер", "приказ УО № 7", True, "import"),
    }
    assert set(SchoolStatus.objects.targets(2024).values_list("school__code", flat=True)) == {
        "250101",
        "250102",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("шнор", Status.SHNOR),
        (" ШНОР ", Status.SHNOR),
        ("Шнсу", Status.SHNSU),
        ("Лидер", Status.LEADER),
        ("ЛИДЕР", Status.LEADER),
        ("Школа-лидер", Status.LEADER),
        ("", Status.NONE),
    ],
)
def test_status_values_ignore_case(schools, value, expected):
    result = import_statuses(csv_bytes([["Код ОО", "Год", "Статус"], ["250101", "2023", value]]))
    assert result.ok, result.rejected
    assert SchoolStatus.objects.get(school__code="250101", year=2023).status == expected


def test_empty_status_replaces_earlier_status_of_the_year(schools):
    SchoolStatusFactory(school=schools["250101"], year=2024, status=Status.SHNOR)
    result = import_statuses(csv_bytes([["Код ОО", "Год", "Статус"], ["250101", "2024", ""]]))
    assert result.ok
    assert [row.action for row in result.rows] == ["update"]
    assert SchoolStatus.objects.get(school__code="250101", year=2024).status == Status.NONE
    assert not SchoolStatus.objects.targets(2024).exists()


def test_repeated_school_and_year_updates_the_status(schools):
    SchoolStatusFactory(school=schools["250101"], year=2023, status=Status.SHNOR, basis="старое")
    rows = [
        ["Код ОО", "Год", "Статус", "Основание"],
        ["250101", "2023", "лидер", "новое основание"],
        ["250101", "2024", "лидер", ""],
    ]
    result = import_statuses(csv_bytes(rows))
    assert [row.action for row in result.rows] == ["update", "add"]
    assert SchoolStatus.objects.filter(school__code="250101").count() == 2
    record = SchoolStatus.objects.get(school__code="250101", year=2023)
    assert (record.status, record.basis) == (Status.LEADER, "новое основание")


def test_statuses_xlsx_with_numbers(schools):
    data = xlsx_bytes(
        [
            ["Код ОО", "Год", "Статус", "Основание"],
            [250101, 2022, "ШНОР", None],
            [250102, 2022.0, None, "—"],
        ]
    )
    result = import_statuses(data, "statuses.xlsx")
    assert result.ok, result.rejected
    assert SchoolStatus.objects.get(school__code="250101", year=2022).status == Status.SHNOR
    assert SchoolStatus.objects.get(school__code="250102", year=2022).status == Status.NONE


def test_statuses_dry_run(schools):
    SchoolStatusFactory(school=schools["250101"], year=2024, status=Status.SHNOR)
    rows = [["Код ОО", "Год", "Статус"], ["250101", "2024", "лидер"], ["250102", "2024", "ШНОР"]]
    result = import_statuses(csv_bytes(rows), dry_run=True)
    assert result.ok and not result.applied
    assert (result.count("add"), result.count("update")) == (1, 1)
    assert list(SchoolStatus.objects.values_list("status", flat=True)) == ["ШНОР"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["999999", "2024", "ШНОР"], "неизвестный код ОО «999999»"),
        (
            ["250101", "1899", "ШНОР"],
            f"«Год»: значение 1899 вне допустимого диапазона 2000–{NEXT_YEAR}",
        ),
        (
            ["250101", "3000", "ШНОР"],
            f"«Год»: значение 3000 вне допустимого диапазона 2000–{NEXT_YEAR}",
        ),
        (["250101", str(NEXT_YEAR + 1), "ШНОР"], "вне допустимого диапазона"),
        (["250101", "2024", "ШНОР?"], "неизвестный статус «ШНОР?»"),
        (["250101", "двадцать", "ШНОР"], "«Год»: ожидается целое число, а не «двадцать»"),
        (["250101", "2024.5", "ШНОР"], "«Год»: ожидается целое число, а не «2024.5»"),
        (["250101", "-2024", "ШНОР"], "«Год»: отрицательное число -2024"),
        (["250101", "", "ШНОР"], "не заполнено поле «Год»"),
        (["", "2024", "ШНОР"], "не заполнено поле «Код ОО»"),
    ],
)
def test_statuses_bad_row_saves_nothing(schools, row, message):
    rows = [
        ["Код ОО", "Год", "Статус"],
        ["250102", "2024", "ШНОР"],
        row,
        ["250401", "2024", "лидер"],
    ]
    result = import_statuses(csv_bytes(rows))
    assert not result.ok
    assert not result.applied
    assert [(r.number, r.action) for r in result.rows] == [(2, "add"), (3, "reject"), (4, "add")]
    assert any(message in error for error in result.rejected[0].errors), result.rejected[0].errors
    assert not SchoolStatus.objects.exists()


def test_statuses_year_bounds_are_inclusive(schools):
    rows = [
        ["Код ОО", "Год", "Статус"],
        ["250101", "2000", "ШНОР"],
        ["250102", str(NEXT_YEAR), "ШНОР"],
    ]
    assert import_statuses(csv_bytes(rows)).ok
    assert SchoolStatus.objects.count() == 2


def test_row_numbers_count_empty_rows(schools):
    data = "Код ОО;Год;Статус\n250101;2024;ШНОР\n\n;;\n999999;2024;ШНОР\n".encode()
    result = import_statuses(data)
    assert [(r.number, r.action) for r in result.rows] == [(2, "add"), (5, "reject")]


def test_all_errors_of_a_row_reported_together(schools):
    result = import_statuses(csv_bytes([["Код ОО", "Год", "Статус"], ["999999", "1899", "ШНОР?"]]))
    errors = result.rejected[0].errors
    assert len(errors) == 3
    assert errors[0] == "неизвестный код ОО «999999»"


# --- whole-file problems ------------------------------------------------------------------------


def test_missing_required_column_is_a_file_error(schools):
    with pytest.raises(FileFormatError) as excinfo:
        import_statuses(csv_bytes([["Код ОО", "Статус"], ["250101", "ШНОР"]]))
    assert str(excinfo.value) == "В файле нет обязательных столбцов: «Год» (year)."


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "Файл пуст."),
        (b"\x00\x01\x02\x03binary\x00", "x.csv", "Файл не похож на текстовый CSV"),
        (b"PK\x03\x04 this is not a zip archive", "x.xlsx", "Не удалось прочитать файл XLSX"),
        (b"garbage", "x.xlsx", "Не удалось прочитать файл XLSX"),
        (b"whatever", "old.xls", "Поддерживаются только файлы CSV и XLSX"),
        (b";;;\n1;2;3\n", "x.csv", "В первой строке файла нет заголовков столбцов."),
        (b"\n\n", "x.csv", "В первой строке файла нет заголовков столбцов."),
    ],
)
def test_unreadable_files_give_russian_errors(data, filename, message):
    with pytest.raises(FileFormatError) as excinfo:
        read_table(data, filename)
    assert message in str(excinfo.value)


def test_header_only_file_imports_nothing():
    result = import_schools(csv_bytes([SCHOOLS_HEADER]))
    assert result.ok
    assert result.rows == []
    assert not result.applied


def test_unknown_kind():
    with pytest.raises(ValueError, match="Неизвестный вид данных «grades»"):
        get_kind("grades")


# --- the management command ----------------------------------------------------------------------


def test_command_imports_schools(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes([SCHOOLS_HEADER, *SCHOOL_ROWS], encoding="utf-8-sig"))
    out, err = command("schools", path)
    assert "Строк: 2; добавить: 2, обновить: 0, отклонено: 0." in out and "Импорт выполнен" in out
    assert err == ""
    assert School.objects.count() == 2


def test_command_dry_run(tmp_path, schools):
    path = tmp_path / "statuses.csv"
    path.write_bytes(
        csv_bytes(
            [["Код ОО", "Год", "Статус"], ["250101", "2024", "шнор"], ["250101", "2024", "лидер"]]
        )
    )
    out, _err = command("statuses", path, "--dry-run")
    assert "Проверка без сохранения. Строк: 2; добавить: 1, обновить: 1, отклонено: 0." in out
    assert not SchoolStatus.objects.exists()


def test_command_xlsx(tmp_path, schools):
    path = tmp_path / "statuses.xlsx"
    path.write_bytes(xlsx_bytes([["school_code", "year", "status"], ["250401", 2024, "Лидер"]]))
    out, _err = command("statuses", path)
    assert "добавить: 1" in out
    assert SchoolStatus.objects.get(school__code="250401", year=2024).status == Status.LEADER


def test_command_bad_rows_list_row_numbers_and_save_nothing(tmp_path, schools):
    path = tmp_path / "statuses.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Код ОО", "Год", "Статус", "Основание"],
                ["250101", "2024", "ШНОР", "ok"],
                ["999999", "2024", "ШНОР", ""],
                ["250102", "1899", "ШНОР", ""],
                ["250401", "2024", "лидер", ""],
                ["250102", "3000", "ШНОР?", ""],
                ["250102", "2024г", "ШНСУ", ""],
            ],
            encoding="cp1251",
        )
    )
    message, out, err = failing_command("statuses", path)
    assert "Строк: 6; добавить: 2, обновить: 0, отклонено: 4." in message
    assert "Файл не импортирован" in message
    lines = err.strip().splitlines()
    assert lines == [
        "Строка 3: неизвестный код ОО «999999»",
        f"Строка 4: «Год»: значение 1899 вне допустимого диапазона 2000–{NEXT_YEAR}",
        f"Строка 6: «Год»: значение 3000 вне допустимого диапазона 2000–{NEXT_YEAR}; "
        "неизвестный статус «ШНОР?»: допустимы ШНОР, ШНСУ, лидер или пустое значение",
        "Строка 7: «Год»: ожидается целое число, а не «2024г»",
    ]
    assert "Импорт выполнен" not in out
    assert not SchoolStatus.objects.exists()


def test_command_bad_email_in_schools(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(
        csv_bytes([SCHOOLS_HEADER, SCHOOL_ROWS[0], [*SCHOOL_ROWS[1][:7], "x@"]], delimiter=",")
    )
    message, _out, err = failing_command("schools", path)
    assert "отклонено: 1" in message
    assert err.strip() == "Строка 3: некорректный адрес электронной почты «x@»"
    assert not School.objects.exists()


def test_command_bad_rows_in_dry_run_also_fail(tmp_path, schools):
    path = tmp_path / "statuses.csv"
    path.write_bytes(csv_bytes([["Код ОО", "Год", "Статус"], ["250101", "1899", "ШНОР"]]))
    message, _out, err = failing_command("statuses", path, "--dry-run")
    assert "отклонено: 1" in message
    assert err.startswith("Строка 2: ")


def test_command_missing_column(tmp_path):
    path = tmp_path / "statuses.csv"
    path.write_bytes(csv_bytes([["school_code", "year"], ["250101", "2024"]]))
    message, _out, _err = failing_command("statuses", path)
    assert message == "statuses.csv: В файле нет обязательных столбцов: «Статус» (status)."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Файл пуст."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "двоичные данные"),
        (b"PK\x03\x04broken", "Не удалось прочитать файл XLSX"),
    ],
)
def test_command_unreadable_file(tmp_path, content, message):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    error, _out, _err = failing_command("schools", path)
    assert error.startswith("data.csv: ")
    assert message in error


def test_command_file_not_found(tmp_path):
    error, _out, _err = failing_command("schools", tmp_path / "nope.csv")
    assert error == f"Файл не найден: {tmp_path / 'nope.csv'}"


def test_command_unknown_kind(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a;b\n")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_monitoring", "grades", str(path))
