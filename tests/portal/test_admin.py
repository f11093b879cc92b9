"""The Wagtail admin: who may enter, the school registry screens, the portal's user form."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.admin.viewsets import viewsets

from portal import roles
from portal.models import MembershipState, School, SchoolStatus, Status, User
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    SchoolStatusFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def viewset_url(model, view="index", *args):
    """The URL of a registered admin viewset's view, found by its model (not by a name)."""
    reverse("wagtailadmin_home")  # loads the admin URLconf, which populates the viewsets
    for viewset in viewsets.viewsets:
        if getattr(viewset, "model", None) is model:
            return reverse(viewset.get_url_name(view), args=args)
    raise LookupError(model)


@pytest.fixture
def methodologist_client(client, home_page):
    client.force_login(MethodologistFactory())
    return client


@pytest.fixture
def admin_client_(client, home_page):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, email="root@example.ru"))
    return client


@pytest.fixture
def schools(db):
    return [
        SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»", district="Центральный"),
        SchoolFactory(code="250401", short_name="МАОУ «Гимназия № 1»", district="Северный"),
        SchoolFactory(code="250112", short_name="МБОУ «СОШ № 12»", district="Углекаменск"),
    ]


def listed(response, schools):
    text = response.content.decode()
    return {school.short_name for school in schools if school.short_name in text}


def test_school_viewsets_are_registered_in_the_admin():
    assert viewset_url(School).startswith("/admin/")
    assert viewset_url(SchoolStatus).startswith("/admin/")


def test_methodologist_opens_admin(methodologist_client):
    response = methodologist_client.get("/admin/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()


def test_methodologist_lists_schools(methodologist_client, schools):
    response = methodologist_client.get(viewset_url(School))
    assert response.status_code == 200
    assert listed(response, schools) == {s.short_name for s in schools}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Гимназия", {"МАОУ «Гимназия № 1»"}),
        ("250112", {"МБОУ «СОШ № 12»"}),
        ("Центральный", {"МБОУ «СОШ № 3»"}),
    ],
)
def test_methodologist_searches_schools(methodologist_client, schools, query, expected):
    response = methodologist_client.get(viewset_url(School), {"q": query})
    assert response.status_code == 200
    assert listed(response, schools) == expected


