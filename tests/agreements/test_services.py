"""The agreements' lifecycle and its rules (issue «Partnership agreements»)."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from agreements.models import Agreement, AgreementParty, PartnerRequest, PlanItem, Signature
from agreements.services import (
    agreement_complete,
    agreement_sign,
    agreement_submit,
    agreement_terminate,
    agreement_update,
    expire_agreements,
    partner_request_decide,
    partner_request_send,
    plan_item_save,
    report_add,
)
from monitoring.indicators import compute_year
from portal.models import Status
from tests.factories import SchoolHeadFactory, SchoolStatusFactory, TeacherFactory

pytestmark = pytest.mark.django_db
State = Agreement.State


def signed(make_agreement, leader_head, target_head):
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=target_head)
    agreement.refresh_from_db()
    return agreement


def test_lifecycle_draft_review_partly_signed_active(make_agreement, leader_head, target_head):
    agreement = make_agreement()
    assert agreement.state == State.DRAFT and agreement.number.startswith("ДС-2024-")
    agreement_submit(agreement=agreement, user=leader_head)
    agreement.refresh_from_db()
    assert agreement.state == State.REVIEW
    agreement_sign(agreement=agreement, user=target_head)
    agreement.refresh_from_db()
    assert agreement.state == State.PARTLY_SIGNED and agreement.signed_at is None
    agreement_sign(agreement=agreement, user=leader_head)
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE and agreement.signed_at is not None
    actions = list(ModelLogEntry.objects.for_instance(agreement).values_list("action", flat=True))
    assert actions.count("agreements.sign") == 2 and "agreements.submit" in actions


def test_signature_records_the_hash_of_the_stored_pdf(make_agreement, leader_head, target_head):
    agreement = signed(make_agreement, leader_head, target_head)
    version = agreement.versions.get(number=agreement.version)
    data = version.pdf.read()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert set(agreement.signatures.values_list("sha256", flat=True)) == {version.sha256}
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert f"№ {agreement.number}" in text
    assert "Гимназия № 1" in text and "СОШ № 3" in text
    assert "Открытые уроки учителей математики" in text
    assert "методическая" in text


def test_only_the_head_of_a_party_signs(make_agreement, leader_head, target):
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    outsiders = [TeacherFactory(school=target), SchoolHeadFactory()]
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            agreement_sign(agreement=agreement, user=user)
    assert not Signature.objects.exists()


def test_signing_twice_is_refused(make_agreement, leader_head):
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=leader_head)
    with pytest.raises(ValidationError, match="уже подписала"):
        agreement_sign(agreement=agreement, user=leader_head)


def test_a_draft_is_not_signed(make_agreement, leader_head):
    agreement = make_agreement()
    with pytest.raises(ValidationError):
        agreement_sign(agreement=agreement, user=leader_head)


def test_editing_after_a_signature_voids_it_and_starts_a_new_version(
    make_agreement, leader_head, target_head
):
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=leader_head)
    first = agreement.versions.get(number=1)
    agreement_update(agreement=agreement, user=target_head, purpose="Новая цель")
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.state == State.REVIEW
    assert Signature.objects.get().voided_at is not None
    agreement_sign(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=target_head)
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE
    second = agreement.versions.get(number=2)
    assert second.sha256 != first.sha256 and first.pdf  # the history keeps version 1
    assert agreement.signatures.filter(voided_at__isnull=True, version=second).count() == 2


def test_bad_input_saves_nothing(make_agreement, leader, target, leader_head, maths):
    with pytest.raises(ValidationError, match="раньше"):
        make_agreement(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="сама с собой"):
        make_agreement(partners=[(leader, AgreementParty.Role.TARGET)])
    assert not Agreement.objects.exists()

    agreement = make_agreement(with_plan=False)
    with pytest.raises(ValidationError, match="в сроке договора"):
        plan_item_save(
            agreement=agreement,
            user=leader_head,
            action="Летняя школа",
            start_date=datetime.date(2025, 7, 1),
            end_date=datetime.date(2025, 7, 10),
            responsible="Иванова",
        )
    assert not PlanItem.objects.exists()


def test_second_active_agreement_for_the_same_subjects(
    make_agreement, leader_head, target_head, maths
):
    signed(make_agreement, leader_head, target_head)
    with pytest.raises(ValidationError, match="уже действует договор"):
        make_agreement()
    # Other subjects are another agreement.
    from portal.models import Subject

    physics = Subject.objects.get_or_create(name="Физика", defaults={"slug": "fizika"})[0]
    assert make_agreement(subjects=[physics]).pk


def test_terminating_needs_a_reason(make_agreement, leader_head, target_head):
    agreement = signed(make_agreement, leader_head, target_head)
    with pytest.raises(ValidationError, match="причину"):
        agreement_terminate(agreement=agreement, user=target_head, reason="  ")
    agreement_terminate(agreement=agreement, user=target_head, reason="Реорганизация школы")
    agreement.refresh_from_db()
    assert agreement.state == State.TERMINATED and agreement.terminated_on


def test_expiry_after_the_end_date(make_agreement, leader_head, target_head):
    agreement = signed(make_agreement, leader_head, target_head)
    assert expire_agreements(datetime.date(2025, 6, 30)) == 0
    assert expire_agreements(datetime.date(2025, 7, 1)) == 1
    agreement.refresh_from_db()
    assert agreement.state == State.EXPIRED


def test_complete_and_reports(make_agreement, leader_head, target_head):
    agreement = signed(make_agreement, leader_head, target_head)
    item = agreement.plan.get()
    with pytest.raises(ValidationError):
        report_add(plan_item=item, user=target_head, date=datetime.date(2024, 10, 15), done=" ")
    report_add(
        plan_item=item,
        user=target_head,
        date=datetime.date(2024, 10, 15),
        done="Проведены 3 открытых урока",
        evidence="Протокол № 2",
    )
    item.refresh_from_db()
    assert item.status == PlanItem.Status.IN_PROGRESS
    agreement_complete(agreement=agreement, user=leader_head)
    agreement.refresh_from_db()
    assert agreement.state == State.COMPLETED


def test_partner_request_becomes_a_draft(leader, target, leader_head, target_head, maths):
    request = partner_request_send(
        user=target_head, from_school=target, to_school=leader, subjects=[maths], message="Просим"
    )
    with pytest.raises(ValidationError):
        partner_request_send(user=target_head, from_school=target, to_school=leader)
    with pytest.raises(PermissionDenied):
        partner_request_decide(request=request, user=target_head, accept=True)
    request = partner_request_decide(request=request, user=leader_head, accept=True)
    assert request.state == PartnerRequest.State.ACCEPTED
    agreement = request.agreement
    assert agreement.state == State.DRAFT
    roles = dict(agreement.parties.values_list("school__code", "role"))
    assert roles == {"250401": "leader", "250103": "target"}


def test_indicators_count_agreements(make_agreement, leader, target, leader_head, target_head):
    SchoolStatusFactory(school=target, year=2024, status=Status.SHNOR)
    SchoolStatusFactory(school=target, year=2025, status=Status.SHNOR)
    assert compute_year(2024)["IND-1"].value == 0.0
    agreement = signed(make_agreement, leader_head, target_head)
    year_signed = agreement.signed_at.year
    ind = compute_year(2024)
    assert ind["IND-1"].value == 1.0 and ind["IND-7"].value == 1.0
    assert compute_year(year_signed)["IND-8"].value == 1
    # A terminated agreement still counted in the years its term overlapped before.
    agreement_terminate(agreement=agreement, user=leader_head, reason="Решение сторон")
    assert compute_year(2024)["IND-1"].value == 1.0


def test_daily_round_expires_and_reminds(make_agreement, leader_head, target_head, mailoutbox):
    from agreements.reminders import daily_round

    today = datetime.date.today()
    agreement = make_agreement(
        with_plan=False,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=100),
    )
    plan_item_save(
        agreement=agreement,
        user=leader_head,
        action="Методический семинар для учителей СОШ № 3",
        start_date=today - datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=5),
        responsible="Иванова Е. А.",
    )
    agreement_submit(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=leader_head)
    agreement_sign(agreement=agreement, user=target_head)

    quiet = daily_round(today + datetime.timedelta(days=3))
    assert quiet.overdue_items == 0 and quiet.amber == [] and mailoutbox == []

    # Seven weeks on: the item is overdue and there has been no report for six weeks.
    result = daily_round(today + datetime.timedelta(weeks=7))
    assert result.expired == 0
    assert result.overdue_items == 1 and result.amber == [agreement.number]
    assert {m.to[0] for m in mailoutbox} == {leader_head.email, target_head.email}
    assert "Методический семинар для учителей СОШ № 3" in mailoutbox[0].body
    assert "больше 6 недель" in mailoutbox[0].body

    result = daily_round(today + datetime.timedelta(days=101))
    agreement.refresh_from_db()
    assert result.expired == 1 and agreement.state == State.EXPIRED


def test_heads_are_mailed_at_each_step(
    leader,
    target,
    leader_head,
    target_head,
    maths,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        request = partner_request_send(
            user=target_head, from_school=target, to_school=leader, message="Просим помочь"
        )
    assert mailoutbox[-1].to == [leader_head.email]
    assert "Запрос о партнёрстве" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        request = partner_request_decide(request=request, user=leader_head, accept=True)
    assert mailoutbox[-1].to == [target_head.email]
    assert request.agreement.number in mailoutbox[-1].body
    agreement = request.agreement
    plan_item_save(
        agreement=agreement,
        user=leader_head,
        action="Семинар",
        start_date=agreement.start_date,
        end_date=agreement.start_date,
        responsible="Иванова",
    )
    with django_capture_on_commit_callbacks(execute=True):
        agreement_submit(agreement=agreement, user=leader_head)
    assert sorted(mailoutbox[-1].to) == sorted([leader_head.email, target_head.email])
    assert "ждёт подписи" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        agreement_sign(agreement=agreement, user=leader_head)
        agreement_sign(agreement=agreement, user=target_head)
    assert "вступил в силу" in mailoutbox[-1].subject


def test_attached_documents_are_checked_by_content(make_agreement, leader_head):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.services import document_attach

    agreement = make_agreement()
    with pytest.raises(ValidationError):
        document_attach(
            agreement=agreement,
            user=leader_head,
            title="Приказ",
            upload=SimpleUploadedFile("prikaz.pdf", b"<html>not a pdf</html>"),
        )
    document_attach(
        agreement=agreement,
        user=leader_head,
        title="Приказ о сетевом взаимодействии",
        upload=SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert agreement.documents.get().title == "Приказ о сетевом взаимодействии"
