"""Attendance of a community event and an active mentoring pair count the teacher in IND-2
(domain.md: a support record dated in Y, or mentoring as mentee active in Y)."""

import datetime

import pytest
from django.utils import timezone

from communities import services
from communities.models import PairState
from monitoring.indicators import compute_year
from monitoring.models import StaffEntry, Teacher
from portal.models import Status
from tests.factories import SchoolFactory, SchoolStatusFactory, TeacherFactory
from tests.factories.communities import EventFactory, MembershipFactory, MentoringPairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target_staff():
    """A ШНОР school of year Y with two teachers on its staff list, both portal users."""
    year = timezone.localdate().year
    school = SchoolFactory()
    SchoolStatusFactory(school=school, year=year, status=Status.SHNOR)
    people = []
    for number in range(2):
        user = TeacherFactory(school=school)
        teacher = Teacher.objects.create(
            code=f"T{number}", full_name=user.get_full_name(), user=user
        )
        StaffEntry.objects.create(school=school, year=year, teacher=teacher, subjects="Математика")
        people.append(user)
    return year, people


def test_attendance_counts_in_ind2(community, target_staff):
    year, (present, absent) = target_staff
    assert compute_year(year)["IND-2"].numerator == 0
    event = EventFactory(
        community=community, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    for user in (present, absent):
        MembershipFactory(user=user, community=community)
        services.event_register(user=user, event=event)
    services.attendance_mark(event=event, present_user_ids={present.pk}, by=community.coordinator)
    indicator = compute_year(year)["IND-2"]
    assert (indicator.numerator, indicator.denominator) == (1, 2)
    services.attendance_mark(event=event, present_user_ids=set(), by=community.coordinator)
    assert compute_year(year)["IND-2"].numerator == 0


def test_active_pair_counts_the_mentee_in_ind2(target_staff):
    year, (mentee, other) = target_staff
    pair = MentoringPairFactory(mentee=mentee)
    assert compute_year(year)["IND-2"].numerator == 0  # proposed is not support yet
    pair.state = PairState.ACTIVE
    pair.activated_on = datetime.date(year, 3, 1)
    pair.save()
    indicator = compute_year(year)["IND-2"]
    assert (indicator.numerator, indicator.denominator) == (1, 2)
    # Being a mentor is not support received.
    MentoringPairFactory(
        mentor=other, state=PairState.ACTIVE, activated_on=datetime.date(year, 3, 1)
    )
    assert compute_year(year)["IND-2"].numerator == 1


def test_pair_counts_only_in_the_years_it_was_active(target_staff):
    from communities.selectors import supported_mentees

    year, (mentee, _other) = target_staff
    teacher_id = Teacher.objects.get(user=mentee).pk
    MentoringPairFactory(
        mentee=mentee,
        state=PairState.COMPLETED,
        outcome="Готово",
        activated_on=datetime.date(year - 2, 9, 1),
        ended_on=datetime.date(year - 1, 5, 31),
    )
    assert supported_mentees(year - 2, {teacher_id}) == {teacher_id}
    assert supported_mentees(year - 1, {teacher_id}) == {teacher_id}
    assert supported_mentees(year, {teacher_id}) == set()
    # An interrupted proposal was never active: no support.
    MentoringPairFactory(
        mentee=mentee,
        state=PairState.INTERRUPTED,
        outcome="Отказ",
        ended_on=datetime.date(year, 2, 1),
    )
    assert supported_mentees(year, {teacher_id}) == set()


def test_supported_mentees_is_one_query(target_staff, django_assert_num_queries):
    from communities.selectors import supported_mentees

    year, people = target_staff
    for user in people:
        MentoringPairFactory(
            mentee=user, state=PairState.ACTIVE, activated_on=datetime.date(year, 1, 10)
        )
    ids = set(Teacher.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        assert supported_mentees(year, ids) == ids
