"""Demo agreements: 13 agreements of the demo's leader schools with the programme's
low-result schools, in every state, with plans, reports, signatures and stored PDFs.
Idempotent: an agreement whose number exists is left as it is."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal.models import School, SchoolStatus, Status, Subject, User
from portal.roles import SCHOOL_HEAD

from .models import Agreement, AgreementParty, PlanItem, Report, Signature
from .services import version_pdf

State = Agreement.State

ACTIONS = [
    (
        "Взаимопосещение уроков математики и русского языка",
        "Зам. директора по УВР",
        "Учителя освоили приёмы работы с группами риска",
    ),
    (
        "Совместный методический семинар «Подготовка к ОГЭ: типичные ошибки»",
        "Руководитель МО",
        "Составлены планы индивидуальной подготовки обучающихся",
    ),
    (
        "Наставничество: закрепление педагога-наставника за молодым учителем",
        "Директор",
        "Сформированы пары наставник — наставляемый",
    ),
    (
        "Диагностическая работа в формате ОГЭ и анализ результатов",
        "Руководитель МО",
        "Выявлены дефициты, скорректированы рабочие программы",
    ),
    (
        "Открытые уроки по формирующему оцениванию",
        "Учитель-методист",
        "Проведено не менее трёх открытых уроков",
    ),
]

# (number, leader index, target indices, state, start, end, signed on, kinds, subject slugs)
PLAN = [
    ("ДС-2022-001", 0, [0], State.COMPLETED, (2022, 1, 10), (2022, 12, 31), (2022, 1, 20)),
    ("ДС-2022-002", 1, [1], State.EXPIRED, (2022, 2, 1), (2023, 6, 30), (2022, 2, 14)),
    ("ДС-2023-001", 0, [2, 3], State.COMPLETED, (2023, 1, 15), (2023, 12, 31), (2023, 1, 30)),
    ("ДС-2023-002", 2, [4], State.TERMINATED, (2023, 3, 1), (2024, 12, 31), (2023, 3, 20)),
    ("ДС-2024-001", 0, [0], State.ACTIVE, (2024, 1, 15), (2027, 6, 30), (2024, 2, 1)),
    ("ДС-2024-002", 1, [1, 5], State.ACTIVE, (2024, 2, 1), (2027, 5, 31), (2024, 2, 20)),
    ("ДС-2024-003", 2, [2], State.ACTIVE, (2024, 3, 1), (2027, 12, 31), (2024, 3, 15)),
    ("ДС-2024-004", 3, [3], State.ACTIVE, (2024, 9, 1), (2027, 8, 31), (2024, 9, 10)),
    ("ДС-2024-005", 0, [6], State.ACTIVE, (2024, 10, 1), (2027, 6, 30), (2024, 10, 14)),
    ("ДС-2025-001", 1, [7], State.ACTIVE, (2025, 1, 20), (2027, 12, 31), (2025, 2, 3)),
    ("ДС-2026-001", 2, [5], State.PARTLY_SIGNED, (2026, 12, 1), (2028, 6, 30), None),
    ("ДС-2026-002", 3, [4], State.REVIEW, (2027, 1, 10), (2028, 12, 31), None),
    ("ДС-2026-003", 0, [7], State.DRAFT, (2027, 1, 15), (2028, 6, 30), None),
]

TITLES = [
    "Методическое сопровождение учителей математики при подготовке к ОГЭ",
    "Повышение качества преподавания русского языка в 5–9 классах",
    "Сетевое взаимодействие по подготовке к государственной итоговой аттестации",
    "Наставничество для молодых учителей и работа с обучающимися группы риска",
    "Совместная система оценки качества образования: диагностика и анализ результатов",
]

SUBJECT_SETS = [["matematika"], ["russkij-yazyk"], ["matematika", "russkij-yazyk"], []]


def _date(parts):
    return datetime.date(*parts) if parts else None


def _schools(status: str, year: int) -> list[School]:
    ids = SchoolStatus.objects.filter(year=year, status=status, confirmed=True).values_list(
        "school_id", flat=True
    )
    return list(School.objects.filter(pk__in=ids).order_by("code"))


@transaction.atomic
def build(stdout=None) -> None:
    leaders = _schools(Status.LEADER, 2024)
    targets = _schools(Status.SHNOR, 2022) or _schools(Status.SHNOR, 2024)
    if len(leaders) < 4 or len(targets) < 8:
        if stdout:
            stdout.write("Договоры: в демо-данных мало школ-лидеров или ШНОР, пропускаю.")
        return
    subjects = {s.slug: s for s in Subject.objects.all()}
    heads = {
        user.school_id: user
        for user in User.objects.filter(groups__name=SCHOOL_HEAD).exclude(school=None)
    }
    created = 0
    for index, (number, leader_i, target_is, state, start, end, signed_on) in enumerate(PLAN):
        if Agreement.objects.filter(number=number).exists():
            continue
        leader = leaders[leader_i]
        partners = [targets[i] for i in target_is]
        agreement = Agreement.objects.create(
            number=number,
            title=TITLES[index % len(TITLES)],
            purpose=(
                "Снижение доли неудовлетворительных результатов ВПР и ОГЭ, повышение "
                "профессиональной компетентности учителей через методическую поддержку "
                "школы-лидера."
            ),
            support_kinds=["consulting", "methodological", "organisational"][: 2 + index % 2],
            start_date=_date(start),
            end_date=_date(end),
        )
        agreement.subjects.set(
            [subjects[slug] for slug in SUBJECT_SETS[index % 4] if slug in subjects]
        )
        AgreementParty.objects.create(
            agreement=agreement, school=leader, role=AgreementParty.Role.LEADER
        )
        for school in partners:
            AgreementParty.objects.create(
                agreement=agreement, school=school, role=AgreementParty.Role.TARGET
            )
        term_days = (agreement.end_date - agreement.start_date).days
        today = timezone.localdate()
        for step, (action, responsible, result) in enumerate(ACTIONS[: 3 + index % 3]):
            item_start = agreement.start_date + datetime.timedelta(days=term_days * step // 6)
            item_end = min(item_start + datetime.timedelta(days=45), agreement.end_date)
            # One active partnership is left behind (overdue items, no recent reports) so
            # the amber flag and the reminders have something to show.
            lagging = number == "ДС-2024-004"
            done = item_end < today and (
                state in (State.COMPLETED, State.EXPIRED, State.ACTIVE)
                and not lagging
                or state == State.TERMINATED
                and step == 0
            )
            item = PlanItem.objects.create(
                agreement=agreement,
                action=action,
                start_date=item_start,
                end_date=item_end,
                responsible=f"{responsible} {leader.short_name}",
                expected_result=result,
                status=PlanItem.Status.DONE if done else PlanItem.Status.PLANNED,
                sort_order=step,
            )
            if done:
                Report.objects.create(
                    plan_item=item,
                    date=item_end,
                    done=f"{action}: мероприятие проведено, участвовали учителя "
                    f"{', '.join(s.short_name for s in partners)}.",
                    evidence="Протокол заседания и лист регистрации размещены на сайтах школ.",
                )
        started = agreement.plan.filter(start_date__lte=today).order_by("-start_date").first()
        if state == State.ACTIVE and number != "ДС-2024-004" and started is not None:
            Report.objects.create(
                plan_item=started,
                date=today - datetime.timedelta(days=10 + index),
                done="Проведена рабочая встреча педагогов школ-партнёров, обсуждены результаты "
                "диагностических работ и скорректирован план подготовки к ГИА.",
                evidence="Протокол встречи размещён в сетевом сообществе.",
            )
        if state != State.DRAFT:
            version = version_pdf(agreement)
            signers = [leader, *partners] if signed_on else [partners[0]]
            moment = timezone.make_aware(
                datetime.datetime.combine(_date(signed_on) or today, datetime.time(11, 0))
            )
            for school in signers:
                head = heads.get(school.pk)
                Signature.objects.create(
                    agreement=agreement,
                    version=version,
                    school=school,
                    user=head,
                    signer_name=(head.get_full_name() if head else school.head) or school.head,
                    signed_at=moment,
                    sha256=version.sha256,
                )
            if signed_on:
                agreement.signed_at = moment
        agreement.state = state
        if state == State.TERMINATED:
            agreement.terminated_on = datetime.date(2024, 5, 20)
            agreement.termination_reason = (
                "Расторгнут по соглашению сторон: школа переведена в перечень ШНСУ, поддержка "
                "продолжается по региональной программе."
            )
        agreement.save()
        log(agreement, "agreements.create")
        created += 1
    if stdout:
        stdout.write(f"Договоры о сотрудничестве: добавлено {created}.")
