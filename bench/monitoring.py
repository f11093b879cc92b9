"""Monitoring at a region's scale: the results import and the indicator engine.

Run with `make bench-monitoring` against the database in DATABASE_URL (PostgreSQL is what the
targets are for). It adds 1 000 schools with codes 9xxxxx (removed and rebuilt on every run;
the rest of the database is left alone) and measures, best of RUNS runs:

(a) `run_import(get_kind("results"), …)` of a 200 000-row results CSV (1 000 schools × 5 years
    × 40 procedure/subject/grade rows) into an empty table — target under 60 s — and the
    re-import of the same 200 000 keys with other figures, i.e. as updates;
(b) `compute_indicators([Y-4 … Y])` over 1 000 schools × 5 years of statuses, staff lists
    (30 teachers per school), diagnostics and support records — target under 2 s.

The results go to docs/benchmarks.md between the monitoring markers; other sections of that
file belong to other scripts and are kept as they are. The CSV is generated in memory.
"""

import datetime
import io
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from monitoring.importing import get_kind, run_import  # noqa: E402
from monitoring.indicators import compute_indicators  # noqa: E402
from monitoring.models import (  # noqa: E402
    AssessmentResult,
    Diagnostic,
    ImportBatch,
    ImprovementProgramme,
    StaffEntry,
    SupportRecord,
    Teacher,
)
from portal.models import School, SchoolStatus  # noqa: E402

SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TEACHERS_PER_SCHOOL = 30
LAST_YEAR = 2024
YEARS = list(range(LAST_YEAR - 4, LAST_YEAR + 1))
CODE_PREFIX = "9"
TEACHER_PREFIX = "BENCH-"
# 40 rows per school and year: ВПР 4–8 (Russian, maths, 2 more), ОГЭ and ЕГЭ, a ГВЭ.
ROWS_PER_SCHOOL_YEAR = [
    *(
        ("ВПР", subject, grade)
        for grade in (4, 5, 6, 7, 8)
        for subject in ("Русский язык", "Математика", "История", "Биология")
    ),
    *(
        ("ОГЭ", subject, 9)
        for subject in (
            "Русский язык",
            "Математика",
            "Обществознание",
            "Информатика",
            "География",
            "Биология",
            "Физика",
            "Химия",
        )
    ),
    *(
        ("ЕГЭ", subject, 11)
        for subject in (
            "Русский язык",
            "Математика",
            "Обществознание",
            "Физика",
            "История",
            "Биология",
            "Химия",
            "Информатика",
            "Английский язык",
        )
    ),
    *(("ГВЭ", subject, 9) for subject in ("Русский язык", "Математика", "Обществознание")),
]
DEFICITS = [
    "формирующее оценивание",
    "смысловое чтение",
    "подготовка к ГИА",
    "работа с детьми с ОВЗ",
]


def school_codes() -> list[str]:
    return [f"{CODE_PREFIX}{n:05d}" for n in range(1, SCHOOLS + 1)]


def clean() -> None:
    """Remove what an earlier run added (fast raw deletes: no signals, no cascades needed)."""
    codes = school_codes()
    ids = list(School.objects.filter(code__in=codes).values_list("pk", flat=True))
    teachers = Teacher.objects.filter(code__startswith=TEACHER_PREFIX)
    for queryset in (
        SupportRecord.objects.filter(teacher__code__startswith=TEACHER_PREFIX),
        Diagnostic.objects.filter(teacher__code__startswith=TEACHER_PREFIX),
        StaffEntry.objects.filter(school_id__in=ids),
        ImprovementProgramme.objects.filter(school_id__in=ids),
        AssessmentResult.objects.filter(school_id__in=ids),
        SchoolStatus.objects.filter(school_id__in=ids),
        ImportBatch.objects.filter(filename__startswith="bench-"),
    ):
        queryset._raw_delete(queryset.db)
    teachers._raw_delete(teachers.db)


def ensure_schools() -> dict[str, int]:
    codes = school_codes()
    existing = set(School.objects.filter(code__in=codes).values_list("code", flat=True))
    School.objects.bulk_create(
        [
            School(
                code=code,
                name=f"Школа для замеров № {code}",
                short_name=f"Школа № {code}",
                kind="СОШ",
                search_text=f"{code} школа для замеров",
            )
            for code in codes
            if code not in existing
        ],
        batch_size=2000,
    )
    return dict(School.objects.filter(code__in=codes).values_list("code", "pk"))


