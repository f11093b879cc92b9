from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("partners/", views.partner_finder, name="finder"),
    path("partners/<str:code>/request/", views.partner_request_create, name="request"),
    path("requests/", views.partner_requests, name="requests"),
    path("requests/<int:pk>/decide/", views.partner_request_decide, name="decide"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="pdf"),
    path("<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_file, name="document_file"),
    path("<int:pk>/reports/<int:report_pk>/file/", views.report_file, name="report_file"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/submit/", views.agreement_submit, name="submit"),
    path("<int:pk>/sign/", views.agreement_sign, name="sign"),
    path("<int:pk>/complete/", views.agreement_complete, name="complete"),
    path("<int:pk>/terminate/", views.agreement_terminate, name="terminate"),
    path("<int:pk>/plan/new/", views.plan_item_edit, name="plan_add"),
    path("<int:pk>/plan/<int:item_pk>/", views.plan_item_edit, name="plan_edit"),
    path("<int:pk>/plan/<int:item_pk>/delete/", views.plan_item_delete, name="plan_delete"),
    path("<int:pk>/plan/<int:item_pk>/report/", views.report_create, name="report"),
]
