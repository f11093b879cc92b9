"""The `results`, `staff`, `diagnostics` and `support` formats of domain.md.

They can be large (a region's results are hundreds of thousands of rows), so each kind loads
what it needs in bulk in `prepare`, and `save_all` writes with bulk_create and bulk_update:
a handful of queries per thousand rows, never one per row.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import (
    AssessmentResult,
    Diagnostic,
    DiagnosticKind,
    Procedure,
    StaffEntry,
    SupportForm,
    SupportRecord,
    Teacher,
    subject_key,
)
from portal.models import School

from .base import (
    Column,
    ImportKind,
    RowCheck,
    RowError,
    parse_date,
    parse_int,
    parse_year,
    require,
    year_bounds,
)

BATCH = 2000

PROCEDURES = {value.casefold(): value for value in Procedure.values}
DIAGNOSTIC_KINDS = {value.casefold(): value for value in DiagnosticKind.values}
SUPPORT_FORMS = {value.casefold(): value for value in SupportForm.values}


def _choice(value: str, known: dict[str, str], label: str) -> str:
    require(value, label)
    found = known.get(" ".join(value.split()).casefold())
    if found is None:
        allowed = ", ".join(known.values())
        raise RowError(
            _("«%(label)s»: неизвестное значение «%(value)s», допустимы: %(allowed)s")
            % {"label": label, "value": value, "allowed": allowed}
        )
    return found


def _limit(check: RowCheck, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        check.add(
            _("«%(label)s»: не длиннее %(limit)s символов") % {"label": label, "limit": limit}
        )


def _dated(value: str, label: str) -> datetime.date:
    date = parse_date(require(value, label), label)
    low, high = year_bounds()
    if not low <= date.year <= high:
        raise RowError(
            _("«%(label)s»: год даты %(date)s вне допустимого диапазона %(low)s–%(high)s")
            % {"label": label, "date": date.strftime("%d.%m.%Y"), "low": low, "high": high}
        )
    return date


def _parse_score(value: str, label: str) -> Decimal:
    text = require(value.replace("\u00a0", "").replace(" ", ""), label).replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise RowError(
            _("«%(label)s»: ожидается число, а не «%(value)s»") % {"label": label, "value": value}
        ) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise RowError(
            _("«%(label)s»: балл %(value)s вне диапазона 0–100") % {"label": label, "value": value}
        )
    if score != score.quantize(Decimal("0.01")):
        raise RowError(
            _("«%(label)s»: не более двух знаков после запятой (%(value)s)")
            % {"label": label, "value": value}
        )
    return score


def _plain_number(value: str) -> bool:
    """ASCII digits only (str.isdigit alone also accepts «²» and other scripts' digits)."""
    return value.isascii() and value.isdigit()


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r";", value) if part.strip()]


