"""Reading the bank: the faceted, searchable list of published practices.

`search_practices(query)` is the one entry point the views, the API and the feeds use. The
database implementation lives here; the Elasticsearch one answers the same `PracticeQuery`
with the same `PracticeResults`.
"""

import html
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal.models import Status, Subject

from .models import EvidenceLevel, GradeLevel, PracticeFormat, PracticePage, Problem
from .morphology import lemma, tokens

PAGE_SIZE = 12
MAX_QUERY_LENGTH = 200
SORTS = {
    "relevance": _("По релевантности"),
    "new": _("Сначала новые"),
    "applied": _("Чаще применяют"),
}
RELATION_FACETS = {"problem", "subject", "level", "tag"}
STATUS_FILTERS = {"shnor": Status.SHNOR, "shnsu": Status.SHNSU, "leader": Status.LEADER}


@dataclass
class PracticeQuery:
    """What the visitor asked for. Unknown filter values are dropped, never an error."""

    text: str = ""
    problems: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    sort: str = "new"
    page: str = "1"
    error: str = ""

    @classmethod
    def from_querydict(cls, params: QueryDict) -> "PracticeQuery":
        text = params.get("q", "").strip()
        error = ""
        if "\x00" in text:
            text, error = "", str(_("Запрос содержит недопустимые символы."))
        elif len(text) > MAX_QUERY_LENGTH:
            text, error = (
                "",
                str(
                    _("Запрос слишком длинный: не более %(n)s символов.") % {"n": MAX_QUERY_LENGTH}
                ),
            )

        def ints(name):
            return [
                int(value) for value in params.getlist(name) if value.isdigit() and len(value) <= 4
            ]

        formats = [value for value in params.getlist("format") if value in PracticeFormat.values]
        evidence = [value for value in ints("evidence") if value in EvidenceLevel.values]
        statuses = [value for value in params.getlist("status") if value in STATUS_FILTERS]
        sort = params.get("sort", "")
        if sort not in SORTS:
            sort = "relevance" if text else "new"
        if sort == "relevance" and not text:
            sort = "new"
        return cls(
            text=text,
            problems=params.getlist("problem")[:20],
            subjects=params.getlist("subject")[:20],
            levels=params.getlist("level")[:5],
            formats=formats,
            evidence=evidence,
            statuses=statuses,
            tags=[tag[:100] for tag in params.getlist("tag")[:20]],
            years=ints("year")[:10],
            sort=sort,
            page=params.get("page", "1"),
            error=error,
        )

    @property
    def lemmas(self) -> list[str]:
        return [lemma(word) for word in tokens(self.text)][:20]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the query parameter
    label: str
    values: list[FacetValue]


@dataclass
class PracticeResults:
    page: object  # a django.core.paginator.Page of PracticePage
    total: int
    facets: list[Facet]
    highlights: dict[int, str]
    backend: str = "database"


def published_practices() -> QuerySet:
    return PracticePage.objects.live().public()


def _apply_filters(queryset: QuerySet, query: PracticeQuery, skip: str = "") -> QuerySet:
    """Filters of every facet but `skip`: values of one facet are OR-ed, facets are AND-ed."""
    conditions = {
        "problem": ("problems__slug__in", query.problems),
        "subject": ("subjects__slug__in", query.subjects),
        "level": ("grade_levels__slug__in", query.levels),
        "format": ("format__in", query.formats),
        "evidence": ("evidence_level__in", query.evidence),
        "status": ("school_status__in", [STATUS_FILTERS[value] for value in query.statuses]),
        "tag": ("tags__name__in", query.tags),
        "year": ("published_on__year__in", query.years),
    }
    for name, (lookup, values) in conditions.items():
        if name == skip or not values:
            continue
        if name in RELATION_FACETS:
            # A relation: filter by a subquery so that OR-ed values do not duplicate rows.
            queryset = queryset.filter(
                pk__in=PracticePage.objects.filter(**{lookup: values}).values("pk")
            )
        else:
            queryset = queryset.filter(**{lookup: values})
    return queryset


def _matching(query: PracticeQuery) -> QuerySet:
    practices = published_practices()
    if not query.lemmas:
        return practices
    results = practices.search(
        " ".join(query.lemmas), operator="and", order_by_relevance=query.sort == "relevance"
    )
    return results.get_queryset()


