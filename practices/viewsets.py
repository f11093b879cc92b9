from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Adoption, GradeLevel, Problem


class ProblemViewSet(ModelViewSet):
    model = Problem
    name = "practice_problems"
    url_prefix = "practices/problems"
    menu_label = _("Проблемы")
    icon = "warning"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["sort_order", "name"]
    copy_view_enabled = False


class GradeLevelViewSet(ModelViewSet):
    model = GradeLevel
    name = "grade_levels"
    url_prefix = "practices/grade-levels"
    menu_label = _("Уровни образования")
    icon = "list-ol"
    list_display = ["name", "grades", "sort_order"]
    ordering = ["sort_order"]
    copy_view_enabled = False


class AdoptionViewSet(ModelViewSet):
    model = Adoption
    name = "adoptions"
    url_prefix = "practices/adoptions"
    menu_label = _("Применения практик")
    icon = "tick-inverse"
    list_display = ["practice", "school", "applied_on", "context", "user"]
    list_filter = ["applied_on"]
    search_fields = ["practice__title", "school__short_name", "context"]
    search_backend_name = None
    form_fields = ["practice", "school", "user", "applied_on", "context", "outcome"]
    copy_view_enabled = False


class PracticesViewSetGroup(ViewSetGroup):
    menu_label = _("Банк практик")
    menu_icon = "doc-full-inverse"
    menu_order = 210
    items = (ProblemViewSet, GradeLevelViewSet, AdoptionViewSet)
