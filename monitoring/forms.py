"""Forms of the analysis pages: screening decisions, addressed recommendations and a
school's improvement programme."""

import datetime
import os

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import School
from portal.models.schools import MAX_YEAR, MIN_YEAR

from .models import INDICATOR_CODES, ImprovementProgramme, Recommendation

DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "odt", "rtf")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Укажите год числом, например 2024."),
                "min_value": _("Год должен быть не раньше %(limit_value)s."),
                "max_value": _("Год должен быть не позже %(limit_value)s."),
            },
        )
        super().__init__(**kwargs)


class ScreeningDecisionForm(forms.Form):
    """A methodologist's decision on one school of the screening."""

    CONFIRM = "confirm"
    REJECT = "reject"

    school = forms.CharField(max_length=32)
    year = YearField()
    decision = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (REJECT, REJECT)])
    basis = forms.CharField(
        label=_("Основание"),
        max_length=500,
        required=False,
        strip=True,
    )

    def clean_school(self):
        code = self.cleaned_data["school"]
        school = School.objects.filter(code=code).first()
        if school is None:
            raise forms.ValidationError(_("Школа с кодом %(code)s не найдена.") % {"code": code})
        return school

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.CONFIRM and not data.get("basis"):
            self.add_error(
                "basis", _("Укажите основание: по каким данным статус ШНОР подтверждается.")
            )
        return data


class RecommendationForm(forms.ModelForm):
    school = forms.ModelChoiceField(
        label=_("ОО"),
        queryset=School.objects.order_by("short_name"),
        required=False,
        empty_label=_("— вся муниципальная система —"),
        help_text=_("Оставьте пустым, если рекомендация адресована не одной школе."),
    )
    year = YearField(label=_("Год анализа"))
    indicator = forms.ChoiceField(
        label=_("Показатель"),
        choices=[("", "—"), *INDICATOR_CODES],
        required=False,
        help_text=_("Обязателен, если основание — показатель."),
    )
    due_date = forms.DateField(
        label=_("Срок"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Укажите дату в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")},
    )

    class Meta:
        model = Recommendation
        fields = [
            "addressee",
            "school",
            "year",
            "basis",
            "indicator",
            "finding",
            "text",
            "due_date",
        ]
        widgets = {
            "finding": forms.Textarea(attrs={"rows": 4}),
            "text": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "finding": _("Что показал анализ: значения, сравнение с муниципальными, динамика."),
            "text": _("Что и кому сделать."),
        }

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("Срок не может быть в прошлом."))
        return due

    def clean(self):
        data = super().clean()
        basis = data.get("basis")
        if basis == Recommendation.Basis.INDICATOR and not data.get("indicator"):
            self.add_error("indicator", _("Выберите показатель, по которому сделан вывод."))
        school_bases = (Recommendation.Basis.SCREENING, Recommendation.Basis.EFFECTIVENESS)
        if basis in school_bases and data.get("school") is None:
            self.add_error("school", _("Для этого основания укажите школу."))
        return data


class RecommendationFilterForm(forms.Form):
    STATE_CHOICES = [
        ("", _("все")),
        ("pending", _("ожидают ответа ОО")),
        ("acknowledged", _("приняты к сведению")),
    ]

    year = YearField(label=_("Год"), required=False)
    addressee = forms.ChoiceField(
        label=_("Адресат"),
        choices=[("", _("все")), *Recommendation.Addressee.choices],
        required=False,
    )
    school = forms.ModelChoiceField(
        label=_("ОО"),
        queryset=School.objects.order_by("short_name"),
        required=False,
        to_field_name="code",
        empty_label=_("все"),
    )
    state = forms.ChoiceField(label=_("Состояние"), choices=STATE_CHOICES, required=False)


class AcknowledgeForm(forms.Form):
    response = forms.CharField(
        label=_("Ответ ОО (необязательно)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgrammeForm(forms.ModelForm):
    """A school's improvement programme on the public site. A head may keep it as a draft or
    send it for review; only a methodologist approves it."""

    start_year = YearField(label=_("Начало периода"))
    end_year = YearField(label=_("Окончание периода"))
    upload = forms.FileField(
        label=_("Документ программы"),
        required=False,
        help_text=_("PDF, DOC, DOCX, ODT или RTF, не больше 20 МБ. Новый файл заменит прежний."),
    )

    class Meta:
        model = ImprovementProgramme
        fields = ["title", "start_year", "end_year", "measures", "state"]
        widgets = {"measures": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, can_approve: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_approve = can_approve
        choices = ImprovementProgramme.State.choices
        if not can_approve:
            choices = [c for c in choices if c[0] != ImprovementProgramme.State.APPROVED]
        self.fields["state"].choices = choices
        current_year = datetime.date.today().year
        # A new programme: by default the current year and the next two.
        if not self.instance.pk:
            self.initial["start_year"] = self.initial.get("start_year") or current_year
            self.initial["end_year"] = self.initial.get("end_year") or current_year + 2

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        if extension not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(
                _("Загрузите файл PDF, DOC, DOCX, ODT или RTF (получен .%(ext)s).")
                % {"ext": extension or "?"}
            )
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("Файл больше 20 МБ."))
        return upload
