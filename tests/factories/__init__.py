from .pages import (
    DocumentsPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from .people import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    SchoolStatusFactory,
    TeacherFactory,
    UserFactory,
)

__all__ = [
    "DocumentsPageFactory",
    "EventIndexPageFactory",
    "EventPageFactory",
    "HomePageFactory",
    "MethodologistFactory",
    "NewsIndexPageFactory",
    "NewsPageFactory",
    "SchoolFactory",
    "SchoolHeadFactory",
    "SchoolStatusFactory",
    "StandardPageFactory",
    "TeacherFactory",
    "UserFactory",
]
