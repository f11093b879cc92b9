"""The daily round (for cron): expire agreements past their term, and remind the heads of
the parties of overdue plan items and of partnerships without reports for six weeks.

The responsible person of a plan item is free text (a name and position), not an account,
so the reminder goes to the heads of the party schools, who pass it on; the e-mail names
the responsible person of each item.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from portal.models import MembershipState, User
from portal.roles import SCHOOL_HEAD

from .models import Agreement
from .selectors import activity_flags
from .services import expire_agreements


@dataclass
class Round:
    expired: int = 0
    reminded: int = 0
    overdue_items: int = 0
    amber: list[str] = field(default_factory=list)


def daily_round(today=None, *, send=True) -> Round:
    today = today or timezone.localdate()
    result = Round(expired=expire_agreements(today))
    to_remind: dict[str, list[dict]] = defaultdict(list)
    heads: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        groups__name=SCHOOL_HEAD, membership=MembershipState.CONFIRMED, is_active=True
    ).exclude(email=""):
        heads[user.school_id].append(user)
    active = Agreement.objects.filter(state=Agreement.State.ACTIVE).prefetch_related("parties")
    for agreement in active:
        flags = activity_flags(agreement, today=today)
        if not flags["overdue"] and not flags["amber"]:
            continue
        result.overdue_items += len(flags["overdue"])
        if flags["amber"]:
            result.amber.append(agreement.number)
        for party in agreement.parties.all():
            for head in heads.get(party.school_id, []):
                to_remind[head.email].append({"agreement": agreement, **flags})
    if send:
        base = settings.WAGTAILADMIN_BASE_URL
        for email, items in to_remind.items():
            send_mail(
                subject="Договоры о сотрудничестве: просроченные мероприятия и отчёты",
                message=render_to_string(
                    "agreements/email/reminder.txt", {"items": items, "base_url": base}
                ),
                from_email=None,
                recipient_list=[email],
            )
            result.reminded += 1
    return result
