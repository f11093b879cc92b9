"""The `results`, `staff`, `diagnostics` and `support` formats of domain.md.

They can be large (a region's results are hundreds of thousands of rows), so each kind loads
what it needs in bulk in `prepare`, and `save_all` writes with bulk_create and bulk_update:
a handful of queries per thousand rows, never one per row.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

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


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r";", value) if part.strip()]


class TableKind(ImportKind):
    """A kind stored in one model whose records have a natural key.

    Subclasses set `model` and `fields` (the data fields written), and implement `parse`,
    `load_existing(rows)` (key → pk of the records the file may touch), `key_of(instance)`
    and `build(key, data)` (an unsaved instance).
    """

    model = None
    fields: tuple[str, ...] = ()

    def prepare(self, rows):
        self.existing: dict = self.load_existing(rows)

    def exists(self, key):
        return key in self.existing

    def save_all(self, rows):
        new, changed = [], []
        for key, data in rows:
            instance = self.build(key, data)
            pk = self.existing.get(key)
            if pk is None:
                new.append(instance)
            else:
                instance.pk = pk
                changed.append(instance)
        self.model.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            self.model.objects.bulk_update(changed, list(self.fields), batch_size=BATCH)

    def _by_key(self, keys) -> dict:
        """Current instances of these keys (all of them are in self.existing)."""
        pks = [self.existing[key] for key in keys if key in self.existing]
        found = {}
        for start in range(0, len(pks), BATCH):
            for instance in self.model.objects.filter(pk__in=pks[start : start + BATCH]):
                found[instance.pk] = instance
        return {key: found[self.existing[key]] for key in keys if self.existing[key] in found}

    def snapshot(self, keys):
        return [
            {"key": list(key), "before": {f: _json(getattr(obj, f)) for f in self.fields}}
            for key, obj in self._by_key(keys).items()
        ]

    def rollback(self, undo):
        added = [tuple(key) for key in undo.get("added", [])]
        updated = {tuple(item["key"]): item["before"] for item in undo.get("updated", [])}
        self.prepare_keys(list(added) + list(updated))
        pks = [self.existing[key] for key in added if key in self.existing]
        for start in range(0, len(pks), BATCH):
            self.model.objects.filter(pk__in=pks[start : start + BATCH]).delete()
        restored = []
        for key, obj in self._by_key(list(updated)).items():
            for name, value in updated[key].items():
                setattr(obj, name, _from_json(self.model, name, value))
            restored.append(obj)
        if restored:
            self.model.objects.bulk_update(restored, list(self.fields), batch_size=BATCH)

    def prepare_keys(self, keys: list[tuple]) -> None:
        """Load self.existing for a rollback, from the keys alone."""
        raise NotImplementedError


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
        codes = {row.get("school_code", "") for row in rows}
        self.schools = dict(School.objects.filter(code__in=codes).values_list("code", "pk"))
        return self._existing_for(self.schools)

    def _existing_for(self, schools: dict[str, int]) -> dict:
        code_of = {pk: code for code, pk in schools.items()}
        existing = {}
        queryset = AssessmentResult.objects.filter(school_id__in=list(code_of)).values_list(
            "pk", "school_id", "year", "procedure", "subject_key", "grade"
        )
        for pk, school_id, year, procedure, key, grade in queryset.iterator(chunk_size=5000):
            existing[(code_of[school_id], year, procedure, key, grade)] = pk
        return existing

    def prepare_keys(self, keys):
        self.schools = dict(
            School.objects.filter(code__in={key[0] for key in keys}).values_list("code", "pk")
        )
        self.existing = self._existing_for(self.schools)

    def parse(self, values):
        check = RowCheck()
        code = check(require, values.get("school_code", ""), "Код ОО")
        if code and code not in self.schools:
            check.add(_("неизвестный код ОО «%(code)s»") % {"code": code})
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
        return AssessmentResult(
            school_id=self.schools[code],
            year=year,
            procedure=procedure,
            subject_key=subject_norm,
            grade=grade,
            **data,
        )


class StaffImport(TableKind):
    code = "staff"
    title = _("Штатные списки педагогов")
    model = StaffEntry
    fields = ("position", "subjects")
    columns = (
        Column("school_code", "Код ОО", required=True),
        Column("year", "Год", required=True),
        Column("teacher_code", "Код педагога", required=True),
        Column("full_name", "ФИО", required=True),
        Column("position", "Должность"),
        Column("subjects", "Предметы"),
    )

    def load_existing(self, rows):
        codes = {row.get("school_code", "") for row in rows}
        self.schools = dict(School.objects.filter(code__in=codes).values_list("code", "pk"))
        self.names: dict[str, str] = {}
        teacher_codes = {row.get("teacher_code", "") for row in rows}
        self.teachers = {
            code: (pk, name)
            for code, pk, name in Teacher.objects.filter(code__in=teacher_codes).values_list(
                "code", "pk", "full_name"
            )
        }
        return self._existing_for(self.schools)

    def _existing_for(self, schools):
        code_of = {pk: code for code, pk in schools.items()}
        return {
            (code_of[school_id], year, teacher_code): pk
            for pk, school_id, year, teacher_code in StaffEntry.objects.filter(
                school_id__in=list(code_of)
            ).values_list("pk", "school_id", "year", "teacher__code")
        }

    def prepare_keys(self, keys):
        self.schools = dict(
            School.objects.filter(code__in={key[0] for key in keys}).values_list("code", "pk")
        )
        self.existing = self._existing_for(self.schools)

    def parse(self, values):
        check = RowCheck()
        code = check(require, values.get("school_code", ""), "Код ОО")
        if code and code not in self.schools:
            check.add(_("неизвестный код ОО «%(code)s»") % {"code": code})
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
        return StaffEntry(
            school_id=self.schools[code], year=year, teacher_id=self.teacher_pk[teacher], **data
        )


class DiagnosticsImport(TableKind):
    code = "diagnostics"
    title = _("Диагностика профессиональных дефицитов")
    model = Diagnostic
    fields = ("subject", "score", "deficits")
    columns = (
        Column("teacher_code", "Код педагога", required=True),
        Column("date", "Дата", required=True),
        Column("kind", "Вид", required=True),
        Column("subject", "Предмет"),
        Column("score", "Балл", required=True),
        Column("deficits", "Дефициты"),
    )

    def load_existing(self, rows):
        codes = {row.get("teacher_code", "") for row in rows}
        self.teachers = dict(Teacher.objects.filter(code__in=codes).values_list("code", "pk"))
        return self._existing_for(self.teachers)

    def _existing_for(self, teachers):
        code_of = {pk: code for code, pk in teachers.items()}
        return {
            (code_of[teacher_id], date.isoformat(), kind, key): pk
            for pk, teacher_id, date, kind, key in Diagnostic.objects.filter(
                teacher_id__in=list(code_of)
            ).values_list("pk", "teacher_id", "date", "kind", "subject_key")
        }

    def prepare_keys(self, keys):
        self.teachers = dict(
            Teacher.objects.filter(code__in={key[0] for key in keys}).values_list("code", "pk")
        )
        self.existing = self._existing_for(self.teachers)

    def parse(self, values):
        check = RowCheck()
        teacher = check(require, values.get("teacher_code", ""), "Код педагога")
        if teacher and teacher not in self.teachers:
            check.add(_("неизвестный код педагога «%(code)s»") % {"code": teacher})
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
        return Diagnostic(
            teacher_id=self.teachers[teacher],
            date=datetime.date.fromisoformat(date),
            kind=kind,
            subject_key=subject_norm,
            **data,
        )


class SupportImport(TableKind):
    code = "support"
    title = _("Методическое сопровождение педагогов")
    model = SupportRecord
    fields = ("provider",)
    columns = (
        Column("teacher_code", "Код педагога", required=True),
        Column("date", "Дата", required=True),
        Column("form", "Форма", required=True),
        Column("title", "Тема"),
        Column("provider", "Организатор"),
    )

    def load_existing(self, rows):
        codes = {row.get("teacher_code", "") for row in rows}
        self.teachers = dict(Teacher.objects.filter(code__in=codes).values_list("code", "pk"))
        return self._existing_for(self.teachers)

    def _existing_for(self, teachers):
        code_of = {pk: code for code, pk in teachers.items()}
        return {
            (code_of[teacher_id], date.isoformat(), form, title): pk
            for pk, teacher_id, date, form, title in SupportRecord.objects.filter(
                teacher_id__in=list(code_of), source=SupportRecord.Source.IMPORT
            ).values_list("pk", "teacher_id", "date", "form", "title")
        }

    def prepare_keys(self, keys):
        self.teachers = dict(
            Teacher.objects.filter(code__in={key[0] for key in keys}).values_list("code", "pk")
        )
        self.existing = self._existing_for(self.teachers)

    def parse(self, values):
        check = RowCheck()
        teacher = check(require, values.get("teacher_code", ""), "Код педагога")
        if teacher and teacher not in self.teachers:
            check.add(_("неизвестный код педагога «%(code)s»") % {"code": teacher})
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
        return SupportRecord(
            teacher_id=self.teachers[teacher],
            date=datetime.date.fromisoformat(date),
            form=form,
            title=title,
            source=SupportRecord.Source.IMPORT,
            **data,
        )
