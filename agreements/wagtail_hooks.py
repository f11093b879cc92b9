from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .selectors import concluded_count, parties_in_force

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
}


@hooks.register("register_log_actions")
def register_agreement_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


# Indicators IND-1, IND-7 (its agreements part) and IND-8 of domain.md.
@hooks.register("monitoring_agreement_parties")
def agreement_parties(year):
    return parties_in_force(year)


@hooks.register("monitoring_agreements_concluded")
def agreements_concluded(year):
    return concluded_count(year)