def test_methodologist_edits_school_in_admin(methodologist_client, schools):
    school = schools[0]
    url = viewset_url(School, "edit", school.pk)
    assert methodologist_client.get(url).status_code == 200
    response = methodologist_client.post(
        url,
        {
            "code": school.code,
            "kind": "СОШ",
            "name": "Новое полное наименование",
            "short_name": school.short_name,
            "district": school.district,
            "address": "",
            "head": "",
            "email": "",
            "phone": "",
            "website": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Новое полное наименование"


def test_methodologist_cannot_delete_school(methodologist_client, schools):
    response = methodologist_client.post(viewset_url(School, "delete", schools[0].pk))
    assert response.status_code in (302, 403)
    assert School.objects.filter(pk=schools[0].pk).exists()


def test_methodologist_lists_and_adds_statuses(methodologist_client, schools):
    SchoolStatusFactory(school=schools[1], year=2024, status=Status.LEADER)
    listing = methodologist_client.get(viewset_url(SchoolStatus))
    assert listing.status_code == 200
    assert "МАОУ «Гимназия № 1»" in listing.content.decode()
    response = methodologist_client.post(
        viewset_url(SchoolStatus, "add"),
        {
            "school": schools[0].pk,
            "year": 2024,
            "status": "ШНОР",
            "basis": "приказ",
            "confirmed": "on",
        },
    )
    assert response.status_code == 302
    record = SchoolStatus.objects.get(school=schools[0], year=2024)
    assert record.status == Status.SHNOR
    assert record.confirmed
    # A status set in the admin is the methodologist's own decision.
    assert record.source == SchoolStatus.Source.MANUAL
    assert record.decided_by.groups.filter(name=roles.METHODOLOGIST).exists()


def form_errors(response):
    return re.findall(
        r'(?s)<ul class="errorlist[^"]*">\s*<li>(.*?)</li>', response.content.decode()
    )


def test_duplicate_status_in_admin_is_a_form_error(methodologist_client, schools):
    SchoolStatusFactory(school=schools[0], year=2024, status=Status.SHNOR)
    response = methodologist_client.post(
        viewset_url(SchoolStatus, "add"),
        {"school": schools[0].pk, "year": 2024, "status": "лидер", "basis": "", "confirmed": "on"},
    )
    assert response.status_code == 200
    assert form_errors(response) == ["Статус ОО с такими значениями полей ОО и Год уже существует."]
    assert SchoolStatus.objects.get(school=schools[0], year=2024).status == Status.SHNOR


def test_status_year_out_of_range_in_admin_is_a_form_error(methodologist_client, schools):
    response = methodologist_client.post(
        viewset_url(SchoolStatus, "add"),
        {"school": schools[0].pk, "year": 1899, "status": "ШНОР", "basis": "", "confirmed": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert not SchoolStatus.objects.exists()


def test_status_year_out_of_range_message_names_the_range(methodologist_client, schools):
    response = methodologist_client.post(
        viewset_url(SchoolStatus, "add"),
        {"school": schools[0].pk, "year": 1899, "status": "ШНОР", "basis": "", "confirmed": "on"},
    )
    errors = str(response.context["form"].errors)
    assert "school_status_year_range" not in errors
    assert "2000" in errors


@pytest.mark.parametrize("factory", [TeacherFactory, SchoolHeadFactory])
def test_teachers_and_heads_are_kept_out_of_admin(client, home_page, factory):
    client.force_login(factory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(viewset_url(School)).status_code == 302


def test_anonymous_admin_redirects_to_portal_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_user_edit_form_has_portal_fields(admin_client_, schools):
    user = TeacherFactory(school=schools[0], patronymic="Игоревна", position="учитель физики")
    response = admin_client_.get(reverse("wagtailusers_users:edit", args=[user.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for field in ("patronymic", "position", "phone", "school", "membership"):
        assert re.search(rf'name="{field}"', text), field
    assert 'value="Игоревна"' in text
    assert 'value="учитель физики"' in text
    assert re.search(rf'<option value="{schools[0].pk}" selected>', text)


def test_user_create_form_has_portal_fields(admin_client_):
    response = admin_client_.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    text = response.content.decode()
    for field in ("patronymic", "position", "school", "membership"):
        assert f'name="{field}"' in text, field


def _user_form_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "patronymic": user.patronymic,
        "position": user.position,
        "phone": "",
        "school": user.school_id or "",
        "membership": user.membership,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
    }
    data.update(overrides)
    return data


def test_admin_saves_portal_fields(admin_client_, schools):
    user = TeacherFactory(school=schools[0], membership=MembershipState.PENDING)
    response = admin_client_.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        _user_form_data(
            user,
            patronymic="Андреевна",
            school=schools[1].pk,
            membership=MembershipState.CONFIRMED,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.patronymic == "Андреевна"
    assert user.school == schools[1]
    assert user.membership == MembershipState.CONFIRMED
    assert list(user.groups.values_list("name", flat=True)) == [roles.TEACHER]


def test_admin_membership_without_school_is_a_russian_error(admin_client_, schools):
    user = TeacherFactory(school=schools[0])
    response = admin_client_.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        _user_form_data(user, school="", membership=MembershipState.CONFIRMED),
    )
    assert response.status_code == 200
    assert "Укажите ОО или выберите «Не указана» для членства." in response.content.decode()
    user.refresh_from_db()
    assert user.school == schools[0]


def test_methodologist_cannot_edit_users(methodologist_client):
    user = TeacherFactory()
    response = methodologist_client.get(reverse("wagtailusers_users:edit", args=[user.pk]))
    assert response.status_code in (302, 403)
    assert User.objects.get(pk=user.pk).email == user.email


def test_admin_creates_user_with_portal_fields(admin_client_, schools):
    teacher_group = Group.objects.get(name=roles.TEACHER)
    response = admin_client_.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.teacher@example.ru",
            "first_name": "Денис",
            "last_name": "Кравченко",
            "patronymic": "Олегович",
            "position": "учитель истории",
            "phone": "",
            "school": schools[2].pk,
            "membership": MembershipState.CONFIRMED,
            "password1": "Надёжный-пароль-2024",
            "password2": "Надёжный-пароль-2024",
            "is_active": "on",
            "groups": [teacher_group.pk],
        },
    )
    assert response.status_code == 302, form_errors(response)
    user = User.objects.get(email="new.teacher@example.ru")
    assert user.get_full_name() == "Кравченко Денис Олегович"
    assert user.school == schools[2]
    assert user.membership == MembershipState.CONFIRMED
    assert user.check_password("Надёжный-пароль-2024")
