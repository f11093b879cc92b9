"""Writes that enforce the agreements' rules: creation, editing (which voids signatures and
starts a new version), the plan, signing under a row lock, termination, completion,
expiry, reports, and partner requests.

Every state change is a Wagtail log entry on the agreement, which is its history.
"""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.models import School, Subject, User
from portal.roles import is_head_of, is_methodologist
from portal.uploads import validate_upload

from .models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    PartnerRequest,
    PlanItem,
    Report,
    Signature,
    SupportKind,
)
from .notifications import heads_of, notify
from .pdf import render_pdf

Role = AgreementParty.Role
State = Agreement.State


def party_schools_of(user: User, agreement: Agreement) -> list[School]:
    """The party schools this user heads."""
    return [
        party.school
        for party in agreement.parties.select_related("school")
        if is_head_of(user, party.school)
    ]


def can_view_internal(user: User, agreement: Agreement) -> bool:
    """Drafts, the plan and the reports: the parties' people and methodologists."""
    if is_methodologist(user):
        return True
    school = getattr(user, "confirmed_school", None) if user.is_authenticated else None
    return school is not None and agreement.parties.filter(school=school).exists()


def can_edit(user: User, agreement: Agreement) -> bool:
    return agreement.is_editable and (
        is_methodologist(user) or bool(party_schools_of(user, agreement))
    )


def next_number(year: int | None = None) -> str:
    year = year or timezone.localdate().year
    prefix = f"ДС-{year}-"
    taken = Agreement.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:03d}"


def _check_terms(start_date, end_date) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Окончание срока не может быть раньше его начала.")})


def _check_parties(leader: School, partners: list[tuple[School, str]]) -> None:
    schools = [leader.pk, *(school.pk for school, _role in partners)]
    if leader.pk in [school.pk for school, _role in partners]:
        raise ValidationError({"partners": _("Школа не может заключить договор сама с собой.")})
    if len(set(schools)) != len(schools):
        raise ValidationError({"partners": _("Каждая школа указывается в договоре один раз.")})
    if not any(role == Role.TARGET for _school, role in partners):
        raise ValidationError(
            {"partners": _("Укажите хотя бы одну школу, которой оказывается поддержка.")}
        )


def _check_no_duplicate(
    leader: School,
    partners: list[tuple[School, str]],
    subjects: list[Subject],
    exclude: Agreement | None = None,
) -> None:
    """No second active agreement between the same schools for the same subjects."""
    subject_ids = {subject.pk for subject in subjects}
    targets = [school for school, role in partners if role == Role.TARGET]
    active = (
        Agreement.objects.filter(state=State.ACTIVE, parties__school=leader)
        .filter(parties__school__in=targets)
        .distinct()
        .prefetch_related("subjects")
    )
    if exclude is not None:
        active = active.exclude(pk=exclude.pk)
    for other in active:
        other_subjects = {subject.pk for subject in other.subjects.all()}
        # An agreement without subjects covers all of them.
        if not subject_ids or not other_subjects or subject_ids & other_subjects:
            raise ValidationError(
                {
                    "subjects": _(
                        "Между этими школами уже действует договор № %(number)s по тем же "
                        "предметам. Дополните его план или выберите другие предметы."
                    )
                    % {"number": other.number}
                }
            )


def _check_support_kinds(kinds: list[str]) -> list[str]:
    unknown = [kind for kind in kinds if kind not in SupportKind.values]
    if unknown:
        raise ValidationError({"support_kinds": _("Неизвестный вид поддержки.")})
    return [kind for kind in SupportKind.values if kind in kinds]


@transaction.atomic
def agreement_create(
    *,
    user: User,
    leader: School,
    partners: list[tuple[School, str]],
    title: str,
    start_date: datetime.date,
    end_date: datetime.date,
    purpose: str = "",
    support_kinds: list[str] | None = None,
    subjects: list[Subject] | None = None,
) -> Agreement:
    subjects = list(subjects or [])
    if not is_methodologist(user) and not any(
        is_head_of(user, school) for school in [leader, *(s for s, _r in partners)]
    ):
        raise PermissionDenied
    _check_terms(start_date, end_date)
    _check_parties(leader, partners)
    _check_no_duplicate(leader, partners, subjects)
    agreement = Agreement.objects.create(
        number=next_number(start_date.year),
        title=title,
        purpose=purpose,
        support_kinds=_check_support_kinds(list(support_kinds or [])),
        start_date=start_date,
        end_date=end_date,
        created_by=user,
    )
    AgreementParty.objects.create(agreement=agreement, school=leader, role=Role.LEADER)
    for school, role in partners:
        AgreementParty.objects.create(agreement=agreement, school=school, role=role)
    agreement.subjects.set(subjects)
    log(agreement, "agreements.create", user=user)
    return agreement


