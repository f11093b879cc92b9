"""The public indicator dashboard, an indicator's own page for codes without an IndicatorPage,
and the exports. The figures and the rules about who sees what come from indicator_selectors."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import indicator_exports
from .indicator_selectors import compute, dashboard, indicator_detail, indicator_years, series
from .indicators import DEFINITIONS
from .models import IndicatorPage

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def indicator_page_urls(request) -> dict[str, str]:
    """code → the URL of its live IndicatorPage (the first one, if editors made several)."""
    urls = {}
    for page in IndicatorPage.objects.live().order_by("path"):
        urls.setdefault(page.indicator, page.get_url(request))
    return urls


def indicators_dashboard(request):
    context = dashboard(request.user, request.GET.get("year"))
    pages = indicator_page_urls(request)
    for card in context["cards"]:
        code = card["figure"].code
        card["url"] = pages.get(code) or reverse("monitoring:indicator_detail", args=[code])
    context["crumbs"] = [(_("Показатели"), None)]
    return TemplateResponse(request, "monitoring/indicators_dashboard.html", context)


def indicator_view(request, code):
    code = code.upper()
    if code not in DEFINITIONS:
        raise Http404
    page = IndicatorPage.objects.live().filter(indicator=code).order_by("path").first()
    if page is not None:
        url = page.get_url(request)
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    context = indicator_detail(code, request.user, request.GET.get("year"))
    context["crumbs"] = [
        (_("Показатели"), reverse("monitoring:indicators")),
        (f"{code}. {DEFINITIONS[code].short}", None),
    ]
    return TemplateResponse(request, "monitoring/indicator_detail.html", context)


def indicators_export(request, fmt):
    if fmt not in EXPORT_TYPES:
        raise Http404
    code = request.GET.get("indicator") or None
    if code is not None:
        code = code.upper()
        if code not in DEFINITIONS:
            raise Http404
    years = indicator_years()
    computed = compute(years)
    all_series = series(computed, years, request.user)
    content = indicator_exports.export(fmt, code, all_series, computed, years, request.user)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    name = f"indicators-{code.lower()}" if code else "indicators"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    # Exports differ by who asks (the breakdown, withheld values): never share a cached copy.
    response["Cache-Control"] = "private, no-store"
    return response
