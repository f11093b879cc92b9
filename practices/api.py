"""Read-only JSON API of published practices (django-ninja, which Wagtail 8 already uses).

/api/practices/ takes the bank's own query parameters (q, problem, subject, level, format,
evidence, status, tag, year, sort, page) and answers with the same results and facets as the
page; /api/openapi.json describes it.
"""

import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema

from .selectors import PracticeQuery, published_practices, search_practices

api = NinjaAPI(
    title="Банк лучших практик — API",
    version="1.0",
    description="Опубликованные практики портала сетевого взаимодействия школ (только чтение).",
    urls_namespace="practices_api",
    docs_url=None,
)


class SchoolOut(Schema):
    code: str
    short_name: str
    url: str


class TermOut(Schema):
    slug: str
    name: str


class PracticeOut(Schema):
    id: int
    title: str
    url: str
    summary: str
    published_on: datetime.date
    format: str
    format_label: str
    evidence_level: int
    evidence_label: str
    school: SchoolOut | None
    school_status: str
    problems: list[TermOut]
    subjects: list[TermOut]
    grade_levels: list[TermOut]
    tags: list[str]
    adoption_count: int


class AdoptionOut(Schema):
    school: SchoolOut
    applied_on: datetime.date
    context: str
    outcome: str


class PracticeDetailOut(PracticeOut):
    coauthors: str
    authors: list[str]
    body: list[dict]
    adoptions: list[AdoptionOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class PracticeListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PracticeOut]
    facets: list[FacetOut]
    error: str


def _school(school, request) -> dict | None:
    if school is None:
        return None
    return {
        "code": school.code,
        "short_name": school.short_name,
        "url": request.build_absolute_uri(school.get_absolute_url()),
    }


def _practice(practice, request) -> dict:
    return {
        "id": practice.pk,
        "title": practice.title,
        "url": request.build_absolute_uri(practice.get_url(request)),
        "summary": practice.summary,
        "published_on": practice.published_on,
        "format": practice.format,
        "format_label": str(practice.get_format_display()),
        "evidence_level": practice.evidence_level,
        "evidence_label": str(practice.get_evidence_level_display()),
        "school": _school(practice.school, request),
        "school_status": practice.school_status,
        "problems": [{"slug": p.slug, "name": p.name} for p in practice.problems.all()],
        "subjects": [{"slug": s.slug, "name": s.name} for s in practice.subjects.all()],
        "grade_levels": [{"slug": g.slug, "name": str(g)} for g in practice.grade_levels.all()],
        "tags": [tag.name for tag in practice.tags.all()],
        "adoption_count": practice.adoption_count,
    }


@api.get(
    "/practices/", response=PracticeListOut, summary=str(_("Список практик с фильтрами и поиском"))
)
def list_practices(request: HttpRequest):
    query = PracticeQuery.from_querydict(request.GET)
    results = search_practices(query)
    page = results.page
    page.object_list = list(page.object_list)
    # Tags and grade levels are not on the list page's prefetch; fetch them once per page.
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(page.object_list, "tags", "grade_levels")
    return {
        "count": results.total,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_practice(practice, request) for practice in page.object_list],
        "facets": [
            {"name": f.name, "label": f.label, "values": [v.__dict__ for v in f.values]}
            for f in results.facets
        ],
        "error": query.error,
    }


@api.get("/practices/{practice_id}/", response=PracticeDetailOut, summary=str(_("Практика")))
def get_practice(request: HttpRequest, practice_id: int):
    practice = (
        published_practices()
        .select_related("school")
        .prefetch_related("problems", "subjects", "grade_levels", "tags", "authors")
        .filter(pk=practice_id)
        .first()
    )
    if practice is None:
        raise Http404
    data = _practice(practice, request)
    data.update(
        coauthors=practice.coauthors,
        authors=[author.get_full_name() for author in practice.authors.all()],
        body=list(practice.body.raw_data),
        adoptions=[
            {
                "school": _school(adoption.school, request),
                "applied_on": adoption.applied_on,
                "context": adoption.context,
                "outcome": adoption.outcome,
            }
            for adoption in practice.adoptions.select_related("school")
        ],
    )
    return data
