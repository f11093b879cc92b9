"""The indicators IND-1 … IND-9 of domain.md, computed exactly as published there.

`compute_indicators(years)` loads what it needs for all the years at once (a fixed number
of queries whatever the number of schools) and returns, per year, one `Indicator` per code
with its value, numerator, denominator, target and the schools behind both.

Agreements come from the agreements app through the hooks of `monitoring.sources`; support
recorded by communities arrives as support records (`monitoring.services`). An app that is
not installed contributes nothing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from portal.models import SchoolStatus
from portal.models.schools import TARGET_STATUSES

from . import sources
from .models import (
    CORE_SUBJECTS,
    AssessmentResult,
    Diagnostic,
    ImprovementProgramme,
    IndicatorTarget,
    Procedure,
    StaffEntry,
    SupportRecord,
)


@dataclass(frozen=True)
class Definition:
    code: str
    title: str
    short: str
    methodology: str
    unit: str = "share"  # "share", "count" or "dynamics"
    per_teacher: bool = False  # computed over teachers: personal data below the school level
    source: str = ""


DEFINITIONS: dict[str, Definition] = {
    d.code: d
    for d in (
        Definition(
            "IND-1",
            _("Доля целевых школ, вовлечённых в сетевое взаимодействие и партнёрство"),
            _("Целевые школы в партнёрстве"),
            _(
                "Доля ШНОР и ШНСУ года, которые являются стороной хотя бы одного договора о "
                "сотрудничестве, подписанного всеми сторонами, со сроком действия, "
                "пересекающим отчётный год."
            ),
            source="003",
        ),
        Definition(
            "IND-2",
            _("Доля педагогов целевых школ, охваченных методическим сопровождением"),
            _("Педагоги с методическим сопровождением"),
            _(
                "Доля педагогов из штатных списков ШНОР и ШНСУ за отчётный год, у которых есть "
                "хотя бы одна запись о сопровождении в этом году: посещение мероприятия "
                "сообщества, наставничество (наставляемый в активной паре), курсы, консультация."
            ),
            per_teacher=True,
            source="000",
        ),
        Definition(
            "IND-3",
            _("Динамика низких результатов"),
            _("Доля «2» в целевых школах"),
            _(
                "Для каждой процедуры (ЕГЭ, ОГЭ, ГВЭ, ВПР): сумма неудовлетворительных "
                "результатов, делённая на сумму участников, по целевым школам отчётного года "
                "за отчётный и предыдущий годы, по всем предметам, и изменение. Итоговое "
                "значение — по всем процедурам вместе. Снижение — положительная динамика."
            ),
            unit="dynamics",
            source="000",
        ),
        Definition(
            "IND-4",
            _("Доля педагогов целевых школ, прошедших диагностику профессиональных дефицитов"),
            _("Педагоги, прошедшие диагностику"),
            _(
                "Доля педагогов из штатных списков ШНОР и ШНСУ за отчётный год, у которых есть "
                "хотя бы одна диагностика, датированная этим годом."
            ),
            per_teacher=True,
            source="003",
        ),
        Definition(
            "IND-5",
            _("Доля педагогов с положительной динамикой профессиональных компетенций"),
            _("Педагоги с ростом результатов диагностики"),
            _(
                "Учитываются диагностики по конец отчётного года, сгруппированные в серии по "
                "виду и предмету. Педагог целевой школы входит в знаменатель, если хотя бы в "
                "одной серии последняя диагностика датирована отчётным годом и есть более "
                "ранняя; в числитель — если в каждой такой серии последний балл выше "
                "предыдущего."
            ),
            per_teacher=True,
            source="000",
        ),
        Definition(
            "IND-6",
            _("Доля целевых школ с положительной динамикой образовательных результатов"),
            _("Целевые школы с улучшением результатов"),
            _(
                "Для каждой ШНОР и ШНСУ года: доля «2» по русскому языку и математике (все "
                "процедуры вместе, суммы до деления) в отчётном и предыдущем году. Среди школ, "
                "для которых обе доли определены, — доля тех, у кого она снизилась."
            ),
            source="003",
        ),
        Definition(
            "IND-7",
            _("Доля целевых школ, охваченных методической работой"),
            _("Целевые школы, охваченные методической работой"),
            _(
                "Доля ШНОР и ШНСУ года, у которых есть хотя бы один педагог, учтённый в IND-2, "
                "или которые являются стороной договора, учтённого в IND-1."
            ),
            source="003",
        ),
        Definition(
            "IND-8",
            _("Число заключённых договоров о сотрудничестве"),
            _("Заключено договоров"),
            _(
                "Число договоров, последняя подпись под которыми (вводящая договор в действие) "
                "датирована отчётным годом."
            ),
            unit="count",
            source="001",
        ),
        Definition(
            "IND-9",
            _("Доля целевых школ с программой повышения качества образования"),
            _("Целевые школы с программой повышения качества"),
            _(
                "Доля ШНОР и ШНСУ года, у которых есть утверждённая программа повышения "
                "качества образования, период которой включает отчётный год."
            ),
            source="001",
        ),
    )
}

# Defaults of domain.md; a methodologist's IndicatorTarget for the year replaces them.
DEFAULT_TARGETS: dict[str, dict[int | None, Decimal]] = {
    "IND-1": {2022: Decimal("0.20"), 2023: Decimal("0.25"), 2024: Decimal("0.30")},
    "IND-4": {2022: Decimal("0.70"), 2023: Decimal("0.75"), 2024: Decimal("0.80")},
    "IND-6": {2022: Decimal("0.60"), 2023: Decimal("0.70"), 2024: Decimal("0.80")},
    # None: every year.
    "IND-7": {None: Decimal("1")},
    "IND-8": {None: Decimal("5")},
    "IND-9": {None: Decimal("1")},
}


# Procedure.values builds a new list on each access; the loops below ask for it thousands of times.
PROCEDURES = tuple(Procedure.values)


def default_target(code: str, year: int) -> Decimal | None:
    defaults = DEFAULT_TARGETS.get(code, {})
    return defaults.get(year, defaults.get(None))


def share(numerator: int, denominator: int) -> float | None:
    """A share from 0 to 1; undefined (None), never 0, when the denominator is 0."""
    return numerator / denominator if denominator else None


@dataclass
class Indicator:
    code: str
    year: int
    value: float | None
    numerator: int | None
    denominator: int | None
    target: float | None
    # school id → (numerator, denominator) for that school; the schools behind both figures.
    by_school: dict[int, tuple[int, int]] = field(default_factory=dict)
    numerator_schools: set[int] = field(default_factory=set)
    denominator_schools: set[int] = field(default_factory=set)
    previous: float | None = None
    by_procedure: dict[str, dict] = field(default_factory=dict)

    @property
    def definition(self) -> Definition:
        return DEFINITIONS[self.code]

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def meets_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        if self.code == "IND-3":
            return None
        return self.value >= self.target - 1e-12

    def as_json(self) -> dict:
        data = {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "target": self.target,
        }
        if self.code == "IND-3":
            data["previous"] = self.previous
            data["change"] = self.change
            data["by_procedure"] = self.by_procedure
        return data


@dataclass
class Rates:
    participants: int = 0
    failed: int = 0
    high: int = 0

    def add(self, participants: int, failed: int, high: int) -> None:
        self.participants += participants
        self.failed += failed
        self.high += high

    @property
    def failed_share(self) -> float | None:
        return share(self.failed, self.participants)

    @property
    def high_share(self) -> float | None:
        return share(self.high, self.participants)


class Data:
    """Everything the indicators of some years read, loaded in bulk."""

    def __init__(self, years: list[int]):
        self.years = sorted(set(years))
        years_set = set(self.years)
        # An empty list of years reads nothing: the range is empty.
        first_day = datetime.date(self.years[0], 1, 1) if self.years else datetime.date.max
        last_day = datetime.date(self.years[-1], 12, 31) if self.years else datetime.date.min
        span = sorted({*self.years, *(year - 1 for year in self.years)})
        self.targets: dict[int, set[int]] = defaultdict(set)
        for school_id, year in (
            SchoolStatus.objects.confirmed()
            .filter(year__in=self.years, status__in=TARGET_STATUSES)
            .values_list("school_id", "year")
            .order_by()
        ):
            self.targets[year].add(school_id)
        # (school, year) → teachers on its staff list; only target schools are needed.
        self.staff: dict[tuple[int, int], set[int]] = defaultdict(set)
        target_pairs = {(s, y) for y, schools in self.targets.items() for s in schools}
        all_targets = {s for s, _y in target_pairs}
        # .order_by(): the models' default orderings join schools and teachers to sort rows
        # that are only put into sets.
        staff_lists = StaffEntry.objects.filter(year__in=self.years, school_id__in=all_targets)
        for school_id, year, teacher_id in staff_lists.values_list(
            "school_id", "year", "teacher_id"
        ).order_by():
            if (school_id, year) in target_pairs:
                self.staff[(school_id, year)].add(teacher_id)
        # Results summed in the database: (school, year, procedure, core?) → rates.
        self.results: dict[tuple[int, int, str, bool], Rates] = defaultdict(Rates)
        rows = (
            AssessmentResult.objects.filter(year__in=span, school_id__in=all_targets)
            .values("school_id", "year", "procedure", "subject_key")
            .annotate(p=Sum("participants"), f=Sum("failed"), h=Sum("high"))
            .order_by()
        )
        for row in rows:
            core = row["subject_key"] in CORE_SUBJECTS
            self.results[(row["school_id"], row["year"], row["procedure"], core)].add(
                row["p"], row["f"], row["h"]
            )
        # The teachers' support and diagnostics are selected by a subquery of the same staff
        # lists (a few more teachers than T, who are never counted) rather than thousands of
        # ids sent as parameters; the dates by a range, which the index on date can serve.
        staff_teachers = staff_lists.values("teacher_id")
        self.supported: dict[int, set[int]] = defaultdict(set)
        for teacher_id, date in (
            SupportRecord.objects.filter(
                date__range=(first_day, last_day),
                teacher_id__in=staff_teachers,
            )
            .values_list("teacher_id", "date")
            .order_by()
        ):
            if date.year in years_set:
                self.supported[date.year].add(teacher_id)
        # Diagnostics up to the end of the last year, in date order, per teacher.
        self.diagnostics: dict[int, list[tuple[datetime.date, str, str, Decimal]]] = defaultdict(
            list
        )
        for teacher_id, date, kind, key, score in (
            Diagnostic.objects.filter(teacher_id__in=staff_teachers, date__lte=last_day)
            .order_by("date")
            .values_list("teacher_id", "date", "kind", "subject_key", "score")
        ):
            self.diagnostics[teacher_id].append((date, kind, key, score))
        # What IND-4 and IND-5 ask of each teacher, worked out once for all the years.
        self.diagnosed_years: dict[int, set[int]] = {}
        self.dynamics: dict[int, dict[int, list[bool]]] = {}
        for teacher_id, series in self.diagnostics.items():
            self.diagnosed_years[teacher_id] = {date.year for date, *_rest in series}
            self.dynamics[teacher_id] = _series_verdicts(series)
        self.programmes: dict[int, set[int]] = defaultdict(set)
        for school_id, start, end in (
            ImprovementProgramme.objects.filter(
                state=ImprovementProgramme.State.APPROVED, school_id__in=all_targets
            )
            .values_list("school_id", "start_year", "end_year")
            .order_by()
        ):
            for year in self.years:
                if start <= year <= end:
                    self.programmes[year].add(school_id)
        self.agreement_parties = sources.agreement_parties(self.years)
        self.agreements_concluded = sources.agreements_concluded(self.years)
        self.target_values: dict[tuple[str, int], Decimal] = {
            (code, year): value
            for code, year, value in IndicatorTarget.objects.filter(
                year__in=self.years
            ).values_list("code", "year", "value")
        }

    def target(self, code: str, year: int) -> float | None:
        value = self.target_values.get((code, year), default_target(code, year))
        return float(value) if value is not None else None

    def failing_core(self, school_id: int, year: int) -> float | None:
        """F(school, y): the failing share in Russian and mathematics, all procedures."""
        rates = Rates()
        for procedure in PROCEDURES:
            found = self.results.get((school_id, year, procedure, True))
            if found:
                rates.add(found.participants, found.failed, found.high)
        return rates.failed_share

    def teachers(self, year: int) -> set[int]:
        """T(Y)."""
        return {t for s in self.targets[year] for t in self.staff.get((s, year), ())}


def _teacher_share(code, year, data: Data, counted: set[int]) -> Indicator:
    """A share of T(Y); by school, each school's own teachers."""
    teachers = data.teachers(year)
    by_school = {}
    for school_id in data.targets[year]:
        staff = data.staff.get((school_id, year), set())
        by_school[school_id] = (len(staff & counted), len(staff))
    numerator = len(teachers & counted)
    return Indicator(
        code,
        year,
        share(numerator, len(teachers)),
        numerator,
        len(teachers),
        data.target(code, year),
        by_school=by_school,
        numerator_schools={s for s, (n, _d) in by_school.items() if n},
        denominator_schools={s for s, (_n, d) in by_school.items() if d},
    )


