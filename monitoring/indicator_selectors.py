"""What the indicator pages, the dashboard, the exports and the home page show, per user.

Everything is computed by one `compute_indicators(years)` call per request, so the number of
queries does not depend on the number of schools. The rules of `monitoring.access` are applied
here, once, for every output: the public sees aggregates only, and no figure computed from
fewer than MIN_PUBLIC_TEACHERS teachers unless the user may see those teachers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.models import School, SchoolStatus
from portal.models.schools import TARGET_STATUSES

from . import indicator_format as fmt
from .access import MIN_PUBLIC_TEACHERS, can_see_all_schools, visible_schools
from .indicators import DEFINITIONS, Indicator, compute_indicators
from .models import Procedure

CODES = list(DEFINITIONS)
# The indicators with targets in the programme, shown on the home page.
HOME_CODES = ("IND-1", "IND-4", "IND-6", "IND-7")

# The source documents of domain.md («seeds»), by the code the definitions cite.
SOURCES = {
    "000": "Модель муниципальной системы работы со школами с низкими образовательными "
    "результатами (г. Дзержинск, приказ от 28.07.2021 № 443-п)",
    "001": "Модель поддержки общеобразовательных организаций Петровского муниципального района, "
    "имеющих низкие образовательные результаты, на 2021–2024 годы",
    "003": "Программа по повышению качества образования муниципальных общеобразовательных "
    "учреждений, показывающих низкие результаты обучения, и школ, функционирующих в "
    "неблагоприятных социальных условиях, на 2022–2024 годы (приказ управления образования "
    "от 10.01.2022 № 4-а)",
}


def indicator_years() -> list[int]:
    """The years that have data: those with a confirmed school status."""
    return sorted(
        SchoolStatus.objects.confirmed().values_list("year", flat=True).distinct().order_by()
    )


def compute(years: list[int]) -> dict[int, dict[str, Indicator]]:
    """compute_indicators for the years; nothing at all when there are none."""
    return compute_indicators(years) if years else {}


def latest_target_year(years: list[int], computed: dict[int, dict[str, Indicator]]) -> int | None:
    """The latest year with target schools, or the latest year at all."""
    with_targets = [y for y in years if computed[y]["IND-1"].denominator]
    if with_targets:
        return with_targets[-1]
    return years[-1] if years else None


def choose_year(raw, years: list[int], default: int | None) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return default
    return year if year in years else default


@dataclass
class Figure:
    """One indicator in one year as one user may see it."""

    code: str
    year: int
    value: float | None
    numerator: int | None
    denominator: int | None
    target: float | None
    met: bool | None
    withheld: bool = False
    previous: float | None = None
    change: float | None = None
    by_procedure: list[dict] = field(default_factory=list)

    @property
    def definition(self):
        return DEFINITIONS[self.code]

    @property
    def value_text(self) -> str:
        if self.withheld:
            return _(fmt.WITHHELD)
        return fmt.value_text(self.code, self.value)

    @property
    def is_undefined(self) -> bool:
        return not self.withheld and self.value is None

    @property
    def count_text(self) -> str:
        if self.withheld:
            return ""
        return fmt.count_words(self.code, self.numerator, self.denominator)

    @property
    def target_text(self) -> str:
        return fmt.target_text(self.code, self.target)

    @property
    def met_text(self) -> str:
        if self.code == "IND-3" or self.target is None:
            return ""
        if self.met is None:
            return _("достижение не оценивается: нет данных")
        return _("цель достигнута") if self.met else _("цель не достигнута")

    @property
    def previous_text(self) -> str:
        return fmt.percent(self.previous)

    @property
    def change_text(self) -> str:
        """IND-3: the change against the previous year, said in words."""
        if self.withheld or self.change is None:
            return _("нет данных за предыдущий год") if self.value is not None else ""
        amount = fmt.points(self.change)
        if round(self.change * 1000) == 0:
            return _("без изменений к предыдущему году")
        if self.change < 0:
            return _("%(amount)s к предыдущему году: снижение — положительная динамика") % {
                "amount": amount
            }
        return _("%(amount)s к предыдущему году: рост — отрицательная динамика") % {
            "amount": amount
        }

    @property
    def change_short(self) -> str:
        """IND-3 in a table cell: «−0,9 п. п., снижение»."""
        if self.withheld or self.change is None:
            return ""
        if round(self.change * 1000) == 0:
            return _("без изменений")
        direction = _("снижение") if self.change < 0 else _("рост")
        return f"{fmt.points(self.change)}, {direction}"

    @property
    def change_positive(self) -> bool | None:
        if self.change is None or round(self.change * 1000) == 0:
            return None
        return self.change < 0

    @property
    def status(self) -> str:
        """A BEM modifier for the figure: met, missed, positive, negative, none."""
        if self.code == "IND-3":
            return {True: "met", False: "missed"}.get(self.change_positive, "none")
        return {True: "met", False: "missed"}.get(self.met, "none")

    def as_export(self) -> dict:
        data = {
            "value": None if self.withheld else self.value,
            "numerator": None if self.withheld else self.numerator,
            "denominator": None if self.withheld else self.denominator,
            "target": self.target,
            "met": None if self.withheld else self.met,
        }
        if self.withheld:
            data["note"] = fmt.WITHHELD
        if self.code == "IND-3":
            data["previous"] = self.previous
            data["change"] = self.change
            data["by_procedure"] = {
                row["procedure"]: {"value": row["value"], "previous": row["previous"]}
                for row in self.by_procedure
            }
        return data


def _few_teachers(code: str, denominator: int | None) -> bool:
    # A denominator of 0 is «нет данных» (nothing to protect), not a withheld figure.
    return DEFINITIONS[code].per_teacher and 0 < (denominator or 0) < MIN_PUBLIC_TEACHERS


def figure_for(indicator: Indicator, user) -> Figure:
    """The aggregate of all target schools. It covers every target school's teachers, so only
    those who may see all of them (methodologists) see it when it rests on fewer than 5."""
    withheld = _few_teachers(indicator.code, indicator.denominator) and not (
        can_see_all_schools(user)
    )
    procedures = []
    if indicator.code == "IND-3":
        for procedure in Procedure.values:
            found = indicator.by_procedure.get(procedure, {})
            value, previous = found.get("value"), found.get("previous")
            change = None if value is None or previous is None else value - previous
            procedures.append(
                {
                    "procedure": procedure,
                    "value": value,
                    "previous": previous,
                    "change": change,
                    "value_text": fmt.percent(value),
                    "previous_text": fmt.percent(previous),
                    "change_text": fmt.points(change),
                    "positive": None if not change else change < 0,
                }
            )
    return Figure(
        code=indicator.code,
        year=indicator.year,
        value=indicator.value,
        numerator=indicator.numerator,
        denominator=indicator.denominator,
        target=indicator.target,
        met=indicator.meets_target,
        withheld=withheld,
        previous=indicator.previous,
        change=indicator.change,
        by_procedure=procedures,
    )


# Charts ------------------------------------------------------------------------------------


def _nice_ceiling(value: float) -> float:
    """A round upper bound for an axis: 1, 2, 2.5, 5 × 10^n at or above the value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10 if value >= 1 else 0.1
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _scale(code: str, figures: list[Figure]) -> float:
    if DEFINITIONS[code].unit == "share":
        return 1.0
    peak = max(
        [f.value for f in figures if f.value is not None and not f.withheld]
        + [f.target for f in figures if f.target is not None]
        + [0],
    )
    if code == "IND-8":
        return max(5.0, _nice_ceiling(peak * 1.1))
    return min(1.0, _nice_ceiling(peak * 1.15)) if peak else 1.0


