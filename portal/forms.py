from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import School, User

PHONE_HELP = _("Например: +7 (423) 123-45-67")


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.short_name} ({obj.district})" if obj.district else obj.short_name


class ProfileFieldsMixin(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=150)
    first_name = forms.CharField(label=_("Имя"), max_length=150)
    patronymic = forms.CharField(label=_("Отчество"), max_length=150, required=False)
    position = forms.CharField(
        label=_("Должность"), max_length=200, help_text=_("Например: учитель математики")
    )
    phone = forms.CharField(label=_("Телефон"), max_length=40, required=False, help_text=PHONE_HELP)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and not 6 <= len(digits) <= 15:
            raise forms.ValidationError(_("Укажите телефон цифрами, от 6 до 15 цифр."))
        if phone and any(ch not in "0123456789+()- " for ch in phone):
            raise forms.ValidationError(_("В номере телефона допустимы цифры, пробел, +, ( ) и -."))
        return phone


class SignupProfileForm(ProfileFieldsMixin):
    """allauth's signup form extension: who the teacher is and which school they work at.

    The school membership starts as pending: the school's head or a methodologist confirms it.
    """

    school = SchoolChoiceField(
        label=_("Образовательная организация"),
        queryset=School.objects.order_by("code"),
        empty_label=_("— выберите школу —"),
        error_messages={
            "required": _("Выберите школу, в которой вы работаете."),
            "invalid_choice": _("Такой школы нет в реестре. Выберите школу из списка."),
        },
    )
    personal_data_consent = forms.BooleanField(
        label=_("Я даю согласие на обработку моих персональных данных (152-ФЗ)"),
        error_messages={
            "required": _("Без согласия на обработку персональных данных регистрация невозможна.")
        },
    )

    field_order = [
        "email",
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "school",
        "phone",
        "password1",
        "password2",
        "personal_data_consent",
    ]

    def signup(self, request, user):
        # allauth calls this after it has created the user; the adapter has already saved
        # the profile fields, the role and the pending membership.
        return user


class ProfileForm(forms.ModelForm, ProfileFieldsMixin):
    class Meta:
        model = User
        fields = ["last_name", "first_name", "patronymic", "position", "phone"]


class SchoolProfileForm(forms.ModelForm):
    """What a school's head may change about the school; the code and names stay with the
    registry (imports and methodologists)."""

    class Meta:
        model = School
        fields = ["address", "head", "email", "phone", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class MembershipDecisionForm(forms.Form):
    member = forms.ModelChoiceField(queryset=User.objects.all())
    decision = forms.ChoiceField(
        choices=[("confirm", _("Подтвердить")), ("reject", _("Отклонить"))]
    )
