"""Admin screens of monitoring: the yearly targets of the indicators (IndicatorTarget).

Methodologists set the targets (domain.md, «People»). Shares are entered in percent and stored
from 0 to 1; IND-8 is a number of agreements."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from portal import roles

from . import indicator_format as fmt
from .indicators import DEFAULT_TARGETS, DEFINITIONS, default_target
from .models import IndicatorTarget


class MethodologistPermissionPolicy(ModelPermissionPolicy):
    """Methodologists (and administrators) manage the targets; the role groups are created by
    a portal migration that predates the model, so the role is asked rather than a Django
    permission."""

    def user_has_permission(self, user, action):
        return roles.is_methodologist(user)

    def user_has_any_permission(self, user, actions):
        return roles.is_methodologist(user)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name__in=[roles.METHODOLOGIST, roles.ADMINISTRATOR])
            )
            .distinct()
        )


def defaults_text() -> str:
    """The defaults of domain.md in words, for the form's help."""
    parts = []
    for code, by_year in DEFAULT_TARGETS.items():
        values = [
            fmt.target_text(code, float(value)) + (f" ({year})" if year else _(" ежегодно"))
            for year, value in by_year.items()
        ]
        parts.append(f"{code} — {', '.join(values)}")
    return "; ".join(parts)


class IndicatorTargetForm(WagtailAdminModelForm):
    """The value as a person writes it: «80» or «62,5» percent for a share, «5» for IND-8."""

    value = forms.DecimalField(
        label=_("Целевое значение"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        localize=True,
        help_text=_(
            "Для долей — в процентах (например, 80 или 62,5). Для IND-8 — число договоров."
        ),
        error_messages={
            "min_value": _("Целевое значение не может быть отрицательным."),
            "invalid": _("Введите число, например 80 или 62,5."),
            "max_decimal_places": _("Не больше двух знаков после запятой."),
            "max_digits": _("Слишком большое число."),
        },
    )

    class Meta:
        model = IndicatorTarget
        fields = ["code", "year", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "---------")] + [
            (code, f"{code}. {definition.short}") for code, definition in DEFINITIONS.items()
        ]
        self.fields["code"].help_text = _(
            "Если на год цель не задана, действует значение программы: %(defaults)s."
        ) % {"defaults": defaults_text()}
        self.fields["year"].error_messages.update(
            {
                "min_value": _("Год не может быть раньше %(limit_value)s."),
                "max_value": _("Год не может быть позже %(limit_value)s."),
            }
        )
        instance = self.instance
        if instance.pk and instance.value is not None and not self.is_bound:
            self.initial["value"] = (
                instance.value
                if instance.code == "IND-8"
                else (instance.value * 100).quantize(Decimal("0.01"))
            )

    def clean(self):
        cleaned = super().clean()
        code, year, value = cleaned.get("code"), cleaned.get("year"), cleaned.get("value")
        if code == "IND-3":
            self.add_error(
                "code",
                _(
                    "У IND-3 нет целевого значения: показатель оценивается по динамике "
                    "(снижение доли «2» — положительная динамика)."
                ),
            )
        if code and value is not None:
            if code == "IND-8":
                if value != value.to_integral_value():
                    self.add_error("value", _("Число договоров — целое число, например 5."))
                else:
                    cleaned["value"] = value
            elif value > 100:
                self.add_error("value", _("Доля не может быть больше 100 %."))
            else:
                cleaned["value"] = (value / 100).quantize(Decimal("0.0001"))
        if code and year:
            taken = IndicatorTarget.objects.filter(code=code, year=year)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "year",
                    _(
                        "Целевое значение %(code)s на %(year)s год уже задано — "
                        "измените существующую запись."
                    )
                    % {"code": code, "year": year},
                )
        return cleaned


def _title(obj: IndicatorTarget) -> str:
    return str(DEFINITIONS[obj.code].short) if obj.code in DEFINITIONS else ""


def _value_display(obj: IndicatorTarget) -> str:
    return fmt.target_text(obj.code, float(obj.value))


def _default_display(obj: IndicatorTarget) -> str:
    default = default_target(obj.code, obj.year)
    return fmt.target_text(obj.code, float(default)) if default is not None else "—"


class IndicatorTargetViewSet(ModelViewSet):
    model = IndicatorTarget
    name = "indicator_targets"
    url_prefix = "monitoring/targets"
    icon = "pick"
    menu_label = _("Цели показателей")
    # Listed in the «Мониторинг» menu (monitoring/hooks_indicators.py).
    add_to_admin_menu = False
    list_display = [
        "code",
        Column("title", label=_("Показатель"), accessor=_title),
        "year",
        Column("value_display", label=_("Целевое значение"), accessor=_value_display),
        Column("default_display", label=_("По умолчанию (программа)"), accessor=_default_display),
    ]
    list_filter = ["code", "year"]
    ordering = ["code", "-year"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return IndicatorTargetForm
