from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import roles
from portal.models import MembershipState, Subject, User
from portal.uploads import validate_upload

from .models import MeetingLog, PairState, PlanStep

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _checked_upload(upload):
    if upload:
        validate_upload(upload)
    return upload


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Тема"), max_length=300)
    body = forms.CharField(label=_("Сообщение"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(
        label=_("Вложение"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, JPG или PNG до 10 МБ."),
    )

    def clean_attachment(self):
        return _checked_upload(self.cleaned_data.get("attachment"))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Ответ"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("Вложение"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, JPG или PNG до 10 МБ."),
    )

    def clean_attachment(self):
        return _checked_upload(self.cleaned_data.get("attachment"))


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300)
    description = forms.CharField(
        label=_("Описание"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Документ"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, JPG или PNG до 10 МБ."),
    )
    url = forms.URLField(label=_("или ссылка"), required=False, assume_scheme="https")
    tags = forms.CharField(
        label=_("Метки"),
        required=False,
        help_text=_("Через запятую: ОГЭ, функциональная грамотность"),
    )

    def clean_file(self):
        return _checked_upload(self.cleaned_data.get("file"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("url") and not self.errors:
            raise ValidationError(_("Приложите документ или укажите ссылку."))
        return cleaned

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()][:10]


def teacher_choices():
    return (
        User.objects.filter(groups__name=roles.TEACHER, membership=MembershipState.CONFIRMED)
        .select_related("school")
        .order_by("last_name", "first_name")
    )


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        school = user.school.short_name if user.school_id else "—"
        return f"{user.get_full_name()} ({school})"


class MenteePickForm(forms.Form):
    mentee = TeacherChoiceField(label=_("Наставляемый"), queryset=User.objects.none())

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = queryset if queryset is not None else teacher_choices()


class PairForm(forms.Form):
    mentor = TeacherChoiceField(label=_("Наставник"), queryset=User.objects.none())
    mentee = TeacherChoiceField(label=_("Наставляемый"), queryset=User.objects.none())
    subjects = forms.ModelMultipleChoiceField(
        label=_("Предметы"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deficits = forms.CharField(
        label=_("Дефициты, на которые направлена работа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goals = forms.CharField(label=_("Цели"), widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label=_("Начало"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Окончание"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = teacher_choices()
        self.fields["mentee"].queryset = teacher_choices()

    def clean(self):
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor"), cleaned.get("mentee")
        if mentor and mentee and mentor.pk == mentee.pk:
            self.add_error(
                "mentee",
                _("Наставник и наставляемый — один и тот же человек: выберите разных педагогов."),
            )
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Окончание не может быть раньше начала."))
        return cleaned


class PlanStepForm(forms.ModelForm):
    class Meta:
        model = PlanStep
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE_WIDGET}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = MeetingLog
        fields = ["date", "topic", "notes"]
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}


class FinishForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Как окончена"),
        choices=[(PairState.COMPLETED, _("завершена")), (PairState.INTERRUPTED, _("прервана"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(label=_("Итог"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    outcome = forms.CharField(label=_("Причина отказа"), widget=forms.Textarea(attrs={"rows": 2}))
