"""Screening of low-result schools by the rule of domain.md (from programme 003).

For each school with results in Y−1 or Y, over the two years together:
U_rm (failing share in Russian and mathematics, ВПР/ОГЭ/ЕГЭ), H_rm (high share in them),
U_other (failing share in the other subjects, ВПР/ОГЭ/ЕГЭ), the number of earlier years
with the status ШНОР, and the objectivity index where imported. A share with no
participants is undefined and flags nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from portal.models import School, SchoolStatus, Status

from .models import CORE_SUBJECTS, AssessmentResult, Procedure, SchoolContext, ScreeningSettings

# ГВЭ is not part of the rule.
SCREENED_PROCEDURES = (Procedure.VPR, Procedure.OGE, Procedure.EGE)


@dataclass
class Thresholds:
    failing_core_min: Decimal = Decimal(15)
    high_core_max: Decimal = Decimal(5)
    failing_other_min: Decimal = Decimal(20)

    @classmethod
    def current(cls) -> "Thresholds":
        settings = ScreeningSettings.load()
        return cls(settings.failing_core_min, settings.high_core_max, settings.failing_other_min)


@dataclass
class Counts:
    participants: int = 0
    failed: int = 0
    high: int = 0

    def add(self, participants, failed, high):
        self.participants += participants
        self.failed += failed
        self.high += high

    def failed_share(self) -> Fraction | None:
        return Fraction(self.failed, self.participants) if self.participants else None

    def high_share(self) -> Fraction | None:
        return Fraction(self.high, self.participants) if self.participants else None


@dataclass
class ScreeningRow:
    school: School
    core: Counts
    other: Counts
    repeats: int
    objectivity: Decimal | None
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)
    status: SchoolStatus | None = None

    @property
    def u_rm(self) -> float | None:
        value = self.core.failed_share()
        return float(value) if value is not None else None

    @property
    def h_rm(self) -> float | None:
        value = self.core.high_share()
        return float(value) if value is not None else None

    @property
    def u_other(self) -> float | None:
        value = self.other.failed_share()
        return float(value) if value is not None else None

    def as_json(self) -> dict:
        return {
            "school_code": self.school.code,
            "u_rm": self.u_rm,
            "h_rm": self.h_rm,
            "u_other": self.u_other,
            "repeats": self.repeats,
            "objectivity": float(self.objectivity) if self.objectivity is not None else None,
            "flagged": self.flagged,
            "reasons": self.reasons,
        }


@dataclass
class Screening:
    year: int
    thresholds: Thresholds
    rows: list[ScreeningRow]
    municipal_core: Counts
    municipal_other: Counts

    @property
    def municipal_u_rm(self):
        value = self.municipal_core.failed_share()
        return float(value) if value is not None else None

    @property
    def municipal_h_rm(self):
        value = self.municipal_core.high_share()
        return float(value) if value is not None else None

    @property
    def municipal_u_other(self):
        value = self.municipal_other.failed_share()
        return float(value) if value is not None else None

    @property
    def flagged(self) -> list[ScreeningRow]:
        return [row for row in self.rows if row.flagged]


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}".replace(".", ",") + " %"


def _threshold(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + " %"


def _judge(row: ScreeningRow, thresholds: Thresholds) -> None:
    u_rm, h_rm, u_other = row.core.failed_share(), row.core.high_share(), row.other.failed_share()
    core_min = Fraction(thresholds.failing_core_min) / 100
    high_max = Fraction(thresholds.high_core_max) / 100
    other_min = Fraction(thresholds.failing_other_min) / 100
    if u_rm is not None and h_rm is not None and u_rm >= core_min and h_rm <= high_max:
        row.reasons.append(
            _(
                "доля «2» по русскому языку и математике %(u)s не ниже порога %(u_min)s, "
                "а доля высоких результатов %(h)s не выше порога %(h_max)s"
            )
            % {
                "u": _percent(u_rm),
                "u_min": _threshold(thresholds.failing_core_min),
                "h": _percent(h_rm),
                "h_max": _threshold(thresholds.high_core_max),
            }
        )
    if u_other is not None and u_other >= other_min:
        row.reasons.append(
            _("доля «2» по остальным предметам %(u)s не ниже порога %(u_min)s")
            % {"u": _percent(u_other), "u_min": _threshold(thresholds.failing_other_min)}
        )
    row.flagged = bool(row.reasons)


def screen(year: int, thresholds: Thresholds | None = None) -> Screening:
    """Every school with results in Y−1 or Y, ranked by U_rm (undefined last)."""
    thresholds = thresholds or Thresholds.current()
    years = (year - 1, year)
    with_results = set(
        AssessmentResult.objects.filter(year__in=years).values_list("school_id", flat=True)
    )
    core: dict[int, Counts] = defaultdict(Counts)
    other: dict[int, Counts] = defaultdict(Counts)
    municipal_core, municipal_other = Counts(), Counts()
    rows = (
        AssessmentResult.objects.filter(year__in=years, procedure__in=SCREENED_PROCEDURES)
        .values("school_id", "subject_key")
        .annotate(p=Sum("participants"), f=Sum("failed"), h=Sum("high"))
        .order_by()
    )
    for row in rows:
        is_core = row["subject_key"] in CORE_SUBJECTS
        (core if is_core else other)[row["school_id"]].add(row["p"], row["f"], row["h"])
        (municipal_core if is_core else municipal_other).add(row["p"], row["f"], row["h"])
    repeats = dict(
        SchoolStatus.objects.confirmed()
        .filter(status=Status.SHNOR, year__lt=year, school_id__in=with_results)
        .values("school_id")
        .annotate(n=Count("year", distinct=True))
        .values_list("school_id", "n")
    )
    objectivity = dict(
        SchoolContext.objects.filter(year=year, school_id__in=with_results).values_list(
            "school_id", "objectivity"
        )
    )
    statuses = {
        status.school_id: status
        for status in SchoolStatus.objects.filter(year=year, school_id__in=with_results)
    }
    result = []
    for school in School.objects.filter(pk__in=with_results):
        row = ScreeningRow(
            school=school,
            core=core[school.pk],
            other=other[school.pk],
            repeats=repeats.get(school.pk, 0),
            objectivity=objectivity.get(school.pk),
            status=statuses.get(school.pk),
        )
        _judge(row, thresholds)
        result.append(row)
    result.sort(
        key=lambda row: (
            row.core.failed_share() is None,
            -(row.core.failed_share() or 0),
            row.school.code,
        )
    )
    return Screening(year, thresholds, result, municipal_core, municipal_other)
