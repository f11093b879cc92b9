# Портал сетевого взаимодействия школ — команды разработчика.
# `make run` and `make test` are the README's two commands; `make help` lists the rest.

PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install install-dev chromium pdf-libs migrate demo run serve test test-unit test-browser lint format check-migrations bench bench-bank bench-monitoring clean

help: ## Показать список команд
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON_BIN) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Создать .venv и установить зависимости

install-dev: $(VENV)/.installed-dev ## Установить зависимости для тестов и проверок

chromium: ## Установить Chromium из пакетов Debian (для браузерных тестов), если его нет
	@if [ ! -x $(CHROMIUM) ]; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium fonts-dejavu-core; \
	fi

pdf-libs: ## Установить Pango и шрифты DejaVu (PDF договоров через WeasyPrint), если их нет
	@if ! /sbin/ldconfig -p | grep -q libpangoft2-1.0 || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; \
	fi

migrate: install pdf-libs ## Применить миграции
	$(PY) manage.py migrate --noinput

demo: migrate ## Загрузить демонстрационные данные (повторный запуск безопасен)
	$(PY) manage.py load_demo

run: demo ## Установить, подготовить базу SQLite с демо-данными и запустить портал
	@echo "Портал: http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install ## Запустить как в продакшене: gunicorn + whitenoise (нужны SECRET_KEY и ALLOWED_HOSTS)
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=portal.settings.production $(VENV)/bin/gunicorn portal.wsgi --bind $(HOST):$(PORT) --workers 3

test: install-dev chromium pdf-libs ## Все тесты: модульные, затем браузерные (отдельным запуском pytest)
	$(MAKE) --no-print-directory test-unit test-browser

test-unit: install-dev ## Модульные и интеграционные тесты
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) -m pytest -m "not browser" --create-db

test-browser: install-dev chromium ## Браузерные тесты в headless Chromium
	DJANGO_SETTINGS_MODULE=portal.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser tests/browser --create-db

lint: install-dev ## ruff (код) и djhtml (шаблоны) в режиме проверки
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates

format: install-dev ## Отформатировать код и шаблоны
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

check-migrations: install ## Проверить, что все изменения моделей отражены в миграциях
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev ## Замеры скорости страниц (результаты в docs/benchmarks.md)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) bench/pages.py

bench-bank: install ## Нагрузка на банк практик: N практик в DATABASE_URL, gunicorn + wrk (N=10000)
	@command -v wrk >/dev/null || $(SUDO) apt-get install -y -q wrk
	$(PY) manage.py migrate --noinput && $(PY) manage.py load_demo
	$(PY) bench/generate_practices.py $(or $(N),10000)
	bench/bank_load.sh

bench-monitoring: install ## Мониторинг: импорт 200 000 результатов и расчёт показателей по 1000 школ в DATABASE_URL
	$(PY) manage.py migrate --noinput
	$(PY) bench/monitoring.py

clean: ## Удалить .venv, базу SQLite и собранную статику
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media
