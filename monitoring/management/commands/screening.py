import json

from django.core.management.base import BaseCommand, CommandError

from monitoring.screening import screen
from portal.models.schools import MAX_YEAR, MIN_YEAR


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Скрининг ШНОР за год по правилу domain.md: доли «2» и высоких результатов за "
        "предыдущий и отчётный годы, повторность, отметка и её причины."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="отчётный год")
        parser.add_argument(
            "--format", choices=["json", "text"], default="text", help="формат вывода"
        )

    def handle(self, *args, year, format, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"Год должен быть от {MIN_YEAR} до {MAX_YEAR}.")
        result = screen(year)
        if format == "json":
            data = [row.as_json() for row in result.rows]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Скрининг за {year - 1}–{year} годы. Муниципальные значения: "
            f"U_rm {_percent(result.municipal_u_rm)} %, H_rm {_percent(result.municipal_h_rm)} %, "
            f"U_other {_percent(result.municipal_u_other)} %."
        )
        for row in result.rows:
            mark = "ШНОР?" if row.flagged else "     "
            self.stdout.write(
                f"{mark} {row.school.code:>10}  U_rm {_percent(row.u_rm):>5}  "
                f"H_rm {_percent(row.h_rm):>5}  U_other {_percent(row.u_other):>5}  "
                f"повторно {row.repeats}  {row.school}"
            )
            for reason in row.reasons:
                self.stdout.write(f"      — {reason}")