def _start_new_version(agreement: Agreement, user: User) -> None:
    """An edit after a signature voids the signatures and starts a new version."""
    now = timezone.now()
    voided = agreement.signatures.filter(voided_at__isnull=True).update(voided_at=now)
    if voided or agreement.versions.filter(number=agreement.version).exists():
        agreement.version += 1
        if agreement.state == State.PARTLY_SIGNED:
            agreement.state = State.REVIEW
        agreement.save(update_fields=["version", "state", "updated_at"])
        log(
            agreement,
            "agreements.new_version",
            user=user,
            data={"version": agreement.version, "voided": voided},
        )


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


@transaction.atomic
def agreement_update(*, agreement: Agreement, user: User, **fields) -> Agreement:
    agreement = _lock(agreement)
    if not can_edit(user, agreement):
        raise PermissionDenied
    subjects = fields.pop("subjects", None)
    if "support_kinds" in fields:
        fields["support_kinds"] = _check_support_kinds(fields["support_kinds"])
    start = fields.get("start_date", agreement.start_date)
    end = fields.get("end_date", agreement.end_date)
    _check_terms(start, end)
    outside = agreement.plan.filter(Q(start_date__lt=start) | Q(end_date__gt=end))
    if outside.exists():
        raise ValidationError(
            {
                "end_date": _(
                    "В плане есть мероприятия вне нового срока (%(action)s): сначала измените их."
                )
                % {"action": outside.first().action}
            }
        )
    if subjects is not None:
        parties = list(agreement.parties.select_related("school"))
        leader = next(p.school for p in parties if p.role == Role.LEADER)
        partners = [(p.school, p.role) for p in parties if p.role != Role.LEADER]
        _check_no_duplicate(leader, partners, subjects, exclude=agreement)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.save()
    if subjects is not None:
        agreement.subjects.set(subjects)
    _start_new_version(agreement, user)
    log(agreement, "agreements.edit", user=user)
    return agreement


def _check_plan_item(agreement: Agreement, start_date, end_date) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Срок не может быть раньше начала.")})
    if (
        start_date
        and start_date < agreement.start_date
        or end_date
        and (end_date > agreement.end_date)
    ):
        raise ValidationError(
            {
                "start_date": _("Мероприятие должно быть в сроке договора: с %(start)s по %(end)s.")
                % {
                    "start": agreement.start_date.strftime("%d.%m.%Y"),
                    "end": agreement.end_date.strftime("%d.%m.%Y"),
                }
            }
        )


@transaction.atomic
def plan_item_save(
    *, agreement: Agreement, user: User, item: PlanItem | None = None, **fields
) -> PlanItem:
    """Add or change a plan item. Before the agreement is in force this edits the
    agreement (its PDF holds the plan); once in force only the item's status changes."""
    agreement = _lock(agreement)
    if item is not None and item.agreement_id != agreement.pk:
        raise PermissionDenied
    if agreement.is_editable:
        if not can_edit(user, agreement):
            raise PermissionDenied
    elif agreement.state == State.ACTIVE and set(fields) <= {"status"} and item is not None:
        if not (is_methodologist(user) or party_schools_of(user, agreement)):
            raise PermissionDenied
    else:
        raise ValidationError(
            _(
                "Договор уже подписан: план меняется только новой редакцией (статусы пунктов — можно)."
            )
        )
    item = item or PlanItem(agreement=agreement)
    for name, value in fields.items():
        setattr(item, name, value)
    _check_plan_item(agreement, item.start_date, item.end_date)
    item.save()
    if agreement.is_editable:
        _start_new_version(agreement, user)
    return item


@transaction.atomic
def plan_item_delete(*, item: PlanItem, user: User) -> None:
    agreement = _lock(item.agreement)
    if not can_edit(user, agreement):
        raise PermissionDenied
    item.delete()
    _start_new_version(agreement, user)