class TableKind(ImportKind):
    """A kind stored in one model whose records have a natural key.

    Subclasses set `model` and `fields` (the data fields written), and implement `parse`,
    `load_existing(rows)` (key → pk of the records the file may touch) and
    `build(key, data)`: the record's field values by attribute name (`school_id`, …).
    Records are written with plain multi-row INSERT and UPDATE … FROM (VALUES …) statements,
    not model instances: at 200 000 rows, building instances and Django's bulk_create and
    bulk_update compilers took most of an import's time.
    """

    model = None
    fields: tuple[str, ...] = ()
    # Every key starts with the code of the school or the teacher the record belongs to:
    # `owner_attr` ("schools" or "teachers") names the code → pk map that parse and build use.
    owner_model = None
    owner_column = ""
    owner_attr = ""
    owner_label = ""
    unknown_owner = ""

    def _load_owners(self, codes) -> dict[str, int]:
        owners = dict(self.owner_model.objects.filter(code__in=codes).values_list("code", "pk"))
        setattr(self, self.owner_attr, owners)
        return owners

    def load_existing(self, rows):
        """Key → pk of the records the file may touch."""
        return self._existing_for(
            self._load_owners({row.get(self.owner_column, "") for row in rows})
        )

    def prepare_keys(self, keys: list[tuple]) -> None:
        """Load self.existing for a rollback, from the keys alone."""
        self.existing = self._existing_for(self._load_owners({key[0] for key in keys}))

    def _existing_for(self, owners: dict[str, int]) -> dict:
        raise NotImplementedError

    def owner_code(self, check: RowCheck, values: dict) -> str | None:
        """The row's school or teacher code: filled in and known."""
        code = check(require, values.get(self.owner_column, ""), self.owner_label)
        if code and code not in getattr(self, self.owner_attr):
            check.add(self.unknown_owner % {"code": code})
        return code

    def prepare(self, rows):
        self.existing: dict = self.load_existing(rows)

    def exists(self, key):
        return key in self.existing

    def save_all(self, rows):
        new, changed = [], []
        existing, pk_name = self.existing, self.model._meta.pk.attname
        for key, data in rows:
            record = self.build(key, data)
            pk = existing.get(key)
            if pk is None:
                new.append(record)
            else:
                record[pk_name] = pk
                changed.append(record)
        insert_rows(self.model, new)
        update_rows(self.model, list(self.fields), changed)

    def snapshot(self, keys):
        # Only the written fields are read: an import of 200 000 updates would spend seconds
        # building model instances it never uses.
        pks = [self.existing[key] for key in keys if key in self.existing]
        before = {}
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            for pk, *values in self.model.objects.filter(pk__in=chunk).values_list(
                "pk", *self.fields
            ):
                before[pk] = {f: _json(value) for f, value in zip(self.fields, values, strict=True)}
        return [
            {"key": list(key), "before": before[self.existing[key]]}
            for key in keys
            if self.existing.get(key) in before
        ]

    def rollback(self, undo):
        added = [tuple(key) for key in undo.get("added", [])]
        updated = {tuple(item["key"]): item["before"] for item in undo.get("updated", [])}
        self.prepare_keys(list(added) + list(updated))
        pks = [self.existing[key] for key in added if key in self.existing]
        for start in range(0, len(pks), BATCH):
            self.model.objects.filter(pk__in=pks[start : start + BATCH]).delete()
        restored = [
            {
                self.model._meta.pk.attname: self.existing[key],
                **{name: _from_json(self.model, name, value) for name, value in before.items()},
            }
            for key, before in updated.items()
            if key in self.existing
        ]
        update_rows(self.model, list(self.fields), restored)


def _converter(field):
    """How a value of the field goes to the database driver. Plain numbers and strings go as
    they are: calling get_db_prep_save on each of 1.6 million values costs seconds."""
    if field.get_internal_type() in (
        "CharField",
        "TextField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "BooleanField",
        "ForeignKey",
        "AutoField",
        "BigAutoField",
    ):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model, names: list[str]):
    fields = [model._meta.get_field(name) for name in names]
    return fields, [_converter(field) for field in fields]


def _params(records: list[dict], attnames: list[str], converters: list, defaults: dict) -> list:
    params = []
    for record in records:
        for attname, convert in zip(attnames, converters, strict=True):
            value = record[attname] if attname in record else defaults[attname]
            params.append(value if convert is None else convert(value))
    return params


