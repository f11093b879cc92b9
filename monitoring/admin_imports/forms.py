from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.importing import KINDS, reader
from monitoring.models import DiagnosticKind, Procedure, SupportForm

ACCEPTED_EXTENSIONS = (".csv", ".xlsx")

# What a column's value may be, where the column name alone does not say it (domain.md).
COLUMN_HINTS = {
    ("statuses", "status"): _("ШНОР, ШНСУ, лидер или пусто"),
    ("results", "procedure"): ", ".join(Procedure.values),
    ("results", "grade"): _("1–11, пусто — все классы"),
    ("staff", "subjects"): _("через «;»"),
    ("diagnostics", "kind"): ", ".join(DiagnosticKind.values),
    ("diagnostics", "score"): _("0–100"),
    ("diagnostics", "deficits"): _("через «;»"),
    ("diagnostics", "date"): _("ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"),
    ("support", "form"): ", ".join(SupportForm.values),
    ("support", "date"): _("ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"),
}

# Which columns make a row's key: a row with the key of an existing record updates it.
KEY_NOTES = {
    "schools": _("Строка с кодом уже известной ОО обновляет её данные."),
    "statuses": _("Строка с той же ОО и тем же годом заменяет статус года."),
    "results": _(
        "Строка с теми же ОО, годом, процедурой, предметом (без учёта регистра и пробелов) "
        "и классом обновляет запись."
    ),
    "staff": _(
        "Строка с теми же ОО, годом и педагогом обновляет запись; новые педагоги "
        "добавляются в справочник."
    ),
    "diagnostics": _("Строка с тем же педагогом, датой, видом и предметом обновляет запись."),
    "support": _("Строка с тем же педагогом, датой, формой и темой обновляет запись."),
}


def kind_choices():
    return [(code, kind.title) for code, kind in KINDS.items()]


def describe_kinds() -> list[dict]:
    """Every kind with its columns, for the format reference next to the upload form."""
    described = []
    for code, kind in KINDS.items():
        described.append(
            {
                "code": code,
                "title": kind.title,
                "note": KEY_NOTES.get(code, ""),
                "columns": [
                    {
                        "code": column.code,
                        "russian": column.russian,
                        "required": column.required,
                        "hint": COLUMN_HINTS.get((code, column.code), ""),
                    }
                    for column in kind.columns
                ],
            }
        )
    return described


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид данных"), choices=kind_choices)
    file = forms.FileField(
        label=_("Файл"),
        help_text=_("CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX (первый лист)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size is known before a byte is read: a huge file is refused, not loaded.
        limit = reader.MAX_FILE_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Файл слишком большой: %(size)s МБ, а можно не более %(limit)s МБ. "
                    "Разделите его на несколько файлов."
                ),
                params={"size": megabytes(upload.size), "limit": megabytes(limit)},
                code="too_large",
            )
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                _("Поддерживаются только файлы CSV и XLSX. Сохраните таблицу в одном из них."),
                code="bad_type",
            )
        return upload


class ImportCommitForm(forms.Form):
    """The second step: names the staged file by its digest, never by a path."""

    kind = forms.ChoiceField(choices=kind_choices, widget=forms.HiddenInput)
    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


class ImportLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Вид данных"),
        required=False,
        choices=lambda: [("", _("Все виды"))] + kind_choices(),
    )
