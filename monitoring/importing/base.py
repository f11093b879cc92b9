"""The import machinery shared by every kind: header matching, row validation, the
all-or-nothing apply."""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models.schools import MIN_YEAR

from .reader import FileFormatError, read_table


class RowError(Exception):
    """A row cannot be imported; the messages say why, in Russian."""

    def __init__(self, *messages: str):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


class RowCheck:
    """Collects every problem of a row, so the user fixes them all in one pass."""

    def __init__(self):
        self.errors: list[str] = []

    def __call__(self, parser, *args, **kwargs):
        try:
            return parser(*args, **kwargs)
        except RowError as error:
            self.errors.extend(error.messages)
            return None

    def add(self, message: str) -> None:
        self.errors.append(message)

    def done(self) -> None:
        if self.errors:
            raise RowError(*self.errors)


@dataclass(frozen=True)
class Column:
    code: str
    russian: str
    required: bool = False


def normalise_header(name: str) -> str:
    """Header names match ignoring case and spaces (domain.md)."""
    return re.sub(r"\s+", "", (name or "").replace("\ufeff", "")).lower()


@dataclass
class RowOutcome:
    number: int
    action: str  # "add", "update" or "reject"
    key: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    filename: str
    rows: list[RowOutcome]
    applied: bool
    dry_run: bool
    batch: Any = None

    @property
    def rejected(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.action == "reject"]

    @property
    def ok(self) -> bool:
        return not self.rejected

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


class ImportKind:
    """One data exchange format. Subclasses declare columns and implement parse and save."""

    code: str = ""
    title: str = ""
    columns: tuple[Column, ...] = ()

    def map_header(self, header: list[str]) -> dict[str, int]:
        """Column code → index in the row. Unknown extra columns are ignored."""
        wanted = {}
        for column in self.columns:
            wanted[normalise_header(column.code)] = column.code
            wanted[normalise_header(column.russian)] = column.code
        mapping: dict[str, int] = {}
        for index, name in enumerate(header):
            code = wanted.get(normalise_header(name))
            if code and code not in mapping:
                mapping[code] = index
        missing = [
            column for column in self.columns if column.required and column.code not in mapping
        ]
        if missing:
            names = ", ".join(f"«{column.russian}» ({column.code})" for column in missing)
            raise FileFormatError(
                _("В файле нет обязательных столбцов: %(names)s.") % {"names": names}
            )
        return mapping

    def prepare(self, rows: list[dict[str, str]]) -> None:
        """Load what validation needs in bulk (e.g. the known school codes) before parsing."""

    def parse(self, values: dict[str, str]) -> tuple[Any, Any]:
        """Validate one row: return (key, cleaned data) or raise RowError."""
        raise NotImplementedError

    def exists(self, key) -> bool:
        """Whether a record with this key is already in the database."""
        raise NotImplementedError

    def save(self, key, data) -> None:
        raise NotImplementedError

    def save_all(self, rows: list[tuple[Any, Any]]) -> None:
        """Apply the valid rows (inside the import's transaction). Kinds with many rows
        override this with a bulk upsert."""
        for key, data in rows:
            self.save(key, data)

    def undo_record(self, added: list, updated: list) -> dict:
        """What rolls the import back, taken before it is applied (JSON-ready)."""
        return {"added": [_jsonable(key) for key in added], "updated": self.snapshot(updated)}

    def snapshot(self, keys: list) -> list[dict]:
        """The current values of the records with these keys, JSON-ready, so that an import
        that updates them can be rolled back: [{"key": key, "before": {...}}, …]."""
        return []

    def rollback(self, undo: dict) -> None:
        """Undo an applied import: delete the records it added, restore the ones it updated."""
        raise NotImplementedError


class DuplicateImportError(FileFormatError):
    """The same file (by its SHA-256) is already imported as this kind and not rolled back."""


