from django.urls import path

from . import views

urlpatterns = [
    path("practices/propose/", views.propose, name="practice_propose"),
    path("practices/<int:pk>/apply/", views.adopt, name="practice_adopt"),
    path("cabinet/practices/", views.my_practices_view, name="my_practices"),
]
