"""What a school's monitoring dashboard reads: its results against the municipal values,
its teachers' diagnostics and support, its programmes, statuses and recommendations.

Everything is loaded in a fixed number of queries whatever the size of the school. The
dashboard is for the school's head and methodologists only (`access.can_see_school`): it
shows teachers' names and diagnostics, which are personal data.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Sum

from portal.models import School

from .indicators import share
from .models import (
    AssessmentResult,
    Diagnostic,
    Procedure,
    Recommendation,
    StaffEntry,
    SupportRecord,
)

TOP_DEFICITS = 10
LATEST_SUPPORT = 30


@dataclass
class ResultRow:
    subject: str
    year: int
    participants: int
    failed_share: float | None
    high_share: float | None
    municipal_failed_share: float | None
    municipal_high_share: float | None


@dataclass
class CoverageRow:
    year: int
    staff: int
    diagnosed: int
    supported: int

    @property
    def diagnosed_share(self) -> float | None:
        return share(self.diagnosed, self.staff)

    @property
    def supported_share(self) -> float | None:
        return share(self.supported, self.staff)


@dataclass
class TeacherRow:
    entry: StaffEntry
    latest: Diagnostic | None
    diagnostics_count: int


@dataclass
class SchoolDashboard:
    school: School
    results: list[tuple[str, list[ResultRow]]]
    coverage: list[CoverageRow]
    deficits: list[tuple[str, int]]
    staff_year: int | None
    teachers: list[TeacherRow]
    support: list[SupportRecord]
    programmes: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)


def results_by_procedure(school: School) -> list[tuple[str, list[ResultRow]]]:
    """For each procedure, the school's failing and high shares per subject and year, beside
    the municipal shares of the same procedure, subject and year (all schools together)."""
    own = list(
        AssessmentResult.objects.filter(school=school)
        .values("year", "procedure", "subject_key")
        .annotate(p=Sum("participants"), f=Sum("failed"), h=Sum("high"), name=Max("subject"))
        .order_by()
    )
    if not own:
        return []
    years = {row["year"] for row in own}
    municipal = {
        (row["year"], row["procedure"], row["subject_key"]): row
        for row in AssessmentResult.objects.filter(year__in=years)
        .values("year", "procedure", "subject_key")
        .annotate(p=Sum("participants"), f=Sum("failed"), h=Sum("high"))
        .order_by()
    }
    grouped: dict[str, list[ResultRow]] = defaultdict(list)
    for row in own:
        muni = municipal[(row["year"], row["procedure"], row["subject_key"])]
        grouped[row["procedure"]].append(
            ResultRow(
                subject=" ".join(row["name"].split()),
                year=row["year"],
                participants=row["p"],
                failed_share=share(row["f"], row["p"]),
                high_share=share(row["h"], row["p"]),
                municipal_failed_share=share(muni["f"], muni["p"]),
                municipal_high_share=share(muni["h"], muni["p"]),
            )
        )
    order = {procedure: n for n, procedure in enumerate(Procedure.values)}
    return [
        (procedure, sorted(rows, key=lambda r: (r.subject.casefold(), r.year)))
        for procedure, rows in sorted(grouped.items(), key=lambda item: order[item[0]])
    ]


def build(school: School) -> SchoolDashboard:
    staff_by_year: dict[int, set[int]] = defaultdict(set)
    for year, teacher_id in StaffEntry.objects.filter(school=school).values_list(
        "year", "teacher_id"
    ):
        staff_by_year[year].add(teacher_id)
    teachers = {t for group in staff_by_year.values() for t in group}

    diagnostics = list(
        Diagnostic.objects.filter(teacher_id__in=teachers).order_by("teacher_id", "-date", "-pk")
    )
    diagnosed: dict[int, set[int]] = defaultdict(set)
    deficits: Counter = Counter()
    latest: dict[int, Diagnostic] = {}
    counts: Counter = Counter()
    for diagnostic in diagnostics:
        latest.setdefault(diagnostic.teacher_id, diagnostic)
        counts[diagnostic.teacher_id] += 1
        year = diagnostic.date.year
        # A diagnostic belongs to this school when the teacher was on its staff that year.
        if diagnostic.teacher_id in staff_by_year.get(year, ()):
            diagnosed[year].add(diagnostic.teacher_id)
            for deficit in diagnostic.deficits or []:
                name = " ".join(str(deficit).split())
                if name:
                    deficits[name] += 1

    supported: dict[int, set[int]] = defaultdict(set)
    support_ids = []
    for pk, teacher_id, date in (
        SupportRecord.objects.filter(teacher_id__in=teachers, date__year__in=staff_by_year)
        .order_by("-date", "-pk")
        .values_list("pk", "teacher_id", "date")
    ):
        if teacher_id in staff_by_year[date.year]:
            supported[date.year].add(teacher_id)
            if len(support_ids) < LATEST_SUPPORT:
                support_ids.append(pk)
    support = list(
        SupportRecord.objects.filter(pk__in=support_ids)
        .select_related("teacher")
        .order_by("-date", "-pk")
    )

    coverage = [
        CoverageRow(year, len(group), len(diagnosed[year]), len(supported[year]))
        for year, group in sorted(staff_by_year.items(), reverse=True)
    ]
    staff_year = max(staff_by_year) if staff_by_year else None
    teacher_rows = []
    if staff_year is not None:
        for entry in (
            StaffEntry.objects.filter(school=school, year=staff_year)
            .select_related("teacher")
            .order_by("teacher__full_name")
        ):
            teacher_rows.append(
                TeacherRow(entry, latest.get(entry.teacher_id), counts[entry.teacher_id])
            )

    return SchoolDashboard(
        school=school,
        results=results_by_procedure(school),
        coverage=coverage,
        deficits=sorted(deficits.items(), key=lambda item: (-item[1], item[0]))[:TOP_DEFICITS],
        staff_year=staff_year,
        teachers=teacher_rows,
        support=support,
        programmes=list(school.programmes.select_related("document").order_by("-start_year")),
        statuses=list(school.statuses.select_related("decided_by").order_by("-year")),
        recommendations=list(
            Recommendation.objects.filter(school=school)
            .select_related("author", "acknowledged_by")
            .order_by("-created_at")
        ),
    )
