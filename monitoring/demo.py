"""Demo monitoring data for the demo schools of portal/demo: results of 2020–2024, staff lists,
diagnostics, support, context indices, improvement programmes and recommendations.

The facts go in the way a department loads them: as CSV files through the import engine
(`run_import`), one file per procedure and year, so the import log reads like a real one
(«ВПР_2024.csv», «Штатные_списки_2023.csv», …). Everything is generated from a fixed seed, so
the files come out byte for byte the same each run: a second `load_demo` finds each file
already imported and skips it. Programmes, context indices and recommendations are upserted
by their natural keys.

The schools' results follow their statuses: the eight ШНОР of programme 003 fail clearly more
often (about a fifth of the results in Russian and mathematics) and improve a little over
2022–2024, the leaders do clearly better, and screening for 2024 flags most of the ШНОР.
"""

import csv
import datetime
import io
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from portal import roles
from portal.demo import content as portal_content
from portal.models import School, User

from . import demo_content as words
from .importing import DuplicateImportError, get_kind, run_import
from .models import (
    ImprovementProgramme,
    Recommendation,
    SchoolContext,
    Teacher,
)

SEED = 250_2024
YEARS = tuple(range(2020, 2025))
# Diagnostics started with the programme's baseline in 2021; support is recorded from 2021.
DIAGNOSTIC_YEARS = tuple(range(2021, 2025))
SUPPORT_YEARS = tuple(range(2021, 2025))

# The failing share in Russian and mathematics (before subject, grade and procedure factors)
# of the eight ШНОР of 2021–2022, 2020…2024: most improve a little, two improve enough to
# leave the list (as their statuses in portal/demo say).
SHNOR_CURVES = {
    "250101": (0.25, 0.26, 0.24, 0.20, 0.18),
    "250102": (0.23, 0.24, 0.19, 0.14, 0.13),
    "250103": (0.28, 0.29, 0.28, 0.26, 0.23),
    "250105": (0.26, 0.27, 0.25, 0.23, 0.21),
    "250112": (0.27, 0.28, 0.27, 0.24, 0.22),
    "250122": (0.24, 0.25, 0.23, 0.20, 0.18),
    "250124": (0.22, 0.23, 0.17, 0.13, 0.12),
    "250150": (0.29, 0.30, 0.29, 0.27, 0.24),
}
# Per procedure: multipliers of the failing and the high share (ЕГЭ fails less: those at risk
# take the basic mathematics or leave after grade 9).
PROCEDURE_FACTORS = {"ВПР": (1.0, 1.0), "ОГЭ": (0.85, 0.9), "ЕГЭ": (0.45, 0.6), "ГВЭ": (0.5, 0.3)}
VPR_GRADE_FACTOR = {4: 0.6, 5: 0.9, 6: 1.05, 7: 1.15, 8: 1.2}

EXAM_SUBJECTS = {*words.VPR_ALWAYS, *words.OGE_ELECTIVES, *words.EGE_ELECTIVES}
DEMO_TEACHER_ACCOUNTS = {
    # e-mail of a demo account → (school, subjects, first year on the staff list)
    "teacher@demo.example.ru": ("250103", "Математика", 2020),
    "new.teacher@demo.example.ru": ("250103", "Русский язык; Литература", 2024),
    "physics@demo.example.ru": ("250112", "Физика", 2024),
}
PROGRAMME_STATES = {
    # the ШНОР without an approved programme yet: one on approval, one a draft
    "250122": ImprovementProgramme.State.REVIEW,
    "250124": ImprovementProgramme.State.DRAFT,
}


@dataclass
class Profile:
    """How a school does: its failing and high shares per year, its size."""

    code: str
    kind: str
    group: str  # "shnor", "shnsu", "leader" or "ordinary"
    cohort: int  # pupils in a grade
    fail: dict[int, float] = field(default_factory=dict)
    high: dict[int, float] = field(default_factory=dict)

    @property
    def grades(self) -> range:
        if self.kind == "НОШ":
            return range(1, 5)
        if self.kind == "ООШ":
            return range(1, 10)
        return range(1, 12)


