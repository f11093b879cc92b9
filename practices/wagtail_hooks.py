from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from .selectors import published_practices
from .viewsets import PracticesViewSetGroup


@hooks.register("register_admin_viewset")
def register_practice_viewsets():
    return PracticesViewSetGroup()


@hooks.register("portal_cabinet_sections")
def cabinet_practices(request):
    from .selectors import my_practices

    return render_to_string(
        "practices/components/cabinet_section.html",
        {"items": my_practices(request.user)[:5]},
        request=request,
    )


@hooks.register("portal_school_page_sections")
def school_practices(request, school):
    authored = list(published_practices().filter(school=school).order_by("-published_on")[:10])
    applied = list(
        published_practices()
        .filter(adoptions__school=school)
        .distinct()
        .select_related("school")
        .order_by("-published_on")[:10]
    )
    if not authored and not applied:
        return ""
    return render_to_string(
        "practices/components/school_section.html",
        {"school": school, "authored": authored, "applied": applied},
        request=request,
    )


@hooks.register("portal_home_figures")
def home_practice_figures(request):
    from .models import PracticeIndexPage

    index = PracticeIndexPage.objects.live().first()
    return [
        {
            "value": published_practices().count(),
            "label": _("практик в банке лучших практик"),
            "url": index.url if index else reverse("search"),
        }
    ]


@hooks.register("portal_home_sections")
def home_latest_practices(request):
    from .models import PracticeIndexPage

    latest = list(
        published_practices().select_related("school").order_by("-published_on", "-pk")[:3]
    )
    if not latest:
        return ""
    return render_to_string(
        "practices/components/home_section.html",
        {"practices": latest, "index": PracticeIndexPage.objects.live().first()},
        request=request,
    )


@hooks.register("portal_load_demo")
def load_practices_demo(stdout):
    from .demo import build

    build(stdout)
