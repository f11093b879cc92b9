"""E-mails to the heads of the schools concerned at each step a head has to act on: a
partner request, its answer, an agreement sent for signature, an agreement in force."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from portal.models import MembershipState, User
from portal.roles import SCHOOL_HEAD

SUBJECTS = {
    "request": "Запрос о партнёрстве от {school}",
    "accepted": "{school} приняла запрос о партнёрстве",
    "declined": "{school} отклонила запрос о партнёрстве",
    "submitted": "Договор № {number} ждёт подписи",
    "in_force": "Договор № {number} вступил в силу",
}


def heads_of(school_ids) -> list[str]:
    return list(
        User.objects.filter(
            groups__name=SCHOOL_HEAD,
            school_id__in=list(school_ids),
            membership=MembershipState.CONFIRMED,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def notify(event: str, recipients: list[str], **context) -> None:
    """Send after the transaction commits, so a rolled-back step mails nobody."""
    if not recipients:
        return
    context["base_url"] = settings.WAGTAILADMIN_BASE_URL
    context["event"] = event
    subject = SUBJECTS[event].format(
        school=getattr(context.get("school"), "short_name", ""),
        number=getattr(context.get("agreement"), "number", ""),
    )
    body = render_to_string("agreements/email/event.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, from_email=None, recipient_list=recipients)
    )
