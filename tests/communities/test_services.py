"""The rules of issue 6: every «Bad input» case saves nothing and says why in Russian; the
membership and pair lifecycles; attendance as a support record."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities import services
from communities.models import (
    EventRegistration,
    MeetingLog,
    Membership,
    MentoringPair,
    PairState,
    PlanStep,
    Post,
    Topic,
)
from monitoring.models import SupportRecord, Teacher
from tests.factories import MethodologistFactory, SchoolHeadFactory, TeacherFactory
from tests.factories.communities import EventFactory, MembershipFactory, MentoringPairFactory

pytestmark = pytest.mark.django_db


# --- membership ---------------------------------------------------------------------


def test_join_open_community_and_joining_twice_is_refused(community):
    teacher = TeacherFactory()
    membership = services.community_join(user=teacher, community=community)
    assert membership.state == "member"
    with pytest.raises(ValidationError, match="уже участник"):
        services.community_join(user=teacher, community=community)
    assert Membership.objects.filter(user=teacher).count() == 1


def test_membership_is_unique_in_the_database(community):
    teacher = TeacherFactory()
    MembershipFactory(user=teacher, community=community)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=teacher, community=community, state="member")


def test_request_approve_reject_leave_rejoin(request_community):
    coordinator = request_community.coordinator
    teacher, other = TeacherFactory(), TeacherFactory()
    asked = services.community_join(user=teacher, community=request_community)
    assert asked.state == "requested"
    with pytest.raises(ValidationError, match="заявка уже отправлена"):
        services.community_join(user=teacher, community=request_community)
    with pytest.raises(PermissionDenied):
        services.membership_approve(membership=asked, by=other)
    services.membership_approve(membership=asked, by=coordinator)
    assert services.is_member(teacher, request_community)
    with pytest.raises(ValidationError, match="уже рассмотрена"):
        services.membership_reject(membership=asked, by=coordinator)

    refused = services.community_join(user=other, community=request_community)
    services.membership_reject(membership=refused, by=coordinator)
    assert not services.is_member(other, request_community)

    services.community_leave(user=teacher, community=request_community)
    assert not services.is_member(teacher, request_community)
    again = services.community_join(user=teacher, community=request_community)
    assert again.pk == asked.pk and again.state == "requested"


def test_leaving_without_membership_is_refused(community):
    with pytest.raises(ValidationError, match="не участник"):
        services.community_leave(user=TeacherFactory(), community=community)


# --- events and attendance ----------------------------------------------------------


def test_non_member_cannot_register_for_event(community):
    event = EventFactory(community=community)
    with pytest.raises(ValidationError, match="участники сообщества"):
        services.event_register(user=TeacherFactory(), event=event)
    assert not EventRegistration.objects.exists()


def test_registering_twice_is_refused(community):
    member = MembershipFactory(community=community).user
    event = EventFactory(community=community)
    services.event_register(user=member, event=event)
    with pytest.raises(ValidationError, match="уже зарегистрированы"):
        services.event_register(user=member, event=event)
    assert EventRegistration.objects.count() == 1


def _linked_teacher(user, code="t-1"):
    return Teacher.objects.create(code=code, full_name=user.get_full_name(), user=user)


def test_attendance_records_support_and_unmarking_removes_it(community):
    member = MembershipFactory(community=community).user
    teacher = _linked_teacher(member)
    event = EventFactory(community=community, kind="meeting")
    services.event_register(user=member, event=event)
    with pytest.raises(ValidationError, match="после начала"):
        services.attendance_mark(
            event=event, present_user_ids={member.pk}, by=community.coordinator
        )
    event.starts_at = timezone.now() - datetime.timedelta(hours=2)
    event.save()
    with pytest.raises(PermissionDenied):
        services.attendance_mark(event=event, present_user_ids={member.pk}, by=member)

    services.attendance_mark(event=event, present_user_ids={member.pk}, by=community.coordinator)
    record = SupportRecord.objects.get(teacher=teacher)
    assert record.form == "МО"
    assert record.source == "event"
    assert record.source_ref == f"event:{event.pk}:user:{member.pk}"
    assert record.provider == community.title
    assert EventRegistration.objects.get().attended

    # Marking again does not duplicate; unmarking takes the record back.
    services.attendance_mark(event=event, present_user_ids={member.pk}, by=community.coordinator)
    assert SupportRecord.objects.count() == 1
    services.attendance_mark(event=event, present_user_ids=set(), by=community.coordinator)
    assert not SupportRecord.objects.exists()
    assert not EventRegistration.objects.get().attended


def test_attendance_of_unregistered_people_is_refused(community):
    event = EventFactory(
        community=community, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    stranger = TeacherFactory()
    with pytest.raises(ValidationError, match="зарегистрированных"):
        services.attendance_mark(
            event=event, present_user_ids={stranger.pk}, by=community.coordinator
        )


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        ("seminar", "семинар"),
        ("webinar", "семинар"),
        ("open_lesson", "семинар"),
        ("consultation", "консультация"),
    ],
)
def test_event_kinds_map_to_support_forms(community, kind, form):
    member = MembershipFactory(community=community).user
    _linked_teacher(member)
    event = EventFactory(
        community=community, kind=kind, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    services.event_register(user=member, event=event)
    services.attendance_mark(event=event, present_user_ids={member.pk}, by=community.coordinator)
    assert SupportRecord.objects.get().form == form


def test_online_event_needs_a_link_in_the_database(community):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(community=community, format="online", link="")


# --- discussions and materials ------------------------------------------------------


def test_non_member_posting_is_refused(community):
    outsider = TeacherFactory()
    with pytest.raises(ValidationError, match="только участники"):
        services.topic_start(user=outsider, community=community, title="Вопрос", body="Текст")
    assert not Topic.objects.exists()
    member = MembershipFactory(community=community).user
    topic, _post = services.topic_start(user=member, community=community, title="Вопрос", body="А")
    with pytest.raises(ValidationError, match="только участники"):
        services.post_reply(user=outsider, topic=topic, body="Б")
    assert Post.objects.count() == 1


def test_reply_notifies_the_other_participants_on_commit(
    community, django_capture_on_commit_callbacks
):
    first = MembershipFactory(community=community).user
    second = MembershipFactory(community=community).user
    topic, _post = services.topic_start(user=first, community=community, title="ОГЭ", body="Как?")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(user=second, topic=topic, body="Так.")
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert "ОГЭ" in mail.outbox[0].subject


def test_coordinator_hides_a_post_and_a_member_cannot(community):
    member = MembershipFactory(community=community).user
    _topic, post = services.topic_start(user=member, community=community, title="Т", body="Б")
    with pytest.raises(PermissionDenied):
        services.post_set_hidden(post=post, by=member, hidden=True)
    services.post_set_hidden(post=post, by=community.coordinator, hidden=True)
    post.refresh_from_db()
    assert post.hidden


def test_material_needs_a_document_or_link(community):
    member = MembershipFactory(community=community).user
    with pytest.raises(ValidationError, match="документ или укажите ссылку"):
        services.material_add(user=member, community=community, title="Пусто")
    material = services.material_add(
        user=member, community=community, title="Демоверсия", url="https://fipi.ru", tags=["ОГЭ"]
    )
    assert list(material.tags.names()) == ["ОГЭ"]


# --- mentoring pairs ----------------------------------------------------------------


def _dates():
    today = timezone.localdate()
    return today - datetime.timedelta(days=10), today + datetime.timedelta(days=200)


def test_pair_with_the_same_person_is_refused():
    methodologist, teacher = MethodologistFactory(), TeacherFactory()
    start, end = _dates()
    with pytest.raises(ValidationError, match="один и тот же человек"):
        services.pair_propose(
            by=methodologist,
            mentor=teacher,
            mentee=teacher,
            goals="Ц",
            start_date=start,
            end_date=end,
        )
    assert not MentoringPair.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringPairFactory(mentor=teacher, mentee=teacher)


def test_a_second_open_pair_of_the_same_people_is_refused():
    methodologist = MethodologistFactory()
    pair = MentoringPairFactory()
    start, end = _dates()
    with pytest.raises(ValidationError, match="уже есть"):
        services.pair_propose(
            by=methodologist,
            mentor=pair.mentor,
            mentee=pair.mentee,
            goals="Ц",
            start_date=start,
            end_date=end,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringPairFactory(mentor=pair.mentor, mentee=pair.mentee)


def test_teacher_cannot_propose_and_head_only_for_own_school():
    start, end = _dates()
    mentor, mentee = TeacherFactory(), TeacherFactory()
    with pytest.raises(PermissionDenied):
        services.pair_propose(
            by=TeacherFactory(),
            mentor=mentor,
            mentee=mentee,
            goals="Ц",
            start_date=start,
            end_date=end,
        )
    with pytest.raises(ValidationError, match="педагог его школы"):
        services.pair_propose(
            by=SchoolHeadFactory(),
            mentor=mentor,
            mentee=mentee,
            goals="Ц",
            start_date=start,
            end_date=end,
        )
    assert not MentoringPair.objects.exists()
    head = SchoolHeadFactory(school=mentee.school)
    pair = services.pair_propose(
        by=head, mentor=mentor, mentee=mentee, goals="Ц", start_date=start, end_date=end
    )
    assert pair.state == PairState.PROPOSED


def test_pair_lifecycle():
    methodologist = MethodologistFactory()
    mentor, mentee = TeacherFactory(), TeacherFactory()
    start, end = _dates()
    pair = services.pair_propose(
        by=methodologist, mentor=mentor, mentee=mentee, goals="ОГЭ", start_date=start, end_date=end
    )
    with pytest.raises(ValidationError, match="согласились оба"):
        services.pair_approve(pair=pair, by=methodologist)
    with pytest.raises(PermissionDenied):
        services.pair_accept(pair=pair, user=TeacherFactory())
    pair = services.pair_accept(pair=pair, user=mentor)
    assert pair.state == PairState.PROPOSED
    with pytest.raises(ValidationError, match="уже дали"):
        services.pair_accept(pair=pair, user=mentor)
    pair = services.pair_accept(pair=pair, user=mentee)
    assert pair.state == PairState.AGREED
    with pytest.raises(PermissionDenied):
        services.pair_approve(pair=pair, by=mentor)
    with pytest.raises(ValidationError, match="активной паре"):
        services.meeting_log(pair=pair, by=mentor, date=timezone.localdate(), topic="Т")
    pair = services.pair_approve(pair=pair, by=methodologist)
    assert pair.state == PairState.ACTIVE and pair.activated_on == timezone.localdate()
    services.meeting_log(pair=pair, by=mentor, date=timezone.localdate(), topic="Разбор урока")
    with pytest.raises(ValidationError):
        services.meeting_log(
            pair=pair, by=mentor, date=timezone.localdate() + datetime.timedelta(days=1), topic="Т"
        )
    assert MeetingLog.objects.count() == 1
    with pytest.raises(ValidationError, match="итог"):
        services.pair_finish(pair=pair, by=methodologist, state=PairState.COMPLETED, outcome=" ")
    with pytest.raises(PermissionDenied):
        services.pair_finish(pair=pair, by=mentee, state=PairState.COMPLETED, outcome="Готово")
    pair = services.pair_finish(
        pair=pair, by=mentor, state=PairState.COMPLETED, outcome="Результаты выросли"
    )
    assert pair.state == PairState.COMPLETED and pair.ended_on == timezone.localdate()


def test_declining_interrupts_the_pair_with_the_reason():
    pair = MentoringPairFactory()
    with pytest.raises(ValidationError):
        services.pair_decline(pair=pair, user=pair.mentee, reason="")
    pair = services.pair_decline(pair=pair, user=pair.mentee, reason="Нет времени")
    assert pair.state == PairState.INTERRUPTED and "Нет времени" in pair.outcome


def test_ended_pair_needs_an_outcome_in_the_database():
    pair = MentoringPairFactory()
    pair.state = PairState.COMPLETED
    with pytest.raises(IntegrityError), transaction.atomic():
        pair.save()


def test_plan_step_outside_the_pair_dates_is_refused():
    pair = MentoringPairFactory()
    with pytest.raises(ValidationError, match="в пределах работы пары") as caught:
        services.plan_step_add(
            pair=pair,
            by=pair.mentor,
            title="Открытый урок",
            due_date=pair.end_date + datetime.timedelta(days=1),
        )
    assert "due_date" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_step_add(
            pair=pair,
            by=pair.mentor,
            title="Т",
            due_date=pair.start_date - datetime.timedelta(days=1),
        )
    assert not PlanStep.objects.exists()
    step = services.plan_step_add(pair=pair, by=pair.mentee, title="Т", due_date=pair.end_date)
    assert step.pk
    with pytest.raises(PermissionDenied):
        services.plan_step_add(pair=pair, by=TeacherFactory(), title="Т", due_date=pair.end_date)


def test_quiet_pair_is_flagged():
    today = timezone.localdate()
    pair = MentoringPairFactory(
        state=PairState.ACTIVE, activated_on=today - datetime.timedelta(days=60)
    )
    assert pair.quiet_since(None, today)
    assert pair.quiet_since(today - datetime.timedelta(days=43), today)
    assert not pair.quiet_since(today - datetime.timedelta(days=10), today)
    pair.state = PairState.AGREED
    assert not pair.quiet_since(None, today)
