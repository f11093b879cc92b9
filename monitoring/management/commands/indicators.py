import json

from django.core.management.base import BaseCommand, CommandError

from monitoring.indicators import DEFINITIONS, compute_year
from portal.models.schools import MAX_YEAR, MIN_YEAR


def _percent(value):
    return "нет данных" if value is None else f"{value * 100:.1f} %".replace(".", ",")


class Command(BaseCommand):
    help = "Показатели IND-1 … IND-9 за год (domain.md): значение, числитель, знаменатель, цель."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="отчётный год")
        parser.add_argument(
            "--format", choices=["json", "text"], default="text", help="формат вывода"
        )

    def handle(self, *args, year, format, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"Год должен быть от {MIN_YEAR} до {MAX_YEAR}.")
        indicators = compute_year(year)
        if format == "json":
            data = {code: indicator.as_json() for code, indicator in indicators.items()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Показатели за {year} год")
        for code, indicator in indicators.items():
            definition = DEFINITIONS[code]
            if definition.unit == "count":
                value = str(indicator.value)
                target = "—" if indicator.target is None else f"{indicator.target:g}"
            else:
                value = _percent(indicator.value)
                target = "—" if indicator.target is None else _percent(indicator.target)
            figures = f"{indicator.numerator} / {indicator.denominator}"
            if definition.unit == "count":
                figures = str(indicator.numerator)
            self.stdout.write(
                f"{code}  {value:>11}  ({figures}; цель {target})  {definition.title}"
            )
            if code == "IND-3":
                self.stdout.write(f"        в {year - 1} году: {_percent(indicator.previous)}")
                for procedure, values in indicator.by_procedure.items():
                    self.stdout.write(
                        f"        {procedure}: {_percent(values['value'])} "
                        f"(в {year - 1} году {_percent(values['previous'])})"
                    )
