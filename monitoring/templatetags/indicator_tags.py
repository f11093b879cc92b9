"""Template tags of the indicator pages: an IndicatorPage's figures are built here, from the
request's user, so the page model stays as it is and the rules live in indicator_selectors."""

from django import template
from django.contrib.auth.models import AnonymousUser

from monitoring.indicator_selectors import indicator_detail

register = template.Library()


@register.simple_tag(takes_context=True)
def indicator_detail_context(context, page):
    """Everything the shared indicator template shows, for the page's indicator and the
    request's user and ?year=."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    year = request.GET.get("year") if request is not None else None
    return indicator_detail(page.indicator, user, year)
