"""Reads of agreements: the registry, a school's agreements, the indicators' counts."""

from django.db.models import Q, QuerySet

from .models import Agreement, AgreementParty


def parties_in_force(years: list[int]) -> dict[int, set[int]]:
    """For each year, the schools that are a party to an agreement signed by all its
    parties whose term overlaps the year (a terminated agreement's term ends on its
    termination). One query for all the years."""
    found: dict[int, set[int]] = {year: set() for year in years}
    rows = AgreementParty.objects.filter(
        agreement__signed_at__isnull=False,
        agreement__start_date__year__lte=max(years, default=0),
        agreement__end_date__year__gte=min(years, default=0),
    ).values_list(
        "school_id", "agreement__start_date", "agreement__end_date", "agreement__terminated_on"
    )
    for school_id, start, end, terminated in rows:
        last = min(end, terminated) if terminated else end
        for year in years:
            if start.year <= year <= last.year:
                found[year].add(school_id)
    return found


def concluded_count(years: list[int]) -> dict[int, int]:
    """For each year, the agreements whose last signature, the one that put them in
    force, is dated in it."""
    from django.utils import timezone

    counts = dict.fromkeys(years, 0)
    for signed_at in Agreement.objects.filter(signed_at__isnull=False).values_list(
        "signed_at", flat=True
    ):
        year = timezone.localtime(signed_at).year
        if year in counts:
            counts[year] += 1
    return counts


def registry(
    *, query: str = "", state: str = "", kind: str = "", school_code: str = "", year=None
) -> QuerySet:
    agreements = Agreement.objects.public().prefetch_related("parties__school", "subjects")
    if state:
        agreements = agreements.filter(state=state)
    if kind:
        # The kinds are a JSON list of codes; matching the quoted code works on every backend.
        agreements = agreements.filter(support_kinds__icontains=f'"{kind}"')
    if school_code:
        agreements = agreements.filter(parties__school__code=school_code)
    if year:
        agreements = agreements.filter(start_date__year__lte=year, end_date__year__gte=year)
    if query:
        agreements = agreements.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(parties__school__search_text__contains=query.casefold())
        )
    return agreements.distinct().order_by("-signed_at", "-pk")


QUIET_WEEKS = 6


def activity_flags(agreement: Agreement, today=None) -> dict:
    """Overdue plan items, and «amber» when an agreement in force has had no report for
    six weeks (counted from its entry into force when there is none yet)."""
    import datetime

    from django.db.models import Max
    from django.utils import timezone

    from .models import PlanItem, Report

    today = today or timezone.localdate()
    overdue = list(
        agreement.plan.filter(end_date__lt=today).exclude(
            status__in=[PlanItem.Status.DONE, PlanItem.Status.CANCELLED]
        )
    )
    amber = False
    last = None
    if agreement.state == Agreement.State.ACTIVE:
        last = Report.objects.filter(plan_item__agreement=agreement).aggregate(d=Max("date"))["d"]
        since = last or timezone.localtime(agreement.signed_at).date()
        amber = today - since > datetime.timedelta(weeks=QUIET_WEEKS)
    return {"overdue": overdue, "amber": amber, "last_report": last}
