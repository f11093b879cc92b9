from django.urls import path

from . import views
from .api import api
from .feeds import NewPracticesAtomFeed, NewPracticesFeed

urlpatterns = [
    path("practices/propose/", views.propose, name="practice_propose"),
    path("practices/feed/", NewPracticesFeed(), name="practices_feed"),
    path("practices/feed/atom/", NewPracticesAtomFeed(), name="practices_feed_atom"),
    path("api/", api.urls),
    path("practices/<int:pk>/apply/", views.adopt, name="practice_adopt"),
    path("cabinet/practices/", views.my_practices_view, name="my_practices"),
    path("cabinet/practices/<int:pk>/edit/", views.edit, name="practice_edit"),
]
