from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles, services
from portal.models import MembershipState


class PortalSite:
    """What allauth's e-mails call «the site»: the portal's name, not the bare host name
    (django.contrib.sites is not installed; Wagtail's settings hold the name)."""

    def __init__(self, request):
        from portal.models import PortalSettings

        self.domain = request.get_host() if request is not None else ""
        self.name = PortalSettings.for_request(request).portal_name if request is not None else ""


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who registers on the public site is a teacher whose school membership waits
    for confirmation by the school's head or a methodologist."""

    def send_mail(self, template_prefix, email, context):
        context = {"current_site": PortalSite(context.get("request") or self.request), **context}
        return super().send_mail(template_prefix, email, context)

    @transaction.atomic
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.last_name = data["last_name"].strip()
        user.first_name = data["first_name"].strip()
        user.patronymic = data.get("patronymic", "").strip()
        user.position = data.get("position", "").strip()
        user.phone = data.get("phone", "")
        user.school = data["school"]
        user.membership = MembershipState.PENDING
        if commit:
            user.save()
            user.groups.add(Group.objects.get(name=roles.TEACHER))
            services.membership_requested(user)
        return user
