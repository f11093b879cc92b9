"""Reading the bank: the faceted, searchable list of published practices.

`search_practices(query)` is the one entry point the views, the API and the feeds use. The
database implementation lives here; the Elasticsearch one answers the same `PracticeQuery`
with the same `PracticeResults`.
"""

import html
import logging
import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Paginator
from django.db import connections, router
from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from modelsearch.backends import get_search_backend
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.backends.database.postgres.weights import get_sql_weights
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry

from portal.models import Status

from . import facet_index, search_index
from .models import EvidenceLevel, PracticeFormat, PracticePage
from .morphology import lemma, tokens

logger = logging.getLogger(__name__)

PAGE_SIZE = 12
MAX_QUERY_LENGTH = 200
SORTS = {
    "relevance": _("По релевантности"),
    "new": _("Сначала новые"),
    "applied": _("Чаще применяют"),
}
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

        def values(name, limit):
            # NUL bytes are refused by PostgreSQL: such a value can only be junk.
            return [value[:100] for value in params.getlist(name)[:limit] if "\x00" not in value]

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
            problems=values("problem", 20),
            subjects=values("subject", 20),
            levels=values("level", 5),
            formats=formats,
            evidence=evidence,
            statuses=statuses,
            tags=values("tag", 20),
            years=ints("year")[:10],
            sort=sort,
            page=params.get("page", "1")[:10],
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


def _postgres_config() -> str | None:
    """The text search configuration when the database backend runs on PostgreSQL."""
    if connections[router.db_for_read(IndexEntry)].vendor != "postgresql":
        return None
    # Always a database backend: it is also the fallback when Elasticsearch is down.
    return get_search_backend(_database_backend()).config


def _database_backend() -> str:
    return "database" if "database" in settings.WAGTAILSEARCH_BACKENDS else "default"


def _matching_ids(query: PracticeQuery, config: str | None) -> list[int] | None:
    """Ids of the practices matching the words, best first when the sort is by relevance;
    None without words. `config`: see `_postgres_config`.

    The ids are fetched once: filtering and every facet count then use them instead of
    repeating the full-text match in each query.
    """
    if not query.lemmas:
        return None
    ranked = query.sort == "relevance"
    if config:
        return _indexed_matches(query.lemmas, config, ranked=ranked)
    results = published_practices().search(
        " ".join(query.lemmas),
        operator="and",
        order_by_relevance=ranked,
        backend=_database_backend(),
    )
    return list(results.get_queryset().values_list("pk", flat=True))


def _indexed_matches(lemmas: list[str], config: str, *, ranked: bool) -> list[int]:
    """What Wagtail's PostgreSQL backend answers for these words — the same index entries,
    tsquery and rank expression — read from its index table alone.

    The backend joins every practice to its index entry and tests `title || body` row by row,
    which no index can serve: about 460 ms at 100 000 practices. Here the entries are read
    alone, through a GIN index on that very expression (migration 0004), and only ids come
    back. They may include unpublished practices: the facet index, which holds
    only published ones, drops them.
    """
    # Built as the backend builds it for `operator="and"`: quoted lexemes joined with &.
    match = SearchQuery(
        reduce(operator.and_, [Lexeme(word) for word in lemmas]), search_type="raw", config=config
    )
    entries = (
        IndexEntry.objects.filter(
            content_type_id__in=get_descendants_content_types_pks(PracticePage)
        )
        .alias(
            document=CombinedExpression(
                F("title"), "||", F("body"), output_field=SearchVectorField()
            )
        )
        .filter(document=match)
    )
    if ranked:
        weights = get_sql_weights()
        rank = SearchRank(F("title"), match, weights=weights) * F("title_norm") + SearchRank(
            F("body"), match, weights=weights
        )
        # Best first, then the newest page, as the backend orders them ("-pk"). Every match
        # is ranked: fetching them again to rank only those the filters keep costs as much
        # (measured at 100 000), and far more when the filters keep many.
        entries = entries.order_by(rank.desc(), Cast("object_id", IntegerField()).desc())
    return [int(object_id) for object_id in entries.values_list("object_id", flat=True)]


