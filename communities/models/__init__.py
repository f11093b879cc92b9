"""Communities' models: the community pages, what happens inside a community (membership,
events, discussions, materials) and mentoring pairs."""

from .activity import (
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    Material,
    Membership,
    MembershipRole,
    MembershipState,
    Post,
    Topic,
)
from .mentoring import MeetingLog, MentoringPair, MentorProfile, PairState, PlanStep
from .pages import CommunityIndexPage, CommunityKind, CommunityPage, JoinPolicy

__all__ = [
    "CommunityIndexPage",
    "CommunityKind",
    "CommunityPage",
    "Event",
    "EventFormat",
    "EventKind",
    "EventRegistration",
    "JoinPolicy",
    "Material",
    "MeetingLog",
    "Membership",
    "MembershipRole",
    "MembershipState",
    "MentorProfile",
    "MentoringPair",
    "PairState",
    "PlanStep",
    "Post",
    "Topic",
]
