"""The «Мониторинг» admin menu and the monitoring admin screens.

The menu's items come from the `monitoring_admin_menu_items` hook, the way Wagtail builds
its own menus: another part of monitoring adds an item with

    @hooks.register("monitoring_admin_menu_items")
    def my_item():
        return MonitoringMenuItem(_("…"), reverse("…"), name="…", order=300)
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from portal.roles import is_methodologist

from .admin_imports import urls as import_urls
from .admin_imports.views import ACTION_IMPORTED, ACTION_ROLLED_BACK

MENU_HOOK = "monitoring_admin_menu_items"


class MonitoringMenuItem(MenuItem):
    """A menu item only methodologists and administrators see (domain.md, «People»)."""

    def is_shown(self, request):
        return is_methodologist(request.user)


@hooks.register("register_admin_menu_item")
def register_monitoring_menu():
    return SubmenuMenuItem(
        _("Мониторинг"),
        Menu(register_hook_name=MENU_HOOK),
        name="monitoring",
        icon_name="table",
        order=250,
    )


@hooks.register(MENU_HOOK)
def import_upload_menu_item():
    return MonitoringMenuItem(
        _("Загрузка данных"),
        reverse("monitoring_imports:upload"),
        name="monitoring-import-upload",
        icon_name="upload",
        order=100,
    )


@hooks.register(MENU_HOOK)
def import_log_menu_item():
    return MonitoringMenuItem(
        _("Журнал импорта"),
        reverse("monitoring_imports:log"),
        name="monitoring-import-log",
        icon_name="history",
        order=110,
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("monitoring/import/", include(import_urls, namespace="monitoring_imports"))]


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    actions.register_action(
        ACTION_IMPORTED, _("Импорт данных мониторинга"), _("Данные мониторинга импортированы")
    )
    actions.register_action(
        ACTION_ROLLED_BACK, _("Отмена импорта"), _("Импорт данных мониторинга отменён")
    )


# The other parts of monitoring register their hooks in their own modules; importing them here
# is what makes Wagtail load them (it imports only wagtail_hooks.py).
from . import hooks_analysis, hooks_demo, hooks_indicators  # noqa: E402, F401
