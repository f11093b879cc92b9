"""Suggested mentors for a mentee, ranked, each with the reasons (issue 6):

- the same subject: the subjects of the mentee's latest staff-list entry (monitoring.StaffEntry)
  and diagnostics, against the mentor's staff-list subjects and declared MentorProfile subjects;
- the mentee's diagnosed deficits (their latest diagnostic of each kind and subject) covered by
  the mentor's strengths: declared in the MentorProfile, or the mentor's own latest diagnostic
  of that kind and subject scoring STRONG_SCORE or more;
- the mentor's school: a leader school, and its failing share in the latest year of results
  below the municipal one (a ШНОР/ШНСУ school counts against);
- how many open pairs the mentor already has (each one lowers the rank).

The reads are a fixed handful of queries whatever the number of teachers.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from monitoring.models import (
    AssessmentResult,
    Diagnostic,
    StaffEntry,
    Teacher,
    subject_key,
)
from portal import roles
from portal.models import MembershipState, SchoolStatus, Status, User
from portal.models.schools import TARGET_STATUSES

from .models import MentoringPair
from .models.mentoring import OPEN_STATES

STRONG_SCORE = Decimal(80)
LIMIT = 10


@dataclass
class Suggestion:
    user: User
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    open_pairs: int = 0
    subjects: list[str] = field(default_factory=list)


def _split_subjects(text: str) -> set[str]:
    return {subject_key(part) for part in re.split(r"[,;/]", text or "") if part.strip()}


def _latest_subjects(teacher_ids) -> dict[int, set[str]]:
    """teacher id → subject keys of their latest staff-list entry."""
    latest: dict[int, tuple[int, set[str]]] = {}
    for teacher_id, year, subjects in StaffEntry.objects.filter(
        teacher_id__in=teacher_ids
    ).values_list("teacher_id", "year", "subjects"):
        if teacher_id not in latest or year > latest[teacher_id][0]:
            latest[teacher_id] = (year, _split_subjects(subjects))
        elif year == latest[teacher_id][0]:
            latest[teacher_id][1].update(_split_subjects(subjects))
    return {teacher_id: subjects for teacher_id, (_y, subjects) in latest.items()}


def _latest_diagnostics(teacher_ids) -> dict[int, dict[tuple[str, str], Diagnostic]]:
    """teacher id → {(kind, subject key): their latest diagnostic of that series}."""
    found: dict[int, dict[tuple[str, str], Diagnostic]] = {}
    for diagnostic in Diagnostic.objects.filter(teacher_id__in=teacher_ids).order_by("date"):
        found.setdefault(diagnostic.teacher_id, {})[(diagnostic.kind, diagnostic.subject_key)] = (
            diagnostic
        )
    return found


def _school_failing(school_ids) -> tuple[dict[int, Decimal], Decimal | None, int | None]:
    """Failing shares (%) of the schools and of the municipality in the latest year."""
    year = AssessmentResult.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return {}, None, None
    rows = (
        AssessmentResult.objects.filter(year=year)
        .values("school_id")
        .annotate(p=Sum("participants"), f=Sum("failed"))
        .order_by()
    )
    shares, total_p, total_f = {}, 0, 0
    for row in rows:
        total_p += row["p"] or 0
        total_f += row["f"] or 0
        if row["school_id"] in school_ids and row["p"]:
            shares[row["school_id"]] = Decimal(100 * row["f"]) / row["p"]
    municipal = Decimal(100 * total_f) / total_p if total_p else None
    return shares, municipal, year


def _latest_statuses(school_ids) -> dict[int, str]:
    statuses: dict[int, str] = {}
    for school_id, status in (
        SchoolStatus.objects.confirmed()
        .filter(school_id__in=school_ids)
        .order_by("year")
        .values_list("school_id", "status")
    ):
        statuses[school_id] = status
    return statuses


def mentee_needs(mentee: User) -> dict:
    """What the suggestions match: the mentee's subjects and deficits."""
    teacher = Teacher.objects.filter(user=mentee).first()
    if teacher is None:
        return {"teacher": None, "subjects": set(), "deficits": []}
    subjects = _latest_subjects([teacher.pk]).get(teacher.pk, set())
    deficits = []
    for (kind, key), diagnostic in _latest_diagnostics([teacher.pk]).get(teacher.pk, {}).items():
        if key:
            subjects.add(key)
        for deficit in diagnostic.deficits or []:
            deficits.append((kind, key, str(deficit)))
    return {"teacher": teacher, "subjects": subjects, "deficits": deficits}


