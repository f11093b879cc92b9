"""Mounted at /communities/ before Wagtail's pages. The community pages themselves are Wagtail
pages (/communities/<slug>/), so every path here starts with a prefix that a community's slug
may not take (CommunityPage.clean refuses RESERVED_SLUGS)."""

from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("events/", views.event_calendar, name="event_calendar"),
    path("events/calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("c/<int:page_id>/join/", views.join, name="join"),
    path("c/<int:page_id>/leave/", views.leave, name="leave"),
    path(
        "c/<int:page_id>/members/<int:membership_id>/",
        views.membership_decide,
        name="membership_decide",
    ),
    path("c/<int:page_id>/topics/new/", views.topic_new, name="topic_new"),
    path("c/<int:page_id>/materials/new/", views.material_add, name="material_add"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("posts/<int:pk>/attachment/", views.post_attachment, name="post_attachment"),
    path("posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("pairs/", views.pair_list, name="pair_list"),
    path("pairs/suggest/", views.pair_suggest, name="pair_suggest"),
    path("pairs/new/", views.pair_new, name="pair_new"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair_detail"),
]
