"""The `schools` and `statuses` formats of domain.md."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from portal.models import School, SchoolStatus, Status
from portal.services import school_status_set

from .base import Column, ImportKind, RowCheck, parse_year, require

STATUS_ALIASES = {
    "шнор": Status.SHNOR,
    "шнсу": Status.SHNSU,
    "лидер": Status.LEADER,
    "школа-лидер": Status.LEADER,
    "": Status.NONE,
}


class SchoolsImport(ImportKind):
    code = "schools"
    title = _("Реестр ОО")
    columns = (
        Column("code", "Код ОО", required=True),
        Column("name", "Полное наименование", required=True),
        Column("short_name", "Краткое наименование"),
        Column("kind", "Тип"),
        Column("district", "Район"),
        Column("address", "Адрес"),
        Column("head", "Руководитель"),
        Column("email", "email"),
        Column("phone", "Телефон"),
        Column("website", "Сайт"),
    )

    def prepare(self, rows):
        self.existing = set(School.objects.values_list("code", flat=True))

    def parse(self, values):
        check = RowCheck()
        code = check(require, values.get("code", ""), "Код ОО")
        name = check(require, values.get("name", ""), "Полное наименование")
        website = values.get("website", "")
        if website and "://" not in website:
            website = f"https://{website}"
        # The website is checked as it will be stored, with its scheme.
        for column in self.columns:
            limit = School._meta.get_field(column.code).max_length
            value = website if column.code == "website" else values.get(column.code, "")
            if len(value) > limit:
                check.add(
                    _("«%(column)s»: не длиннее %(limit)s символов")
                    % {"column": column.russian, "limit": limit}
                )
        email = values.get("email", "")
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                check.add(_("некорректный адрес электронной почты «%(value)s»") % {"value": email})
        if website:
            try:
                URLValidator()(website)
            except ValidationError:
                check.add(
                    _("некорректный адрес сайта «%(value)s»") % {"value": values.get("website")}
                )
        check.done()
        data = {
            "name": name,
            "short_name": values.get("short_name") or name[:200],
            "kind": values.get("kind", ""),
            "district": values.get("district", ""),
            "address": values.get("address", ""),
            "head": values.get("head", ""),
            "email": email,
            "phone": values.get("phone", ""),
            "website": website,
        }
        return code, data

    def exists(self, key):
        return key in self.existing

    def save(self, key, data):
        School.objects.update_or_create(code=key, defaults=data)

    def snapshot(self, keys):
        fields = [column.code for column in self.columns if column.code != "code"]
        return [
            {"key": row.pop("code"), "before": row}
            for row in School.objects.filter(code__in=keys).values("code", *fields)
        ]

    def rollback(self, undo):
        schools = School.objects.filter(code__in=undo.get("added", []))
        try:
            schools.delete()
        except ProtectedError:
            raise ValueError(
                _(
                    "Нельзя отменить импорт: к добавленным им ОО уже привязаны пользователи "
                    "или данные."
                )
            ) from None
        for item in undo.get("updated", []):
            school = School.objects.get(code=item["key"])
            for name, value in item["before"].items():
                setattr(school, name, value)
            school.save()


class StatusesImport(ImportKind):
    code = "statuses"
    title = _("Статусы ОО по годам")
    columns = (
        Column("school_code", "Код ОО", required=True),
        Column("year", "Год", required=True),
        Column("status", "Статус", required=True),
        Column("basis", "Основание"),
    )

    def prepare(self, rows):
        codes = {row.get("school_code", "") for row in rows}
        self.schools = {school.code: school for school in School.objects.filter(code__in=codes)}
        self.existing = set(
            SchoolStatus.objects.filter(school__code__in=codes).values_list("school__code", "year")
        )

    def parse(self, values):
        check = RowCheck()
        code = check(require, values.get("school_code", ""), "Код ОО")
        if code and code not in self.schools:
            check.add(_("неизвестный код ОО «%(code)s»") % {"code": code})
        year = check(parse_year, values.get("year", ""), "Год")
        raw_status = values.get("status", "")
        status = STATUS_ALIASES.get(raw_status.strip().lower())
        if status is None:
            check.add(
                _("неизвестный статус «%(value)s»: допустимы ШНОР, ШНСУ, лидер или пустое значение")
                % {"value": raw_status}
            )
        basis = values.get("basis", "")
        if len(basis) > 500:
            check.add(_("«Основание»: не длиннее 500 символов"))
        check.done()
        return (code, year), {"status": status, "basis": basis}

    def exists(self, key):
        return key in self.existing

    def save(self, key, data):
        code, year = key
        school_status_set(
            school=self.schools[code],
            year=year,
            status=data["status"],
            basis=data["basis"],
            source=SchoolStatus.Source.IMPORT,
        )

    def snapshot(self, keys):
        wanted = set(keys)
        rows = SchoolStatus.objects.filter(school__code__in={code for code, _year in keys}).values(
            "school__code", "year", "status", "basis", "confirmed", "source", "decided_by"
        )
        return [
            {"key": [row.pop("school__code"), row.pop("year")], "before": row}
            for row in rows
            if (row["school__code"], row["year"]) in wanted
        ]

    def rollback(self, undo):
        for code, year in undo.get("added", []):
            SchoolStatus.objects.filter(school__code=code, year=year).delete()
        for item in undo.get("updated", []):
            code, year = item["key"]
            before = dict(item["before"])
            before["decided_by_id"] = before.pop("decided_by")
            SchoolStatus.objects.filter(school__code=code, year=year).update(**before)