def _school_share(code, year, data: Data, counted: set[int], among: set[int]) -> Indicator:
    counted = counted & among
    return Indicator(
        code,
        year,
        share(len(counted), len(among)),
        len(counted),
        len(among),
        data.target(code, year),
        by_school={s: (int(s in counted), 1) for s in among},
        numerator_schools=counted,
        denominator_schools=set(among),
    )


def _series_verdicts(series: list[tuple[datetime.date, str, str, Decimal]]):
    """IND-5 for one teacher, every year at once: year → one verdict per series whose latest
    diagnostic up to the end of that year is dated in it and has an earlier one — whether
    its score is higher than the one before it. `series` is in date order."""
    by_series: dict[tuple[str, str], list] = defaultdict(list)
    for date, kind, key, score in series:
        by_series[(kind, key)].append((date, score))
    verdicts: dict[int, list[bool]] = defaultdict(list)
    for items in by_series.values():
        for index in range(1, len(items)):
            # The last diagnostic of its year is the latest one up to the end of that year.
            is_last_of_year = (
                index + 1 == len(items) or items[index + 1][0].year != items[index][0].year
            )
            if is_last_of_year:
                verdicts[items[index][0].year].append(items[index][1] > items[index - 1][1])
    return verdicts


def _positive_dynamics(data: "Data", teacher_id: int, year: int):
    """IND-5 for one teacher: None when no series qualifies, else whether all improved."""
    verdicts = data.dynamics.get(teacher_id, {}).get(year)
    if not verdicts:
        return None
    return all(verdicts)


