"""The portal's shared models: people, schools and the site's shell."""

from .pages import (
    ContactFormField,
    ContactPage,
    DocumentEntry,
    DocumentsPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    NewsPageTag,
    StandardPage,
)
from .schools import School, SchoolStatus, Status
from .site_settings import FooterLink, MenuItem, NavigationSettings, PortalSettings
from .taxonomy import Subject
from .users import MembershipState, User

__all__ = [
    "ContactFormField",
    "ContactPage",
    "DocumentEntry",
    "DocumentsPage",
    "EventIndexPage",
    "EventPage",
    "FooterLink",
    "HomePage",
    "MembershipState",
    "MenuItem",
    "NavigationSettings",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "PortalSettings",
    "School",
    "SchoolStatus",
    "StandardPage",
    "Subject",
    "Status",
    "User",
]
