"""Reads shared by the public views and template tags."""

from django.db.models import Max, QuerySet

from portal.models import School, SchoolStatus, Status


def latest_status_year() -> int | None:
    """The most recent year any confirmed status was recorded for."""
    return SchoolStatus.objects.confirmed().aggregate(year=Max("year"))["year"]


def status_years() -> list[int]:
    return list(
        SchoolStatus.objects.confirmed().order_by("-year").values_list("year", flat=True).distinct()
    )


def school_directory(
    *, year: int | None, status: str | None, district: str, query: str
) -> QuerySet:
    """Schools for the public directory, each annotated with its status of the year."""
    schools = School.objects.all()
    if year is not None:
        schools = schools.with_status(year)
        if status is not None:
            schools = schools.filter(year_status=status)
    if district:
        schools = schools.filter(district=district)
    if query:
        schools = schools.filter(search_text__contains=query.casefold())
    # Codes follow the registry's numbering, so «СОШ № 2» comes before «СОШ № 10».
    return schools.order_by("code")


def status_counts(year: int) -> dict[str, int]:
    """How many schools have each confirmed status in the year."""
    counts = {choice.value: 0 for choice in Status}
    for status in (
        SchoolStatus.objects.confirmed().filter(year=year).values_list("status", flat=True)
    ):
        counts[status] += 1
    return counts


def school_count() -> int:
    return School.objects.count()