def sparkline(code: str, figures: list[Figure], width: int = 160, height: int = 40) -> dict:
    """Points of a small trend line; a year without a published value breaks the line."""
    scale = _scale(code, figures)
    step = width / max(len(figures) - 1, 1)
    segments, current, dots = [], [], []
    for index, item in enumerate(figures):
        if item.value is None or item.withheld:
            if current:
                segments.append(current)
            current = []
            continue
        x = round(index * step if len(figures) > 1 else width / 2, 1)
        y = round(height - 4 - (height - 8) * min(item.value / scale, 1), 1)
        current.append(f"{x},{y}")
        dots.append({"x": x, "y": y})
    if current:
        segments.append(current)
    label = "; ".join(f"{f.year}: {f.value_text}" for f in figures)
    return {
        "width": width,
        "height": height,
        "lines": [" ".join(points) for points in segments if len(points) > 1],
        "dots": dots,
        "label": _("Динамика по годам — %(values)s") % {"values": label},
    }


def bar_chart(code: str, figures: list[Figure]) -> dict:
    """Geometry of the server-side SVG chart: a bar per year and the target as a marker."""
    width, height = 640, 300
    left, right, top, bottom = 68, 16, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = _scale(code, figures)
    slot = plot_w / max(len(figures), 1)
    bar_w = min(64, slot * 0.55)

    def y_of(value: float) -> float:
        return round(top + plot_h * (1 - min(value / scale, 1)), 1)

    grid = []
    for i in range(5):
        value = scale * i / 4
        label = str(round(value)) if code == "IND-8" else fmt.percent(value).replace(",0 ", " ")
        grid.append({"y": y_of(value), "label": label})
    bars, targets = [], []
    for index, item in enumerate(figures):
        centre = left + slot * (index + 0.5)
        bar = {"year": item.year, "x": round(centre - bar_w / 2, 1), "cx": round(centre, 1)}
        if item.value is not None and not item.withheld:
            bar["y"] = y_of(item.value)
            bar["h"] = round(top + plot_h - bar["y"], 1)
            bar["label_y"] = round(bar["y"] - 6, 1)
            bar["text"] = fmt.value_text(code, item.value)
            bar["status"] = item.status
        else:
            bar["empty"] = True
            bar["text"] = _("н/д") if not item.withheld else _("<5")
            bar["label_y"] = round(top + plot_h - 6, 1)
        bars.append(bar)
        if item.target is not None and code != "IND-3":
            targets.append(
                {
                    "x1": round(centre - bar_w / 2 - 6, 1),
                    "x2": round(centre + bar_w / 2 + 6, 1),
                    "cx": round(centre, 1),
                    "y": y_of(item.target),
                }
            )
    return {
        "statuses": {bar["status"] for bar in bars if "status" in bar},
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "baseline": top + plot_h,
        "bar_w": round(bar_w, 1),
        "grid": grid,
        "bars": bars,
        "targets": targets,
        "target_line": " ".join(f"{t['cx']},{t['y']}" for t in targets),
        "year_y": top + plot_h + 26,
    }