def _facets(base: QuerySet, query: PracticeQuery) -> list[Facet]:
    def counted(skip, values_field):
        queryset = _apply_filters(base, query, skip=skip).order_by()
        return dict(
            queryset.values_list(values_field)
            .annotate(n=Count("pk", distinct=True))
            .values_list(values_field, "n")
        )

    facets = []
    problem_counts = counted("problem", "problems__slug")
    facets.append(
        Facet(
            "problem",
            str(_("Проблема")),
            [
                FacetValue(p.slug, p.name, problem_counts.get(p.slug, 0), p.slug in query.problems)
                for p in Problem.objects.all()
            ],
        )
    )
    subject_counts = counted("subject", "subjects__slug")
    facets.append(
        Facet(
            "subject",
            str(_("Предмет")),
            [
                FacetValue(s.slug, s.name, subject_counts.get(s.slug, 0), s.slug in query.subjects)
                for s in Subject.objects.all()
                if subject_counts.get(s.slug) or s.slug in query.subjects
            ],
        )
    )
    level_counts = counted("level", "grade_levels__slug")
    facets.append(
        Facet(
            "level",
            str(_("Уровень образования")),
            [
                FacetValue(g.slug, str(g), level_counts.get(g.slug, 0), g.slug in query.levels)
                for g in GradeLevel.objects.all()
            ],
        )
    )
    format_counts = counted("format", "format")
    facets.append(
        Facet(
            "format",
            str(_("Формат")),
            [
                FacetValue(value, str(label), format_counts.get(value, 0), value in query.formats)
                for value, label in PracticeFormat.choices
            ],
        )
    )
    evidence_counts = counted("evidence", "evidence_level")
    facets.append(
        Facet(
            "evidence",
            str(_("Уровень доказанности")),
            [
                FacetValue(
                    str(value), str(label), evidence_counts.get(value, 0), value in query.evidence
                )
                for value, label in EvidenceLevel.choices
            ],
        )
    )
    status_counts = counted("status", "school_status")
    facets.append(
        Facet(
            "status",
            str(_("Статус школы авторов")),
            [
                FacetValue(
                    key,
                    str(status.label),
                    status_counts.get(status.value, 0),
                    key in query.statuses,
                )
                for key, status in STATUS_FILTERS.items()
            ],
        )
    )
    year_counts = counted("year", "published_on__year")
    facets.append(
        Facet(
            "year",
            str(_("Год публикации")),
            [
                FacetValue(str(year), str(year), count, year in query.years)
                for year, count in sorted(year_counts.items(), reverse=True)
                if year
            ],
        )
    )
    tag_counts = counted("tag", "tags__name")
    top_tags = sorted(
        ((name, n) for name, n in tag_counts.items() if name), key=lambda item: (-item[1], item[0])
    )[:20]
    shown = {name for name, _n in top_tags}
    top_tags += [(name, tag_counts.get(name, 0)) for name in query.tags if name not in shown]
    facets.append(
        Facet(
            "tag",
            str(_("Теги")),
            [FacetValue(name, name, n, name in query.tags) for name, n in top_tags],
        )
    )
    return facets


def highlight(text: str, lemmas: list[str], length: int = 260) -> str:
    """An HTML fragment of the text around the first matched word, matches in <mark>."""
    if not text:
        return ""
    wanted = set(lemmas)
    words = list(re.finditer(r"[0-9A-Za-zА-Яа-яЁё]+", text))
    first = next((m for m in words if lemma(m.group()) in wanted), None)
    start = max(0, first.start() - length // 3) if first else 0
    fragment = text[start : start + length]
    prefix = "…" if start else ""
    suffix = "…" if start + length < len(text) else ""
    out, last = [], 0
    for match in re.finditer(r"[0-9A-Za-zА-Яа-яЁё]+", fragment):
        if lemma(match.group()) in wanted:
            out.append(html.escape(fragment[last : match.start()]))
            out.append(f"<mark>{html.escape(match.group())}</mark>")
            last = match.end()
    out.append(html.escape(fragment[last:]))
    return prefix + "".join(out) + suffix


def search_practices(query: PracticeQuery) -> PracticeResults:
    matched = _matching(query)
    listing = _apply_filters(matched, query)
    if query.sort == "new":
        listing = listing.order_by("-published_on", "-pk")
    elif query.sort == "applied":
        listing = listing.order_by("-adoption_count", "-published_on", "-pk")
    listing = listing.select_related("school").prefetch_related("problems", "subjects")
    paginator = Paginator(listing, PAGE_SIZE)
    page = paginator.get_page(query.page)
    highlights = {}
    if query.lemmas:
        highlights = {practice.pk: highlight(practice.summary, query.lemmas) for practice in page}
    return PracticeResults(
        page=page, total=paginator.count, facets=_facets(matched, query), highlights=highlights
    )


def similar_practices(practice: PracticePage, limit: int = 3) -> list[PracticePage]:
    """Published practices sharing most problems with this one, then the newest."""
    problem_ids = list(practice.problems.values_list("pk", flat=True))
    return list(
        published_practices()
        .exclude(pk=practice.pk)
        .filter(problems__in=problem_ids)
        .annotate(shared=Count("problems", filter=Q(problems__in=problem_ids)))
        .order_by("-shared", "-published_on")
        .select_related("school")[:limit]
    )


def practice_detail_context(practice: PracticePage, user) -> dict:
    adoptions = list(practice.adoptions.select_related("school").order_by("-applied_on"))
    school = user.confirmed_school if user.is_authenticated else None
    return {
        "adoptions": adoptions,
        "similar": similar_practices(practice),
        "can_adopt": bool(school) and school.pk != practice.school_id,
        "own_adoption": next((a for a in adoptions if school and a.school_id == school.pk), None),
    }


@dataclass
class OwnPractice:
    practice: PracticePage
    state: str
    comment: str


def my_practices(user) -> list[OwnPractice]:
    """The user's practices with their moderation state and the moderator's last comment."""
    from wagtail.models import TaskState

    practices = (
        PracticePage.objects.filter(Q(owner=user) | Q(authors=user))
        .distinct()
        .select_related("latest_revision")
        .order_by("-latest_revision_created_at", "-pk")
    )
    items = []
    for practice in practices:
        workflow_state = practice.current_workflow_state or (
            practice.workflow_states.order_by("-created_at").first()
        )
        if practice.live and not practice.has_unpublished_changes:
            state = str(_("Опубликована"))
        elif workflow_state and workflow_state.status == workflow_state.STATUS_IN_PROGRESS:
            state = str(_("На проверке у методиста"))
        elif workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
            state = str(_("Возвращена на доработку"))
        else:
            state = str(_("Черновик"))
        comment = ""
        if workflow_state:
            last_task = (
                TaskState.objects.filter(workflow_state=workflow_state)
                .exclude(comment="")
                .order_by("-finished_at")
                .first()
            )
            comment = last_task.comment if last_task else ""
        items.append(OwnPractice(practice=practice, state=state, comment=comment))
    return items
