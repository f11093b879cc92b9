import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Subject
from portal.uploads import MAX_FILES, validate_upload

from .models import Adoption, GradeLevel, PracticeFormat, Problem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(item, initial) for item in files]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Не более %(n)s файлов.") % {"n": MAX_FILES})
        for item in files:
            validate_upload(item)
        return files


class PracticeProposalForm(forms.Form):
    """What a teacher writes on the public site. Everything is plain text: the service turns
    it into escaped paragraphs, so no HTML from the form ever reaches a page."""

    title = forms.CharField(label=_("Название практики"), max_length=200)
    summary = forms.CharField(
        label=_("Кратко о практике"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("2–3 предложения: что делаете и какой результат получили"),
    )
    problems = forms.ModelMultipleChoiceField(
        label=_("Какую проблему решает"),
        queryset=Problem.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одну проблему.")},
    )
    subjects = forms.ModelMultipleChoiceField(
        label=_("Предметы"),
        queryset=Subject.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade_levels = forms.ModelMultipleChoiceField(
        label=_("Уровни образования"),
        queryset=GradeLevel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    format = forms.ChoiceField(label=_("Формат"), choices=PracticeFormat.choices)
    tags = forms.CharField(
        label=_("Теги"),
        max_length=300,
        required=False,
        help_text=_("Через запятую, например: ОГЭ, дроби, 9 класс"),
    )
    coauthors = forms.CharField(label=_("Соавторы"), max_length=500, required=False)
    context = forms.CharField(
        label=_("Контекст и проблема"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Какая была ситуация в школе, с какими цифрами"),
    )
    steps = forms.CharField(
        label=_("Шаги внедрения"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Каждый шаг — с новой строки"),
    )
    resources = forms.CharField(
        label=_("Необходимые ресурсы"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    results = forms.CharField(
        label=_("Результаты"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        help_text=_("Что изменилось: цифры до и после"),
    )
    files = MultipleFileField(
        label=_("Материалы"),
        required=False,
        help_text=_("До 5 файлов PDF, DOCX, XLSX, PPTX, JPG или PNG, каждый не больше 10 МБ"),
    )

    def clean_tags(self):
        tags = [tag.strip()[:100] for tag in self.cleaned_data["tags"].split(",")]
        return [tag for tag in dict.fromkeys(tags) if tag][:10]

    def clean_steps(self):
        steps = [line.strip(" -•\t") for line in self.cleaned_data["steps"].splitlines()]
        steps = [step for step in steps if step]
        if not steps:
            raise forms.ValidationError(_("Опишите хотя бы один шаг."))
        return steps


class AdoptionForm(forms.ModelForm):
    class Meta:
        model = Adoption
        fields = ["applied_on", "context", "outcome"]
        widgets = {
            "applied_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"outcome": _("Коротко: что изменилось после применения")}

    def clean_applied_on(self):
        applied_on = self.cleaned_data["applied_on"]
        if applied_on > timezone.localdate():
            raise forms.ValidationError(_("Дата применения не может быть в будущем."))
        if applied_on < datetime.date(2000, 1, 1):
            raise forms.ValidationError(_("Проверьте дату применения."))
        return applied_on
