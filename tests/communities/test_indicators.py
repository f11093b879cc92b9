"""Attendance of a community event and an active mentoring pair count the teacher in IND-2
(domain.md: a support record dated in Y, or mentoring as mentee active in Y)."""

import datetime

import pytest
from django.utils import timezone

from communities import services
from communities.models import PairState
from monitoring.indicators import compute_year
from monitoring.models import StaffEntry, SupportRecord, Teacher
from portal.models import Status
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolStatusFactory,
    TeacherFactory,
)
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


def _approved(pair, methodologist):
    services.pair_accept(pair=pair, user=pair.mentor)
    services.pair_accept(pair=pair, user=pair.mentee)
    return services.pair_approve(pair=pair, by=methodologist)


def test_active_pair_counts_the_mentee_in_ind2(target_staff):
    year, (mentee, other) = target_staff
    methodologist = MethodologistFactory()
    pair = MentoringPairFactory(mentee=mentee)
    assert compute_year(year)["IND-2"].numerator == 0  # proposed is not support yet
    services.pair_accept(pair=pair, user=pair.mentor)
    services.pair_accept(pair=pair, user=mentee)
    assert compute_year(year)["IND-2"].numerator == 0  # agreed is not support yet
    pair = services.pair_approve(pair=pair, by=methodologist)
    indicator = compute_year(year)["IND-2"]
    assert (indicator.numerator, indicator.denominator) == (1, 2)
    record = SupportRecord.objects.get(teacher__user=mentee, date__year=year)
    assert (record.form, record.source) == ("наставничество", "mentoring")
    # Being a mentor is not support received.
    _approved(MentoringPairFactory(mentor=other), methodologist)
    assert compute_year(year)["IND-2"].numerator == 1


def test_pair_is_support_in_each_year_it_is_active(target_staff):
    year, (mentee, _other) = target_staff
    today = timezone.localdate()
    pair = MentoringPairFactory(
        mentee=mentee,
        start_date=today - datetime.timedelta(days=30),
        end_date=datetime.date(today.year + 1, 5, 31),
    )
    pair = _approved(pair, MethodologistFactory())
    years = set(SupportRecord.objects.values_list("date__year", flat=True))
    assert years == {year, year + 1}
    # Interrupted now: the planned next year is no longer support.
    services.pair_finish(
        pair=pair, by=pair.mentor, state=PairState.INTERRUPTED, outcome="Переезд наставляемого"
    )
    assert set(SupportRecord.objects.values_list("date__year", flat=True)) == {year}
    assert compute_year(year)["IND-2"].numerator == 1


def test_declined_pair_was_never_support(target_staff):
    year, (mentee, _other) = target_staff
    pair = MentoringPairFactory(mentee=mentee)
    services.pair_decline(pair=pair, user=mentee, reason="Нет времени")
    assert not SupportRecord.objects.exists()
    assert compute_year(year)["IND-2"].numerator == 0


def test_pairs_do_not_add_queries_per_year(target_staff, django_assert_max_num_queries):
    """The engine's query count stays as monitoring's own test expects (≤ 12 for 5 years)."""
    from monitoring.indicators import compute_indicators

    year, people = target_staff
    methodologist = MethodologistFactory()
    for user in people:
        _approved(MentoringPairFactory(mentee=user), methodologist)
    with django_assert_max_num_queries(12):
        compute_indicators([year - 4, year - 3, year - 2, year - 1, year])
