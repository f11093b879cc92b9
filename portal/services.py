"""Writes that enforce the portal's rules. Views call these; they never change a user's
membership or a school's status directly."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal import roles
from portal.models import MembershipState, School, SchoolStatus, User


def pending_members_for(user: User):
    """The membership requests this user may decide: all for a methodologist, their own
    school's for a head, none for anyone else."""
    pending = User.objects.filter(membership=MembershipState.PENDING).select_related("school")
    if roles.is_methodologist(user):
        return pending
    if roles.has_role(user, roles.SCHOOL_HEAD) and user.confirmed_school:
        return pending.filter(school=user.confirmed_school)
    return pending.none()


def membership_deciders(school: School):
    """Who is asked to confirm a membership of this school: its confirmed heads, or the
    methodologists when the school has no head on the portal yet."""
    heads = User.objects.filter(
        school=school,
        membership=MembershipState.CONFIRMED,
        groups__name=roles.SCHOOL_HEAD,
        is_active=True,
    )
    if heads.exists():
        return heads
    return User.objects.filter(groups__name=roles.METHODOLOGIST, is_active=True)


def membership_requested(member: User) -> None:
    """Tell the people who decide that a teacher asks to join their school."""
    recipients = list(membership_deciders(member.school).values_list("email", flat=True))
    if not recipients:
        return
    context = {
        "member": member,
        "school": member.school,
        "cabinet_url": f"{settings.WAGTAILADMIN_BASE_URL}{reverse('cabinet')}#membership-requests",
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=render_to_string(
                "account/email/membership_requested_subject.txt", context
            ).strip(),
            message=render_to_string("account/email/membership_requested_message.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    )


@transaction.atomic
def membership_decide(*, member: User, decided_by: User, approve: bool) -> User:
    """Confirm or reject a teacher's membership of the school they chose at registration."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.membership != MembershipState.PENDING or not roles.can_manage_school(
        decided_by, member.school
    ):
        raise PermissionDenied
    member.membership = MembershipState.CONFIRMED if approve else MembershipState.REJECTED
    member.membership_decided_by = decided_by
    member.membership_decided_at = timezone.now()
    member.save(update_fields=["membership", "membership_decided_by", "membership_decided_at"])
    log(
        instance=member,
        action="portal.membership_confirmed" if approve else "portal.membership_rejected",
        user=decided_by,
    )
    context = {"member": member, "approve": approve, "school": member.school}
    transaction.on_commit(
        lambda: send_mail(
            subject=render_to_string(
                "account/email/membership_decided_subject.txt", context
            ).strip(),
            message=render_to_string("account/email/membership_decided_message.txt", context),
            from_email=None,
            recipient_list=[member.email],
        )
    )
    return member


def school_status_set(
    *,
    school: School,
    year: int,
    status: str,
    basis: str = "",
    user: User | None = None,
    source: str = SchoolStatus.Source.MANUAL,
) -> SchoolStatus:
    """Record the school's confirmed status for the year, replacing the earlier one."""
    record, _created = SchoolStatus.objects.update_or_create(
        school=school,
        year=year,
        defaults={
            "status": status,
            "basis": basis,
            "confirmed": True,
            "source": source,
            "decided_by": user,
        },
    )
    return record
