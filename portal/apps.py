from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Портал: люди, школы, страницы")
    default_auto_field = "django.db.models.BigAutoField"


class PortalUsersAppConfig(WagtailUsersAppConfig):
    # Wagtail's user admin, with the portal's own fields (school, position, phone).
    user_viewset = "portal.viewsets.UserViewSet"