def suggest_mentors(mentee: User, limit: int = LIMIT) -> list[Suggestion]:
    needs = mentee_needs(mentee)
    candidates = list(
        User.objects.filter(
            groups__name=roles.TEACHER, membership=MembershipState.CONFIRMED, is_active=True
        )
        .exclude(pk=mentee.pk)
        .exclude(mentor_profile__available=False)
        .select_related("school", "mentor_profile")
        .distinct()
    )
    if not candidates:
        return []
    user_ids = [user.pk for user in candidates]
    teachers = dict(Teacher.objects.filter(user_id__in=user_ids).values_list("user_id", "pk"))
    staff_subjects = _latest_subjects(teachers.values())
    diagnostics = _latest_diagnostics(teachers.values())
    declared: dict[int, set[str]] = {}
    for user_id, name in User.objects.filter(
        pk__in=user_ids, mentor_profile__subjects__isnull=False
    ).values_list("pk", "mentor_profile__subjects__name"):
        declared.setdefault(user_id, set()).add(subject_key(name))
    school_ids = {user.school_id for user in candidates}
    statuses = _latest_statuses(school_ids)
    failing, municipal, results_year = _school_failing(school_ids)
    open_pairs = dict(
        MentoringPair.objects.filter(mentor_id__in=user_ids, state__in=OPEN_STATES)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )

    suggestions = []
    for user in candidates:
        suggestion = Suggestion(user=user, open_pairs=open_pairs.get(user.pk, 0))
        teacher_id = teachers.get(user.pk)
        subjects = staff_subjects.get(teacher_id, set()) | declared.get(user.pk, set())
        suggestion.subjects = sorted(subjects)
        common = sorted(subjects & needs["subjects"])
        if common:
            suggestion.score += 3
            suggestion.reasons.append(_("тот же предмет: %(s)s") % {"s": ", ".join(common)})
        profile = getattr(user, "mentor_profile", None)
        strengths = {str(s).casefold() for s in (profile.strengths if profile else [])}
        own = diagnostics.get(teacher_id, {})
        for kind, key, deficit in needs["deficits"]:
            if deficit.casefold() in strengths:
                suggestion.score += 2
                suggestion.reasons.append(
                    _("закрывает дефицит «%(d)s»: заявленная сильная сторона") % {"d": deficit}
                )
            elif (kind, key) in own and own[(kind, key)].score >= STRONG_SCORE:
                suggestion.score += 2
                suggestion.reasons.append(
                    _("закрывает дефицит «%(d)s»: своя диагностика — %(score)s баллов")
                    % {"d": deficit, "score": f"{own[(kind, key)].score:.0f}"}
                )
        status = statuses.get(user.school_id)
        if status == Status.LEADER:
            suggestion.score += 2
            suggestion.reasons.append(_("школа-лидер"))
        elif status in TARGET_STATUSES:
            suggestion.score -= 3
            suggestion.reasons.append(
                _("школа сама в группе низких результатов (%(s)s)") % {"s": status}
            )
        share = failing.get(user.school_id)
        if share is not None and municipal is not None and share < municipal:
            suggestion.score += 1
            suggestion.reasons.append(
                _(
                    "неудовлетворительных результатов в школе %(share)s%% — ниже, чем по округу (%(m)s%%), %(y)s"
                )
                % {"share": f"{share:.1f}", "m": f"{municipal:.1f}", "y": results_year}
            )
        suggestion.score -= suggestion.open_pairs
        if suggestion.open_pairs:
            suggestion.reasons.append(_("уже ведёт пар: %(n)s") % {"n": suggestion.open_pairs})
        else:
            suggestion.reasons.append(_("пока без наставляемых"))
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.open_pairs, s.user.last_name, s.user.pk))
    return suggestions[:limit]
