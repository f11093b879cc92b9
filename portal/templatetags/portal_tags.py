from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks

register = template.Library()

# Other apps add sections to a school's public page by registering a function under this
# hook name: fn(request, school) -> rendered HTML or "". portal itself imports none of them.
SCHOOL_PAGE_SECTIONS_HOOK = "portal_school_page_sections"


@register.simple_tag(takes_context=True)
def school_page_sections(context, school):
    request = context.get("request")
    parts = [fn(request, school) for fn in hooks.get_hooks(SCHOOL_PAGE_SECTIONS_HOOK)]
    return mark_safe("".join(part for part in parts if part))


@register.filter
def status_modifier(status_value: str) -> str:
    """BEM modifier for a status badge."""
    return {"ШНОР": "shnor", "ШНСУ": "shnsu", "лидер": "leader"}.get(status_value or "", "none")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


# Other apps add figures ({"value", "label", "url"}) and sections (rendered HTML) to the home
# page through these hooks: fn(request) -> list of figures / HTML.
HOME_FIGURES_HOOK = "portal_home_figures"
HOME_SECTIONS_HOOK = "portal_home_sections"


@register.inclusion_tag("components/key_figures.html", takes_context=True)
def home_key_figures(context):
    from portal import selectors

    request = context.get("request")
    year = selectors.latest_status_year()
    counts = selectors.status_counts(year) if year else {}
    figures = [
        {
            "value": selectors.school_count(),
            "label": "образовательных организаций в сети",
            "url": "/schools/",
        },
    ]
    if year:
        figures += [
            {
                "value": counts.get("ШНОР", 0) + counts.get("ШНСУ", 0),
                "label": _("целевых школ (ШНОР и ШНСУ) в %(year)s году") % {"year": year},
                "url": f"{reverse('school_list')}?year={year}&status=shnor",
            },
            {
                "value": counts.get("лидер", 0),
                "label": _("школ-лидеров в %(year)s году") % {"year": year},
                "url": f"{reverse('school_list')}?year={year}&status=leader",
            },
        ]
    for fn in hooks.get_hooks(HOME_FIGURES_HOOK):
        figures.extend(fn(request))
    return {"figures": figures}


@register.simple_tag(takes_context=True)
def home_sections(context):
    request = context.get("request")
    return mark_safe("".join(fn(request) for fn in hooks.get_hooks(HOME_SECTIONS_HOOK)))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def status_label(status_value: str) -> str:
    from portal.models import Status

    return Status(status_value or "").label


# Sections other apps add to «Личный кабинет»: fn(request) -> rendered HTML or "".
CABINET_SECTIONS_HOOK = "portal_cabinet_sections"


@register.simple_tag(takes_context=True)
def cabinet_sections(context):
    request = context.get("request")
    parts = [fn(request) for fn in hooks.get_hooks(CABINET_SECTIONS_HOOK)]
    return mark_safe("".join(part for part in parts if part))


@register.filter
def get_item_raw(mapping, key):
    """mapping[key] or '' (for dictionaries of HTML fragments and the like)."""
    return mapping.get(key, "") if mapping else ""
