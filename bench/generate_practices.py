"""Generate N published practices fast, for the bank's benchmarks.

    DATABASE_URL=postgres://… python bench/generate_practices.py 100000

Pages are inserted in bulk with their tree paths computed here (Wagtail's add_child would take
hours at 100 000), then indexed in the database search backend in chunks. Titles, summaries
and facets are recombined from the demo practices, so searches and filters hit a realistic
share of the rows. Needs the demo data (`load_demo`) for the bank page, schools and taxonomies.
"""

import datetime
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from modelsearch.backends import get_search_backend  # noqa: E402
from wagtail.models import Page  # noqa: E402

from portal.models import School, Subject  # noqa: E402
from practices.demo_content import PRACTICES  # noqa: E402
from practices.models import GradeLevel, PracticeIndexPage, PracticePage, Problem  # noqa: E402

CHUNK = 2000


def main(total: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    bank = PracticeIndexPage.objects.get()
    content_type = ContentType.objects.get_for_model(PracticePage)
    schools = list(School.objects.all())
    problems = list(Problem.objects.all())
    subjects = list(Subject.objects.all())
    levels = list(GradeLevel.objects.all())
    from practices.services import latest_status

    statuses = {school.pk: latest_status(school) for school in schools}
    now = timezone.now()
    started = time.perf_counter()
    next_index = bank.numchild + 1
    created = 0
    while created < total:
        size = min(CHUNK, total - created)
        with transaction.atomic():
            pages = []
            for offset in range(size):
                template = rng.choice(PRACTICES)
                number = next_index + offset
                title = f"{template['title']} (вариант {number})"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=f"bench-{number}",
                        path=PracticePage._get_path(bank.path, bank.depth + 1, number),
                        depth=bank.depth + 1,
                        numchild=0,
                        url_path=f"{bank.url_path}bench-{number}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                        content_type=content_type,
                        locale_id=bank.locale_id,
                        translation_key=uuid.uuid4(),
                    )
                )
            pages = Page.objects.bulk_create(pages)
            rows, problem_links, subject_links, level_links = [], [], [], []
            for page in pages:
                template = rng.choice(PRACTICES)
                school = rng.choice(schools)
                rows.append(
                    (
                        page.pk,
                        template["summary"],
                        template["format"],
                        school.pk,
                        "",
                        json.dumps(
                            [
                                {
                                    "type": "section",
                                    "value": {
                                        "kind": "context",
                                        "text": f"<p>{template['summary']}</p>",
                                    },
                                }
                            ]
                        ),
                        rng.randint(1, 4),
                        datetime.date(
                            rng.choice([2023, 2024, 2025, 2026]),
                            rng.randint(1, 12),
                            rng.randint(1, 28),
                        ),
                        rng.choice([0, 0, 0, 1, 2, 3, 5]),
                        # The authors' school status, as the pre_save signal would copy it.
                        statuses[school.pk],
                    )
                )
                for problem in rng.sample(problems, rng.randint(1, 3)):
                    problem_links.append(
                        PracticePage.problems.through(
                            practicepage_id=page.pk, problem_id=problem.pk
                        )
                    )
                for subject in rng.sample(subjects, rng.randint(0, 2)):
                    subject_links.append(
                        PracticePage.subjects.through(
                            practicepage_id=page.pk, subject_id=subject.pk
                        )
                    )
                for level in rng.sample(levels, rng.randint(1, 2)):
                    level_links.append(
                        PracticePage.grade_levels.through(
                            practicepage_id=page.pk, gradelevel_id=level.pk
                        )
                    )
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO practices_practicepage (page_ptr_id, summary, format, school_id, coauthors, body,"
                    " evidence_level, published_on, adoption_count, school_status) VALUES"
                    " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
            PracticePage.problems.through.objects.bulk_create(problem_links)
            PracticePage.subjects.through.objects.bulk_create(subject_links)
            PracticePage.grade_levels.through.objects.bulk_create(level_links)
            Page.objects.filter(pk=bank.pk).update(numchild=next_index + size - 1)
            backend = get_search_backend(
                "database"
                if "database" in django.conf.settings.WAGTAILSEARCH_BACKENDS
                else "default"
            )
            objects = list(
                PracticePage.objects.filter(pk__in=[page.pk for page in pages]).prefetch_related(
                    "problems", "subjects", "tags"
                )
            )
            backend.add_bulk(PracticePage, objects)
        created += size
        next_index += size
        elapsed = time.perf_counter() - started
        print(f"{created}/{total} practices, {elapsed:.0f} s", flush=True)
    # Bulk inserts send no signals: tell the processes' facet indexes the bank changed.
    from practices.facet_index import bump

    bump()
    if connection.vendor == "postgresql":
        # Fresh statistics: without them PostgreSQL plans the bulk-loaded tables badly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
