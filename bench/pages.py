"""Page timings and SQL query counts on the demo data.

Run with `make bench`. Builds a throw-away test database (SQLite by default, PostgreSQL when
DATABASE_URL is set), loads the demo data, requests each page repeatedly with Django's test
client and writes docs/benchmarks.md. Timings are wall-clock in-process (no network, no
static files): they compare changes on the same machine, they are not a load test.
"""

import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

ITERATIONS = int(os.environ.get("BENCH_ITERATIONS", "30"))
PAGES = [
    ("Главная", "/"),
    ("Справочник школ", "/schools/"),
    ("Справочник школ, фильтр ШНОР", "/schools/?year=2024&status=shnor"),
    ("Страница школы", "/schools/250103/"),
    ("Текстовая страница (модель)", "/model/"),
    ("Новости", "/news/"),
    ("События", "/events/"),
    ("Документы", "/documents/"),
    ("Поиск «наставничество»", "/search/?q=наставничество"),
    ("Банк практик", "/practices/"),
    ("Банк: поиск «дроби» и два фильтра", "/practices/?q=дроби&level=ooo&evidence=3"),
    ("API банка", "/api/practices/?problem=gruppy-riska"),
    ("Личный кабинет методиста", "/cabinet/"),
]


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches and templates
    durations = []
    settings.DEBUG = True  # record queries for the count
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    settings.DEBUG = False
    for _ in range(ITERATIONS):
        start = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    durations.sort()
    p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
    return statistics.median(durations), p95, queries


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("load_demo", stdout=io.StringIO())
        client = Client()
        from portal.models import User

        client.force_login(User.objects.get(email="metodist@demo.example.ru"))
        rows = [(name, url, *measure(client, url)) for name, url in PAGES]
    finally:
        teardown_databases(old_config, verbosity=0)

    vendor = connection.vendor
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/pages.py`): in-process requests through Django's test client",
        f"on the demo data, {ITERATIONS} requests per page after a warm-up. Compare runs on the same",
        "machine only; these are not load tests.",
        "",
        f"- date: {time.strftime('%Y-%m-%d')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- database: {vendor}",
        "",
        "| page | URL | median, ms | p95, ms | SQL queries |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | `{url}` | {median:.1f} | {p95:.1f} | {queries} |"
        for name, url, median, p95, queries in rows
    ]
    out = ROOT / "docs" / "benchmarks.md"
    section = "<!-- pages:start -->\n" + "\n".join(lines) + "\n<!-- pages:end -->"
    # Only this script's section is rewritten; other benchmarks keep their notes below it.
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if "<!-- pages:end -->" in old:
        rest = old.split("<!-- pages:end -->", 1)[1]
        out.write_text(section + rest, encoding="utf-8")
    else:
        out.write_text(section + "\n", encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
