from django.urls import path

from . import views_indicators as views

urlpatterns = [
    path("indicators/", views.indicators_dashboard, name="indicators"),
    path("indicators/export.<str:fmt>", views.indicators_export, name="indicators_export"),
    path("indicators/<str:code>/", views.indicator_view, name="indicator_detail"),
]
