"""Admin screens of the agreements for methodologists: the full list with every state (the
public registry shows only agreements that came into force), partner requests, and the
PDF template (a site setting, under «Настройки»)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Agreement, PartnerRequest


class AgreementViewSet(ModelViewSet):
    model = Agreement
    name = "agreement_admin"
    url_prefix = "agreements/list"
    menu_label = _("Все договоры")
    icon = "doc-full"
    list_display = ["number", "title", "state", "start_date", "end_date", "signed_at"]
    list_filter = ["state"]
    search_fields = ["number", "title"]
    search_backend_name = None
    ordering = ["-created_at"]
    # Agreements change through their lifecycle on the public site, where the rules live.
    form_fields = ["title", "purpose"]
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True


class PartnerRequestViewSet(ModelViewSet):
    model = PartnerRequest
    name = "partner_request_admin"
    url_prefix = "agreements/requests"
    menu_label = _("Запросы о партнёрстве")
    icon = "mail"
    list_display = ["from_school", "to_school", "state", "created_at"]
    list_filter = ["state"]
    form_fields = ["decision_comment"]
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True


class AgreementsViewSetGroup(ViewSetGroup):
    menu_label = _("Договоры")
    menu_icon = "doc-full-inverse"
    menu_order = 220
    items = (AgreementViewSet, PartnerRequestViewSet)
