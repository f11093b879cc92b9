"""Hooks of the analysis part: its admin screens, its sections of a school's public page and
of «Личный кабинет». It also defines `monitoring_school_dashboard_sections(request, school)`
→ HTML, through which other apps add sections to a school's monitoring dashboard."""

from django.template.loader import render_to_string
from wagtail import hooks

from portal.roles import is_head_of, is_methodologist

from .access import can_see_school
from .models import Recommendation
from .viewsets_analysis import AnalysisViewSetGroup


@hooks.register("register_admin_viewset")
def register_analysis_viewsets():
    return AnalysisViewSetGroup()


@hooks.register("portal_school_page_sections")
def school_dashboard_link(request, school):
    """A link to the school's monitoring dashboard, for those who may see it only."""
    user = getattr(request, "user", None)
    if user is None or not can_see_school(user, school):
        return ""
    return render_to_string(
        "monitoring/analysis/components/school_page_section.html",
        {"school": school},
        request=request,
    )


@hooks.register("portal_cabinet_sections")
def cabinet_monitoring(request):
    """A head: the school's dashboard and the recommendations awaiting an answer.
    A methodologist: the analysis pages."""
    user = request.user
    school = user.confirmed_school
    methodologist = is_methodologist(user)
    head_school = school if school is not None and is_head_of(user, school) else None
    if not methodologist and head_school is None:
        return ""
    pending = 0
    if head_school is not None:
        pending = Recommendation.objects.filter(
            school=head_school, acknowledged_at__isnull=True
        ).count()
    return render_to_string(
        "monitoring/analysis/components/cabinet_section.html",
        {"school": head_school, "pending": pending, "is_methodologist": methodologist},
        request=request,
    )


@hooks.register("portal_cabinet_sections")
def cabinet_own_diagnostics(request):
    """A teacher's own diagnostics (personal data: only the teacher's own record)."""
    teacher = getattr(request.user, "teacher_record", None)
    if teacher is None:
        return ""
    diagnostics = list(teacher.diagnostics.order_by("-date", "-pk"))
    return render_to_string(
        "monitoring/analysis/components/cabinet_diagnostics.html",
        {"teacher": teacher, "diagnostics": diagnostics},
        request=request,
    )