def run_import(
    kind: ImportKind,
    data: bytes,
    filename: str = "",
    *,
    dry_run: bool = False,
    user=None,
) -> ImportResult:
    """Validate every row; apply all of them in one transaction when none is bad, and log
    the import (with what undoes it) as an ImportBatch.

    A row whose key repeats an existing record, or an earlier row of the same file, updates
    it. FileFormatError is raised for a file that cannot be read at all, and
    DuplicateImportError for a file already imported as this kind.
    """
    from monitoring.models import ImportBatch

    digest = hashlib.sha256(data).hexdigest()
    earlier = (
        ImportBatch.objects.filter(kind=kind.code, sha256=digest, state=ImportBatch.State.APPLIED)
        .order_by("-created_at")
        .first()
    )
    if earlier is not None:
        raise DuplicateImportError(
            _(
                "Этот файл уже импортирован %(date)s (журнал импорта № %(number)s). "
                "Чтобы загрузить его снова, сначала отмените тот импорт."
            )
            % {
                "date": timezone.localtime(earlier.created_at).strftime("%d.%m.%Y %H:%M"),
                "number": earlier.pk,
            }
        )
    table = read_table(data, filename)
    mapping = kind.map_header(table.header)
    records = []
    for number, cells in table.rows:
        values = {
            code: (cells[index].strip() if index < len(cells) and cells[index] is not None else "")
            for code, index in mapping.items()
        }
        records.append((number, values))
    kind.prepare([values for _number, values in records])

    outcomes: list[RowOutcome] = []
    valid: dict[Any, Any] = {}
    added: list = []
    updated: list = []
    for number, values in records:
        # An XLSX cell with an uncalculated formula has no value: its row is bad.
        cell_errors = table.cell_errors(number, mapping.values()) if table.formula_cells else []
        try:
            key, cleaned = kind.parse(values)
        except RowError as error:
            outcomes.append(
                RowOutcome(number=number, action="reject", errors=cell_errors + error.messages)
            )
            continue
        if cell_errors:
            outcomes.append(RowOutcome(number=number, action="reject", errors=cell_errors))
            continue
        if key in valid:
            action = "update"
        elif kind.exists(key):
            action = "update"
            updated.append(key)
        else:
            action = "add"
            added.append(key)
        outcomes.append(RowOutcome(number=number, action=action, key=str(key)))
        # A later row with the same key replaces the earlier one.
        valid[key] = cleaned

    result = ImportResult(
        kind=kind.code, filename=filename, rows=outcomes, applied=False, dry_run=dry_run
    )
    if dry_run or not valid or not result.ok:
        return result
    with transaction.atomic():
        undo = kind.undo_record(added, updated)
        kind.save_all(list(valid.items()))
        result.batch = ImportBatch.objects.create(
            kind=kind.code,
            filename=filename[:255],
            sha256=digest,
            user=user if getattr(user, "is_authenticated", False) else None,
            rows=len(outcomes),
            added=result.count("add"),
            updated=result.count("update"),
            undo=undo,
        )
    result.applied = True
    return result


def _jsonable(key):
    return list(key) if isinstance(key, tuple) else key


def rollback_import(batch, *, user=None) -> None:
    """Undo an applied import. Only the latest applied import of its kind can be undone:
    a later one may have built on what it wrote."""
    from monitoring.models import ImportBatch

    from .registry import get_kind

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.APPLIED:
            raise ValueError(_("Этот импорт уже отменён."))
        later = ImportBatch.objects.filter(
            kind=batch.kind, state=ImportBatch.State.APPLIED, pk__gt=batch.pk
        ).exists()
        if later:
            raise ValueError(
                _(
                    "Сначала отмените более поздние импорты этого вида данных: "
                    "отменить можно только последний."
                )
            )
        get_kind(batch.kind).rollback(batch.undo)
        batch.state = ImportBatch.State.ROLLED_BACK
        batch.rolled_back_at = timezone.now()
        batch.rolled_back_by = user if getattr(user, "is_authenticated", False) else None
        batch.save(update_fields=["state", "rolled_back_at", "rolled_back_by"])


# Shared parsers for the kinds' columns.


def year_bounds() -> tuple[int, int]:
    """Years a fact may be recorded for: from 2000 to next year (statuses are set ahead)."""
    return MIN_YEAR, datetime.date.today().year + 1


def parse_year(value: str, label: str) -> int:
    low, high = year_bounds()
    return parse_int(value, label, minimum=low, maximum=high)


def parse_int(
    value: str, label: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    text = value.replace("\u00a0", "").replace(" ", "")
    if text == "":
        raise RowError(_("не заполнено поле «%(label)s»") % {"label": label})
    if re.fullmatch(r"[+-]?\d+([.,]0+)?", text) is None:
        raise RowError(
            _("«%(label)s»: ожидается целое число, а не «%(value)s»")
            % {"label": label, "value": value}
        )
    number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise RowError(
            _("«%(label)s»: отрицательное число %(value)s") % {"label": label, "value": number}
        )
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        raise RowError(
            _("«%(label)s»: значение %(value)s вне допустимого диапазона %(min)s–%(max)s")
            % {"label": label, "value": number, "min": minimum, "max": maximum}
        )
    return number


def parse_date(value: str, label: str) -> datetime.date:
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    # XLSX cells holding a date come through as an ISO date-time.
    try:
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise RowError(
        _("«%(label)s»: дата «%(value)s» не в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")
        % {"label": label, "value": value}
    )


def require(value: str, label: str) -> str:
    if not value:
        raise RowError(_("не заполнено поле «%(label)s»") % {"label": label})
    return value
