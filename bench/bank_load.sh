#!/usr/bin/env bash
# Load the bank's list (two filters and a search word) with wrk against gunicorn (2 workers)
# on the database in DATABASE_URL; loopback only, bounded in time. Prints one JSON line per run.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench bench/bank_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8077}
DURATION=${DURATION:-20s}
URL_PATH='/practices/?q=%D0%B4%D1%80%D0%BE%D0%B1%D0%B8&level=ooo&evidence=3'
export DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false STATIC_ROOT="$(mktemp -d)"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn portal.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$STATIC_ROOT"' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:${PORT}${URL_PATH}" && break; sleep 0.3; done
# Warm up every worker: each builds its facet index on its first request.
for _ in 1 2 3; do
  curl -fs -o /dev/null "http://127.0.0.1:${PORT}${URL_PATH}" & first=$!
  curl -fs -o /dev/null "http://127.0.0.1:${PORT}/practices/" & second=$!
  wait "$first" "$second"  # not the server, which runs in the background too
done
for connections in 1 8; do
  printf 'connections=%s ' "$connections"
  wrk -t1 -c"$connections" -d"$DURATION" --timeout 10s -s bench/latency.lua "http://127.0.0.1:${PORT}${URL_PATH}" | tail -1
done
