"""Models: the e-mail user, schools and their yearly statuses."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from portal.models import MembershipState, School, SchoolStatus, Status, User
from tests.factories import SchoolFactory, SchoolStatusFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- User -------------------------------------------------------------------------------


def test_user_logs_in_with_email():
    assert User.USERNAME_FIELD == "email"
    assert User.EMAIL_FIELD == "email"
    assert "username" not in {field.name for field in User._meta.get_fields()}


def test_create_user_normalises_email_and_hashes_password():
    user = User.objects.create_user("Ivanova@Example.RU", "секрет-123", last_name="Иванова")
    assert user.email == "ivanova@example.ru"
    assert user.check_password("секрет-123")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.membership == MembershipState.NONE


def test_create_user_requires_email():
    with pytest.raises(ValueError):
        User.objects.create_user("", "password")


def test_create_superuser():
    user = User.objects.create_superuser("boss@example.ru", "секрет-123")
    assert user.is_staff and user.is_superuser


def test_full_name_is_last_first_patronymic():
    user = UserFactory.build(last_name="Иванова", first_name="Мария", patronymic="Петровна")
    assert user.get_full_name() == "Иванова Мария Петровна"
    assert str(user) == "Иванова Мария Петровна"


def test_full_name_without_patronymic():
    user = UserFactory.build(last_name="Смит", first_name="Джон", patronymic="")
    assert user.get_full_name() == "Смит Джон"


def test_short_name_has_initials():
    user = UserFactory.build(last_name="Иванова", first_name="Мария", patronymic="Петровна")
    assert user.get_short_name() == "Иванова М.П."
    no_patronymic = UserFactory.build(last_name="Смит", first_name="Джон", patronymic="")
    assert no_patronymic.get_short_name() == "Смит Д."


def test_nameless_user_is_shown_by_email():
    user = User(email="anon@example.ru")
    assert user.get_short_name() == "anon@example.ru"
    assert str(user) == "anon@example.ru"


@pytest.mark.parametrize(
    "membership",
    [MembershipState.PENDING, MembershipState.CONFIRMED, MembershipState.REJECTED],
)
def test_membership_needs_a_school(membership):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("nobody@example.ru", "x", membership=membership, school=None)


def test_membership_with_school_is_allowed():
    user = User.objects.create_user(
        "t@example.ru", "x", membership=MembershipState.PENDING, school=SchoolFactory()
    )
    assert user.pk


def test_email_is_unique():
    UserFactory(email="same@example.ru")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("same@example.ru", "x")


def test_confirmed_school_only_when_confirmed():
    school = SchoolFactory()
    user = UserFactory.build(school=school, membership=MembershipState.PENDING)
    assert user.confirmed_school is None
    user.membership = MembershipState.CONFIRMED
    assert user.confirmed_school == school


# --- School -------------------------------------------------------------------------------


def test_school_code_is_unique():
    School.objects.create(code="250001", name="Школа", short_name="Школа")
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.create(code="250001", name="Другая", short_name="Другая")


def test_school_code_must_not_be_empty():
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.create(code="", name="Школа", short_name="Школа")


def test_school_str_and_url():
    school = SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»")
    assert str(school) == "МБОУ «СОШ № 3»"
    assert school.get_absolute_url() == "/schools/250103/"


def test_deleting_a_school_without_members_deletes_its_statuses():
    school = SchoolFactory()
    SchoolStatusFactory(school=school)
    school.delete()
    assert not SchoolStatus.objects.exists()


def test_deleting_a_school_with_members_is_handled():
    school = SchoolFactory()
    teacher = TeacherFactory(school=school, membership=MembershipState.CONFIRMED)
    try:
        with transaction.atomic():
            school.delete()
    except ProtectedError:
        return  # refusing to delete a school with members is an acceptable rule
    teacher.refresh_from_db()
    assert teacher.school is None
    assert teacher.membership == MembershipState.NONE


def test_school_status_for_year_only_confirmed():
    school = SchoolFactory()
    SchoolStatusFactory(school=school, year=2023, status=Status.SHNOR)
    SchoolStatusFactory(school=school, year=2024, status=Status.LEADER, confirmed=False)
    assert school.status_for(2023).status == Status.SHNOR
    assert school.status_for(2024) is None
    assert school.status_for(2022) is None


def test_with_status_annotates_confirmed_status_of_the_year():
    a, b, c = SchoolFactory(), SchoolFactory(), SchoolFactory()
    SchoolStatusFactory(school=a, year=2024, status=Status.SHNOR)
    SchoolStatusFactory(school=b, year=2024, status=Status.LEADER, confirmed=False)
    SchoolStatusFactory(school=c, year=2023, status=Status.SHNSU)
    annotated = {s.pk: s.year_status for s in School.objects.with_status(2024)}
    assert annotated == {a.pk: "ШНОР", b.pk: "", c.pk: ""}


def test_districts_are_distinct_sorted_and_non_empty():
    SchoolFactory(district="Южный")
    SchoolFactory(district="Центральный")
    SchoolFactory(district="Центральный")
    SchoolFactory(district="")
    assert School.objects.districts() == ["Центральный", "Южный"]


# --- SchoolStatus -------------------------------------------------------------------------


def test_one_status_per_school_and_year():
    status = SchoolStatusFactory(year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolStatus.objects.create(school=status.school, year=2024, status=Status.LEADER)


@pytest.mark.parametrize("year", [1999, 1899, 2101, 3000])
def test_status_year_must_be_in_range(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolStatus.objects.create(school=SchoolFactory(), year=year, status=Status.SHNOR)


@pytest.mark.parametrize("year", [2000, 2100])
def test_status_year_bounds_are_inclusive(year):
    assert SchoolStatus.objects.create(school=SchoolFactory(), year=year, status=Status.SHNOR)


@pytest.mark.parametrize("status", ["ШНОР?", "шнор", "leader", "X"])
def test_status_must_be_known(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolStatus.objects.create(school=SchoolFactory(), year=2024, status=status)


def test_empty_status_means_none_and_is_allowed():
    record = SchoolStatus.objects.create(school=SchoolFactory(), year=2024, status="")
    assert record.get_status_display() == "Без статуса"
    assert record.css_modifier == "none"


def test_targets_are_confirmed_shnor_and_shnsu_of_the_year():
    shnor = SchoolStatusFactory(year=2024, status=Status.SHNOR)
    shnsu = SchoolStatusFactory(year=2024, status=Status.SHNSU)
    SchoolStatusFactory(year=2024, status=Status.LEADER)
    SchoolStatusFactory(year=2024, status=Status.NONE)
    SchoolStatusFactory(year=2024, status=Status.SHNOR, confirmed=False)
    SchoolStatusFactory(year=2023, status=Status.SHNOR)
    assert set(SchoolStatus.objects.targets(2024)) == {shnor, shnsu}
    assert SchoolStatus.objects.targets(2022).count() == 0


def test_status_str_and_css_modifier():
    record = SchoolStatusFactory(
        school=SchoolFactory(short_name="МБОУ «СОШ № 5»"), year=2024, status=Status.LEADER
    )
    assert str(record) == "МБОУ «СОШ № 5» — 2024: Школа-лидер"
    assert record.css_modifier == "leader"