@transaction.atomic
def agreement_submit(*, agreement: Agreement, user: User) -> Agreement:
    """Draft → на согласовании: the text is fixed as a PDF of this version."""
    agreement = _lock(agreement)
    if not can_edit(user, agreement):
        raise PermissionDenied
    if agreement.state != State.DRAFT:
        raise ValidationError(_("На согласование отправляется только черновик."))
    if not agreement.plan.exists():
        raise ValidationError(_("Добавьте в план хотя бы одно совместное мероприятие."))
    agreement.state = State.REVIEW
    agreement.save(update_fields=["state", "updated_at"])
    version_pdf(agreement)
    log(agreement, "agreements.submit", user=user)
    notify(
        "submitted",
        heads_of(agreement.parties.values_list("school_id", flat=True)),
        agreement=agreement,
    )
    return agreement


def version_pdf(agreement: Agreement) -> AgreementVersion:
    """The stored PDF of the current version, rendered once: rendering again would give
    other bytes, and signatures are of this file's hash."""
    version, _created = AgreementVersion.objects.get_or_create(
        agreement=agreement, number=agreement.version
    )
    if not version.pdf:
        data = render_pdf(agreement, agreement.version)
        version.sha256 = hashlib.sha256(data).hexdigest()
        name = f"dogovor-{agreement.pk}-v{agreement.version}.pdf"
        version.pdf.save(name, ContentFile(data), save=True)
    return version


