"""Analysis pages of the public site: the screening of low-result schools, a school's
monitoring dashboard and programme, addressed recommendations and the effectiveness of the
measures. Methodologists see everything; a school's head sees their own school."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.documents import get_document_model

from portal.models import School, SchoolStatus, Status
from portal.models.schools import MAX_YEAR, MIN_YEAR
from portal.roles import is_head_of, is_methodologist
from portal.services import school_status_set

from . import dashboard, effectiveness
from .access import can_see_school
from .forms import (
    AcknowledgeForm,
    ProgrammeForm,
    RecommendationFilterForm,
    RecommendationForm,
    ScreeningDecisionForm,
)
from .models import AssessmentResult, ImprovementProgramme, Recommendation
from .screening import screen

# Other apps add sections to a school's dashboard: fn(request, school) -> HTML or "".
DASHBOARD_SECTIONS_HOOK = "monitoring_school_dashboard_sections"

REJECTED_BASIS = "не подтверждено по итогам скрининга"
PROPOSED_BASIS = "предложено по итогам скрининга %(year)s года"
RECOMMENDATIONS_PER_PAGE = 25


def _require_methodologist(user) -> None:
    if not is_methodologist(user):
        raise PermissionDenied


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


def _result_years() -> list[int]:
    return sorted(
        AssessmentResult.objects.order_by().values_list("year", flat=True).distinct(),
        reverse=True,
    )


def _latest_result_year() -> int:
    latest = AssessmentResult.objects.aggregate(latest=Max("year"))["latest"]
    return latest or timezone.localdate().year


def recommendation_url(**params) -> str:
    """The form for a new recommendation, prefilled (basis, indicator, school, year)."""
    query = {key: value for key, value in params.items() if value not in (None, "")}
    url = reverse("monitoring:recommendation_new")
    return f"{url}?{urlencode(query)}" if query else url


# --- Screening ---------------------------------------------------------------------------


def _render_screening(request, year: int, errors: dict | None = None, status: int = 200):
    result = screen(year)
    years = sorted({*_result_years(), year}, reverse=True)
    rows = []
    for row in result.rows:
        rows.append(
            {
                "row": row,
                "error": (errors or {}).get(row.school.pk),
                "basis": (errors or {}).get(f"basis-{row.school.pk}", ""),
                "recommend_url": recommendation_url(
                    basis=Recommendation.Basis.SCREENING,
                    school=row.school.code,
                    year=year,
                    addressee=Recommendation.Addressee.SCHOOL,
                ),
            }
        )
    unproposed = [row for row in result.flagged if row.status is None]
    return render(
        request,
        "monitoring/analysis/screening.html",
        {
            "year": year,
            "years": years,
            "screening": result,
            "rows": rows,
            "unproposed": len(unproposed),
            "settings_url": reverse(
                "wagtailsettings:edit", args=["monitoring", "screeningsettings"]
            ),
            "crumbs": [(_("Скрининг ШНОР"), None)],
        },
        status=status,
    )


@login_required
def screening(request):
    _require_methodologist(request.user)
    return _render_screening(request, _year(request, _latest_result_year()))


@login_required
@require_POST
def screening_decide(request):
    """Confirm the status ШНОР for the year, or reject it: the rejection is recorded as a
    confirmed «no status» for the year, so that it is a decision on record (and replaces an
    unconfirmed proposal) rather than a silent deletion."""
    _require_methodologist(request.user)
    form = ScreeningDecisionForm(request.POST)
    if not form.is_valid():
        year = form.cleaned_data.get("year") or _latest_result_year()
        school = form.cleaned_data.get("school")
        if school is None:
            messages.error(request, " ".join(str(e) for e in form.errors.get("school", [])))
            return _render_screening(request, year, status=400)
        errors = {
            school.pk: " ".join(str(error) for errors in form.errors.values() for error in errors),
            f"basis-{school.pk}": request.POST.get("basis", "")[:500],
        }
        return _render_screening(request, year, errors=errors, status=400)
    school, year = form.cleaned_data["school"], form.cleaned_data["year"]
    if form.cleaned_data["decision"] == form.CONFIRM:
        school_status_set(
            school=school,
            year=year,
            status=Status.SHNOR,
            basis=form.cleaned_data["basis"],
            user=request.user,
            source=SchoolStatus.Source.SCREENING,
        )
        messages.success(
            request,
            _("Статус ШНОР школы %(school)s в %(year)s году подтверждён.")
            % {"school": school.short_name, "year": year},
        )
    else:
        school_status_set(
            school=school,
            year=year,
            status=Status.NONE,
            basis=(
                f"{REJECTED_BASIS}: {form.cleaned_data['basis']}"
                if form.cleaned_data["basis"]
                else REJECTED_BASIS
            )[:500],
            user=request.user,
            source=SchoolStatus.Source.SCREENING,
        )
        messages.success(
            request,
            _(
                "Статус ШНОР школы %(school)s в %(year)s году не подтверждён: записано «Без статуса»."
            )
            % {"school": school.short_name, "year": year},
        )
    return redirect(f"{reverse('monitoring:screening')}?year={year}#school-{school.code}")


@login_required
@require_POST
def screening_propose(request):
    """Record the flagged schools without any status for the year as unconfirmed proposals:
    they do not count in S(Y) until a methodologist confirms them. A school that already has a
    status for the year (confirmed or proposed) keeps it."""
    _require_methodologist(request.user)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        messages.error(request, _("Год скрининга указан неверно."))
        return redirect("monitoring:screening")
    result = screen(year)
    with transaction.atomic():
        taken = set(SchoolStatus.objects.filter(year=year).values_list("school_id", flat=True))
        proposals = [
            SchoolStatus(
                school=row.school,
                year=year,
                status=Status.SHNOR,
                basis=PROPOSED_BASIS % {"year": year},
                confirmed=False,
                source=SchoolStatus.Source.SCREENING,
                decided_by=request.user,
            )
            for row in result.flagged
            if row.school.pk not in taken
        ]
        SchoolStatus.objects.bulk_create(proposals)
    if proposals:
        messages.success(
            request,
            _(
                "Предложено школ: %(count)s. Предложения не учитываются в показателях, пока "
                "статус не подтверждён."
            )
            % {"count": len(proposals)},
        )
    else:
        messages.info(request, _("Все отмеченные школы уже имеют статус на этот год."))
    return redirect(f"{reverse('monitoring:screening')}?year={year}")


# --- A school's dashboard and programme ---------------------------------------------------


def _school_for(request, code: str) -> School:
    school = get_object_or_404(School, code=code)
    if not can_see_school(request.user, school):
        raise PermissionDenied
    return school


def _dashboard_sections(request, school) -> str:
    parts = [fn(request, school) for fn in hooks.get_hooks(DASHBOARD_SECTIONS_HOOK)]
    return mark_safe("".join(part for part in parts if part))


@login_required
def school_dashboard(request, code):
    school = _school_for(request, code)
    data = dashboard.build(school)
    methodologist = is_methodologist(request.user)
    # One procedure at a time (tabs): all of them at once make a very long page.
    procedures = [procedure for procedure, _rows in data.results]
    procedure = request.GET.get("procedure")
    if procedure not in procedures:
        procedure = procedures[0] if procedures else None
    return render(
        request,
        "monitoring/analysis/school_dashboard.html",
        {
            "school": school,
            "data": data,
            "procedures": procedures,
            "procedure": procedure,
            "results_shown": [item for item in data.results if item[0] == procedure],
            "is_methodologist": methodologist,
            "is_head": is_head_of(request.user, school),
            "can_edit_programme": methodologist or is_head_of(request.user, school),
            "recommend_url": recommendation_url(
                school=school.code, addressee=Recommendation.Addressee.SCHOOL
            ),
            "sections": _dashboard_sections(request, school),
            "crumbs": [
                (_("Школы"), reverse("school_list")),
                (school.short_name, school.get_absolute_url()),
                (_("Мониторинг"), None),
            ],
        },
    )


def _save_document(upload, title: str, user):
    Document = get_document_model()
    document = Document(title=title, uploaded_by_user=user)
    document.file.save(upload.name, upload, save=False)
    document.file_size = upload.size
    document.save()
    return document


@login_required
def programme_edit(request, code, pk=None, new=False):
    """A school's improvement programme. Without `pk`: the latest one, or a new one if the
    school has none. A head edits their school's drafts and programmes under review; an
    approved programme is changed by a methodologist."""
    school = _school_for(request, code)
    methodologist = is_methodologist(request.user)
    if pk is not None:
        programme = get_object_or_404(ImprovementProgramme, pk=pk, school=school)
    elif new:
        programme = None
    else:
        programme = school.programmes.order_by("-start_year", "-pk").first()
    if (
        programme is not None
        and programme.state == ImprovementProgramme.State.APPROVED
        and not methodologist
    ):
        messages.warning(
            request,
            _("Программа утверждена: изменить её может методист. Новую программу можно создать."),
        )
        return redirect("monitoring:school_dashboard", code=school.code)
    instance = programme or ImprovementProgramme(school=school)
    form = ProgrammeForm(
        request.POST or None, request.FILES or None, instance=instance, can_approve=methodologist
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            upload = form.cleaned_data.get("upload")
            if upload is not None:
                saved.document = _save_document(upload, saved.title, request.user)
            if saved.state == ImprovementProgramme.State.APPROVED:
                saved.approved_at = saved.approved_at or timezone.localdate()
            else:
                saved.approved_at = None
            saved.save()
        messages.success(request, _("Программа сохранена."))
        return redirect(f"{reverse('monitoring:school_dashboard', args=[school.code])}#programmes")
    dashboard_url = reverse("monitoring:school_dashboard", args=[school.code])
    return render(
        request,
        "monitoring/analysis/programme_form.html",
        {
            "form": form,
            "school": school,
            "programme": programme,
            "can_approve": methodologist,
            "cancel_url": dashboard_url,
            "crumbs": [
                (_("Школы"), reverse("school_list")),
                (school.short_name, school.get_absolute_url()),
                (_("Мониторинг"), dashboard_url),
                (_("Программа повышения качества"), None),
            ],
        },
    )


# --- Recommendations ---------------------------------------------------------------------


@login_required
def recommendation_list(request):
    user = request.user
    methodologist = is_methodologist(user)
    school = user.confirmed_school
    if not methodologist and not (school is not None and is_head_of(user, school)):
        raise PermissionDenied
    items = Recommendation.objects.select_related("school", "author", "acknowledged_by")
    filters = RecommendationFilterForm(request.GET or None)
    if not methodologist:
        items = items.filter(school=school)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("year"):
            items = items.filter(year=data["year"])
        if data.get("addressee"):
            items = items.filter(addressee=data["addressee"])
        if methodologist and data.get("school"):
            items = items.filter(school=data["school"])
        if data.get("state") == "pending":
            items = items.filter(acknowledged_at__isnull=True)
        elif data.get("state") == "acknowledged":
            items = items.filter(acknowledged_at__isnull=False)
    page = Paginator(items.order_by("-created_at", "-pk"), RECOMMENDATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "monitoring/analysis/recommendation_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "is_methodologist": methodologist,
            "own_school": None if methodologist else school,
            "ack_form": AcknowledgeForm(),
            "crumbs": [(_("Адресные рекомендации"), None)],
        },
    )


def _initial_from_query(request) -> dict:
    initial = {}
    basis = request.GET.get("basis")
    if basis in Recommendation.Basis.values:
        initial["basis"] = basis
    addressee = request.GET.get("addressee")
    if addressee in Recommendation.Addressee.values:
        initial["addressee"] = addressee
    indicator = request.GET.get("indicator", "")
    if indicator in {f"IND-{n}" for n in range(1, 10)}:
        initial["indicator"] = indicator
        initial.setdefault("basis", Recommendation.Basis.INDICATOR)
    code = request.GET.get("school")
    if code:
        school = School.objects.filter(code=code).first()
        if school is not None:
            initial["school"] = school
    initial["year"] = _year(request, timezone.localdate().year)
    return initial


def _back_url(request) -> str | None:
    """Where «Отмена» leads: the page the form was opened from, if it is on this site."""
    back = request.GET.get("back") or request.META.get("HTTP_REFERER")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return None


@login_required
def recommendation_new(request):
    _require_methodologist(request.user)
    form = RecommendationForm(request.POST or None, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        recommendation = form.save(commit=False)
        recommendation.author = request.user
        recommendation.save()
        messages.success(request, _("Рекомендация сохранена."))
        if recommendation.school is not None:
            return redirect(
                f"{reverse('monitoring:school_dashboard', args=[recommendation.school.code])}"
                "#recommendations"
            )
        return redirect("monitoring:recommendation_list")
    return render(
        request,
        "monitoring/analysis/recommendation_form.html",
        {
            "form": form,
            "cancel_url": _back_url(request) or reverse("monitoring:recommendation_list"),
            "crumbs": [
                (_("Адресные рекомендации"), reverse("monitoring:recommendation_list")),
                (_("Новая рекомендация"), None),
            ],
        },
    )


@login_required
@require_POST
def recommendation_acknowledge(request, pk):
    """The head of the school the recommendation is addressed to takes note of it."""
    recommendation = get_object_or_404(Recommendation.objects.select_related("school"), pk=pk)
    if recommendation.school is None or not is_head_of(request.user, recommendation.school):
        raise PermissionDenied
    back = f"{reverse('monitoring:recommendation_list')}#recommendation-{recommendation.pk}"
    if recommendation.acknowledged_at is not None:
        messages.info(request, _("Рекомендация уже принята к сведению."))
        return redirect(back)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("response", [])))
        return redirect(back)
    recommendation.acknowledged_at = timezone.now()
    recommendation.acknowledged_by = request.user
    recommendation.response = form.cleaned_data["response"]
    recommendation.save(update_fields=["acknowledged_at", "acknowledged_by", "response"])
    messages.success(request, _("Рекомендация принята к сведению."))
    return redirect(back)


# --- Effectiveness -----------------------------------------------------------------------


@login_required
def effectiveness_view(request):
    _require_methodologist(request.user)
    inclusion_years = sorted(
        SchoolStatus.objects.confirmed()
        .filter(status=Status.SHNOR)
        .order_by()
        .values_list("year", flat=True)
        .distinct(),
        reverse=True,
    )
    default = inclusion_years[0] if inclusion_years else datetime.date.today().year - 2
    year = _year(request, default)
    result = effectiveness.analyse(year)
    rows = [
        {
            "effect": effect,
            "recommend_url": recommendation_url(
                basis=Recommendation.Basis.EFFECTIVENESS,
                school=effect.school.code,
                year=year,
                addressee=Recommendation.Addressee.SCHOOL,
            ),
        }
        for effect in result.schools
    ]
    return render(
        request,
        "monitoring/analysis/effectiveness.html",
        {
            "year": year,
            "years": sorted({*inclusion_years, year}, reverse=True),
            "result": result,
            "rows": rows,
            "measures": effectiveness.MEASURES,
            "crumbs": [(_("Анализ эффективности мер"), None)],
        },
    )
