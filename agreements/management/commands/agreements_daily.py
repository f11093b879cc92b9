from django.core.management.base import BaseCommand

from agreements.reminders import daily_round


class Command(BaseCommand):
    help = (
        "Ежедневно (cron): перевести договоры с истёкшим сроком в «истёк», напомнить "
        "руководителям школ-сторон о просроченных мероприятиях и о партнёрствах без отчётов "
        "больше 6 недель."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="только показать, писем не отправлять"
        )

    def handle(self, *args, dry_run=False, **options):
        result = daily_round(send=not dry_run)
        self.stdout.write(
            f"Истекло договоров: {result.expired}. Просроченных пунктов плана: "
            f"{result.overdue_items}. Без отчётов 6 недель: {len(result.amber)}"
            f"{' (' + ', '.join(result.amber) + ')' if result.amber else ''}. "
            f"Писем: {result.reminded}{' (не отправлялись)' if dry_run else ''}."
        )