@transaction.atomic
def agreement_sign(*, agreement: Agreement, user: User) -> Signature:
    """Sign for the school the user heads. The row lock makes two heads signing at the same
    moment both land, and the last one puts the agreement in force."""
    agreement = _lock(agreement)
    schools = party_schools_of(user, agreement)
    if not schools:
        raise PermissionDenied(_("Подписать договор может только руководитель школы-стороны."))
    if agreement.state not in (State.REVIEW, State.PARTLY_SIGNED):
        raise ValidationError(_("Договор в этом состоянии не подписывается."))
    version = version_pdf(agreement)
    signed = set(
        agreement.signatures.filter(version=version, voided_at__isnull=True).values_list(
            "school_id", flat=True
        )
    )
    school = next((school for school in schools if school.pk not in signed), None)
    if school is None:
        raise ValidationError(_("Ваша школа уже подписала эту редакцию договора."))
    now = timezone.now()
    signature = Signature.objects.create(
        agreement=agreement,
        version=version,
        school=school,
        user=user,
        signer_name=user.get_full_name() or user.email,
        signed_at=now,
        sha256=version.sha256,
    )
    signed.add(school.pk)
    parties = set(agreement.parties.values_list("school_id", flat=True))
    if parties <= signed:
        agreement.state = State.ACTIVE
        agreement.signed_at = now
        notify("in_force", heads_of(parties), agreement=agreement)
    else:
        agreement.state = State.PARTLY_SIGNED
    agreement.save(update_fields=["state", "signed_at", "updated_at"])
    log(
        agreement,
        "agreements.sign",
        user=user,
        data={"school": school.short_name, "version": version.number, "sha256": version.sha256},
    )
    return signature


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, user: User, reason: str) -> Agreement:
    agreement = _lock(agreement)
    if not (is_methodologist(user) or party_schools_of(user, agreement)):
        raise PermissionDenied
    if agreement.state != State.ACTIVE:
        raise ValidationError(_("Расторгнуть можно только действующий договор."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину расторжения.")})
    agreement.state = State.TERMINATED
    agreement.termination_reason = reason
    agreement.terminated_on = timezone.localdate()
    agreement.save(update_fields=["state", "termination_reason", "terminated_on", "updated_at"])
    log(agreement, "agreements.terminate", user=user, data={"reason": reason})
    return agreement


@transaction.atomic
def agreement_complete(*, agreement: Agreement, user: User) -> Agreement:
    agreement = _lock(agreement)
    if not (is_methodologist(user) or party_schools_of(user, agreement)):
        raise PermissionDenied
    if agreement.state != State.ACTIVE:
        raise ValidationError(_("Исполненным отмечается только действующий договор."))
    agreement.state = State.COMPLETED
    agreement.save(update_fields=["state", "updated_at"])
    log(agreement, "agreements.complete", user=user)
    return agreement


def expire_agreements(today: datetime.date | None = None) -> int:
    """Active agreements whose term has ended become «истёк» (run daily)."""
    today = today or timezone.localdate()
    count = 0
    for agreement in Agreement.objects.filter(state=State.ACTIVE, end_date__lt=today):
        with transaction.atomic():
            agreement = _lock(agreement)
            if agreement.state == State.ACTIVE and agreement.end_date < today:
                agreement.state = State.EXPIRED
                agreement.save(update_fields=["state", "updated_at"])
                log(agreement, "agreements.expire")
                count += 1
    return count


def document_attach(*, agreement: Agreement, user: User, title: str, upload) -> None:
    from .models import AgreementDocument

    if not (is_methodologist(user) or party_schools_of(user, agreement)):
        raise PermissionDenied
    validate_upload(upload)
    AgreementDocument.objects.create(
        agreement=agreement, title=title, file=upload, uploaded_by=user
    )
    log(agreement, "agreements.document", user=user, data={"title": title})


def report_add(
    *,
    plan_item: PlanItem,
    user: User,
    date: datetime.date,
    done: str,
    evidence: str = "",
    attachment=None,
) -> Report:
    agreement = plan_item.agreement
    if not (is_methodologist(user) or party_schools_of(user, agreement)):
        raise PermissionDenied
    if agreement.state not in (State.ACTIVE, State.COMPLETED, State.EXPIRED):
        raise ValidationError(_("Отчитываться можно по договору, который вступил в силу."))
    if not done.strip():
        raise ValidationError({"done": _("Опишите, что сделано.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Дата отчёта не может быть в будущем.")})
    report = Report(plan_item=plan_item, date=date, done=done, evidence=evidence, author=user)
    if attachment:
        validate_upload(attachment)
        report.attachment = attachment
    report.save()
    if plan_item.status == PlanItem.Status.PLANNED:
        plan_item.status = PlanItem.Status.IN_PROGRESS
        plan_item.save(update_fields=["status"])
    log(agreement, "agreements.report", user=user, data={"item": plan_item.action})
    return report


@transaction.atomic
def partner_request_send(
    *, user: User, from_school: School, to_school: School, subjects=(), message: str = ""
) -> PartnerRequest:
    if not is_head_of(user, from_school):
        raise PermissionDenied
    if from_school.pk == to_school.pk:
        raise ValidationError(_("Нельзя отправить запрос своей школе."))
    if PartnerRequest.objects.filter(
        from_school=from_school, to_school=to_school, state=PartnerRequest.State.SENT
    ).exists():
        raise ValidationError(_("Запрос этой школе уже отправлен и ждёт ответа."))
    request = PartnerRequest.objects.create(
        from_school=from_school, to_school=to_school, message=message, sent_by=user
    )
    request.subjects.set(subjects)
    notify("request", heads_of([to_school.pk]), school=from_school, message=message)
    return request


@transaction.atomic
def partner_request_decide(
    *, request: PartnerRequest, user: User, accept: bool, comment: str = ""
) -> PartnerRequest:
    request = PartnerRequest.objects.select_for_update().get(pk=request.pk)
    if not is_head_of(user, request.to_school):
        raise PermissionDenied
    if request.state != PartnerRequest.State.SENT:
        raise ValidationError(_("На этот запрос уже ответили."))
    request.state = PartnerRequest.State.ACCEPTED if accept else PartnerRequest.State.DECLINED
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_comment = comment
    if accept:
        today = timezone.localdate()
        request.agreement = agreement_create(
            user=user,
            leader=request.to_school,
            partners=[(request.from_school, Role.TARGET)],
            title=_("Сетевое взаимодействие по повышению качества образования"),
            purpose=request.message,
            support_kinds=[SupportKind.CONSULTING, SupportKind.METHODOLOGICAL],
            subjects=list(request.subjects.all()),
            start_date=today,
            end_date=datetime.date(today.year + 1, 12, 31),
        )
    request.save()
    notify(
        "accepted" if accept else "declined",
        heads_of([request.from_school_id]),
        school=request.to_school,
        agreement=request.agreement,
        comment=comment,
    )
    return request
