"""Effectiveness of the measures (domain.md, «monitoring → analysis → recommendations →
measures → effectiveness analysis»): for each school confirmed as ШНОР in Y0, its indicators
at inclusion and one and two years later, with a verdict per later year.

The indicators, per school and year y:
- F(school, y): the failing share in Russian and mathematics, all procedures together, summed
  before dividing (as `indicators.Data.failing_core`); lower is better;
- the share of the school's staff list of y with a support record dated in y (IND-2 at the
  school level); higher is better;
- the share of the school's staff list of y with a diagnostic dated in y (IND-4 at the
  school level); higher is better;
- the screening U_rm of y: failing share in Russian and mathematics in ВПР, ОГЭ, ЕГЭ over
  y−1 and y together (as `screening.screen`); lower is better.

The school-level shares are computed for every included school whatever its status in the
later years: the point is to follow the same schools after the measures.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from portal.models import School, SchoolStatus, Status

from .indicators import Rates, share
from .models import CORE_SUBJECTS, AssessmentResult, Diagnostic, StaffEntry, SupportRecord
from .screening import SCREENED_PROCEDURES

# How many years after inclusion are followed.
FOLLOW_UP_YEARS = 2

IMPROVED = "improved"
NOT_IMPROVED = "not_improved"
NO_DATA = "no_data"

VERDICT_LABELS = {
    IMPROVED: _("улучшился"),
    NOT_IMPROVED: _("не улучшился"),
    NO_DATA: _("нет данных"),
}


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    lower_is_better: bool


MEASURES = (
    Measure("failing_core", _("Доля «2» по русскому языку и математике, F"), True),
    Measure("support", _("Доля педагогов с методическим сопровождением (IND-2)"), False),
    Measure("diagnostics", _("Доля педагогов, прошедших диагностику (IND-4)"), False),
    Measure("u_rm", _("U_rm скрининга (за год и предыдущий)"), True),
)


@dataclass
class Value:
    value: float | None
    numerator: int | None = None
    denominator: int | None = None


@dataclass
class Track:
    """One indicator of one school over Y0, Y0+1, Y0+2, with the verdicts of the later years."""

    measure: Measure
    values: dict[int, Value]
    verdicts: dict[int, str] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[int, Value, str | None]]:
        """(year, value, verdict) in year order; no verdict for the year of inclusion."""
        return [(year, self.values[year], self.verdicts.get(year)) for year in sorted(self.values)]


@dataclass
class SchoolEffect:
    school: School
    status: SchoolStatus
    tracks: list[Track]

    def track(self, code: str) -> Track:
        return next(track for track in self.tracks if track.measure.code == code)


@dataclass
class Effectiveness:
    year: int
    years: list[int]
    schools: list[SchoolEffect]

    def summary(self) -> list[dict]:
        """For each indicator and later year: how many schools improved, did not, lack data."""
        rows = []
        for measure in MEASURES:
            for year in self.years[1:]:
                counts = {IMPROVED: 0, NOT_IMPROVED: 0, NO_DATA: 0}
                for effect in self.schools:
                    counts[effect.track(measure.code).verdicts[year]] += 1
                rows.append({"measure": measure, "year": year, **counts})
        return rows


def verdict(before: float | None, after: float | None, lower_is_better: bool) -> str:
    """«улучшился» only for a strict change in the good direction; equal is «не улучшился»."""
    if before is None or after is None:
        return NO_DATA
    better = after < before if lower_is_better else after > before
    return IMPROVED if better else NOT_IMPROVED


def included_schools(year: int):
    """The schools confirmed as ШНОР in the year (ШНСУ is a different measure)."""
    return (
        SchoolStatus.objects.confirmed()
        .filter(year=year, status=Status.SHNOR)
        .select_related("school")
        .order_by("school__short_name", "school__code")
    )


def analyse(year: int) -> Effectiveness:
    """The effectiveness table of the schools included in `year`, in a fixed number of
    queries whatever the number of schools."""
    years = [year + offset for offset in range(FOLLOW_UP_YEARS + 1)]
    statuses = list(included_schools(year))
    school_ids = {status.school_id for status in statuses}

    # (school, year, screened procedure?) → core results, summed in the database.
    core: dict[tuple[int, int, bool], Rates] = defaultdict(Rates)
    for row in (
        AssessmentResult.objects.filter(
            school_id__in=school_ids,
            year__in=[years[0] - 1, *years],
            subject_key__in=CORE_SUBJECTS,
        )
        .values("school_id", "year", "procedure")
        .annotate(p=Sum("participants"), f=Sum("failed"), h=Sum("high"))
        .order_by()
    ):
        screened = row["procedure"] in SCREENED_PROCEDURES
        core[(row["school_id"], row["year"], screened)].add(row["p"], row["f"], row["h"])

    staff: dict[tuple[int, int], set[int]] = defaultdict(set)
    for school_id, staff_year, teacher_id in StaffEntry.objects.filter(
        school_id__in=school_ids, year__in=years
    ).values_list("school_id", "year", "teacher_id"):
        staff[(school_id, staff_year)].add(teacher_id)
    teachers = {teacher for group in staff.values() for teacher in group}

    supported: dict[int, set[int]] = defaultdict(set)
    for teacher_id, date in SupportRecord.objects.filter(
        teacher_id__in=teachers, date__year__in=years
    ).values_list("teacher_id", "date"):
        supported[date.year].add(teacher_id)

    diagnosed: dict[int, set[int]] = defaultdict(set)
    for teacher_id, date in Diagnostic.objects.filter(
        teacher_id__in=teachers, date__year__in=years
    ).values_list("teacher_id", "date"):
        diagnosed[date.year].add(teacher_id)

    def failing_core(school_id: int, each: int) -> Value:
        rates = Rates()
        for screened in (True, False):
            found = core.get((school_id, each, screened))
            if found:
                rates.add(found.participants, found.failed, found.high)
        return Value(rates.failed_share, rates.failed, rates.participants)

    def u_rm(school_id: int, each: int) -> Value:
        rates = Rates()
        for span_year in (each - 1, each):
            found = core.get((school_id, span_year, True))
            if found:
                rates.add(found.participants, found.failed, found.high)
        return Value(rates.failed_share, rates.failed, rates.participants)

    def teacher_share(school_id: int, each: int, counted: dict[int, set[int]]) -> Value:
        group = staff.get((school_id, each), set())
        numerator = len(group & counted[each])
        return Value(share(numerator, len(group)), numerator, len(group))

    compute = {
        "failing_core": failing_core,
        "support": lambda school_id, each: teacher_share(school_id, each, supported),
        "diagnostics": lambda school_id, each: teacher_share(school_id, each, diagnosed),
        "u_rm": u_rm,
    }

    effects = []
    for status in statuses:
        tracks = []
        for measure in MEASURES:
            values = {each: compute[measure.code](status.school_id, each) for each in years}
            verdicts = {
                each: verdict(values[year].value, values[each].value, measure.lower_is_better)
                for each in years[1:]
            }
            tracks.append(Track(measure, values, verdicts))
        effects.append(SchoolEffect(status.school, status, tracks))
    return Effectiveness(year, years, effects)
