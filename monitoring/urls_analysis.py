"""Analysis pages: screening, a school's dashboard and programme, recommendations,
effectiveness of the measures. Included from monitoring/urls.py."""

from django.urls import path

from . import views_analysis as views

urlpatterns = [
    path("monitoring/screening/", views.screening, name="screening"),
    path("monitoring/screening/decide/", views.screening_decide, name="screening_decide"),
    path("monitoring/screening/propose/", views.screening_propose, name="screening_propose"),
    path("monitoring/schools/<str:code>/", views.school_dashboard, name="school_dashboard"),
    path("monitoring/schools/<str:code>/programme/", views.programme_edit, name="programme_edit"),
    path(
        "monitoring/schools/<str:code>/programme/new/",
        views.programme_edit,
        {"new": True},
        name="programme_new",
    ),
    path(
        "monitoring/schools/<str:code>/programme/<int:pk>/",
        views.programme_edit,
        name="programme_edit_one",
    ),
    path("monitoring/recommendations/", views.recommendation_list, name="recommendation_list"),
    path("monitoring/recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path(
        "monitoring/recommendations/<int:pk>/acknowledge/",
        views.recommendation_acknowledge,
        name="recommendation_acknowledge",
    ),
    path("monitoring/effectiveness/", views.effectiveness_view, name="effectiveness"),
]
