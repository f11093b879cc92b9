"""Reads for the communities' pages, the cabinet and the school page. Each list is fetched in
a fixed number of queries, whatever the number of rows."""

import calendar
import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from portal import roles

from .models import (
    CommunityPage,
    Event,
    EventRegistration,
    Material,
    Membership,
    MembershipState,
    MentoringPair,
    PairState,
    Topic,
)
from .models.mentoring import OPEN_STATES


def live_communities():
    return CommunityPage.objects.live().select_related("coordinator", "subject")


def with_member_count(queryset):
    return queryset.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=MembershipState.MEMBER))
    )


def community_cards(index, kind: str = "") -> list[CommunityPage]:
    communities = with_member_count(live_communities().child_of(index))
    if kind:
        communities = communities.filter(kind=kind)
    communities = list(communities.order_by("title"))
    upcoming: dict[int, Event] = {}
    for event in Event.objects.filter(
        community__in=communities, starts_at__gte=timezone.now()
    ).order_by("-starts_at"):
        upcoming[event.community_id] = event  # the last written is the earliest
    for community in communities:
        community.next_event = upcoming.get(community.pk)
    return communities


def community_view(community: CommunityPage, user, query: str = "") -> dict:
    from .services import can_coordinate

    membership = None
    if user.is_authenticated:
        membership = Membership.objects.filter(user=user, community=community).first()
    is_member = membership is not None and membership.state == MembershipState.MEMBER
    coordinates = can_coordinate(user, community)
    # Members, their schools, discussions and materials are for members and methodologists.
    insider = is_member or coordinates or roles.is_methodologist(user)
    now = timezone.now()
    context = {
        "membership": membership,
        "is_member": is_member,
        "can_coordinate": coordinates,
        "insider": insider,
        "member_count": community.memberships.filter(state=MembershipState.MEMBER).count(),
        "upcoming_events": list(
            community.events.filter(starts_at__gte=now).annotate(registered=Count("registrations"))[
                :10
            ]
        ),
        "query": query,
    }
    if insider:
        context["members"] = list(
            community.memberships.filter(state=MembershipState.MEMBER)
            .select_related("user__school")
            .order_by("role", "user__last_name", "user__first_name")
        )
        context["past_events"] = list(
            community.events.filter(starts_at__lt=now)
            .annotate(present=Count("registrations", filter=Q(registrations__attended=True)))
            .order_by("-starts_at")[:10]
        )
        context["topics"] = list(
            community.topics.select_related("author").annotate(
                post_count=Count("posts", filter=Q(posts__hidden=False))
            )[:20]
        )
        context["materials"] = search_materials(community, query)
    if coordinates:
        context["requests"] = list(
            community.memberships.filter(state=MembershipState.REQUESTED).select_related(
                "user__school"
            )
        )
    return context


def search_materials(community: CommunityPage, query: str = "", limit: int = 50) -> list[Material]:
    """Every word of the query must be in the title, the description or a tag, in any case.
    Matched in Python: SQLite's LIKE ignores the case of Latin letters only, and a community
    holds tens of materials, not thousands."""
    materials = list(community.materials.select_related("document").prefetch_related("tags"))
    words = [word.casefold() for word in query.split()[:8]]
    if words:
        materials = [
            material
            for material in materials
            if all(word in _material_text(material) for word in words)
        ]
    return materials[:limit]


def _material_text(material: Material) -> str:
    tags = " ".join(tag.name for tag in material.tags.all())
    return f"{material.title} {material.description} {tags}".casefold()


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    days = calendar.monthrange(year, month)[1]
    return start, start + datetime.timedelta(days=days)


def events_between(start, end):
    return (
        Event.objects.filter(starts_at__gte=start, starts_at__lt=end, community__live=True)
        .select_related("community")
        .order_by("starts_at")
    )


def calendar_days(year: int, month: int) -> list[tuple[datetime.date, list[Event]]]:
    start, end = month_bounds(year, month)
    days: dict[datetime.date, list[Event]] = {}
    for event in events_between(start, end):
        days.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    return sorted(days.items())


def my_memberships(user):
    return (
        Membership.objects.filter(user=user, state__in=[MembershipState.MEMBER, "requested"])
        .select_related("community")
        .order_by("community__title")
    )


def my_upcoming_registrations(user):
    return (
        EventRegistration.objects.filter(user=user, event__starts_at__gte=timezone.now())
        .select_related("event__community")
        .order_by("event__starts_at")
    )


# --- mentoring ------------------------------------------------------------------------


def pairs_with_last_meeting(queryset):
    return queryset.select_related("mentor__school", "mentee__school", "proposed_by").annotate(
        last_meeting=Max("meetings__date")
    )


def flag_quiet(pairs: list[MentoringPair], today=None) -> list[MentoringPair]:
    today = today or timezone.localdate()
    for pair in pairs:
        pair.quiet = pair.quiet_since(pair.last_meeting, today)
    return pairs


def visible_pairs(user):
    """Methodologists see every pair, a head the pairs of their school's teachers, a teacher
    their own pairs."""
    pairs = MentoringPair.objects.all()
    if roles.is_methodologist(user):
        return pairs
    school = user.confirmed_school if user.is_authenticated else None
    condition = Q(mentor=user) | Q(mentee=user)
    if school is not None and roles.is_head_of(user, school):
        condition |= Q(mentor__school=school) | Q(mentee__school=school)
    return pairs.filter(condition)


def can_view_pair(user, pair: MentoringPair) -> bool:
    if not user.is_authenticated:
        return False
    if roles.is_methodologist(user) or user.pk in (pair.mentor_id, pair.mentee_id):
        return True
    school = user.confirmed_school
    return (
        school is not None
        and roles.is_head_of(user, school)
        and school.pk
        in (
            pair.mentor.school_id,
            pair.mentee.school_id,
        )
    )


def pair_list(user, state: str = "") -> list[MentoringPair]:
    pairs = visible_pairs(user)
    if state in PairState.values:
        pairs = pairs.filter(state=state)
    return flag_quiet(list(pairs_with_last_meeting(pairs).order_by("state", "-proposed_at")))


def my_pairs(user) -> list[MentoringPair]:
    pairs = MentoringPair.objects.filter(Q(mentor=user) | Q(mentee=user))
    return flag_quiet(list(pairs_with_last_meeting(pairs).order_by("-proposed_at")[:10]))


def school_pairs(school) -> dict:
    """Counts of a school's pairs by side, and the open pairs themselves."""
    pairs = pairs_with_last_meeting(
        MentoringPair.objects.filter(Q(mentor__school=school) | Q(mentee__school=school)).filter(
            state__in=[*OPEN_STATES, PairState.COMPLETED]
        )
    ).order_by("state", "-proposed_at")
    pairs = list(pairs)
    return {
        "pairs": pairs,
        "as_mentor": sum(1 for p in pairs if p.mentor.school_id == school.pk),
        "as_mentee": sum(1 for p in pairs if p.mentee.school_id == school.pk),
        "active": sum(1 for p in pairs if p.state == PairState.ACTIVE),
    }


def school_communities(school) -> list[CommunityPage]:
    """Communities with members from the school, with how many of them."""
    return list(
        live_communities()
        .filter(memberships__state=MembershipState.MEMBER, memberships__user__school=school)
        .annotate(school_members=Count("memberships"))
        .order_by("title")
    )


def topic_posts(topic: Topic, show_hidden: bool):
    posts = topic.posts.select_related("author__school")
    return list(posts if show_hidden else posts.filter(hidden=False))
