"""Navigation, breadcrumbs and footer, as inclusion tags (bakerydemo's pattern)."""

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.models import NavigationSettings, PortalSettings

register = template.Library()


@register.inclusion_tag("navigation/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    items = []
    if request is not None:
        # for_request caches the setting on the request, so the footer reuses it.
        nav = NavigationSettings.for_request(request)
        path = request.path
        for item in nav.menu_items.select_related("link_page"):
            url = item.url
            active = bool(url and url != "/" and path.startswith(url))
            items.append({"title": item.title, "url": url, "active": active})
    return {"items": items, "request": request}


@register.inclusion_tag("navigation/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Breadcrumbs for a Wagtail page, or for a plain view that puts `crumbs` in its context
    as [(title, url), …] ending with the current item."""
    page = context.get("page")
    if isinstance(page, Page):
        ancestors = page.get_ancestors(inclusive=True).filter(depth__gt=1)
        crumbs = [(ancestor.title, ancestor.url) for ancestor in ancestors]
        if crumbs:
            crumbs[0] = (_("Главная"), crumbs[0][1])
    else:
        crumbs = [(_("Главная"), "/"), *(context.get("crumbs") or [])]
    return {"crumbs": crumbs}


@register.inclusion_tag("navigation/footer.html", takes_context=True)
def site_footer(context):
    request = context.get("request")
    links = []
    portal_settings = None
    if request is not None:
        links = list(
            NavigationSettings.for_request(request).footer_links.select_related("link_page")
        )
        portal_settings = PortalSettings.for_request(request)
    return {"links": links, "portal_settings": portal_settings, "request": request}
