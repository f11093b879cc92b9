from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles, services
from portal.models import MembershipState


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who registers on the public site is a teacher whose school membership waits
    for confirmation by the school's head or a methodologist."""

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
