"""The bank's Elasticsearch index (elasticsearch-dsl), used when ELASTICSEARCH_URL is set.

It answers a PracticeQuery exactly as the database does — the same filters, facet counts
(from aggregations: each facet counted under every filter but its own), highlighting and
sorting. Any failure of the cluster makes the bank answer from the database and log a
warning: the bank never fails because Elasticsearch does.
"""

import html
import logging
import re
from functools import lru_cache

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.module_loading import import_string
from elasticsearch import Elasticsearch
from elasticsearch_dsl import Date, Document, Integer, Keyword, Q, Text

logger = logging.getLogger(__name__)

# osmem (the tests' server) ignores an index-wide default analyzer: every text field names
# its analyzer itself, which a real cluster honours the same way.
RUSSIAN = "russian"
HL_OPEN, HL_CLOSE = "[[hl]]", "[[/hl]]"
CONNECTION = "practices"


def enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def index_name() -> str:
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX_PREFIX', 'portal')}_practices"


@lru_cache(maxsize=4)
def _client(url: str, node_class_path: str) -> Elasticsearch:
    kwargs = {"request_timeout": 3, "max_retries": 0, "retry_on_timeout": False}
    if node_class_path:
        kwargs["node_class"] = import_string(node_class_path)
    return Elasticsearch(url, **kwargs)


def client() -> Elasticsearch:
    return _client(settings.ELASTICSEARCH_URL, getattr(settings, "ELASTICSEARCH_NODE_CLASS", ""))


class PracticeDocument(Document):
    title = Text(analyzer=RUSSIAN)
    summary = Text(analyzer=RUSSIAN)
    text = Text(analyzer=RUSSIAN)
    problems = Keyword()
    subjects = Keyword()
    levels = Keyword()
    format = Keyword()
    evidence = Integer()
    status = Keyword()
    tags = Keyword()
    year = Integer()
    published_on = Date()
    adoption_count = Integer()


def _document(practice) -> PracticeDocument:
    body_text = " ".join(practice.body.stream_block.get_searchable_content(practice.body))
    return PracticeDocument(
        meta={"id": practice.pk},
        title=practice.title,
        summary=practice.summary,
        text=" ".join([body_text, practice.coauthors, *(p.name for p in practice.problems.all())]),
        problems=[p.slug for p in practice.problems.all()],
        subjects=[s.slug for s in practice.subjects.all()],
        levels=[g.slug for g in practice.grade_levels.all()],
        format=practice.format,
        evidence=practice.evidence_level,
        status=practice.school_status,
        tags=[tag.name for tag in practice.tags.all()],
        year=practice.published_on.year,
        published_on=practice.published_on,
        adoption_count=practice.adoption_count,
    )


def rebuild(practices) -> int:
    """Drop and re-create the index with every given practice; returns how many."""
    es = client()
    name = index_name()
    if es.indices.exists(index=name):
        es.indices.delete(index=name)
    PracticeDocument.init(index=name, using=es)
    count = 0
    for practice in practices:
        _document(practice).save(index=name, using=es)
        count += 1
    es.indices.refresh(index=name)
    return count


def sync(practice_id: int) -> None:
    """Index a live practice or drop a gone one; a failure is logged, never raised."""
    if not enabled():
        return
    from .selectors import published_practices

    try:
        practice = (
            published_practices()
            .prefetch_related("problems", "subjects", "grade_levels", "tags")
            .filter(pk=practice_id)
            .first()
        )
        es = client()
        if practice is None:
            es.options(ignore_status=404).delete(index=index_name(), id=practice_id, refresh=True)
        else:
            _document(practice).save(index=index_name(), using=es, refresh=True)
    except Exception:  # the cluster may be down or the index missing
        logger.warning("Could not update practice %s in Elasticsearch", practice_id, exc_info=True)


def _facet_filters(query) -> dict[str, Q]:
    from .selectors import STATUS_FILTERS

    terms = {
        "problem": ("problems", query.problems),
        "subject": ("subjects", query.subjects),
        "level": ("levels", query.levels),
        "format": ("format", query.formats),
        "evidence": ("evidence", query.evidence),
        "status": ("status", [STATUS_FILTERS[value] for value in query.statuses]),
        "tag": ("tags", query.tags),
        "year": ("year", query.years),
    }
    return {
        name: Q("terms", **{field: values}) for name, (field, values) in terms.items() if values
    }


FACET_FIELDS = {
    "problem": "problems",
    "subject": "subjects",
    "level": "levels",
    "format": "format",
    "evidence": "evidence",
    "status": "status",
    "tag": "tags",
    "year": "year",
}


def _highlighted(fragment: str) -> str:
    escaped = html.escape(fragment)
    return escaped.replace(html.escape(HL_OPEN), "<mark>").replace(html.escape(HL_CLOSE), "</mark>")


def search(query):
    """Answer the PracticeQuery from Elasticsearch: (Page, total, counts, highlights).

    counts maps a facet name to {value: count}; the caller builds the facets from them.
    """
    from .models import PracticePage
    from .selectors import PAGE_SIZE

    es = client()
    search = PracticeDocument.search(index=index_name(), using=es)
    if query.text:
        search = search.query(
            "multi_match", query=query.text, fields=["title^3", "summary^2", "text"], operator="and"
        )
        search = search.highlight(
            "summary",
            pre_tags=[HL_OPEN],
            post_tags=[HL_CLOSE],
            fragment_size=260,
            number_of_fragments=1,
        )
    filters = _facet_filters(query)
    if filters:
        search = search.post_filter("bool", filter=list(filters.values()))
    for name, field in FACET_FIELDS.items():
        others = [condition for other, condition in filters.items() if other != name]
        bucket = search.aggs.bucket(f"f_{name}", "filter", filter=Q("bool", filter=others))
        bucket.bucket("values", "terms", field=field, size=200)
    if query.sort == "applied":
        search = search.sort("-adoption_count", "-published_on")
    elif query.sort == "new":
        search = search.sort("-published_on")

    total = search[:0].execute().hits.total.value
    paginator = Paginator(range(total), PAGE_SIZE)
    number = paginator.validate_number(_page_number(query.page, paginator.num_pages))
    start = (number - 1) * PAGE_SIZE
    response = search[start : start + PAGE_SIZE].execute()

    ids = [int(hit.meta.id) for hit in response]
    objects = (
        PracticePage.objects.select_related("school")
        .prefetch_related("problems", "subjects")
        .in_bulk(ids)
    )
    practices = [objects[pk] for pk in ids if pk in objects]
    highlights = {}
    for hit in response:
        fragments = getattr(getattr(hit.meta, "highlight", None), "summary", None)
        if fragments:
            highlights[int(hit.meta.id)] = _highlighted(fragments[0])
    counts = {
        name: {
            str(bucket.key): bucket.doc_count
            for bucket in getattr(response.aggregations, f"f_{name}").values.buckets
        }
        for name in FACET_FIELDS
    }
    return Page(practices, number, paginator), total, counts, highlights


def _page_number(raw: str, last: int) -> int:
    """Like Paginator.get_page: junk gives the first page, too far gives the last."""
    if not re.fullmatch(r"\d{1,6}", raw or ""):
        return 1
    return min(max(int(raw), 1), max(last, 1))
