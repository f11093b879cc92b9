"""Hooks of the indicator pages: the targets' admin screen, the home page section with the key
indicators, and their demo content. Imported from monitoring/wagtail_hooks.py."""

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import IndicatorTarget
from .viewsets import IndicatorTargetViewSet, MethodologistPermissionPolicy

# Registered before any admin view asks for the model's policy (Wagtail requires it early).
register_permission_policy(IndicatorTarget, MethodologistPermissionPolicy(IndicatorTarget))


@hooks.register("register_admin_viewset")
def register_indicator_target_viewset():
    return IndicatorTargetViewSet()


@hooks.register("monitoring_admin_menu_items")
def indicator_targets_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from .wagtail_hooks import MonitoringMenuItem

    return MonitoringMenuItem(
        _("Цели показателей"),
        reverse("indicator_targets:index"),
        name="monitoring-indicator-targets",
        icon_name="pick",
        order=300,
    )


@hooks.register("portal_home_sections")
def home_indicators(request):
    from .indicator_selectors import home_figures

    context = home_figures(request.user)
    if not context["figures"]:
        return ""
    return render_to_string("monitoring/components/home_indicators.html", context, request=request)


@hooks.register("portal_load_demo")
def load_indicators_demo(stdout):
    from .demo_indicators import build

    build(stdout)