@dataclass
class StaffMember:
    code: str
    full_name: str
    position: str
    subjects: str
    ability: float  # the diagnostic score the teacher starts from
    user_email: str = ""


def _group(item: dict) -> str:
    statuses = {status for status, _basis in item["statuses"].values()}
    if item["code"] in SHNOR_CURVES:
        return "shnor"
    if "ШНСУ" in statuses:
        return "shnsu"
    if "лидер" in statuses or item["kind"] in ("Гимназия", "Лицей"):
        return "leader"
    return "ordinary"


def build_profiles(rng: random.Random) -> list[Profile]:
    profiles = []
    for item in portal_content.SCHOOLS:
        group, kind = _group(item), item["kind"]
        cohort = {
            "НОШ": rng.randint(25, 45),
            "ООШ": rng.randint(14, 28),
            "Гимназия": rng.randint(95, 125),
            "Лицей": rng.randint(90, 115),
        }.get(kind, rng.randint(55, 85) if group != "shnor" else rng.randint(40, 65))
        profile = Profile(item["code"], kind, group, cohort)
        if group == "shnor":
            fails = SHNOR_CURVES[item["code"]]
            highs = [0.025, 0.025, 0.028, 0.03, 0.032]
        elif group == "shnsu":
            # СОШ № 5 was a ШНОР before; ООШ № 14 stays close to the threshold.
            base = 0.205 if item["code"] == "250214" else rng.uniform(0.11, 0.13)
            # Their results improve slowly, with the programme's support.
            fails = [base - 0.008 * n + rng.uniform(-0.004, 0.004) for n in range(len(YEARS))]
            highs = [0.035 if item["code"] == "250214" else 0.07 for _year in YEARS]
        elif group == "leader":
            base = rng.uniform(0.025, 0.04)
            fails = [base * (1 - 0.04 * n) for n in range(len(YEARS))]
            high = rng.uniform(0.26, 0.34)
            highs = [high + 0.005 * n for n in range(len(YEARS))]
        else:
            base = rng.uniform(0.07, 0.10)
            fails = [base + rng.uniform(-0.01, 0.01) for _year in YEARS]
            high = rng.uniform(0.11, 0.17)
            highs = [high + rng.uniform(-0.01, 0.01) for _year in YEARS]
        profile.fail = dict(zip(YEARS, fails, strict=True))
        profile.high = dict(zip(YEARS, highs, strict=True))
        profiles.append(profile)
    return profiles


def _draw(rng: random.Random, n: int, p: float) -> int:
    """A draw around n·p: a binomial by its normal approximation (random.binomialvariate is
    3.12+), with half its spread, so that small schools' trends are not lost in the noise."""
    p = min(max(p, 0.0), 1.0)
    value = round(n * p + rng.gauss(0, 0.5 * math.sqrt(n * p * (1 - p))))
    return min(max(value, 0), n)


def _result(rng, profile: Profile, year, procedure, subject, grade, participants):
    fail_factor, high_factor = PROCEDURE_FACTORS[procedure]
    difficulty = words.SUBJECT_DIFFICULTY.get(subject, 1.0)
    grade_factor = VPR_GRADE_FACTOR.get(grade, 1.0) if procedure == "ВПР" else 1.0
    core = subject in ("Русский язык", "Математика")
    fail = profile.fail[year] * (1 if core else 0.8) * fail_factor * difficulty * grade_factor
    high = profile.high[year] * high_factor / difficulty
    failed = _draw(rng, participants, fail)
    high_count = min(_draw(rng, participants, high), participants - failed)
    return [profile.code, year, procedure, subject, grade, participants, failed, high_count]


