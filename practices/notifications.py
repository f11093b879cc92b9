"""E-mails to a practice's author at each change of state: submitted, published, returned.

Authors are teachers without admin access, so Wagtail's own moderation e-mails (which link
to the admin) are switched off for them and these, linking to «Мои практики», go instead.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.signals import workflow_approved, workflow_rejected

from .models import PracticePage

SUBJECTS = {
    "submitted": "Практика «{title}» отправлена на проверку",
    "approved": "Практика «{title}» опубликована в банке",
    "rejected": "Практика «{title}» возвращена на доработку",
}


def notify_author(practice: PracticePage, event: str, user, comment: str = "") -> None:
    if not user or not user.email:
        return
    context = {
        "practice": practice,
        "event": event,
        "user": user,
        "comment": comment,
        "my_practices_url": f"{settings.WAGTAILADMIN_BASE_URL}{reverse('my_practices')}",
        "practice_url": practice.full_url or "",
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=SUBJECTS[event].format(title=practice.title),
            message=render_to_string("practices/email/state_changed.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )


def _practice(workflow_state):
    obj = workflow_state.content_object
    return obj.specific if obj is not None and isinstance(obj.specific, PracticePage) else None


@receiver(workflow_approved)
def practice_approved(sender, instance, user=None, **kwargs):
    practice = _practice(instance)
    if practice is not None:
        notify_author(practice, "approved", instance.requested_by)


@receiver(workflow_rejected)
def practice_rejected(sender, instance, user=None, **kwargs):
    practice = _practice(instance)
    if practice is not None:
        task_state = instance.current_task_state
        comment = task_state.comment if task_state else ""
        notify_author(practice, "rejected", instance.requested_by, comment)
