from django.urls import path, re_path

from . import views

app_name = "monitoring_imports"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    re_path(
        r"^template/(?P<kind>[a-z]+)\.(?P<extension>csv|xlsx)$",
        views.TemplateDownloadView.as_view(),
        name="template",
    ),
    path("log/", views.ImportLogView.as_view(), name="log"),
    path("log/<int:pk>/rollback/", views.RollbackView.as_view(), name="rollback"),
]
