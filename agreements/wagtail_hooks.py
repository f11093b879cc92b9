from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .selectors import concluded_count, parties_in_force
from .viewsets import AgreementsViewSetGroup

LOG_ACTIONS = {
    "agreements.create": _("Договор создан"),
    "agreements.edit": _("Договор изменён"),
    "agreements.new_version": _("Новая редакция: подписи аннулированы"),
    "agreements.submit": _("Отправлен на согласование"),
    "agreements.sign": _("Подписан стороной"),
    "agreements.terminate": _("Расторгнут"),
    "agreements.complete": _("Исполнен"),
    "agreements.expire": _("Истёк срок действия"),
    "agreements.report": _("Отчёт о совместной деятельности"),
    "agreements.document": _("Добавлен документ"),
}


@hooks.register("register_log_actions")
def register_agreement_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


# Indicators IND-1, IND-7 (its agreements part) and IND-8 of domain.md.
@hooks.register("monitoring_agreement_parties")
def agreement_parties(years):
    return parties_in_force(years)


@hooks.register("monitoring_agreements_concluded")
def agreements_concluded(years):
    return concluded_count(years)


@hooks.register("portal_school_page_sections")
def school_agreements(request, school):
    from django.template.loader import render_to_string

    from .models import Agreement

    agreements = list(
        Agreement.objects.public()
        .with_school(school)
        .prefetch_related("parties__school")
        .order_by("-signed_at")[:20]
    )
    if not agreements:
        return ""
    return render_to_string(
        "agreements/components/school_section.html", {"agreements": agreements}, request=request
    )


@hooks.register("portal_cabinet_sections")
def cabinet_agreements(request):
    from django.template.loader import render_to_string

    from portal.roles import is_head_of

    from .models import Agreement, PartnerRequest

    user = request.user
    school = user.confirmed_school
    if not (school and is_head_of(user, school)):
        return ""
    agreements = list(
        Agreement.objects.with_school(school)
        .exclude(state__in=[Agreement.State.EXPIRED, Agreement.State.TERMINATED])
        .order_by("-updated_at")[:10]
    )
    pending = PartnerRequest.objects.filter(
        to_school=school, state=PartnerRequest.State.SENT
    ).count()
    return render_to_string(
        "agreements/components/cabinet_section.html",
        {"agreements": agreements, "pending": pending},
        request=request,
    )


@hooks.register("portal_load_demo")
def load_agreements_demo(stdout):
    from .demo import build

    build(stdout)


@hooks.register("register_admin_viewset")
def register_agreement_viewsets():
    return AgreementsViewSetGroup()


@hooks.register("monitoring_school_dashboard_sections")
def dashboard_agreements(request, school):
    """All the school's agreements, drafts included: the dashboard is for its head and
    methodologists, who are the parties' people."""
    from django.template.loader import render_to_string

    from .models import Agreement
    from .selectors import activity_flags

    agreements = list(
        Agreement.objects.with_school(school)
        .prefetch_related("parties__school")
        .order_by("-created_at")[:20]
    )
    amber = [a for a in agreements if activity_flags(a)["amber"]]
    return render_to_string(
        "agreements/components/dashboard_section.html",
        {"agreements": agreements, "amber": amber, "school": school},
        request=request,
    )
