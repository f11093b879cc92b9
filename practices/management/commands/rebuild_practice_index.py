from django.core.management.base import BaseCommand, CommandError

from practices import search_index
from practices.selectors import published_practices


class Command(BaseCommand):
    help = "Пересоздаёт индекс банка практик в Elasticsearch по опубликованным практикам."

    def handle(self, *args, **options):
        if not search_index.enabled():
            raise CommandError(
                "ELASTICSEARCH_URL не задан: банк практик ищет по базе данных, индекс не нужен."
            )
        practices = (
            published_practices()
            .select_related("school")
            .prefetch_related("problems", "subjects", "grade_levels", "tags")
        )
        try:
            count = search_index.rebuild(practices.iterator(chunk_size=500))
        except Exception as error:
            raise CommandError(f"Elasticsearch недоступен: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Проиндексировано практик: {count}."))
