"""Admin screens for people and schools. wagtail_hooks.py only registers them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from portal.models import MembershipState, School, SchoolStatus, Subject


class SchoolViewSet(ModelViewSet):
    model = School
    name = "schools"
    url_prefix = "schools"
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

    def get_index_view_kwargs(self, **kwargs):
        # Wagtail's «Добавить %(model_name)s» would put the name in the wrong case.
        return super().get_index_view_kwargs(add_item_label=_("Добавить ОО"), **kwargs)


class StatusDecisionMixin:
    """A status saved in the admin is the methodologist's own decision: record who made it."""

    def save_instance(self):
        self.form.instance.decided_by = self.request.user
        self.form.instance.source = SchoolStatus.Source.MANUAL
        return super().save_instance()


class SchoolStatusCreateView(StatusDecisionMixin, generic.CreateView):
    pass


class SchoolStatusEditView(StatusDecisionMixin, generic.EditView):
    pass


class SchoolStatusViewSet(ModelViewSet):
    model = SchoolStatus
    name = "school_statuses"
    url_prefix = "school-statuses"
    menu_label = _("Статусы ОО по годам")
    icon = "tag"
    add_view_class = SchoolStatusCreateView
    edit_view_class = SchoolStatusEditView
    list_display = [
        "school",
        "year",
        "status",
        "basis",
        BooleanColumn("confirmed", label=_("Подтверждён")),
        "source",
        "decided_by",
    ]
    list_filter = ["year", "status", "confirmed", "source"]
    list_export = ["school", "year", "status", "basis", "confirmed", "source"]
    export_filename = "school-statuses"
    search_fields = ["school__short_name", "school__code", "basis"]
    search_backend_name = None
    ordering = ["-year", "school__short_name"]
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=_("Добавить статус"), **kwargs)


class SubjectViewSet(ModelViewSet):
    model = Subject
    name = "subjects"
    url_prefix = "subjects"
    menu_label = _("Предметы")
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["sort_order", "name"]
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=_("Добавить предмет"), **kwargs)


class SchoolsViewSetGroup(ViewSetGroup):
    menu_label = _("Школы")
    menu_icon = "home"
    menu_order = 200
    items = (SchoolViewSet, SchoolStatusViewSet, SubjectViewSet)


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