def results_rows(rng: random.Random, profiles: list[Profile]) -> dict[tuple[str, int], list]:
    """(procedure group, year) → rows of the results format."""
    files: dict[tuple[str, int], list] = {}
    for year in YEARS:
        vpr, gia9, ege = [], [], []
        for profile in profiles:
            size = round(profile.cohort * rng.uniform(0.95, 1.05))
            for grade in (4, 5, 6, 7, 8):
                if grade not in profile.grades:
                    continue
                subjects = list(words.VPR_ALWAYS) + list(words.VPR_MORE.get(grade, ()))
                if grade in words.VPR_POOL:
                    subjects += rng.sample(words.VPR_POOL[grade], 2)
                for subject in subjects:
                    # Two subjects of a pool are written by half the classes each.
                    share = 0.5 if subject not in words.VPR_ALWAYS and grade >= 6 else 0.93
                    participants = max(1, round(size * share * rng.uniform(0.9, 1.0)))
                    vpr.append(_result(rng, profile, year, "ВПР", subject, grade, participants))
            if 9 in profile.grades and year >= 2021:
                # ОГЭ was cancelled in 2020; in 2021 only Russian and mathematics were taken.
                gve = rng.randint(1, 3) if profile.group in ("shnor", "shnsu") else 0
                for subject in words.VPR_ALWAYS:
                    participants = size - gve
                    gia9.append(_result(rng, profile, year, "ОГЭ", subject, 9, participants))
                    if gve:
                        gia9.append(_result(rng, profile, year, "ГВЭ", subject, 9, gve))
                for subject, share in words.OGE_ELECTIVES.items() if year >= 2022 else ():
                    participants = round(size * share * rng.uniform(0.8, 1.2))
                    if participants:
                        gia9.append(_result(rng, profile, year, "ОГЭ", subject, 9, participants))
            if 11 in profile.grades:
                seniors = round(size * (0.7 if profile.group == "leader" else 0.45))
                for subject in words.VPR_ALWAYS:
                    ege.append(_result(rng, profile, year, "ЕГЭ", subject, 11, seniors))
                for subject, share in words.EGE_ELECTIVES.items():
                    participants = round(seniors * share * rng.uniform(0.7, 1.3))
                    if participants:
                        ege.append(_result(rng, profile, year, "ЕГЭ", subject, 11, participants))
        files[("ВПР", year)] = vpr
        if gia9:
            files[("ОГЭ_ГВЭ", year)] = gia9
        files[("ЕГЭ", year)] = ege
    return files


