"""Admin screens for addressed recommendations and schools' improvement programmes.

Methodologists work with both (domain.md: they write recommendations and see all data)
and with the screening thresholds; their role grants it here, as the role groups carry no
model permissions for monitoring.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.roles import is_methodologist

from .models import ImprovementProgramme, Recommendation, ScreeningSettings


class MethodologistPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and every action for methodologists and administrators."""

    def user_has_permission(self, user, action):
        return is_methodologist(user) or super().user_has_permission(user, action)


# The screening thresholds are the methodologist's to change too (domain.md).
for _model in (Recommendation, ImprovementProgramme, ScreeningSettings):
    register_permission_policy(_model, MethodologistPermissionPolicy(_model), exact_class=True)


class RecommendationViewSet(ModelViewSet):
    model = Recommendation
    name = "recommendations"
    url_prefix = "monitoring/recommendations"
    menu_label = _("Адресные рекомендации")
    icon = "comment"
    list_display = ["text", "addressee", "school", "year", "basis", "due_date", "acknowledged_at"]
    list_filter = ["year", "addressee", "basis"]
    search_fields = ["text", "finding", "school__short_name"]
    search_backend_name = None
    form_fields = [
        "addressee",
        "school",
        "year",
        "basis",
        "indicator",
        "finding",
        "text",
        "due_date",
        "author",
        "response",
    ]
    copy_view_enabled = False


class ImprovementProgrammeViewSet(ModelViewSet):
    model = ImprovementProgramme
    name = "improvement_programmes"
    url_prefix = "monitoring/programmes"
    menu_label = _("Программы повышения качества")
    icon = "list-ul"
    list_display = ["school", "title", "start_year", "end_year", "state", "approved_at"]
    list_filter = ["state", "start_year"]
    search_fields = ["title", "school__short_name", "measures"]
    search_backend_name = None
    copy_view_enabled = False


class AnalysisViewSetGroup(ViewSetGroup):
    menu_label = _("Анализ и меры")
    menu_icon = "clipboard-list"
    menu_order = 230
    items = (RecommendationViewSet, ImprovementProgrammeViewSet)
