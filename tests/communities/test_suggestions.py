"""Suggested mentors: ranked by subject, deficits covered, the school's results and load,
each with its reasons."""

import datetime
from decimal import Decimal

import pytest

from communities.models import MentorProfile, PairState
from communities.suggestions import suggest_mentors
from monitoring.models import AssessmentResult, Diagnostic, StaffEntry, Teacher
from portal.models import Status
from tests.factories import SchoolFactory, SchoolStatusFactory, TeacherFactory
from tests.factories.communities import MentoringPairFactory

pytestmark = pytest.mark.django_db


def _teacher(user, code, school, subjects):
    teacher = Teacher.objects.create(code=code, full_name=user.get_full_name(), user=user)
    StaffEntry.objects.create(school=school, year=2025, teacher=teacher, subjects=subjects)
    return teacher


@pytest.fixture
def setting():
    target, leader, ordinary = SchoolFactory(), SchoolFactory(), SchoolFactory()
    SchoolStatusFactory(school=target, year=2025, status=Status.SHNOR)
    SchoolStatusFactory(school=leader, year=2025, status=Status.LEADER)
    for school, failed in ((target, 30), (leader, 2), (ordinary, 12)):
        AssessmentResult.objects.create(
            school=school,
            year=2025,
            procedure="ОГЭ",
            subject="Математика",
            grade=9,
            participants=100,
            failed=failed,
            high=5,
        )
    mentee = TeacherFactory(school=target)
    mentee_teacher = _teacher(mentee, "m", target, "Математика")
    Diagnostic.objects.create(
        teacher=mentee_teacher,
        date=datetime.date(2025, 10, 1),
        kind="предметная",
        subject="Математика",
        score=Decimal(41),
        deficits=["решение текстовых задач", "геометрия"],
    )
    strong = TeacherFactory(school=leader)
    strong_teacher = _teacher(strong, "s", leader, "Математика; Физика")
    Diagnostic.objects.create(
        teacher=strong_teacher,
        date=datetime.date(2025, 9, 1),
        kind="предметная",
        subject="Математика",
        score=Decimal(92),
        deficits=[],
    )
    declared = TeacherFactory(school=ordinary)
    _teacher(declared, "d", ordinary, "Русский язык")
    profile = MentorProfile.objects.create(user=declared, strengths=["Геометрия"])
    colleague = TeacherFactory(school=target)
    _teacher(colleague, "c", target, "Математика")
    return mentee, strong, declared, colleague, profile


def test_ranking_and_reasons(setting, django_assert_max_num_queries):
    mentee, strong, declared, colleague, _profile = setting
    with django_assert_max_num_queries(12):
        suggestions = suggest_mentors(mentee)
    ranked = [s.user for s in suggestions]
    assert ranked[0] == strong
    assert mentee not in ranked
    best = suggestions[0].reasons
    assert any("тот же предмет: математика" in r for r in best)
    assert any("текстовых задач" in r and "92" in r for r in best)
    assert "школа-лидер" in best
    assert any("ниже, чем по округу" in r for r in best)
    declared_reasons = next(s for s in suggestions if s.user == declared).reasons
    assert any("«геометрия»" in r and "заявленная" in r for r in declared_reasons)
    # A colleague from the same low-result school comes after the others.
    assert ranked.index(colleague) > ranked.index(declared)


def test_load_lowers_the_rank_and_unavailable_are_left_out(setting):
    mentee, strong, declared, _colleague, profile = setting
    for _ in range(3):
        MentoringPairFactory(mentor=strong, state=PairState.PROPOSED)
    suggestion = next(s for s in suggest_mentors(mentee) if s.user == strong)
    assert suggestion.open_pairs == 3
    assert "уже ведёт пар: 3" in suggestion.reasons
    profile.available = False
    profile.save()
    assert declared not in [s.user for s in suggest_mentors(mentee)]


def test_query_count_does_not_grow_with_teachers(setting, django_assert_max_num_queries):
    mentee = setting[0]
    school = SchoolFactory()
    for number in range(10):
        _teacher(TeacherFactory(school=school), f"x{number}", school, "Математика")
    with django_assert_max_num_queries(12):
        assert len(suggest_mentors(mentee)) == 10
