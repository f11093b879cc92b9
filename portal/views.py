import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from portal import roles, selectors, services
from portal.context_processors import A11Y_FONT_SIZES, A11Y_SCHEMES
from portal.forms import MembershipDecisionForm, ProfileForm, SchoolProfileForm
from portal.models import School, Status
from portal.models.pages import paginate

# Accessibility mode (версия для слабовидящих): a cookie the context processor reads.
A11Y_COOKIE = "a11y"
A11Y_COOKIE_AGE = 60 * 60 * 24 * 365


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_GET
def accessibility(request):
    """Switch the accessibility mode on, adjust it or switch it off, then go back.

    A plain link does it, so the mode works without JavaScript.
    """
    response = HttpResponseRedirect(_safe_next(request))
    if request.GET.get("mode") == "off":
        response.delete_cookie(A11Y_COOKIE)
        return response
    current = request.COOKIES.get(A11Y_COOKIE, "")
    size, _sep, scheme = current.partition(":")
    size = request.GET.get("size", size)
    scheme = request.GET.get("scheme", scheme)
    size = size if size in A11Y_FONT_SIZES else "large"
    scheme = scheme if scheme in A11Y_SCHEMES else "contrast"
    response.set_cookie(
        A11Y_COOKIE, f"{size}:{scheme}", max_age=A11Y_COOKIE_AGE, samesite="Lax", httponly=True
    )
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /cabinet/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def school_list(request):
    years = selectors.status_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else None
    if year not in years:
        year = years[0] if years else None
    status_param = request.GET.get("status", "all")
    status_values = {
        "shnor": Status.SHNOR,
        "shnsu": Status.SHNSU,
        "leader": Status.LEADER,
        "none": Status.NONE,
    }
    status = status_values.get(status_param)
    # PostgreSQL refuses NUL bytes in parameters: drop them from anything typed in a URL.
    district = request.GET.get("district", "").replace("\x00", "").strip()
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    schools = selectors.school_directory(year=year, status=status, district=district, query=query)
    schools_page = paginate(request, schools, per_page=20)
    return TemplateResponse(
        request,
        "portal/school_list.html",
        {
            "schools_page": schools_page,
            "total": schools_page.paginator.count,
            "years": years,
            "year": year,
            "status": status_param if status is not None else "all",
            "district": district,
            "districts": School.objects.districts(),
            "query": query,
            "counts": selectors.status_counts(year) if year else {},
            "crumbs": [(_("Школы"), None)],
        },
    )


def _school_or_404(code: str) -> School:
    if "\x00" in code:
        raise Http404
    return get_object_or_404(School, code=code)


def school_detail(request, code):
    school = _school_or_404(code)
    statuses = list(school.statuses.confirmed().order_by("-year"))
    return TemplateResponse(
        request,
        "portal/school_detail.html",
        {
            "school": school,
            "statuses": statuses,
            "current_status": statuses[0] if statuses else None,
            "can_manage": roles.can_manage_school(request.user, school),
            "crumbs": [(_("Школы"), reverse("school_list")), (school.short_name, None)],
        },
    )


@login_required
def school_edit(request, code):
    school = _school_or_404(code)
    if not roles.can_manage_school(request.user, school):
        raise PermissionDenied
    form = SchoolProfileForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Сведения о школе сохранены."))
        return redirect(school)
    crumbs = [
        (_("Школы"), reverse("school_list")),
        (school.short_name, school.get_absolute_url()),
        (_("Редактирование"), None),
    ]
    return render(
        request, "portal/school_edit.html", {"school": school, "form": form, "crumbs": crumbs}
    )


def search(request):
    raw_query = request.GET.get("q", "")
    error = ""
    results = None
    query = raw_query.strip()
    if "\x00" in query:
        error = _("Запрос содержит недопустимые символы.")
    elif len(query) > settings.SEARCH_QUERY_MAX_LENGTH:
        error = _("Запрос слишком длинный: не более %(limit)s символов.") % {
            "limit": settings.SEARCH_QUERY_MAX_LENGTH
        }
    elif query:
        # Only words reach the search backend: quotes and operators in a visitor's query
        # are not syntax (SQLite's FTS5 fails on an unbalanced quote).
        words = " ".join(re.findall(r"\w+", query))
        pages = (
            Page.objects.live().public().specific().search(words) if words else Page.objects.none()
        )
        results = paginate(request, pages)
    schools = []
    if query and not error:
        schools = list(
            selectors.school_directory(year=None, status=None, district="", query=query)[:5]
        )
    return TemplateResponse(
        request,
        "portal/search.html",
        {
            "query": query if not error else "",
            "results": results,
            "schools": schools,
            "error": error,
            "crumbs": [(_("Поиск"), None)],
        },
        status=400 if error else 200,
    )


@login_required
def cabinet(request):
    user = request.user
    return TemplateResponse(
        request,
        "portal/cabinet.html",
        {
            "role_labels": roles.role_labels(user),
            "pending_members": services.pending_members_for(user)[:50],
            "is_methodologist": roles.is_methodologist(user),
            "crumbs": [(_("Личный кабинет"), None)],
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Профиль сохранён."))
        return redirect("cabinet")
    crumbs = [(_("Личный кабинет"), reverse("cabinet")), (_("Профиль"), None)]
    return render(request, "portal/profile_edit.html", {"form": form, "crumbs": crumbs})


@login_required
@require_POST
def membership_decision(request):
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Заявка не найдена."))
        return redirect("cabinet")
    member = form.cleaned_data["member"]
    approve = form.cleaned_data["decision"] == "confirm"
    services.membership_decide(member=member, decided_by=request.user, approve=approve)
    if approve:
        messages.success(request, _("Членство %(name)s подтверждено.") % {"name": member})
    else:
        messages.info(request, _("Заявка %(name)s отклонена.") % {"name": member})
    return redirect("cabinet")