def indicators_for(year: int, data: Data) -> dict[str, Indicator]:
    targets = data.targets[year]
    teachers = data.teachers(year)
    result: dict[str, Indicator] = {}

    parties = data.agreement_parties[year] & targets
    result["IND-1"] = _school_share("IND-1", year, data, parties, targets)

    supported = data.supported[year] & teachers
    result["IND-2"] = _teacher_share("IND-2", year, data, supported)

    # IND-3: the failing share over S(Y), all subjects, in Y and Y−1, per procedure.
    current, previous = Rates(), Rates()
    by_procedure = {}
    by_school = {}
    for procedure in PROCEDURES:
        now, before = Rates(), Rates()
        for school_id in targets:
            for core in (True, False):
                found = data.results.get((school_id, year, procedure, core))
                if found:
                    now.add(found.participants, found.failed, found.high)
                found = data.results.get((school_id, year - 1, procedure, core))
                if found:
                    before.add(found.participants, found.failed, found.high)
        by_procedure[procedure] = {"value": now.failed_share, "previous": before.failed_share}
        current.add(now.participants, now.failed, now.high)
        previous.add(before.participants, before.failed, before.high)
    for school_id in targets:
        rates = Rates()
        for procedure in PROCEDURES:
            for core in (True, False):
                found = data.results.get((school_id, year, procedure, core))
                if found:
                    rates.add(found.participants, found.failed, found.high)
        by_school[school_id] = (rates.failed, rates.participants)
    result["IND-3"] = Indicator(
        "IND-3",
        year,
        current.failed_share,
        current.failed,
        current.participants,
        data.target("IND-3", year),
        by_school=by_school,
        numerator_schools={s for s, (n, _d) in by_school.items() if n},
        denominator_schools={s for s, (_n, d) in by_school.items() if d},
        previous=previous.failed_share,
        by_procedure=by_procedure,
    )

    diagnosed = {t for t in teachers if year in data.diagnosed_years.get(t, ())}
    result["IND-4"] = _teacher_share("IND-4", year, data, diagnosed)

    ind5_den, ind5_num = set(), set()
    for teacher_id in teachers:
        verdict = _positive_dynamics(data, teacher_id, year)
        if verdict is not None:
            ind5_den.add(teacher_id)
            if verdict:
                ind5_num.add(teacher_id)
    ind5_school = {}
    for school_id in targets:
        staff = data.staff.get((school_id, year), set())
        ind5_school[school_id] = (len(staff & ind5_num), len(staff & ind5_den))
    result["IND-5"] = Indicator(
        "IND-5",
        year,
        share(len(ind5_num), len(ind5_den)),
        len(ind5_num),
        len(ind5_den),
        data.target("IND-5", year),
        by_school=ind5_school,
        numerator_schools={s for s, (n, _d) in ind5_school.items() if n},
        denominator_schools={s for s, (_n, d) in ind5_school.items() if d},
    )

    comparable, improved = set(), set()
    for school_id in targets:
        now, before = data.failing_core(school_id, year), data.failing_core(school_id, year - 1)
        if now is not None and before is not None:
            comparable.add(school_id)
            if now < before:
                improved.add(school_id)
    result["IND-6"] = _school_share("IND-6", year, data, improved, comparable)

    covered = {s for s in targets if data.staff.get((s, year), set()) & supported} | parties
    result["IND-7"] = _school_share("IND-7", year, data, covered, targets)

    concluded = data.agreements_concluded[year]
    result["IND-8"] = Indicator(
        "IND-8", year, concluded, concluded, None, data.target("IND-8", year)
    )

    result["IND-9"] = _school_share("IND-9", year, data, data.programmes[year], targets)
    return result


def compute_indicators(years: list[int]) -> dict[int, dict[str, Indicator]]:
    """All indicators for each of the years."""
    if not years:
        return {}
    data = Data(years)
    return {year: indicators_for(year, data) for year in data.years}


def compute_year(year: int) -> dict[str, Indicator]:
    return compute_indicators([year])[year]
