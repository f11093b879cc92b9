from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from wagtail import hooks

from portal.demo.builder import build

# Later apps add their own demo data: fn(stdout) registered under this hook name runs after
# the portal's schools, people and pages exist.
LOAD_DEMO_HOOK = "portal_load_demo"


class Command(BaseCommand):
    help = (
        "Заполняет портал демонстрационными данными (повторный запуск обновляет их, не дублируя)."
    )

    def handle(self, *args, **options):
        # Demo data mails nobody: moderation and membership notices are sent as the data
        # is built, and on a real server they would reach real addresses.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            accounts = build()
            for fn in hooks.get_hooks(LOAD_DEMO_HOOK):
                fn(self.stdout)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные загружены."))
        self.stdout.write("Учётные записи (логин — пароль — роль):")
        for account in accounts:
            self.stdout.write(f"  {account.email:32} {account.password:16} {account.role}")
        self.stdout.write(
            "Портал: http://127.0.0.1:8000/  ·  администрирование: http://127.0.0.1:8000/admin/"
        )
