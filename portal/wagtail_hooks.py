from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.viewsets import SchoolsViewSetGroup


@hooks.register("register_admin_viewset")
def register_school_viewsets():
    return SchoolsViewSetGroup()


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    actions.register_action(
        "portal.membership_confirmed", _("Подтвердить членство"), _("Членство в ОО подтверждено")
    )
    actions.register_action(
        "portal.membership_rejected",
        _("Отклонить членство"),
        _("Заявка на членство в ОО отклонена"),
    )