class NameMaker:
    """Realistic Russian full names, never the same twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, female: bool) -> str:
        while True:
            if self.rng.random() < 0.12:
                surname = self.rng.choice(words.SURNAMES_INVARIABLE)
            else:
                surname = self.rng.choice(words.SURNAMES)
                if female:
                    surname = surname + "а"
            first = self.rng.choice(words.FEMALE_NAMES if female else words.MALE_NAMES)
            patronymic = self.rng.choice(words.PATRONYMICS)[1 if female else 0]
            name = f"{surname} {first} {patronymic}"
            if name not in self.used:
                self.used.add(name)
                return name


def build_staff(rng: random.Random, profiles: list[Profile]) -> dict[int, dict[str, list]]:
    """year → school code → staff members. Teacher codes stay with a person across years."""
    names = NameMaker(rng)
    counter = iter(range(1, 100_000))
    heads = {item["code"]: item["head"] for item in portal_content.SCHOOLS}
    accounts = {
        email: User.objects.filter(email=email)
        .values_list("last_name", "first_name", "patronymic")
        .first()
        for email in DEMO_TEACHER_ACCOUNTS
    }
    subject_choices = [s for s, _w in words.SUBJECT_TEACHERS]
    subject_weights = [w for _s, w in words.SUBJECT_TEACHERS]

    def new_member(profile: Profile, position: str, subjects: str, name: str = "") -> StaffMember:
        female = rng.random() < 0.82
        mean = 62 if profile.group == "shnor" else 70 if profile.group != "leader" else 76
        return StaffMember(
            code=f"ПГО-{next(counter):05d}",
            full_name=name or names.make(female),
            position=position,
            subjects=subjects,
            ability=min(95.0, max(30.0, rng.gauss(mean, 9))),
        )

    def new_teacher(profile: Profile) -> StaffMember:
        if profile.kind == "НОШ" or rng.random() < (0.3 if profile.kind != "ООШ" else 0.35):
            return new_member(profile, "учитель начальных классов", words.PRIMARY)
        subjects = rng.choices(subject_choices, subject_weights)[0]
        return new_member(profile, "учитель", subjects)

    rosters: dict[str, list[StaffMember]] = {}
    for profile in profiles:
        pupils = profile.cohort * len(profile.grades)
        roster = [new_member(profile, "директор", "", heads[profile.code])]
        roster.append(
            new_member(profile, "заместитель директора по УВР", "Русский язык; Литература")
        )
        if pupils > 300:
            roster.append(new_member(profile, "педагог-психолог", ""))
            roster.append(new_member(profile, "социальный педагог", ""))
        roster += [new_teacher(profile) for _n in range(max(8, round(pupils / 17)))]
        rosters[profile.code] = roster

    by_code = {profile.code: profile for profile in profiles}
    staff: dict[int, dict[str, list]] = {}
    for year in YEARS:
        for profile in profiles:
            roster = rosters[profile.code]
            if year > YEARS[0]:
                # About one in sixteen leaves each year; a new teacher of the subject comes.
                for index, member in enumerate(roster):
                    teaches = member.position.startswith("учитель")
                    if teaches and not member.user_email and rng.random() < 0.06:
                        roster[index] = new_member(profile, member.position, member.subjects)
            for email, (code, subjects, since) in DEMO_TEACHER_ACCOUNTS.items():
                if code == profile.code and year == since and accounts[email]:
                    # The account's holder takes the place of a teacher of the same subject.
                    replaced = next(
                        (
                            index
                            for index, m in enumerate(roster)
                            if m.subjects == subjects and not m.user_email
                        ),
                        None,
                    )
                    member = new_member(
                        by_code[code], "учитель", subjects, " ".join(accounts[email])
                    )
                    member.user_email = email
                    if replaced is None:
                        roster.append(member)
                    else:
                        roster[replaced] = member
            staff.setdefault(year, {})[profile.code] = list(roster)
    return staff


def staff_rows(staff) -> dict[int, list]:
    return {
        year: [
            [code, year, m.code, m.full_name, m.position, m.subjects]
            for code, members in schools.items()
            for m in members
        ]
        for year, schools in staff.items()
    }


def _target_codes() -> dict[int, set[str]]:
    """year → codes of the schools that are ШНОР or ШНСУ in it, as portal/demo sets them."""
    found: dict[int, set[str]] = {}
    for item in portal_content.SCHOOLS:
        for year, (status, _basis) in item["statuses"].items():
            if status in ("ШНОР", "ШНСУ"):
                found.setdefault(year, set()).add(item["code"])
    return found


def _date_in(rng: random.Random, year: int, months=(2, 11)) -> datetime.date:
    month = rng.randint(*months)
    return datetime.date(year, month, rng.randint(1, 28))


def _deficits(rng: random.Random, subject: str, score: float, methodological: bool) -> str:
    pool = list(words.METHODOLOGICAL_DEFICITS)
    if not methodological:
        pool = words.SUBJECT_DEFICITS.get(subject, []) + pool[:3]
    count = 0 if score >= 85 else 1 if score >= 72 else 2 if score >= 58 else 3
    return "; ".join(rng.sample(pool, min(count, len(pool))))


def diagnostics_and_support(rng: random.Random, staff) -> tuple[dict[int, list], dict[int, list]]:
    """year → rows of the diagnostics and support formats. The teachers of target schools are
    diagnosed and supported more often, more so each year of the programme; most of those
    diagnosed again score higher than the time before."""
    targets = _target_codes()
    diagnostics: dict[int, list] = {}
    support: dict[int, list] = {}
    scores: dict[tuple[str, str], float] = {}
    for year in DIAGNOSTIC_YEARS:
        rows, help_rows = [], []
        seen: set[str] = set()
        for code, members in staff[year].items():
            target = code in targets.get(year, set())
            step = year - DIAGNOSTIC_YEARS[0]
            p_subject = (0.45 + 0.12 * step) if target else 0.2
            p_method = (0.3 + 0.1 * step) if target else 0.1
            p_support = (0.62 + 0.09 * step) if target else 0.3
            for member in members:
                if member.code in seen:
                    continue
                seen.add(member.code)
                subject = words.DIAGNOSED_SUBJECT.get(member.subjects, member.subjects)
                kinds = []
                if (subject and rng.random() < p_subject) or member.user_email:
                    kinds.append(("предметная", subject))
                if rng.random() < p_method or member.user_email:
                    kinds.append(("методическая", ""))
                for kind, diag_subject in kinds:
                    key = (member.code, kind)
                    if key in scores:
                        score = scores[key] + rng.gauss(4.5, 5)
                    else:
                        score = member.ability + rng.gauss(0, 6)
                    score = round(min(98.0, max(20.0, score)), 1)
                    scores[key] = score
                    rows.append(
                        [
                            member.code,
                            _date_in(rng, year).isoformat(),
                            kind,
                            diag_subject,
                            f"{score:.1f}",
                            _deficits(rng, subject, score, kind == "методическая"),
                        ]
                    )
                if rng.random() < p_support or member.user_email:
                    topics = rng.sample(words.SUPPORT_TOPICS, rng.choice((1, 1, 2, 3)))
                    for form, title, provider in topics:
                        if "{subject}" in title and subject not in EXAM_SUBJECTS:
                            # Courses on exam preparation are for the exam subjects' teachers.
                            title = "Реализация обновлённых ФГОС в работе учителя (72 ч)"
                        title = title.format(subject=subject)
                        help_rows.append(
                            [
                                member.code,
                                _date_in(rng, year, (1, 12)).isoformat(),
                                form,
                                title,
                                provider,
                            ]
                        )
        diagnostics[year] = rows
        support[year] = help_rows
    return diagnostics, support


def _csv(header: list[str], rows: list, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


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
STAFF_HEADER = ["school_code", "year", "teacher_code", "full_name", "position", "subjects"]
DIAGNOSTICS_HEADER = ["Код педагога", "Дата", "Вид", "Предмет", "Балл", "Дефициты"]
SUPPORT_HEADER = ["teacher_code", "date", "form", "title", "provider"]


def demo_files() -> list[tuple[str, str, bytes]]:
    """(kind, file name, bytes) of every file, in the order a department loads them."""
    rng = random.Random(SEED)
    profiles = build_profiles(rng)
    files = []
    for (group, year), rows in sorted(results_rows(rng, profiles).items(), key=lambda i: i[0][1]):
        # Results come from the regional centre as «;»-separated files with a BOM.
        files.append(("results", f"{group}_{year}.csv", _csv(RESULTS_HEADER, rows, ";", True)))
    staff = build_staff(rng, profiles)
    for year, rows in staff_rows(staff).items():
        files.append(("staff", f"Штатные_списки_{year}.csv", _csv(STAFF_HEADER, rows)))
    diagnostics, support = diagnostics_and_support(rng, staff)
    for year, rows in diagnostics.items():
        name = f"Диагностика_дефицитов_{year}.csv"
        files.append(("diagnostics", name, _csv(DIAGNOSTICS_HEADER, rows, ";")))
    for year, rows in support.items():
        name = f"Методическое_сопровождение_{year}.csv"
        files.append(("support", name, _csv(SUPPORT_HEADER, rows)))
    return files


def import_files(files, user, stdout=None) -> int:
    """Import the files not imported yet; returns how many were."""
    imported = 0
    for kind, name, data in files:
        try:
            result = run_import(get_kind(kind), data, name, user=user)
        except DuplicateImportError:
            continue
        if not result.applied:
            problems = "; ".join(
                f"строка {row.number}: {', '.join(row.errors)}" for row in result.rejected[:5]
            )
            raise RuntimeError(f"Демо-файл {name} не импортирован: {problems}")
        imported += 1
    if stdout is not None:
        stdout.write(f"Мониторинг: импортировано файлов {imported} из {len(files)}.")
    return imported


def link_accounts() -> None:
    """The demo teachers' portal accounts are linked to their records in the staff lists."""
    for email, (code, subjects, _since) in DEMO_TEACHER_ACCOUNTS.items():
        user = User.objects.filter(email=email).first()
        if user is None or Teacher.objects.filter(user=user).exists():
            continue
        name = " ".join(part for part in (user.last_name, user.first_name, user.patronymic) if part)
        teacher = (
            Teacher.objects.filter(
                full_name=name,
                user__isnull=True,
                staff_entries__school__code=code,
                staff_entries__subjects=subjects,
            )
            .distinct()
            .first()
        )
        if teacher is not None:
            teacher.user = user
            teacher.save(update_fields=["user", "updated_at"])


