"""The registry, an agreement's page and its actions, through HTTP."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, PartnerRequest, PlanItem
from agreements.services import agreement_sign, agreement_submit
from portal.models import Status, Subject
from tests.factories import SchoolFactory, SchoolHeadFactory, SchoolStatusFactory, TeacherFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Пароль-для-тестов-1"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def active(make_agreement, leader_head, target_head):
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=target_head)
    agreement.refresh_from_db()
    return agreement


def test_registry_lists_agreements_in_force_only(client, home_page, make_agreement, active):
    physics = Subject.objects.get_or_create(name="Физика", defaults={"slug": "fizika"})[0]
    draft = make_agreement(subjects=[physics], title="Черновик по физике")
    response = client.get("/agreements/")
    assert response.status_code == 200
    html = response.content.decode()
    assert active.number in html and draft.number not in html
    assert "Гимназия № 1" in html and "действует" in html
    assert (
        client.get("/agreements/?kind=methodological&state=active")
        .content.decode()
        .count(active.number)
    )
    assert active.number not in client.get("/agreements/?kind=staff").content.decode()
    assert active.number not in client.get("/agreements/?q=несуществующее").content.decode()
    assert active.number in client.get("/agreements/?q=гимназия").content.decode()


def test_registry_query_count_does_not_grow(
    client, home_page, make_agreement, active, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        client.get("/agreements/")


def test_draft_is_seen_by_parties_and_methodologists_only(
    client, home_page, make_agreement, target_head, methodologist
):
    draft = make_agreement()
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(client, SchoolHeadFactory()).get(url).status_code == 404
    assert client.get(reverse("agreements:pdf", args=[draft.pk])).status_code == 404
    for user in (target_head, methodologist):
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert "Открытые уроки учителей математики" in response.content.decode()


def test_public_page_of_an_active_agreement_has_the_pdf_but_not_the_plan(client, home_page, active):
    response = client.get(active.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "Текст договора, PDF" in html
    assert "Открытые уроки" not in html  # the plan is for the parties
    pdf = client.get(reverse("agreements:pdf", args=[active.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_sign_by_someone_else_is_403(client, home_page, make_agreement, leader_head, target):
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    teacher = TeacherFactory(school=target)
    response = login(client, teacher).post(reverse("agreements:sign", args=[agreement.pk]))
    assert response.status_code == 403
    assert not agreement.signatures.exists()


def test_both_heads_sign_through_the_page(
    client, home_page, make_agreement, leader_head, target_head
):
    agreement = make_agreement()
    login(client, leader_head).post(reverse("agreements:submit", args=[agreement.pk]))
    for head in (leader_head, target_head):
        page = login(client, head).get(agreement.get_absolute_url()).content.decode()
        assert "Подписать от имени школы" in page
        client.post(reverse("agreements:sign", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE


def test_create_form_shows_errors_next_to_fields(client, home_page, leader, target, leader_head):
    response = login(client, leader_head).post(
        reverse("agreements:create"),
        {
            "leader": leader.pk,
            "partners": [leader.pk],
            "title": "Договор",
            "support_kinds": ["methodological"],
            "start_date": "2025-01-01",
            "end_date": "2024-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Окончание срока не может быть раньше его начала." in html
    assert not Agreement.objects.exists()
    response = login(client, leader_head).post(
        reverse("agreements:create"),
        {
            "leader": leader.pk,
            "partners": [leader.pk],
            "title": "Договор",
            "support_kinds": ["methodological"],
            "start_date": "2024-01-01",
            "end_date": "2025-01-01",
        },
    )
    assert "сама с собой" in response.content.decode()
    assert not Agreement.objects.exists()


def test_plan_item_outside_the_term_is_refused(client, home_page, make_agreement, leader_head):
    agreement = make_agreement(with_plan=False)
    response = login(client, leader_head).post(
        reverse("agreements:plan_add", args=[agreement.pk]),
        {
            "action": "Летняя школа",
            "start_date": "2025-07-01",
            "end_date": "2025-07-10",
            "responsible": "Иванова",
            "status": "planned",
        },
    )
    assert "в сроке договора" in response.content.decode()
    assert not PlanItem.objects.exists()


def test_terminate_needs_a_reason(client, home_page, active, target_head):
    url = reverse("agreements:terminate", args=[active.pk])
    response = login(client, target_head).post(url, {"reason": ""})
    assert response.status_code == 200 and "field__error" in response.content.decode()
    login(client, target_head).post(url, {"reason": "Реорганизация"})
    active.refresh_from_db()
    assert active.state == Agreement.State.TERMINATED


def test_finder_request_accept(client, home_page, leader, target, leader_head, target_head):
    SchoolStatusFactory(school=leader, year=2024, status=Status.LEADER)
    SchoolStatusFactory(school=target, year=2024, status=Status.SHNOR)
    other = SchoolFactory()
    SchoolStatusFactory(school=other, year=2024, status=Status.LEADER)
    page = login(client, target_head).get(reverse("agreements:finder")).content.decode()
    assert "Гимназия № 1" in page and other.short_name in page
    client.post(
        reverse("agreements:request", args=[leader.code]), {"message": "Просим о помощи по ОГЭ"}
    )
    request = PartnerRequest.objects.get()
    assert login(client, leader_head).get(reverse("agreements:requests")).status_code == 200
    response = client.post(reverse("agreements:decide", args=[request.pk]), {"decision": "accept"})
    request.refresh_from_db()
    assert request.state == PartnerRequest.State.ACCEPTED
    assert response.url == request.agreement.get_absolute_url()


def test_school_page_lists_its_agreements(client, home_page, active, target):
    html = client.get(target.get_absolute_url()).content.decode()
    assert active.number in html


def test_cabinet_shows_the_schools_agreements(client, home_page, active, target_head):
    html = login(client, target_head).get("/cabinet/").content.decode()
    assert "Договоры школы" in html and active.number in html


def test_school_dashboard_lists_all_its_agreements(client, home_page, make_agreement, target_head):
    draft = make_agreement()
    html = (
        login(client, target_head)
        .get(f"/monitoring/schools/{draft.parties.get(role='target').school.code}/")
        .content.decode()
    )
    assert draft.number in html and "черновик" in html


def test_attachments_are_private(client, home_page, active, target_head, leader_head):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.services import document_attach

    document_attach(
        agreement=active,
        user=leader_head,
        title="Приказ",
        upload=SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    document = active.documents.get()
    url = reverse("agreements:document_file", args=[active.pk, document.pk])
    assert client.get(url).status_code == 404
    assert login(client, SchoolHeadFactory()).get(url).status_code == 404
    response = login(client, target_head).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 — no public URL at all
