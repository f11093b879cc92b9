"""The roles data migration (portal/migrations/0003_roles.py) and portal.roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from portal import roles
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _codenames(group):
    return {
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in group.permissions.select_related("content_type")
    }


def test_the_four_role_groups_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Учитель", "Руководитель ОО", "Методист", "Администратор"} <= names
    assert set(roles.ROLE_NAMES) == {"Учитель", "Руководитель ОО", "Методист", "Администратор"}


def test_methodologist_group_model_permissions():
    perms = _codenames(Group.objects.get(name=roles.METHODOLOGIST))
    assert {
        "wagtailadmin.access_admin",
        "portal.change_school",
        "portal.add_schoolstatus",
        "portal.change_schoolstatus",
        "portal.confirm_membership",
    } <= perms
    # Methodologists manage the registry but do not delete schools or manage users.
    assert "portal.delete_school" not in perms
    assert "portal.change_user" not in perms
    assert "portal.add_user" not in perms


def test_methodologist_group_page_permissions_on_the_root_page():
    group = Group.objects.get(name=roles.METHODOLOGIST)
    root = Page.get_first_root_node()
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=root).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= codenames
    collection_codenames = set(
        GroupCollectionPermission.objects.filter(
            group=group, collection=Collection.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_document", "choose_document", "add_image", "choose_image"} <= collection_codenames


def test_methodologist_user_can_publish_pages_under_the_home_page(home_page):
    methodologist = MethodologistFactory()
    assert methodologist.has_perm("wagtailadmin.access_admin")
    assert methodologist.has_perm("portal.confirm_membership")
    tester = home_page.permissions_for_user(methodologist)
    assert tester.can_add_subpage()
    assert tester.can_edit()
    assert tester.can_publish()


@pytest.mark.parametrize("role", [roles.TEACHER, roles.SCHOOL_HEAD])
def test_teachers_and_heads_have_no_admin_access(role, home_page):
    group = Group.objects.get(name=role)
    assert "wagtailadmin.access_admin" not in _codenames(group)
    assert not GroupPagePermission.objects.filter(group=group).exists()
    user = UserFactory(role=role)
    assert not user.has_perm("wagtailadmin.access_admin")
    assert not home_page.permissions_for_user(user).can_add_subpage()


def test_administrator_group_has_every_permission():
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    missing = Permission.objects.exclude(group=group).select_related("content_type")
    assert [f"{p.content_type.app_label}.{p.codename}" for p in missing] == []


def test_administrator_group_has_the_portal_and_admin_permissions():
    perms = _codenames(Group.objects.get(name=roles.ADMINISTRATOR))
    assert {
        "wagtailadmin.access_admin",
        "portal.add_user",
        "portal.change_user",
        "portal.delete_school",
        "portal.confirm_membership",
        "auth.change_group",
    } <= perms


def test_administrator_page_permissions_on_the_root_page():
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    codenames = set(
        GroupPagePermission.objects.filter(
            group=group, page=Page.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page"} <= codenames


def test_role_questions():
    school = SchoolFactory()
    other = SchoolFactory()
    head = SchoolHeadFactory(school=school)
    teacher = TeacherFactory(school=school)
    methodologist = MethodologistFactory()
    superuser = UserFactory(is_superuser=True)
    admin = UserFactory(role=roles.ADMINISTRATOR)

    assert roles.is_head_of(head, school)
    assert not roles.is_head_of(head, other)
    assert not roles.is_head_of(teacher, school)
    assert roles.can_manage_school(head, school)
    assert not roles.can_manage_school(head, other)
    assert not roles.can_manage_school(teacher, school)
    assert roles.can_manage_school(methodologist, other)
    assert roles.is_methodologist(admin)
    assert roles.is_methodologist(superuser)
    assert roles.is_administrator(superuser)
    assert not roles.is_administrator(methodologist)
    assert roles.role_labels(superuser) == [roles.ADMINISTRATOR]
    assert roles.role_labels(teacher) == [roles.TEACHER]


def test_head_with_unconfirmed_membership_is_not_the_head():
    school = SchoolFactory()
    head = SchoolHeadFactory(school=school, membership="pending")
    assert not roles.is_head_of(head, school)
    assert not roles.can_manage_school(head, school)


def test_anonymous_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not roles.has_role(anonymous, roles.TEACHER)
    assert not roles.is_methodologist(anonymous)
    assert not roles.can_manage_school(anonymous, SchoolFactory())
    assert roles.role_labels(anonymous) == []