def ensure_context() -> None:
    """Objectivity and social well-being indices of 2023–2024 for the target schools and some
    others (the region computes them for a part of the schools)."""
    rng = random.Random(SEED + 1)
    targets = _target_codes()
    codes = sorted(targets[2023] | targets[2024] | {"250401", "250516", "250107", "250108"})
    schools = dict(School.objects.filter(code__in=codes).values_list("code", "pk"))
    for code in codes:
        low = code in SHNOR_CURVES
        for year in (2023, 2024):
            objectivity = rng.uniform(0.55, 0.75) if low else rng.uniform(0.78, 0.95)
            wellbeing = rng.uniform(0.35, 0.55) if code in targets.get(year, set()) else 0.7
            SchoolContext.objects.update_or_create(
                school_id=schools[code],
                year=year,
                defaults={
                    "objectivity": Decimal(f"{objectivity:.3f}"),
                    "social_wellbeing": Decimal(f"{wellbeing + rng.uniform(0, 0.2):.3f}"),
                },
            )


def ensure_programmes() -> None:
    """Most ШНОР have an approved programme for 2022–2024; one is on approval, one a draft;
    the ШНСУ approved theirs when they got the status."""
    schools = dict(School.objects.values_list("code", "pk"))
    plans = [(code, 2022, 2024) for code in SHNOR_CURVES]
    plans += [("250214", 2022, 2024), ("250231", 2022, 2024), ("250120", 2023, 2025)]
    for code, start, end in plans:
        state = PROGRAMME_STATES.get(code, ImprovementProgramme.State.APPROVED)
        approved = state == ImprovementProgramme.State.APPROVED
        ImprovementProgramme.objects.update_or_create(
            school_id=schools[code],
            start_year=start,
            defaults={
                "title": f"Программа повышения качества образования на {start}–{end} годы",
                "end_year": end,
                "measures": words.PROGRAMME_MEASURES,
                "state": state,
                "approved_at": datetime.date(start, 1, 10) if approved else None,
            },
        )


