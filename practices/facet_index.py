"""An in-memory facet index of the published practices, for the database backend.

Counting facets in SQL means one GROUP BY over every matching practice per facet: fine at a
few thousand practices, linear beyond. Here each facet value is a bitmask over the published
practices (Python ints: AND, OR and bit_count run in C), so filters and all the counts of a
request cost a few hundred big-int operations whatever the size of the bank.

The index is built once per process and rebuilt when `BankState.token` changes: every write
that can change the bank (a practice saved or deleted, an adoption, a school status, a
taxonomy) stores a new random token, so all worker processes see the change on their next
request.
The labels of the taxonomy facets (problems, subjects, levels) are kept the same way: every
taxonomy save changes the token too.
"""

import threading
import uuid
from dataclasses import dataclass

from taggit.models import Tag

from .models import BankState, PracticePage, PracticeTag

_lock = threading.Lock()
_cache: dict[str, "FacetIndex"] = {}
_labels: dict[str, dict[str, list[tuple[str, str]]]] = {}


@dataclass
class FacetIndex:
    token: str
    ids: list[int]  # position → practice id, newest first: the «new» order
    positions: dict[int, int]  # practice id → position
    masks: dict[str, dict[str, int]]  # facet → value → bitmask of positions
    applied_order: list[int]  # positions by adoption count (desc), then newest

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def mask_of_ids(self, ids) -> int:
        # Bits set in a byte array, then one conversion: OR-ing each bit into a growing int
        # would copy the whole int every time (milliseconds for a few thousand ids).
        bits = bytearray((len(self.ids) + 7) // 8)
        for pk in ids:
            position = self.positions.get(pk)
            if position is not None:
                bits[position >> 3] |= 1 << (position & 7)
        return int.from_bytes(bits, "little")

    def ids_in(self, mask: int, ids) -> list[int]:
        """Those of the ids whose practice is in the mask, in the given order."""
        bits = mask.to_bytes((len(self.ids) + 7) // 8, "little")
        return [
            pk
            for pk in ids
            if (position := self.positions.get(pk)) is not None
            and bits[position >> 3] >> (position & 7) & 1
        ]

    def facet_mask(self, facet: str, values) -> int:
        mask = 0
        for value in values:
            mask |= self.masks.get(facet, {}).get(str(value), 0)
        return mask

    def counts(self, base: int, filters: dict[str, int]) -> dict[str, dict[str, int]]:
        """{facet: {value: count}}: each facet under every filter but its own."""
        result = {}
        for facet, values in self.masks.items():
            scope = base
            for other, mask in filters.items():
                if other != facet:
                    scope &= mask
            result[facet] = {
                value: count
                for value, mask in values.items()
                if (count := (scope & mask).bit_count())
            }
        return result

    @staticmethod
    def positions_in(mask: int) -> list[int]:
        bits = bin(mask)[:1:-1]  # least significant bit first
        return [index for index, bit in enumerate(bits) if bit == "1"]


def bump() -> None:
    """Mark the bank as changed for every process (called from the signal handlers)."""
    BankState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def token() -> str:
    """The bank's current state: one cheap query per request."""
    return BankState.objects.filter(pk=1).values_list("token", flat=True).first() or "initial"


def taxonomy_labels(state: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """{facet: [(value, label), …]} of the problem, subject and level facets, in display order."""
    state = state or token()
    labels = _labels.get(state)
    if labels is None:
        from portal.models import Subject

        from .models import GradeLevel, Problem

        labels = {
            "problem": [(problem.slug, problem.name) for problem in Problem.objects.all()],
            "subject": [(subject.slug, subject.name) for subject in Subject.objects.all()],
            "level": [(level.slug, str(level)) for level in GradeLevel.objects.all()],
        }
        # Only the current state is worth keeping; a concurrent reader at worst builds it again.
        _labels.clear()
        _labels[state] = labels
    return labels


def current(state: str | None = None) -> FacetIndex:
    state = state or token()
    index = _cache.get(state)
    if index is None:
        with _lock:
            index = _cache.get(state)
            if index is None:
                index = _build(state)
                _cache.clear()
                _cache[state] = index
    return index


def _build(token: str) -> FacetIndex:
    from .selectors import published_practices

    rows = list(
        published_practices()
        .order_by("-published_on", "-pk")
        .values_list(
            "pk", "format", "evidence_level", "school_status", "published_on", "adoption_count"
        )
    )
    ids = [row[0] for row in rows]
    positions = {pk: position for position, pk in enumerate(ids)}
    masks: dict[str, dict[str, int]] = {
        name: {}
        for name in ("problem", "subject", "level", "format", "evidence", "status", "tag", "year")
    }

    def add(facet: str, value, position: int) -> None:
        if value in (None, ""):
            return
        key = str(value)
        masks[facet][key] = masks[facet].get(key, 0) | (1 << position)

    for position, (_pk, format_, evidence, status, published_on, _adoptions) in enumerate(rows):
        add("format", format_, position)
        add("evidence", evidence, position)
        add("status", status, position)
        add("year", published_on.year, position)
    relations = (
        ("problem", PracticePage.problems.through, "practicepage_id", "problem__slug"),
        ("subject", PracticePage.subjects.through, "practicepage_id", "subject__slug"),
        ("level", PracticePage.grade_levels.through, "practicepage_id", "gradelevel__slug"),
    )
    for facet, through, owner, value in relations:
        for pk, slug in through.objects.values_list(owner, value).iterator(chunk_size=10_000):
            if pk in positions:
                add(facet, slug, positions[pk])
    tag_names = dict(
        Tag.objects.filter(pk__in=PracticeTag.objects.values("tag_id")).values_list("pk", "name")
    )
    for pk, tag_id in PracticeTag.objects.values_list("content_object_id", "tag_id").iterator(
        chunk_size=10_000
    ):
        if pk in positions:
            add("tag", tag_names.get(tag_id), positions[pk])
    applied_order = sorted(range(len(rows)), key=lambda position: (-rows[position][5], position))
    return FacetIndex(
        token=token, ids=ids, positions=positions, masks=masks, applied_order=applied_order
    )