# Pages -------------------------------------------------------------------------------------


@dataclass
class IndicatorSeries:
    """One indicator over all the years, as one user may see it."""

    code: str
    figures: list[Figure]

    @property
    def definition(self):
        return DEFINITIONS[self.code]

    def at(self, year: int) -> Figure | None:
        return next((f for f in self.figures if f.year == year), None)

    @property
    def trend_text(self) -> str:
        """From the first to the last published value."""
        shown = [f for f in self.figures if f.value is not None and not f.withheld]
        if len(shown) < 2:
            return _("Для оценки динамики нужны значения хотя бы за два года.")
        first, last = shown[0], shown[-1]
        if self.code == "IND-8":
            return _("С %(y1)s по %(y2)s год: от %(v1)s до %(v2)s.") % {
                "y1": first.year,
                "y2": last.year,
                "v1": first.value_text,
                "v2": last.value_text,
            }
        change = last.value - first.value
        if round(change * 1000) == 0:
            direction = _("без изменений")
        elif (change < 0) == (self.code == "IND-3"):
            direction = _("положительная динамика")
        else:
            direction = _("отрицательная динамика")
        return _("С %(y1)s по %(y2)s год: от %(v1)s до %(v2)s (%(d)s), %(dir)s.") % {
            "y1": first.year,
            "y2": last.year,
            "v1": first.value_text,
            "v2": last.value_text,
            "d": fmt.points(change),
            "dir": direction,
        }


