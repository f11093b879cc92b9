"""Confirming teachers' school membership: services.membership_decide, the cabinet's list of
requests and the decision view."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from portal import services
from portal.models import MembershipState
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    return SchoolFactory(short_name="МБОУ «СОШ № 3»")


@pytest.fixture
def other_school(db):
    return SchoolFactory(short_name="МБОУ «СОШ № 12»")


@pytest.fixture
def pending(school):
    return TeacherFactory(
        school=school,
        membership=MembershipState.PENDING,
        last_name="Кравченко",
        first_name="Денис",
        patronymic="Олегович",
        email="kravchenko@example.ru",
    )


@pytest.fixture
def head(school):
    return SchoolHeadFactory(school=school, email="head@example.ru")


def test_head_of_same_school_confirms(head, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.membership_decide(member=pending, decided_by=head, approve=True)
    pending.refresh_from_db()
    assert pending.membership == MembershipState.CONFIRMED
    assert pending.membership_decided_by == head
    assert pending.membership_decided_at is not None
    assert member.membership == MembershipState.CONFIRMED

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kravchenko@example.ru"]
    assert message.subject == "Членство в МБОУ «СОШ № 3» подтверждено"
    assert "Здравствуйте, Денис!" in message.body
    assert "подтверждено" in message.body

    entry = ModelLogEntry.objects.get(action="portal.membership_confirmed")
    assert entry.user_id == head.pk
    assert entry.object_id == str(pending.pk)


def test_head_of_same_school_rejects(head, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(member=pending, decided_by=head, approve=False)
    pending.refresh_from_db()
    assert pending.membership == MembershipState.REJECTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Заявка на членство в МБОУ «СОШ № 3» отклонена"
    assert "отклонена" in mail.outbox[0].body
    assert ModelLogEntry.objects.filter(action="portal.membership_rejected").exists()


def test_no_email_before_commit(head, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_decide(member=pending, decided_by=head, approve=True)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_head_of_another_school_is_denied(other_school, pending):
    other_head = SchoolHeadFactory(school=other_school)
    with pytest.raises(PermissionDenied):
        services.membership_decide(member=pending, decided_by=other_head, approve=True)
    pending.refresh_from_db()
    assert pending.membership == MembershipState.PENDING


def test_methodologist_decides_any(pending, other_school, django_capture_on_commit_callbacks):
    methodologist = MethodologistFactory()
    another = TeacherFactory(school=other_school, membership=MembershipState.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(member=pending, decided_by=methodologist, approve=True)
        services.membership_decide(member=another, decided_by=methodologist, approve=False)
    pending.refresh_from_db()
    another.refresh_from_db()
    assert pending.membership == MembershipState.CONFIRMED
    assert another.membership == MembershipState.REJECTED
    assert len(mail.outbox) == 2


def test_plain_teacher_cannot_decide(school, pending):
    colleague = TeacherFactory(school=school)
    with pytest.raises(PermissionDenied):
        services.membership_decide(member=pending, decided_by=colleague, approve=True)
    pending.refresh_from_db()
    assert pending.membership == MembershipState.PENDING


def test_head_with_pending_membership_cannot_decide(school, pending):
    unconfirmed_head = SchoolHeadFactory(school=school, membership=MembershipState.PENDING)
    with pytest.raises(PermissionDenied):
        services.membership_decide(member=pending, decided_by=unconfirmed_head, approve=True)


@pytest.mark.parametrize("state", [MembershipState.CONFIRMED, MembershipState.REJECTED])
def test_non_pending_member_cannot_be_decided(head, school, state):
    member = TeacherFactory(school=school, membership=state)
    with pytest.raises(PermissionDenied):
        services.membership_decide(member=member, decided_by=head, approve=True)
    member.refresh_from_db()
    assert member.membership == state
    assert mail.outbox == []


def test_member_without_school_cannot_be_decided(head):
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        services.membership_decide(member=member, decided_by=MethodologistFactory(), approve=True)


def test_pending_members_for_each_role(head, pending, other_school):
    elsewhere = TeacherFactory(school=other_school, membership=MembershipState.PENDING)
    TeacherFactory(school=head.school)  # confirmed: not a request
    assert list(services.pending_members_for(head)) == [pending]
    assert set(services.pending_members_for(MethodologistFactory())) == {pending, elsewhere}
    assert list(services.pending_members_for(TeacherFactory(school=head.school))) == []


# --- The cabinet -----------------------------------------------------------------------------


def test_anonymous_cabinet_redirects_to_login(client):
    response = client.get("/cabinet/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cabinet/")


def test_cabinet_lists_own_school_requests_for_head(client, head, pending, other_school):
    TeacherFactory(school=other_school, membership=MembershipState.PENDING, last_name="Посторонний")
    client.force_login(head)
    response = client.get("/cabinet/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Заявки педагогов на подтверждение членства" in text
    assert "Кравченко Денис Олегович" in text
    assert "Посторонний" not in text
    assert f'name="member" value="{pending.pk}"' in text


def test_cabinet_lists_all_requests_for_methodologist(client, pending, other_school):
    TeacherFactory(school=other_school, membership=MembershipState.PENDING, last_name="Ефимова")
    client.force_login(MethodologistFactory())
    text = client.get("/cabinet/").content.decode()
    assert "Кравченко Денис Олегович" in text
    assert "Ефимова" in text
    assert "МБОУ «СОШ № 12»" in text


def test_cabinet_has_no_requests_for_teacher(client, school, pending):
    client.force_login(TeacherFactory(school=school))
    text = client.get("/cabinet/").content.decode()
    assert "Заявки педагогов" not in text
    assert "Кравченко" not in text


def test_cabinet_shows_pending_notice_to_the_member(client, pending):
    client.force_login(pending)
    text = client.get("/cabinet/").content.decode()
    assert "Ожидает подтверждения" in text
    assert "Руководитель вашей школы или методист подтвердит" in text


def test_decision_view_confirms(client, head, pending, django_capture_on_commit_callbacks):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cabinet/membership/", {"member": pending.pk, "decision": "confirm"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/"
    pending.refresh_from_db()
    assert pending.membership == MembershipState.CONFIRMED
    assert len(mail.outbox) == 1
    followed = client.get("/cabinet/").content.decode()
    assert "Членство Кравченко Денис Олегович подтверждено." in followed
    assert f'name="member" value="{pending.pk}"' not in followed


def test_decision_view_rejects(client, head, pending, django_capture_on_commit_callbacks):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cabinet/membership/", {"member": pending.pk, "decision": "reject"})
    pending.refresh_from_db()
    assert pending.membership == MembershipState.REJECTED
    assert "Заявка Кравченко Денис Олегович отклонена." in client.get("/cabinet/").content.decode()


def test_decision_view_forbidden_for_other_head(client, other_school, pending):
    client.force_login(SchoolHeadFactory(school=other_school))
    response = client.post("/cabinet/membership/", {"member": pending.pk, "decision": "confirm"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.membership == MembershipState.PENDING


def test_decision_view_with_unknown_member(client, head):
    client.force_login(head)
    response = client.post("/cabinet/membership/", {"member": 999999, "decision": "confirm"})
    assert response.status_code == 302
    assert "Заявка не найдена." in client.get("/cabinet/").content.decode()


def test_decision_view_requires_post_and_login(client, head, pending):
    assert client.post("/cabinet/membership/", {"member": pending.pk}).status_code == 302
    client.force_login(head)
    assert client.get("/cabinet/membership/").status_code == 405


# --- Notifying the deciders of a new request ---------------------------------------------------


SIGNUP = {
    "email": "novikova@example.ru",
    "last_name": "Новикова",
    "first_name": "Ольга",
    "patronymic": "Ивановна",
    "position": "учитель химии",
    "phone": "",
    "password1": "Надёжный-пароль-2024",
    "password2": "Надёжный-пароль-2024",
    "personal_data_consent": "on",
}


def test_signup_notifies_the_head_of_the_school(
    client, school, head, other_school, django_capture_on_commit_callbacks
):
    SchoolHeadFactory(school=other_school, email="other-head@example.ru")
    MethodologistFactory(email="metodist@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {**SIGNUP, "school": school.pk})
    assert response.status_code == 302
    requests = [m for m in mail.outbox if "просит подтвердить членство" in m.subject]
    assert len(requests) == 1
    message = requests[0]
    assert message.to == ["head@example.ru"]
    assert message.subject == "Новый педагог просит подтвердить членство в МБОУ «СОШ № 3»"
    assert "Новикова Ольга Ивановна" in message.body
    assert "/cabinet/#membership-requests" in message.body


def test_signup_notifies_methodologists_when_school_has_no_head(
    client, school, django_capture_on_commit_callbacks
):
    MethodologistFactory(email="metodist@example.ru")
    MethodologistFactory(email="retired@example.ru", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {**SIGNUP, "school": school.pk})
    requests = [m for m in mail.outbox if "просит подтвердить членство" in m.subject]
    assert [m.to for m in requests] == [["metodist@example.ru"]]


def test_membership_deciders(school, head):
    SchoolHeadFactory(school=school, membership=MembershipState.PENDING)  # not yet the head
    assert list(services.membership_deciders(school)) == [head]
    empty = SchoolFactory()
    methodologist = MethodologistFactory()
    assert list(services.membership_deciders(empty)) == [methodologist]
