from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    # Two AppConfig classes live in this module: this one is the app's own.
    default = True
    name = "portal"
    verbose_name = _("Портал: люди, школы, страницы")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals

        # After every migrate, so that the permissions of apps migrated later reach the
        # administrators too.
        post_migrate.connect(
            signals.grant_administrators_everything, dispatch_uid="portal_admin_perms"
        )


class PortalUsersAppConfig(WagtailUsersAppConfig):
    # Wagtail's user admin, with the portal's own fields (school, position, phone).
    user_viewset = "portal.viewsets.UserViewSet"
