from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.importing import KINDS, FileFormatError, get_kind, run_import


class Command(BaseCommand):
    help = (
        "Импорт данных мониторинга из CSV или XLSX в форматах domain.md. "
        "Файл с ошибочной строкой не сохраняется целиком."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="вид данных")
        parser.add_argument("file", help="путь к файлу CSV или XLSX")
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить файл, ничего не сохранять"
        )

    def handle(self, *args, kind, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        try:
            result = run_import(get_kind(kind), path.read_bytes(), path.name, dry_run=dry_run)
        except FileFormatError as error:
            raise CommandError(f"{path.name}: {error}") from error

        for row in result.rejected:
            self.stderr.write(f"Строка {row.number}: {'; '.join(row.errors)}")
        summary = (
            f"Строк: {len(result.rows)}; добавить: {result.count('add')}, "
            f"обновить: {result.count('update')}, отклонено: {len(result.rejected)}."
        )
        if not result.ok:
            raise CommandError(f"{summary} Файл не импортирован: исправьте ошибки и повторите.")
        if dry_run:
            self.stdout.write(f"Проверка без сохранения. {summary}")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Импорт выполнен (журнал № {result.batch.pk}). {summary}")
            )
