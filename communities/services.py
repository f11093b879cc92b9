"""Writes that enforce the communities' rules. Each raises a ValidationError with a Russian
message and saves nothing when a rule is broken; the database constraints back them up.

Attendance of an event is a support record for IND-2 (domain.md): the event kind maps to
monitoring's support form as EVENT_SUPPORT_FORM says — an association's meeting is «МО»,
a seminar, webinar or open lesson is «семинар» (all are group forms of methodological
learning), a consultation is «консультация».
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import SupportForm, SupportRecord
from monitoring.services import support_record_remove, support_record_set
from portal import roles

from .models import (
    CommunityPage,
    Event,
    EventKind,
    EventRegistration,
    JoinPolicy,
    Material,
    MeetingLog,
    MembershipRole,
    MembershipState,
    MentoringPair,
    PairState,
    PlanStep,
    Post,
    Topic,
)
from .models import Membership as MembershipModel
from .models.mentoring import OPEN_STATES

# An active pair is support received by the mentee (IND-2: «mentoring as mentee active in Y»).
# It is written as one support record per calendar year in which the pair is active, so the
# indicator engine counts it with the other support records, in the same query.
MENTORING_REF = "pair:{pair}:year:{year}"

EVENT_SUPPORT_FORM = {
    EventKind.MEETING: SupportForm.ASSOCIATION,
    EventKind.SEMINAR: SupportForm.SEMINAR,
    EventKind.WEBINAR: SupportForm.SEMINAR,
    EventKind.OPEN_LESSON: SupportForm.SEMINAR,
    EventKind.CONSULTATION: SupportForm.CONSULTATION,
}


# --- membership -------------------------------------------------------------------------


def membership_of(user, community: CommunityPage) -> MembershipModel | None:
    if not user.is_authenticated:
        return None
    return MembershipModel.objects.filter(user=user, community=community).first()


def is_member(user, community: CommunityPage) -> bool:
    return bool(
        user.is_authenticated
        and MembershipModel.objects.filter(
            user=user, community=community, state=MembershipState.MEMBER
        ).exists()
    )


def can_coordinate(user, community: CommunityPage) -> bool:
    """The coordinator named on the page, a member with the coordinator role, or a
    methodologist (who runs communities, domain.md)."""
    if not user.is_authenticated:
        return False
    if roles.is_methodologist(user) or community.coordinator_id == user.pk:
        return True
    return MembershipModel.objects.filter(
        user=user,
        community=community,
        state=MembershipState.MEMBER,
        role=MembershipRole.COORDINATOR,
    ).exists()


@transaction.atomic
def community_join(*, user, community: CommunityPage) -> MembershipModel:
    """Join an open community, or ask to join one that admits by request."""
    if not user.is_authenticated:
        raise PermissionDenied
    state = (
        MembershipState.MEMBER
        if community.join_policy == JoinPolicy.OPEN
        else MembershipState.REQUESTED
    )
    existing = (
        MembershipModel.objects.select_for_update().filter(user=user, community=community).first()
    )
    if existing is not None:
        if existing.state == MembershipState.MEMBER:
            raise ValidationError(_("Вы уже участник этого сообщества."), code="already_member")
        if existing.state == MembershipState.REQUESTED:
            raise ValidationError(
                _("Ваша заявка уже отправлена и ждёт решения координатора."), code="already_asked"
            )
        existing.state = state
        existing.created_at = timezone.now()
        existing.decided_at = None
        existing.save(update_fields=["state", "created_at", "decided_at"])
        return existing
    try:
        with transaction.atomic():
            return MembershipModel.objects.create(user=user, community=community, state=state)
    except IntegrityError as error:
        raise ValidationError(_("Вы уже участник этого сообщества."), code="already_member") from (
            error
        )


def _decide(membership: MembershipModel, by, state: str) -> MembershipModel:
    if not can_coordinate(by, membership.community):
        raise PermissionDenied
    if membership.state != MembershipState.REQUESTED:
        raise ValidationError(_("Эта заявка уже рассмотрена."), code="decided")
    membership.state = state
    membership.decided_at = timezone.now()
    membership.save(update_fields=["state", "decided_at"])
    return membership


@transaction.atomic
def membership_approve(*, membership: MembershipModel, by) -> MembershipModel:
    return _decide(membership, by, MembershipState.MEMBER)


@transaction.atomic
def membership_reject(*, membership: MembershipModel, by) -> MembershipModel:
    return _decide(membership, by, MembershipState.REJECTED)


@transaction.atomic
def community_leave(*, user, community: CommunityPage) -> MembershipModel:
    membership = membership_of(user, community)
    if membership is None or membership.state not in (
        MembershipState.MEMBER,
        MembershipState.REQUESTED,
    ):
        raise ValidationError(_("Вы не участник этого сообщества."), code="not_member")
    membership.state = MembershipState.LEFT
    membership.role = MembershipRole.MEMBER
    membership.decided_at = timezone.now()
    membership.save(update_fields=["state", "role", "decided_at"])
    return membership


@transaction.atomic
def member_remove(*, membership: MembershipModel, by) -> MembershipModel:
    """The coordinator takes a member out of the community."""
    if not can_coordinate(by, membership.community):
        raise PermissionDenied
    if membership.state != MembershipState.MEMBER:
        raise ValidationError(_("Этот педагог не участник сообщества."), code="not_member")
    membership.state = MembershipState.LEFT
    membership.role = MembershipRole.MEMBER
    membership.decided_at = timezone.now()
    membership.save(update_fields=["state", "role", "decided_at"])
    return membership


# --- events ---------------------------------------------------------------------------


def _require_member(user, community: CommunityPage, message: str) -> None:
    if not (is_member(user, community) or can_coordinate(user, community)):
        raise ValidationError(message, code="not_member")


@transaction.atomic
def event_register(*, user, event: Event) -> EventRegistration:
    _require_member(
        user,
        event.community,
        _("Регистрироваться на мероприятия могут участники сообщества: сначала вступите в него."),
    )
    if EventRegistration.objects.filter(event=event, user=user).exists():
        raise ValidationError(_("Вы уже зарегистрированы на это мероприятие."), code="twice")
    return EventRegistration.objects.create(event=event, user=user)


@transaction.atomic
def event_unregister(*, user, event: Event) -> None:
    registration = EventRegistration.objects.filter(event=event, user=user).first()
    if registration is None:
        raise ValidationError(_("Вы не зарегистрированы на это мероприятие."), code="not_there")
    if registration.attended:
        raise ValidationError(
            _("Присутствие уже отмечено: регистрацию нельзя отменить."), code="attended"
        )
    registration.delete()


def attendance_ref(event: Event, user) -> str:
    return f"event:{event.pk}:user:{user.pk}"


@transaction.atomic
def attendance_mark(*, event: Event, present_user_ids: set[int], by) -> int:
    """Set who attended: the registrations in `present_user_ids` become attended (and a
    support record each), the others not. Returns how many are marked present."""
    if not can_coordinate(by, event.community):
        raise PermissionDenied
    if event.starts_at > timezone.now():
        raise ValidationError(
            _("Присутствие отмечают после начала мероприятия."), code="not_started"
        )
    registrations = list(event.registrations.select_related("user").select_for_update())
    unknown = set(present_user_ids) - {r.user_id for r in registrations}
    if unknown:
        raise ValidationError(
            _("Отметить можно только зарегистрированных участников."), code="unknown"
        )
    date = timezone.localtime(event.starts_at).date()
    now = timezone.now()
    present = 0
    for registration in registrations:
        attended = registration.user_id in present_user_ids
        ref = attendance_ref(event, registration.user)
        if attended:
            present += 1
            support_record_set(
                user=registration.user,
                date=date,
                form=EVENT_SUPPORT_FORM[event.kind],
                title=f"{event.get_kind_display()}: {event.title}",
                provider=event.community.title,
                source=SupportRecord.Source.EVENT,
                source_ref=ref,
            )
        else:
            support_record_remove(source_ref=ref)
        if registration.attended != attended:
            registration.attended = attended
            registration.marked_at = now
            registration.save(update_fields=["attended", "marked_at"])
    return present


# --- discussions and materials ------------------------------------------------------------


@transaction.atomic
def topic_start(*, user, community: CommunityPage, title: str, body: str, attachment=None):
    _require_member(user, community, _("Писать в обсуждениях могут только участники сообщества."))
    now = timezone.now()
    topic = Topic.objects.create(
        community=community, title=title, author=user, created_at=now, last_post_at=now
    )
    post = Post.objects.create(
        topic=topic, author=user, body=body, attachment=attachment or "", created_at=now
    )
    return topic, post


@transaction.atomic
def post_reply(*, user, topic: Topic, body: str, attachment=None) -> Post:
    from .notifications import notify_topic_participants

    _require_member(
        user, topic.community, _("Писать в обсуждениях могут только участники сообщества.")
    )
    now = timezone.now()
    post = Post.objects.create(
        topic=topic, author=user, body=body, attachment=attachment or "", created_at=now
    )
    Topic.objects.filter(pk=topic.pk).update(last_post_at=now)
    notify_topic_participants(post)
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, by, hidden: bool) -> Post:
    if not can_coordinate(by, post.topic.community):
        raise PermissionDenied
    post.hidden = hidden
    post.save(update_fields=["hidden"])
    return post


@transaction.atomic
def material_add(
    *, user, community: CommunityPage, title: str, description="", document=None, url="", tags=()
) -> Material:
    _require_member(user, community, _("Добавлять материалы могут участники сообщества."))
    if document is None and not url:
        raise ValidationError(_("Приложите документ или укажите ссылку."), code="empty")
    material = Material.objects.create(
        community=community,
        title=title,
        description=description,
        document=document,
        url=url,
        added_by=user,
    )
    if tags:
        material.tags.set(list(tags))
    return material


# --- mentoring ------------------------------------------------------------------------


def can_propose_pair(user) -> bool:
    return roles.is_methodologist(user) or roles.has_role(user, roles.SCHOOL_HEAD)


def _check_pair_people(mentor, mentee) -> None:
    if mentor.pk == mentee.pk:
        raise ValidationError(
            _("Наставник и наставляемый — один и тот же человек: выберите разных педагогов."),
            code="same_person",
        )
    if MentoringPair.objects.filter(mentor=mentor, mentee=mentee, state__in=OPEN_STATES).exists():
        raise ValidationError(
            _("У этих педагогов уже есть действующая или предложенная пара."), code="duplicate"
        )


@transaction.atomic
def pair_propose(
    *,
    by,
    mentor,
    mentee,
    goals: str,
    start_date: datetime.date,
    end_date: datetime.date,
    deficits: str = "",
    subjects=(),
) -> MentoringPair:
    if not can_propose_pair(by):
        raise PermissionDenied
    # A head proposes pairs for a teacher of their own school.
    if not roles.is_methodologist(by) and not (
        roles.is_head_of(by, mentee.confirmed_school)
        or roles.is_head_of(by, mentor.confirmed_school)
    ):
        raise ValidationError(
            _("Руководитель ОО предлагает пары, в которых есть педагог его школы."),
            code="other_school",
        )
    _check_pair_people(mentor, mentee)
    if end_date < start_date:
        raise ValidationError(
            {"end_date": _("Окончание не может быть раньше начала.")}, code="dates"
        )
    pair = MentoringPair.objects.create(
        mentor=mentor,
        mentee=mentee,
        goals=goals,
        deficits=deficits,
        start_date=start_date,
        end_date=end_date,
        proposed_by=by,
    )
    if subjects:
        pair.subjects.set(subjects)
    return pair


@transaction.atomic
def pair_accept(*, pair: MentoringPair, user) -> MentoringPair:
    """The mentor or the mentee agrees; when both have, the pair is «согласована»."""
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if user.pk not in (pair.mentor_id, pair.mentee_id):
        raise PermissionDenied
    if pair.state != PairState.PROPOSED:
        raise ValidationError(_("Пара уже не ждёт согласия."), code="state")
    now = timezone.now()
    if user.pk == pair.mentor_id:
        if pair.mentor_accepted_at:
            raise ValidationError(_("Вы уже дали согласие."), code="twice")
        pair.mentor_accepted_at = now
    else:
        if pair.mentee_accepted_at:
            raise ValidationError(_("Вы уже дали согласие."), code="twice")
        pair.mentee_accepted_at = now
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.state = PairState.AGREED
    pair.save()
    return pair


@transaction.atomic
def pair_decline(*, pair: MentoringPair, user, reason: str) -> MentoringPair:
    """A teacher declines a proposed pair: it is «прервана» with the reason as its outcome."""
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if user.pk not in (pair.mentor_id, pair.mentee_id):
        raise PermissionDenied
    if pair.state != PairState.PROPOSED:
        raise ValidationError(_("Пара уже не ждёт согласия."), code="state")
    if not reason.strip():
        raise ValidationError({"outcome": _("Укажите причину отказа.")}, code="no_reason")
    pair.state = PairState.INTERRUPTED
    pair.ended_on = timezone.localdate()
    pair.outcome = _("Отказ: %(reason)s") % {"reason": reason.strip()}
    pair.save()
    return pair


@transaction.atomic
def pair_approve(*, pair: MentoringPair, by) -> MentoringPair:
    if not roles.is_methodologist(by):
        raise PermissionDenied
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if pair.state != PairState.AGREED:
        raise ValidationError(
            _("Утвердить можно пару, с которой согласились оба педагога."), code="state"
        )
    today = timezone.localdate()
    pair.state = PairState.ACTIVE
    pair.approved_by = by
    pair.activated_on = today
    pair.save()
    mentoring_support_sync(pair)
    return pair


def _active_years(pair: MentoringPair) -> range:
    """The calendar years in which the pair is (or is planned to be) active."""
    if pair.activated_on is None:
        return range(0)
    last = pair.ended_on or max(pair.end_date, timezone.localdate())
    return range(pair.activated_on.year, max(last.year, pair.activated_on.year) + 1)


def mentoring_support_sync(pair: MentoringPair) -> None:
    """Make the mentee's support records match the years the pair is active: one per year,
    dated the day it became active or the 1st of January after that."""
    years = _active_years(pair)
    prefix = f"pair:{pair.pk}:year:"
    for ref in SupportRecord.objects.filter(source_ref__startswith=prefix).values_list(
        "source_ref", flat=True
    ):
        if int(ref.removeprefix(prefix)) not in years:
            support_record_remove(source_ref=ref)
    for year in years:
        support_record_set(
            user=pair.mentee,
            date=max(pair.activated_on, datetime.date(year, 1, 1)),
            form=SupportForm.MENTORING,
            title=f"Наставничество: {pair.goals}",
            provider=_("наставник %(name)s") % {"name": pair.mentor.get_full_name()},
            source=SupportRecord.Source.MENTORING,
            source_ref=MENTORING_REF.format(pair=pair.pk, year=year),
        )


@transaction.atomic
def pair_finish(*, pair: MentoringPair, by, state: str, outcome: str) -> MentoringPair:
    """Complete or interrupt an active pair with its outcome (methodologist or mentor)."""
    if not (roles.is_methodologist(by) or by.pk == pair.mentor_id):
        raise PermissionDenied
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if state not in (PairState.COMPLETED, PairState.INTERRUPTED):
        raise ValidationError(_("Неизвестное завершение."), code="state")
    if pair.state != PairState.ACTIVE and not (
        state == PairState.INTERRUPTED and pair.state in OPEN_STATES
    ):
        raise ValidationError(_("Завершить можно только активную пару."), code="state")
    if not outcome.strip():
        raise ValidationError({"outcome": _("Опишите итог работы пары.")}, code="no_outcome")
    pair.state = state
    pair.outcome = outcome.strip()
    pair.ended_on = timezone.localdate()
    pair.save()
    mentoring_support_sync(pair)
    return pair


def can_edit_plan(user, pair: MentoringPair) -> bool:
    return user.is_authenticated and (
        roles.is_methodologist(user) or user.pk in (pair.mentor_id, pair.mentee_id)
    )


@transaction.atomic
def plan_step_add(*, pair: MentoringPair, by, title: str, due_date: datetime.date) -> PlanStep:
    if not can_edit_plan(by, pair):
        raise PermissionDenied
    if pair.state in (PairState.COMPLETED, PairState.INTERRUPTED):
        raise ValidationError(_("Пара завершена: план не меняется."), code="ended")
    if not pair.start_date <= due_date <= pair.end_date:
        raise ValidationError(
            {
                "due_date": _(
                    "Срок шага должен быть в пределах работы пары: с %(start)s по %(end)s."
                )
                % {
                    "start": pair.start_date.strftime("%d.%m.%Y"),
                    "end": pair.end_date.strftime("%d.%m.%Y"),
                }
            },
            code="outside",
        )
    return PlanStep.objects.create(pair=pair, title=title, due_date=due_date)


@transaction.atomic
def plan_step_toggle(*, step: PlanStep, by) -> PlanStep:
    if not can_edit_plan(by, step.pair):
        raise PermissionDenied
    step.done = not step.done
    step.save(update_fields=["done"])
    return step


@transaction.atomic
def meeting_log(
    *, pair: MentoringPair, by, date: datetime.date, topic: str, notes: str = ""
) -> MeetingLog:
    if not can_edit_plan(by, pair):
        raise PermissionDenied
    if pair.state != PairState.ACTIVE:
        raise ValidationError(
            _("Встречи записывают в активной паре (после утверждения методистом)."), code="state"
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("Встреча ещё не состоялась: дата в будущем.")})
    if date < pair.start_date:
        raise ValidationError({"date": _("Дата раньше начала работы пары.")})
    meeting = MeetingLog.objects.create(pair=pair, date=date, topic=topic, notes=notes, author=by)
    # A pair still working after its planned end is support in the year of the meeting too.
    mentoring_support_sync(pair)
    return meeting
