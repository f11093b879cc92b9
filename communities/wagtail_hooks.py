from django.template.loader import render_to_string
from wagtail import hooks

from portal import roles

from .viewsets import CommunitiesViewSetGroup


@hooks.register("register_admin_viewset")
def register_communities_viewsets():
    return CommunitiesViewSetGroup()


@hooks.register("portal_cabinet_sections")
def cabinet_communities(request):
    from . import selectors

    return render_to_string(
        "communities/components/cabinet_section.html",
        {
            "memberships": list(selectors.my_memberships(request.user)),
            "registrations": list(selectors.my_upcoming_registrations(request.user)[:5]),
            "pairs": selectors.my_pairs(request.user),
            "is_methodologist": roles.is_methodologist(request.user),
        },
        request=request,
    )


@hooks.register("portal_school_page_sections")
def school_communities(request, school):
    from . import selectors

    communities = selectors.school_communities(school)
    pairs = selectors.school_pairs(school)
    if not communities and not pairs["pairs"]:
        return ""
    return render_to_string(
        "communities/components/school_section.html",
        {
            "school": school,
            "communities": communities,
            "pairs": pairs,
            # Names of the teachers in pairs: methodologists and the school's head only.
            "show_names": roles.can_manage_school(request.user, school),
        },
        request=request,
    )


@hooks.register("portal_load_demo")
def load_communities_demo(stdout):
    from .demo import build

    build(stdout)