def ensure_recommendations() -> None:
    schools = dict(School.objects.values_list("code", "pk"))
    author = User.objects.filter(groups__name=roles.METHODOLOGIST).order_by("pk").first()
    for (
        code,
        addressee,
        basis,
        indicator,
        finding,
        text,
        due,
        acknowledged,
    ) in words.RECOMMENDATIONS:
        school_id = schools[code] if code else None
        record, _created = Recommendation.objects.update_or_create(
            addressee=addressee,
            school_id=school_id,
            year=2024,
            basis=basis,
            defaults={
                "indicator": indicator,
                "finding": finding,
                "text": text,
                "due_date": datetime.date(2025, *due),
                "author": author,
            },
        )
        if acknowledged and record.acknowledged_at is None:
            head = User.objects.filter(school_id=school_id, groups__name=roles.SCHOOL_HEAD).first()
            record.acknowledged_at = datetime.datetime(2025, 1, 20, 10, 0, tzinfo=datetime.UTC)
            record.acknowledged_by = head
            record.response = (
                "Принято к исполнению: наставники закреплены приказом по школе, карта "
                "затруднений ведётся с января 2025 года."
            )
            record.save(update_fields=["acknowledged_at", "acknowledged_by", "response"])


def build(stdout=None) -> None:
    methodologist = User.objects.filter(groups__name=roles.METHODOLOGIST).order_by("pk").first()
    with transaction.atomic():
        import_files(demo_files(), methodologist, stdout)
        link_accounts()
        ensure_context()
        ensure_programmes()
        ensure_recommendations()