def results_csv(seed: int) -> bytes:
    """200 000 rows of the results format (with SCHOOLS = 1 000)."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write("school_code;year;procedure;subject;grade;participants;failed;high\r\n")
    for code in school_codes():
        weak = rng.random() < 0.15
        for year in YEARS:
            for procedure, subject, grade in ROWS_PER_SCHOOL_YEAR:
                participants = rng.randint(2, 5) if procedure == "ГВЭ" else rng.randint(20, 120)
                failed = round(
                    participants * rng.uniform(0.12, 0.3)
                    if weak
                    else participants * rng.uniform(0.0, 0.12)
                )
                high = min(participants - failed, round(participants * rng.uniform(0.0, 0.3)))
                out.write(
                    ";".join(map(str, (code, year, procedure, subject, grade)))
                    + f";{participants};{failed};{high}\r\n"
                )
    return out.getvalue().encode("utf-8")


def time_import(data: bytes, filename: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    result = run_import(get_kind("results"), data, filename)
    elapsed = time.perf_counter() - start
    assert result.applied, result.rejected[:3]
    return elapsed, result.count("add"), result.count("update")


def bench_import() -> dict:
    first, second = results_csv(1), results_csv(2)
    rows = first.count(b"\n") - 1
    adds, updates = [], []
    for run in range(RUNS):
        clean()
        ensure_schools()
        seconds, added, _updated = time_import(first, f"bench-results-{run}.csv")
        assert added == rows, (added, rows)
        adds.append(seconds)
        seconds, _added, updated = time_import(second, f"bench-results-{run}-update.csv")
        assert updated == rows, (updated, rows)
        updates.append(seconds)
        print(f"  import run {run + 1}: add {adds[-1]:.1f} s, update {updates[-1]:.1f} s")
    return {"rows": rows, "add": adds, "update": updates}


def build_facts(schools: dict[str, int]) -> dict:
    """Statuses, staff lists, diagnostics and support of SCHOOLS schools over YEARS."""
    rng = random.Random(3)
    statuses, staff, diagnostics, support = [], [], [], []
    programmes = []
    number = 0
    for school_id in schools.values():
        target = rng.random() < 0.2
        if target and rng.random() < 0.7:
            programmes.append(
                ImprovementProgramme(
                    school_id=school_id, start_year=YEARS[1], end_year=YEARS[-1], state="approved"
                )
            )
        roster = []
        for _n in range(TEACHERS_PER_SCHOOL):
            number += 1
            roster.append(f"{TEACHER_PREFIX}{number:07d}")
        for year in YEARS:
            status = rng.choice(["ШНОР", "ШНСУ"]) if target else rng.choice(["", "", "лидер"])
            statuses.append(
                SchoolStatus(school_id=school_id, year=year, status=status, source="import")
            )
            if year > YEARS[0]:
                for index in range(len(roster)):
                    if rng.random() < 0.06:
                        number += 1
                        roster[index] = f"{TEACHER_PREFIX}{number:07d}"
            for teacher in roster:
                staff.append((school_id, year, teacher))
                if rng.random() < 0.7:
                    date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    diagnostics.append(
                        (teacher, date, "предметная", "математика", rng.randint(30, 95))
                    )
                for _n in range(rng.choice((0, 1, 1, 2))):
                    date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    support.append(
                        (
                            teacher,
                            date,
                            rng.choice(("МО", "семинар", "курсы")),
                            f"Тема {rng.randint(1, 40)}",
                        )
                    )
    codes = sorted({teacher for _s, _y, teacher in staff})
    with transaction.atomic():
        SchoolStatus.objects.bulk_create(statuses, batch_size=5000)
        ImprovementProgramme.objects.bulk_create(programmes)
        Teacher.objects.bulk_create(
            [Teacher(code=code, full_name=f"Педагог {code}") for code in codes], batch_size=5000
        )
        pks = dict(
            Teacher.objects.filter(code__startswith=TEACHER_PREFIX).values_list("code", "pk")
        )
        StaffEntry.objects.bulk_create(
            [
                StaffEntry(school_id=s, year=y, teacher_id=pks[t], position="учитель")
                for s, y, t in staff
            ],
            batch_size=5000,
        )
        Diagnostic.objects.bulk_create(
            [
                Diagnostic(
                    teacher_id=pks[t],
                    date=d,
                    kind=k,
                    subject="Математика",
                    subject_key=key,
                    score=score,
                    deficits=DEFICITS[:2],
                )
                for t, d, k, key, score in diagnostics
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        SupportRecord.objects.bulk_create(
            [
                SupportRecord(teacher_id=pks[t], date=d, form=f, title=title)
                for t, d, f, title in support
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "statuses": len(statuses),
        "teachers": len(codes),
        "staff": len(staff),
        "diagnostics": Diagnostic.objects.filter(teacher__code__startswith=TEACHER_PREFIX).count(),
        "support": SupportRecord.objects.filter(teacher__code__startswith=TEACHER_PREFIX).count(),
    }


def bench_indicators() -> dict:
    clean()
    schools = ensure_schools()
    run_import(get_kind("results"), results_csv(1), "bench-results-indicators.csv")
    sizes = build_facts(schools)
    timings = []
    for run in range(RUNS):
        start = time.perf_counter()
        indicators = compute_indicators(YEARS)
        timings.append(time.perf_counter() - start)
        print(f"  indicators run {run + 1}: {timings[-1]:.2f} s")
    last = indicators[LAST_YEAR]
    print("  " + ", ".join(f"{code} {ind.value}" for code, ind in last.items()))
    return {"seconds": timings, **sizes}


def write_report(imports: dict, indicators: dict) -> str:
    settings_db = connection.settings_dict
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("show server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    best_add, best_update = min(imports["add"]), min(imports["update"])
    best_indicators = min(indicators["seconds"])

    def runs(values, digits=1):
        return ", ".join(f"{value:.{digits}f}" for value in values)

    lines = [
        "## Monitoring: results import and indicators (`bench/monitoring.py`)",
        "",
        "Written by `make bench-monitoring` against the database in `DATABASE_URL`:",
        f"{SCHOOLS} generated schools × {len(YEARS)} years ({YEARS[0]}–{YEARS[-1]}). "
        f"Best of {RUNS} runs; the machine is shared (other benchmarks run on its 2 cores at "
        "the same time), so single runs vary — all runs are listed.",
        "",
        f"- date: {time.strftime('%Y-%m-%d', time.gmtime())}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"- database: {version} (`{settings_db.get('NAME')}`)",
        "",
        "| measurement | data | best, s | runs, s | target |",
        "|---|---|---:|---:|---|",
        f"| `run_import(results)`, new rows | {imports['rows']:,} rows, "
        f"CSV {len(results_csv(1)) // 1024:,} KiB | {best_add:.1f} | {runs(imports['add'])} | "
        f"< 60 s: {'met' if best_add < 60 else 'missed'} |",
        f"| `run_import(results)`, the same keys again (updates) | {imports['rows']:,} rows | "
        f"{best_update:.1f} | {runs(imports['update'])} | — |",
        f"| `compute_indicators({YEARS[0]}…{YEARS[-1]})` | {indicators['statuses']:,} statuses, "
        f"{indicators['staff']:,} staff entries ({indicators['teachers']:,} teachers), "
        f"{indicators['diagnostics']:,} diagnostics, {indicators['support']:,} support records, "
        f"{imports['rows']:,} results | {best_indicators:.2f} | {runs(indicators['seconds'], 2)} | "
        f"< 2 s: {'met' if best_indicators < 2 else 'missed'} |",
        "",
        "What was changed to get here (profiled with cProfile on 10 000–50 000 rows first):",
        "",
        "- updates: Django's `bulk_update` compiles a `CASE WHEN` per row and field, and its",
        "  compile time grows with the square of the batch — 10 000 updated rows took 41 s",
        "  under cProfile, 200 000 would take many minutes. The importer now writes updates",
        "  with one `UPDATE … FROM (VALUES …)` per 2 000 rows (PostgreSQL and SQLite 3.33+).",
        "- new rows: a plain multi-row `INSERT` from the rows' values instead of model",
        "  instances and `bulk_create` (instance construction and the compiler's per-value",
        "  preparation were 40 % of the time); the rollback snapshot reads only the written",
        "  fields instead of whole instances.",
        "- parsing: a clean results row is checked directly; only a row that fails that check",
        "  goes through the full per-cell check that collects every message (4× slower).",
        "- first full-size run before these changes (bulk_update already replaced): 63 s for",
        "  the new rows, 91 s for the updates, indicators 3.1 s, all under a load average",
        "  of 11 (other engineers' test runs and benchmarks on the same 2 cores).",
        "- indicators: the bulk reads dropped the models' default orderings (which joined",
        "  schools and teachers just to sort), the teachers' support and diagnostics are",
        "  selected by a subquery of the staff lists instead of thousands of id parameters and",
        "  by a date range instead of `EXTRACT(YEAR …) IN`, and IND-4/IND-5 are worked out",
        "  once per teacher for all the years instead of once per teacher and year.",
        "- noise: on 2026-11-22 the same code took 21–28 s (new rows), 28–32 s (updates) and",
        "  0.9–1.1 s (indicators) while other engineers' test runs loaded the machine (load",
        "  average 5), and 11–12 s, 15 s and 0.5 s when it was quiet.",
    ]
    section = "<!-- monitoring:start -->\n" + "\n".join(lines) + "\n<!-- monitoring:end -->"
    out = ROOT / "docs" / "benchmarks.md"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if "<!-- monitoring:start -->" in old and "<!-- monitoring:end -->" in old:
        before = old.split("<!-- monitoring:start -->", 1)[0]
        after = old.split("<!-- monitoring:end -->", 1)[1]
        text = before + section + after
    else:
        text = old.rstrip("\n") + "\n\n" + section + "\n"
    out.write_text(text, encoding="utf-8")
    return section


def main() -> None:
    print(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    print(f"(a) results import, {SCHOOLS * len(YEARS) * len(ROWS_PER_SCHOOL_YEAR):,} rows")
    imports = bench_import()
    print(f"(b) indicators over {SCHOOLS} schools × {len(YEARS)} years")
    indicators = bench_indicators()
    print(write_report(imports, indicators))
    if os.environ.get("BENCH_KEEP") != "1":
        clean()
        School.objects.filter(code__in=school_codes()).delete()


if __name__ == "__main__":
    main()
