"""Formatting for the analysis pages: shares as percentages, small server-side SVG bars."""

from django import template
from django.utils.translation import gettext as _

from monitoring.effectiveness import VERDICT_LABELS

register = template.Library()

BAR_WIDTH = 160
# The bars' scale: 0 to 50 %; a larger share fills the bar (the figures beside it are exact).
BAR_SCALE = 0.5


@register.filter
def percent(value, digits: int = 1) -> str:
    """A share from 0 to 1 as «23,0 %»; «—» where it is undefined."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}".replace(".", ",") + " %"


@register.filter
def share_or_nodata(value) -> str:
    """A share, or «нет данных» (domain.md: an undefined share is never 0)."""
    return _("нет данных") if value is None else percent(value)


@register.filter
def verdict_label(code: str) -> str:
    return str(VERDICT_LABELS.get(code, ""))


@register.inclusion_tag("monitoring/analysis/components/bars.html")
def share_bars(school_value, municipal_value, label=""):
    """Two horizontal bars, the school's share and the municipal one, on a 0–50 % scale."""

    def width(value):
        if value is None:
            return 0
        return round(max(0.0, min(1.0, float(value) / BAR_SCALE)) * BAR_WIDTH, 1)

    return {
        "label": label,
        "school": school_value,
        "municipal": municipal_value,
        "school_width": width(school_value),
        "municipal_width": width(municipal_value),
        "full": BAR_WIDTH,
    }


@register.simple_tag
def recommendation_url(**params) -> str:
    """The address of a new recommendation prefilled from a page, e.g. an indicator's:
    {% recommendation_url basis="indicator" indicator=page.indicator year=year %}.
    Show it to methodologists only; the form refuses everyone else."""
    from monitoring.views_analysis import recommendation_url as build

    return build(**params)