def _rows_per_statement(columns: int) -> int:
    """BATCH rows, fewer for wide tables: SQLite takes at most 32 766 parameters a query."""
    return max(1, min(BATCH, 30_000 // max(columns, 1)))


def insert_rows(model, records: list[dict]) -> None:
    """INSERT new records (field values by attribute name; the rest take their defaults),
    BATCH rows a statement."""
    if not records:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    _fields, converters = _columns(model, [f.name for f in fields])
    attnames = [f.attname for f in fields]
    # What Model.save() would fill in: the fields' defaults, and now for auto_now(_add).
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = _rows_per_statement(len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(records), size):
            chunk = records[start : start + size]
            cursor.execute(
                head + ", ".join([row] * len(chunk)),
                _params(chunk, attnames, converters, defaults),
            )


def update_rows(model, names: list[str], records: list[dict]) -> None:
    """Write these fields of existing records (with their pk): UPDATE … FROM (VALUES …),
    BATCH rows a statement.

    Django's bulk_update builds a CASE WHEN per field and row, and compiling it grows
    quadratically (10 000 rows took 40 s); a join with a VALUES list is one plain statement
    that PostgreSQL and SQLite (3.33+) both run.
    """
    if not records:
        return
    fields, converters = _columns(model, names)
    attnames = [model._meta.pk.attname] + [f.attname for f in fields]
    converters = [None, *converters]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # SQLite names a VALUES list's columns column1, column2, …; PostgreSQL takes aliases,
    # and needs each value cast back to its column's type (a text literal → jsonb, …).
    if connection.vendor == "postgresql":
        aliases = [f"c{index}" for index in range(len(attnames))]
        assignments = [
            f"{quote(f.column)} = v.{alias}::{f.db_type(connection)}"
            for f, alias in zip(fields, aliases[1:], strict=True)
        ]
        source = "(VALUES {rows}) AS v (" + ", ".join(aliases) + ")"
    else:
        aliases = [f"column{index + 1}" for index in range(len(attnames))]
        assignments = [
            f"{quote(f.column)} = v.{alias}" for f, alias in zip(fields, aliases[1:], strict=True)
        ]
        source = "(SELECT * FROM (VALUES {rows})) AS v"
    sql = (
        f"UPDATE {table} SET {', '.join(assignments)} FROM {source} "
        f"WHERE {table}.{quote(model._meta.pk.column)} = v.{aliases[0]}"
    )
    row = "(" + ", ".join(["%s"] * len(attnames)) + ")"
    size = _rows_per_statement(len(attnames))
    with connection.cursor() as cursor:
        for start in range(0, len(records), size):
            chunk = records[start : start + size]
            cursor.execute(
                sql.replace("{rows}", ", ".join([row] * len(chunk))),
                _params(chunk, attnames, converters, {}),
            )


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _from_json(model, name, value):
    field = model._meta.get_field(name)
    if value is None:
        return None
    if field.get_internal_type() == "DecimalField":
        return Decimal(value)
    if field.get_internal_type() == "DateField":
        return datetime.date.fromisoformat(value)
    return value


class ResultsImport(TableKind):
    code = "results"
    title = _("Результаты оценочных процедур")
    model = AssessmentResult
    fields = ("subject", "participants", "failed", "high")
    owner_model = School
    owner_column = "school_code"
    owner_attr = "schools"
    owner_label = "Код ОО"
    unknown_owner = _("неизвестный код ОО «%(code)s»")
    columns = (
        Column("school_code", "Код ОО", required=True),
        Column("year", "Год", required=True),
        Column("procedure", "Процедура", required=True),
        Column("subject", "Предмет", required=True),
        Column("grade", "Класс"),
        Column("participants", "Участников", required=True),
        Column("failed", "Неудовлетворительно", required=True),
        Column("high", "Высокий результат", required=True),
    )

    def load_existing(self, rows):
        self.year_range = year_bounds()
        return super().load_existing(rows)

    def _existing_for(self, schools: dict[str, int]) -> dict:
        code_of = {pk: code for code, pk in schools.items()}
        existing = {}
        queryset = AssessmentResult.objects.filter(school_id__in=list(code_of)).values_list(
            "pk", "school_id", "year", "procedure", "subject_key", "grade"
        )
        for pk, school_id, year, procedure, key, grade in queryset.iterator(chunk_size=5000):
            existing[(code_of[school_id], year, procedure, key, grade)] = pk
        return existing

    def parse(self, values):
        # Most rows of a large file are clean: check them directly, and leave the rest to the
        # full check, which collects every message of a bad row (4 times slower).
        fast = self._parse_clean(values)
        if fast is not None:
            return fast
        return self._parse_checked(values)

    def _parse_clean(self, values):
        """(key, data) of a row whose every cell is plainly valid, else None."""
        code = values.get("school_code", "")
        year, grade = values.get("year", ""), values.get("grade", "")
        numbers = values.get("participants", ""), values.get("failed", ""), values.get("high", "")
        procedure = PROCEDURES.get(values.get("procedure", "").casefold())
        subject = " ".join(values.get("subject", "").split())
        if (
            code not in self.schools
            or procedure is None
            or not _plain_number(year)
            or not (grade == "" or _plain_number(grade))
            or not all(_plain_number(number) for number in numbers)
            or not subject
            or len(subject) > 200
        ):
            return None
        year_number = int(year)
        low, high_year = self.year_range
        participants, failed, high = (int(number) for number in numbers)
        grade_number = int(grade) if grade else 0
        if (
            not low <= year_number <= high_year
            or grade
            and not 1 <= grade_number <= 11
            or failed > participants
            or high > participants
        ):
            return None
        key = (code, year_number, procedure, subject_key(subject), grade_number)
        return key, {
            "subject": subject,
            "participants": participants,
            "failed": failed,
            "high": high,
        }

    def _parse_checked(self, values):
        check = RowCheck()
        code = self.owner_code(check, values)
        year = check(parse_year, values.get("year", ""), "Год")
        procedure = check(_choice, values.get("procedure", ""), PROCEDURES, "Процедура")
        subject = check(require, " ".join(values.get("subject", "").split()), "Предмет")
        if subject:
            _limit(check, subject, "Предмет", 200)
        grade = 0
        if values.get("grade", ""):
            grade = check(parse_int, values["grade"], "Класс", minimum=1, maximum=11)
        participants = check(parse_int, values.get("participants", ""), "Участников")
        failed = check(parse_int, values.get("failed", ""), "Неудовлетворительно")
        high = check(parse_int, values.get("high", ""), "Высокий результат")
        if participants is not None:
            if failed is not None and failed > participants:
                check.add(
                    _("«Неудовлетворительно» (%(failed)s) больше числа участников (%(all)s)")
                    % {"failed": failed, "all": participants}
                )
            if high is not None and high > participants:
                check.add(
                    _("«Высокий результат» (%(high)s) больше числа участников (%(all)s)")
                    % {"high": high, "all": participants}
                )
        check.done()
        key = (code, year, procedure, subject_key(subject), grade)
        return key, {
            "subject": subject,
            "participants": participants,
            "failed": failed,
            "high": high,
        }

    def build(self, key, data):
        code, year, procedure, subject_norm, grade = key
        return {
            "school_id": self.schools[code],
            "year": year,
            "procedure": procedure,
            "subject_key": subject_norm,
            "grade": grade,
            **data,
        }


class StaffImport(TableKind):
    code = "staff"
    title = _("Штатные списки педагогов")
    model = StaffEntry
    fields = ("position", "subjects")
    owner_model = School
    owner_column = "school_code"
    owner_attr = "schools"
    owner_label = "Код ОО"
    unknown_owner = _("неизвестный код ОО «%(code)s»")
    columns = (
        Column("school_code", "Код ОО", required=True),
        Column("year", "Год", required=True),
        Column("teacher_code", "Код педагога", required=True),
        Column("full_name", "ФИО", required=True),
        Column("position", "Должность"),
        Column("subjects", "Предметы"),
    )

    def load_existing(self, rows):
        self.names: dict[str, str] = {}
        teacher_codes = {row.get("teacher_code", "") for row in rows}
        self.teachers = {
            code: (pk, name)
            for code, pk, name in Teacher.objects.filter(code__in=teacher_codes).values_list(
                "code", "pk", "full_name"
            )
        }
        return super().load_existing(rows)

    def _existing_for(self, schools):
        code_of = {pk: code for code, pk in schools.items()}
        return {
            (code_of[school_id], year, teacher_code): pk
            for pk, school_id, year, teacher_code in StaffEntry.objects.filter(
                school_id__in=list(code_of)
            ).values_list("pk", "school_id", "year", "teacher__code")
        }

    def parse(self, values):
        check = RowCheck()
        code = self.owner_code(check, values)
        year = check(parse_year, values.get("year", ""), "Год")
        teacher = check(require, values.get("teacher_code", ""), "Код педагога")
        name = check(require, " ".join(values.get("full_name", "").split()), "ФИО")
        position = values.get("position", "")
        subjects = "; ".join(_split_list(values.get("subjects", "")))
        for value, label, limit in (
            (teacher or "", "Код педагога", 64),
            (name or "", "ФИО", 300),
            (position, "Должность", 200),
            (subjects, "Предметы", 500),
        ):
            _limit(check, value, label, limit)
        check.done()
        self.names[teacher] = name
        return (code, year, teacher), {
            "full_name": name,
            "position": position,
            "subjects": subjects,
        }

    def undo_record(self, added, updated):
        undo = super().undo_record(added, updated)
        # The teachers a staff list creates or renames are part of what it did.
        undo["teachers_added"] = [code for code in self.names if code not in self.teachers]
        undo["teachers_renamed"] = {
            code: self.teachers[code][1]
            for code, name in self.names.items()
            if code in self.teachers and self.teachers[code][1] != name
        }
        return undo

    def save_all(self, rows):
        Teacher.objects.bulk_create(
            [
                Teacher(code=code, full_name=name)
                for code, name in self.names.items()
                if code not in self.teachers
            ],
            batch_size=BATCH,
        )
        renamed = [
            Teacher(pk=self.teachers[code][0], full_name=name)
            for code, name in self.names.items()
            if code in self.teachers and self.teachers[code][1] != name
        ]
        Teacher.objects.bulk_update(renamed, ["full_name"], batch_size=BATCH)
        self.teacher_pk = dict(
            Teacher.objects.filter(code__in=list(self.names)).values_list("code", "pk")
        )
        super().save_all([(key, {f: data[f] for f in self.fields}) for key, data in rows])

    def rollback(self, undo):
        super().rollback(undo)
        for code, name in undo.get("teachers_renamed", {}).items():
            Teacher.objects.filter(code=code).update(full_name=name)
        Teacher.objects.filter(
            code__in=undo.get("teachers_added", []),
            staff_entries__isnull=True,
            diagnostics__isnull=True,
            support__isnull=True,
        ).delete()

    def build(self, key, data):
        code, year, teacher = key
        return {
            "school_id": self.schools[code],
            "year": year,
            "teacher_id": self.teacher_pk[teacher],
            **data,
        }


class DiagnosticsImport(TableKind):
    code = "diagnostics"
    title = _("Диагностика профессиональных дефицитов")
    model = Diagnostic
    fields = ("subject", "score", "deficits")
    owner_model = Teacher
    owner_column = "teacher_code"
    owner_attr = "teachers"
    owner_label = "Код педагога"
    unknown_owner = _("неизвестный код педагога «%(code)s»")
    columns = (
        Column("teacher_code", "Код педагога", required=True),
        Column("date", "Дата", required=True),
        Column("kind", "Вид", required=True),
        Column("subject", "Предмет"),
        Column("score", "Балл", required=True),
        Column("deficits", "Дефициты"),
    )

    def _existing_for(self, teachers):
        code_of = {pk: code for code, pk in teachers.items()}
        return {
            (code_of[teacher_id], date.isoformat(), kind, key): pk
            for pk, teacher_id, date, kind, key in Diagnostic.objects.filter(
                teacher_id__in=list(code_of)
            ).values_list("pk", "teacher_id", "date", "kind", "subject_key")
        }

    def parse(self, values):
        check = RowCheck()
        teacher = self.owner_code(check, values)
        date = check(_dated, values.get("date", ""), "Дата")
        kind = check(_choice, values.get("kind", ""), DIAGNOSTIC_KINDS, "Вид")
        subject = " ".join(values.get("subject", "").split())
        _limit(check, subject, "Предмет", 200)
        score = check(_parse_score, values.get("score", ""), "Балл")
        deficits = _split_list(values.get("deficits", ""))
        check.done()
        key = (teacher, date.isoformat(), kind, subject_key(subject))
        return key, {"subject": subject, "score": score, "deficits": deficits}

    def build(self, key, data):
        teacher, date, kind, subject_norm = key
        return {
            "teacher_id": self.teachers[teacher],
            "date": datetime.date.fromisoformat(date),
            "kind": kind,
            "subject_key": subject_norm,
            **data,
        }


class SupportImport(TableKind):
    code = "support"
    title = _("Методическое сопровождение педагогов")
    model = SupportRecord
    fields = ("provider",)
    owner_model = Teacher
    owner_column = "teacher_code"
    owner_attr = "teachers"
    owner_label = "Код педагога"
    unknown_owner = _("неизвестный код педагога «%(code)s»")
    columns = (
        Column("teacher_code", "Код педагога", required=True),
        Column("date", "Дата", required=True),
        Column("form", "Форма", required=True),
        Column("title", "Тема"),
        Column("provider", "Организатор"),
    )

    def _existing_for(self, teachers):
        code_of = {pk: code for code, pk in teachers.items()}
        return {
            (code_of[teacher_id], date.isoformat(), form, title): pk
            for pk, teacher_id, date, form, title in SupportRecord.objects.filter(
                teacher_id__in=list(code_of), source=SupportRecord.Source.IMPORT
            ).values_list("pk", "teacher_id", "date", "form", "title")
        }

    def parse(self, values):
        check = RowCheck()
        teacher = self.owner_code(check, values)
        date = check(_dated, values.get("date", ""), "Дата")
        form = check(_choice, values.get("form", ""), SUPPORT_FORMS, "Форма")
        title = " ".join(values.get("title", "").split())
        provider = values.get("provider", "")
        _limit(check, title, "Тема", 500)
        _limit(check, provider, "Организатор", 300)
        check.done()
        return (teacher, date.isoformat(), form, title), {"provider": provider}

    def build(self, key, data):
        teacher, date, form, title = key
        return {
            "teacher_id": self.teachers[teacher],
            "date": datetime.date.fromisoformat(date),
            "form": form,
            "title": title,
            "source": SupportRecord.Source.IMPORT,
            **data,
        }
