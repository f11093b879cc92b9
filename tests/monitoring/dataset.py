"""A small monitoring dataset whose indicators and screening are computed by hand in the
tests. Loaded through the import formats of domain.md, as the department would."""

from monitoring.importing import get_kind, run_import
from monitoring.models import ImprovementProgramme
from portal.models import SchoolStatus, Status
from tests.factories import SchoolFactory, SchoolStatusFactory


def csv(rows: list[list]) -> bytes:
    return ("\n".join(";".join(str(cell) for cell in row) for row in rows) + "\n").encode()


def load(kind: str, rows: list[list]) -> None:
    result = run_import(get_kind(kind), csv(rows), f"{kind}.csv")
    assert result.ok and result.applied, [row.errors for row in result.rejected]


RESULTS = [
    [
        "Код ОО",
        "Год",
        "Процедура",
        "Предмет",
        "Класс",
        "Участников",
        "Неудовлетворительно",
        "Высокий результат",
    ],
    # A: target in 2023 and 2024.
    ["A1", 2024, "ЕГЭ", "Русский язык", 11, 20, 2, 3],
    ["A1", 2024, "ОГЭ", "Математика", 9, 30, 6, 1],
    ["A1", 2024, "ВПР", "История", 5, 25, 5, 0],
    ["A1", 2023, "ОГЭ", "Математика", 9, 40, 12, 0],
    ["A1", 2023, "ВПР", "Русский язык", 5, 10, 3, 0],
    # B: target in 2024 only; the subject's case differs; ГВЭ counts in F, not in screening.
    ["B1", 2024, "ОГЭ", " математика ", 9, 10, 1, 0],
    ["B1", 2024, "ГВЭ", "Русский язык", 9, 2, 1, 0],
    # C: a leader.
    ["C1", 2024, "ОГЭ", "Математика", 9, 50, 0, 20],
    ["C1", 2023, "ОГЭ", "Математика", 9, 50, 1, 18],
    # D: only a proposed (unconfirmed) status.
    ["D1", 2024, "ВПР", "Математика", 5, 20, 8, 0],
    ["D1", 2024, "ВПР", "Биология", 5, 10, 1, 0],
    # E: only ГВЭ.
    ["E1", 2024, "ГВЭ", "Математика", 9, 3, 0, 0],
    # F: results too old for the screening of 2024.
    ["F1", 2022, "ОГЭ", "Математика", 9, 10, 9, 0],
    # G: exactly on the thresholds (15 % and 5 %).
    ["G1", 2023, "ВПР", "Русский язык", 4, 20, 3, 1],
]

STAFF = [
    ["school_code", "year", "teacher_code", "full_name", "position", "subjects"],
    ["A1", 2024, "t1", "Иванова Анна Петровна", "учитель", "Математика"],
    ["A1", 2024, "t2", "Петров Пётр Ильич", "учитель", "Математика; Информатика"],
    ["A1", 2024, "t3", "Сидорова Вера Олеговна", "учитель", "Русский язык"],
    ["B1", 2024, "t3", "Сидорова Вера Олеговна", "учитель", "Русский язык"],
    ["B1", 2024, "t4", "Козлов Игорь Семёнович", "учитель", "Физика"],
    ["B1", 2024, "t5", "Орлова Нина Павловна", "учитель", "Химия"],
    ["C1", 2024, "t6", "Лебедева Ольга Ивановна", "учитель", "Математика"],
    ["A1", 2023, "t1", "Иванова Анна Петровна", "учитель", "Математика"],
    ["A1", 2023, "t2", "Петров Пётр Ильич", "учитель", "Математика"],
]

SUPPORT = [
    ["teacher_code", "date", "form", "title", "provider"],
    ["t1", "01.03.2024", "курсы", "Формирующее оценивание", "ПК ИРО"],
    ["t4", "2023-06-01", "консультация", "Подготовка к ОГЭ", "ГМЦ"],
    ["t2", "2023-12-31", "семинар", "Смысловое чтение", "ГМЦ"],
    ["t6", "2024-05-05", "МО", "Заседание МО", "ГМЦ"],
]

DIAGNOSTICS = [
    ["teacher_code", "date", "kind", "subject", "score", "deficits"],
    ["t1", "2023-05-10", "предметная", "Математика", 60, "геометрия"],
    ["t1", "2024-04-01", "предметная", "математика", 70, ""],
    ["t1", "2024-02-01", "методическая", "", 50, "оценивание"],
    ["t2", "2022-05-01", "предметная", "Математика", 50, ""],
    ["t2", "2024-05-01", "предметная", "Математика", 40, ""],
    ["t2", "2023-01-01", "методическая", "", 30, ""],
    ["t2", "2024-01-01", "методическая", "", 40, ""],
    ["t3", "2024-03-01", "предметная", "Русский язык", 55, ""],
    ["t3", "2024-09-01", "предметная", "русский язык ", "65,5", ""],
    ["t3", "2025-01-10", "предметная", "Русский язык", 10, ""],
    ["t4", "2023-03-01", "предметная", "Физика", 70, ""],
    ["t6", "2023-03-01", "предметная", "Математика", 70, ""],
    ["t6", "2024-03-01", "предметная", "Математика", 90, ""],
]


def build():
    schools = {
        code: SchoolFactory(code=code, short_name=f"Школа {code}")
        for code in ("A1", "B1", "C1", "D1", "E1", "F1", "G1")
    }
    SchoolStatusFactory(school=schools["A1"], year=2021, status=Status.SHNOR)
    SchoolStatusFactory(school=schools["A1"], year=2023, status=Status.SHNOR)
    SchoolStatusFactory(school=schools["A1"], year=2024, status=Status.SHNOR)
    SchoolStatusFactory(school=schools["B1"], year=2024, status=Status.SHNSU)
    SchoolStatusFactory(school=schools["C1"], year=2024, status=Status.LEADER)
    for year in (2022, 2024):
        SchoolStatusFactory(
            school=schools["D1"],
            year=year,
            status=Status.SHNOR,
            confirmed=False,
            source=SchoolStatus.Source.SCREENING,
        )
    load("results", RESULTS)
    load("staff", STAFF)
    load("support", SUPPORT)
    load("diagnostics", DIAGNOSTICS)
    approved = ImprovementProgramme.State.APPROVED
    ImprovementProgramme.objects.create(
        school=schools["A1"], start_year=2022, end_year=2024, state=approved
    )
    ImprovementProgramme.objects.create(
        school=schools["B1"], start_year=2025, end_year=2026, state=approved
    )
    ImprovementProgramme.objects.create(
        school=schools["B1"],
        start_year=2024,
        end_year=2024,
        state=ImprovementProgramme.State.DRAFT,
    )
    return schools