def series(computed: dict[int, dict[str, Indicator]], years: list[int], user) -> dict:
    return {
        code: IndicatorSeries(code, [figure_for(computed[y][code], user) for y in years])
        for code in CODES
    }


def dashboard(user, raw_year=None) -> dict:
    years = indicator_years()
    computed = compute(years)
    year = choose_year(raw_year, years, latest_target_year(years, computed))
    all_series = series(computed, years, user)
    cards = []
    for code, item in all_series.items():
        if year is None:
            break
        current = item.at(year)
        cards.append(
            {
                "figure": current,
                "series": item,
                "sparkline": sparkline(code, item.figures),
            }
        )
    return {
        "years": years,
        "year": year,
        "cards": cards,
        "series": all_series,
        "target_schools": computed[year]["IND-1"].denominator if year else 0,
    }


def home_figures(user) -> dict:
    """The key indicators against their targets for the latest year with target schools."""
    years = indicator_years()
    if not years:
        return {"year": None, "figures": []}
    computed = compute(years)
    year = latest_target_year(years, computed)
    return {
        "year": year,
        "figures": [figure_for(computed[year][code], user) for code in HOME_CODES],
    }


def breakdown(indicator: Indicator, user, targets: set[int]) -> dict:
    """The breakdown by school for those allowed: methodologists see all target schools, a
    school's head only their own school. None for everyone else."""
    allowed = visible_schools(user)
    if allowed is not None and not allowed:
        return {"allowed": False, "rows": []}
    if indicator.code == "IND-8":
        return {"allowed": True, "rows": [], "municipal_only": True}
    shown = targets if allowed is None else targets & allowed
    schools = {s.pk: s for s in School.objects.filter(pk__in=shown).order_by("short_name")}
    statuses = dict(
        SchoolStatus.objects.confirmed()
        .filter(year=indicator.year, school_id__in=shown, status__in=TARGET_STATUSES)
        .values_list("school_id", "status")
    )
    per_school_share = DEFINITIONS[indicator.code].unit != "count" and indicator.code not in (
        "IND-1",
        "IND-6",
        "IND-7",
        "IND-9",
    )
    rows = []
    for school_id, school in schools.items():
        pair = indicator.by_school.get(school_id)
        row = {"school": school, "status": statuses.get(school_id, "")}
        if pair is None:
            # IND-6 leaves out schools without results in both years.
            row["text"] = _("нет результатов за оба года")
            row["state"] = "none"
        elif per_school_share:
            numerator, denominator = pair
            row["numerator"], row["denominator"] = numerator, denominator
            row["value"] = fmt.percent(numerator / denominator if denominator else None)
            row["state"] = "none" if not denominator else "share"
        else:
            counted = bool(pair[0])
            row["text"] = _("да") if counted else _("нет")
            row["state"] = "met" if counted else "missed"
        rows.append(row)
    own_missing = allowed is not None and not rows
    return {
        "allowed": True,
        "rows": rows,
        "per_school_share": per_school_share,
        "own_missing": own_missing,
        "all_schools": allowed is None,
    }


def indicator_detail(code: str, user, raw_year=None) -> dict:
    years = indicator_years()
    computed = compute(years)
    year = choose_year(raw_year, years, latest_target_year(years, computed))
    item = IndicatorSeries(code, [figure_for(computed[y][code], user) for y in years])
    definition = DEFINITIONS[code]
    context = {
        "code": code,
        "definition": definition,
        "source": SOURCES.get(definition.source, ""),
        "years": years,
        "year": year,
        "series": item,
        "chart": bar_chart(code, item.figures) if years else None,
        "current": item.at(year) if year else None,
        "breakdown": None,
    }
    if year is not None:
        targets = set(computed[year]["IND-1"].denominator_schools)
        context["breakdown"] = breakdown(computed[year][code], user, targets)
    return context
