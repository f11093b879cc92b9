"""The partner finder: leader schools ranked by how well they fit a low-result school.

Fit is strength where the school is weak: the subjects in which the school's failing share
(last two years, all procedures) is above the municipal one, and in which the leader's is
below it. A leader that already supports many schools, or is in another district, ranks
lower. Each candidate carries the reasons, shown to the head who chooses.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _

from monitoring.models import AssessmentResult
from portal.models import School, SchoolStatus, Status

from .models import Agreement, AgreementParty


@dataclass
class Candidate:
    school: School
    score: float
    partners: int
    reasons: list[str] = field(default_factory=list)
    strong_subjects: list[str] = field(default_factory=list)


def _shares(years, schools=None) -> dict:
    """(school id, subject) → (failed, high, participants) summed over the years."""
    rows = AssessmentResult.objects.filter(year__in=years)
    if schools is not None:
        rows = rows.filter(school_id__in=schools)
    result = {}
    for row in (
        rows.values("school_id", "subject_key", "subject")
        .annotate(f=Sum("failed"), h=Sum("high"), p=Sum("participants"))
        .order_by()
    ):
        key = (row["school_id"], row["subject_key"])
        f, h, p = result.get(key, (0, 0, 0))
        result[key] = (f + row["f"], h + row["h"], p + row["p"])
    return result


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + " %"


def partner_candidates(school: School, limit: int = 10) -> list[Candidate]:
    latest = SchoolStatus.objects.confirmed().aggregate(y=Max("year"))["y"]
    leaders = (
        list(
            School.objects.filter(
                statuses__year=latest, statuses__status=Status.LEADER, statuses__confirmed=True
            ).exclude(pk=school.pk)
        )
        if latest
        else []
    )
    if not leaders:
        return []
    last_result = AssessmentResult.objects.aggregate(y=Max("year"))["y"]
    years = [last_result - 1, last_result] if last_result else []
    shares = _shares(years) if years else {}
    names: dict[str, str] = dict(
        AssessmentResult.objects.filter(year__in=years)
        .values_list("subject_key", "subject")
        .distinct()
    )
    municipal: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_school_id, subject), (failed, _high, participants) in shares.items():
        municipal[subject][0] += failed
        municipal[subject][1] += participants
    weak = {}
    for (school_id, subject), (failed, _high, participants) in shares.items():
        total_failed, total = municipal[subject]
        if (
            school_id == school.pk
            and participants
            and total
            and (failed / participants > total_failed / total)
        ):
            weak[subject] = (failed / participants, total_failed / total)
    load = dict(
        AgreementParty.objects.filter(
            role=AgreementParty.Role.LEADER,
            agreement__state__in=[
                Agreement.State.ACTIVE,
                Agreement.State.PARTLY_SIGNED,
                Agreement.State.REVIEW,
            ],
        )
        .values("school_id")
        .annotate(n=Count("agreement", filter=Q(agreement__isnull=False)))
        .values_list("school_id", "n")
    )
    candidates = []
    for leader in leaders:
        score, reasons, strong = 0.0, [], []
        for subject, (own, average) in sorted(weak.items(), key=lambda item: -item[1][0]):
            failed, high, participants = shares.get((leader.pk, subject), (0, 0, 0))
            if participants and failed / participants < average:
                gain = average - failed / participants
                score += gain * 10 + high / participants
                strong.append(names.get(subject, subject))
                reasons.append(
                    _(
                        "%(subject)s: у вас «2» — %(own)s при среднем %(avg)s, у школы — "
                        "%(theirs)s, высоких результатов %(high)s"
                    )
                    % {
                        "subject": names.get(subject, subject),
                        "own": _percent(own),
                        "avg": _percent(average),
                        "theirs": _percent(failed / participants),
                        "high": _percent(high / participants),
                    }
                )
        partners = load.get(leader.pk, 0)
        score -= 0.3 * partners
        reasons.append(
            _("уже поддерживает школ по договорам: %(n)s") % {"n": partners}
            if partners
            else _("пока не поддерживает другие школы по договорам")
        )
        if leader.district and leader.district == school.district:
            score += 0.5
            reasons.append(_("тот же район: %(district)s") % {"district": leader.district})
        candidates.append(Candidate(leader, score, partners, reasons, strong))
    if not weak:
        for candidate in candidates:
            candidate.reasons.insert(
                0, _("данных о результатах вашей школы нет: порядок — по нагрузке и району")
            )
    candidates.sort(key=lambda c: (-c.score, c.partners, c.school.short_name))
    return candidates[:limit]
