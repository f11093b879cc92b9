"""Admin screens for methodologists: members of communities, events and mentoring pairs."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Event, Membership, MentoringPair, MentorProfile


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "community_members_admin"
    url_prefix = "communities/members"
    menu_label = _("Участники сообществ")
    icon = "group"
    list_display = ["user", "community", "state", "role", "created_at"]
    list_filter = ["state", "role"]
    search_fields = ["user__last_name", "user__email", "community__title"]
    search_backend_name = None
    form_fields = ["user", "community", "state", "role"]
    copy_view_enabled = False


class EventViewSet(ModelViewSet):
    model = Event
    name = "community_events_admin"
    url_prefix = "communities/events"
    menu_label = _("Мероприятия сообществ")
    icon = "date"
    list_display = ["title", "community", "kind", "starts_at", "format"]
    list_filter = ["kind", "format"]
    search_fields = ["title", "community__title"]
    search_backend_name = None
    form_fields = [
        "community",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "format",
        "link",
        "place",
        "agenda",
        "documents",
    ]
    ordering = ["-starts_at"]


class MentoringPairViewSet(ModelViewSet):
    model = MentoringPair
    name = "mentoring_pairs_admin"
    url_prefix = "communities/pairs"
    menu_label = _("Наставнические пары")
    icon = "user"
    list_display = ["__str__", "state", "start_date", "end_date", "activated_on"]
    list_filter = ["state"]
    search_fields = ["mentor__last_name", "mentee__last_name", "goals"]
    search_backend_name = None
    # The lifecycle (agreement, approval) is kept on the site's pair page; here the facts.
    form_fields = ["subjects", "deficits", "goals", "start_date", "end_date", "outcome"]
    copy_view_enabled = False


class MentorProfileViewSet(ModelViewSet):
    model = MentorProfile
    name = "mentor_profiles_admin"
    url_prefix = "communities/mentors"
    menu_label = _("Профили наставников")
    icon = "user"
    list_display = ["user", "available"]
    form_fields = ["user", "subjects", "strengths", "available"]
    copy_view_enabled = False


class CommunitiesViewSetGroup(ViewSetGroup):
    menu_label = _("Сообщества")
    menu_icon = "group"
    menu_order = 220
    items = (MembershipViewSet, EventViewSet, MentoringPairViewSet, MentorProfileViewSet)
