from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import School, Subject
from portal.uploads import validate_upload

from .models import Agreement, PlanItem, SupportKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class AgreementFieldsForm(forms.Form):
    title = forms.CharField(label=_("Предмет договора"), max_length=300)
    purpose = forms.CharField(
        label=_("Цель"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    support_kinds = forms.MultipleChoiceField(
        label=_("Виды поддержки"),
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = forms.ModelMultipleChoiceField(
        label=_("Предметы"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Пусто — договор по всем предметам."),
    )
    start_date = forms.DateField(label=_("Начало срока"), widget=DateInput())
    end_date = forms.DateField(label=_("Окончание срока"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and (data["end_date"] < data["start_date"])
        ):
            self.add_error("end_date", _("Окончание срока не может быть раньше его начала."))
        return data


class AgreementCreateForm(AgreementFieldsForm):
    leader = forms.ModelChoiceField(label=_("Школа-лидер"), queryset=School.objects.all())
    partners = forms.ModelMultipleChoiceField(
        label=_("Школы, получающие поддержку"),
        queryset=School.objects.all(),
        help_text=_("ШНОР и ШНСУ; можно выбрать несколько (Ctrl или ⌘)."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    resource = forms.ModelChoiceField(
        label=_("Ресурсный партнёр (необязательно)"),
        queryset=School.objects.all(),
        required=False,
        help_text=_("Например, организация дополнительного образования."),
    )

    field_order = ["leader", "partners", "resource", "title", "purpose"]


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["action", "start_date", "end_date", "responsible", "expected_result", "status"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина расторжения"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    date = forms.DateField(label=_("Дата"), widget=DateInput())
    done = forms.CharField(label=_("Что сделано"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label=_("Подтверждение"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ссылки на материалы, номера приказов и протоколов."),
    )
    attachment = forms.FileField(
        label=_("Файл"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, JPG или PNG, до 10 МБ."),
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Название документа"), max_length=300)
    file = forms.FileField(
        label=_("Файл"), help_text=_("PDF, DOCX, XLSX, PPTX, JPG или PNG, до 10 МБ.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class PartnerRequestForm(forms.Form):
    subjects = forms.ModelMultipleChoiceField(
        label=_("Предметы, по которым нужна помощь"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Сообщение руководителю школы-лидера"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Номер, школа или предмет договора"), required=False)
    state = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("Все"))]
        + [
            (value, label)
            for value, label in Agreement.State.choices
            if value
            in (
                Agreement.State.ACTIVE,
                Agreement.State.COMPLETED,
                Agreement.State.TERMINATED,
                Agreement.State.EXPIRED,
            )
        ],
    )
    kind = forms.ChoiceField(
        label=_("Вид поддержки"), required=False, choices=[("", _("Все"))] + SupportKind.choices
    )
    year = forms.IntegerField(
        label=_("Действует в году"), required=False, min_value=2000, max_value=2100
    )
