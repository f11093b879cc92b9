"""Admin screens for people and schools. wagtail_hooks.py only registers them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from portal.models import MembershipState, School, SchoolStatus


class SchoolViewSet(ModelViewSet):
    model = School
    menu_label = _("Реестр ОО")
    icon = "home"
    add_to_admin_menu = False
    list_display = ["short_name", "code", "kind", "district", "head"]
    list_filter = ["kind", "district"]
    list_export = [
        "code",
        "name",
        "short_name",
        "kind",
        "district",
        "address",
        "head",
        "email",
        "phone",
        "website",
    ]
    export_filename = "schools"
    search_fields = ["short_name", "name", "code", "district", "address"]
    # Plain database lookups: the registry is small and codes must match exactly.
    search_backend_name = None
    ordering = ["short_name"]
    inspect_view_enabled = True
    copy_view_enabled = False


class SchoolStatusViewSet(ModelViewSet):
    model = SchoolStatus
    menu_label = _("Статусы ОО по годам")
    icon = "tag"
    list_display = ["school", "year", "status", "basis", "confirmed", "source"]
    list_filter = ["year", "status", "confirmed", "source"]
    list_export = ["school", "year", "status", "basis", "confirmed", "source"]
    export_filename = "school-statuses"
    search_fields = ["school__short_name", "school__code", "basis"]
    search_backend_name = None
    ordering = ["-year", "school__short_name"]
    copy_view_enabled = False


class SchoolsViewSetGroup(ViewSetGroup):
    menu_label = _("Школы")
    menu_icon = "home"
    menu_order = 200
    items = (SchoolViewSet, SchoolStatusViewSet)


class PortalUserFieldsMixin(forms.ModelForm):
    patronymic = forms.CharField(label=_("Отчество"), required=False, max_length=150)
    position = forms.CharField(label=_("Должность"), required=False, max_length=200)
    phone = forms.CharField(label=_("Телефон"), required=False, max_length=40)
    school = forms.ModelChoiceField(
        label=_("Образовательная организация"), queryset=School.objects.all(), required=False
    )
    membership = forms.ChoiceField(label=_("Членство в ОО"), choices=MembershipState.choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("membership") != MembershipState.NONE and not cleaned.get("school"):
            self.add_error("school", _("Укажите ОО или выберите «Не указана» для членства."))
        return cleaned


class PortalUserEditForm(PortalUserFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {
            "patronymic",
            "position",
            "phone",
            "school",
            "membership",
        }


class PortalUserCreationForm(PortalUserFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {
            "patronymic",
            "position",
            "phone",
            "school",
            "membership",
        }


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm
