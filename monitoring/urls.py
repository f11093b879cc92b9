"""Public and signed-in monitoring pages. Each part adds its own patterns module here."""

from django.urls import include, path

app_name = "monitoring"

urlpatterns: list = [
    path("", include("monitoring.urls_indicators")),
    path("", include("monitoring.urls_analysis")),
]