def _facets(
    counts: dict[str, dict[str, int]],
    query: PracticeQuery,
    labels: dict[str, list[tuple[str, str]]] | None = None,
) -> list[Facet]:
    """The sidebar's facets, labelled, in a fixed order, from counts of either backend."""
    labels = labels or facet_index.taxonomy_labels()

    def values(name, items, selected):
        got = counts.get(name, {})
        return [
            FacetValue(value, str(label), got.get(value, 0), value in selected)
            for value, label in items
        ]

    facets = [
        Facet(
            "problem",
            str(_("Проблема")),
            values("problem", labels["problem"], query.problems),
        ),
        Facet(
            "subject",
            str(_("Предмет")),
            [
                item
                for item in values("subject", labels["subject"], query.subjects)
                if item.count or item.selected
            ],
        ),
        Facet(
            "level",
            str(_("Уровень образования")),
            values("level", labels["level"], query.levels),
        ),
        Facet("format", str(_("Формат")), values("format", PracticeFormat.choices, query.formats)),
        Facet(
            "evidence",
            str(_("Уровень доказанности")),
            values(
                "evidence",
                [(str(v), label) for v, label in EvidenceLevel.choices],
                [str(v) for v in query.evidence],
            ),
        ),
        Facet(
            "status",
            str(_("Статус школы авторов")),
            [
                FacetValue(
                    key,
                    str(status.label),
                    counts.get("status", {}).get(status.value, 0),
                    key in query.statuses,
                )
                for key, status in STATUS_FILTERS.items()
            ],
        ),
    ]
    years = sorted({int(year) for year in counts.get("year", {})} | set(query.years), reverse=True)
    facets.append(
        Facet(
            "year",
            str(_("Год публикации")),
            values("year", [(str(y), str(y)) for y in years], [str(y) for y in query.years]),
        )
    )
    tag_counts = counts.get("tag", {})
    top = sorted(tag_counts.items(), key=lambda item: (-item[1], item[0]))[:20]
    shown = {name for name, _n in top} | set(query.tags)
    top += [(name, tag_counts.get(name, 0)) for name in query.tags if name not in dict(top)]
    facets.append(
        Facet(
            "tag",
            str(_("Теги")),
            [FacetValue(n, n, c, n in query.tags) for n, c in top if n in shown],
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


def _search_database(query: PracticeQuery) -> PracticeResults:
    """Words through Wagtail's database search backend; filters, facet counts and order
    through the in-memory facet index (practices/facet_index.py)."""
    state = facet_index.token()
    index = facet_index.current(state)
    config = _postgres_config()
    ids = _matching_ids(query, config)
    base = index.everything if ids is None else index.mask_of_ids(ids)
    selected = {
        "problem": query.problems,
        "subject": query.subjects,
        "level": query.levels,
        "format": query.formats,
        "evidence": query.evidence,
        "status": [STATUS_FILTERS[value] for value in query.statuses],
        "tag": query.tags,
        "year": query.years,
    }
    filters = {name: index.facet_mask(name, values) for name, values in selected.items() if values}
    final = base
    for mask in filters.values():
        final &= mask
    if query.sort == "relevance" and ids is not None:
        ordered = index.ids_in(final, ids)
    elif query.sort == "applied":
        chosen = set(index.positions_in(final))
        ordered = [index.ids[position] for position in index.applied_order if position in chosen]
    else:
        ordered = [index.ids[position] for position in index.positions_in(final)]
    paginator = Paginator(ordered, PAGE_SIZE)
    page = paginator.get_page(query.page)
    objects = (
        PracticePage.objects.live()
        .select_related("school")
        .prefetch_related("problems", "subjects")
        .in_bulk(list(page.object_list))
    )
    page.object_list = [objects[pk] for pk in page.object_list if pk in objects]
    highlights = {}
    if query.lemmas:
        highlights = {practice.pk: highlight(practice.summary, query.lemmas) for practice in page}
    counts = index.counts(base, filters)
    return PracticeResults(
        page=page,
        total=paginator.count,
        facets=_facets(counts, query, facet_index.taxonomy_labels(state)),
        highlights=highlights,
    )


def search_practices(query: PracticeQuery) -> PracticeResults:
    """The bank's results from Elasticsearch when it is configured, else (or when it fails)
    from the database — the same answer either way."""
    if search_index.enabled():
        try:
            page, total, counts, highlights = search_index.search(query)
        except Exception:
            logger.warning(
                "Elasticsearch is unavailable; the bank answers from the database", exc_info=True
            )
        else:
            return PracticeResults(
                page=page,
                total=total,
                facets=_facets(counts, query),
                highlights=highlights,
                backend="elasticsearch",
            )
    return _search_database(query)


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


def _plain(html_text: str) -> str:
    """Stored paragraphs back to the plain text the form takes."""
    text = re.sub(r"<br\s*/?>", "\n", html_text or "")
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def proposal_initial(practice: PracticePage) -> dict:
    """The proposal form's fields filled from a practice (its latest revision)."""
    initial = {
        "title": practice.title,
        "summary": practice.summary,
        "problems": list(practice.problems.all()),
        "subjects": list(practice.subjects.all()),
        "grade_levels": list(practice.grade_levels.all()),
        "format": practice.format,
        "tags": ", ".join(tag.name for tag in practice.tags.all()),
        "coauthors": practice.coauthors,
    }
    for block in practice.body:
        if block.block_type == "section" and block.value["kind"] in ("context", "resources"):
            initial.setdefault(block.value["kind"], _plain(block.value["text"].source))
        elif block.block_type == "steps":
            initial.setdefault("steps", "\n".join(step["title"] for step in block.value["steps"]))
        elif block.block_type == "results":
            initial.setdefault("results", _plain(block.value["text"].source))
    return initial
