"""Production settings, checked in a subprocess so the test settings do not interfere."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    env.update({key: value for key, value in env_overrides.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def secret_key():
    key = secrets.token_urlsafe(60)
    assert len(key) >= 50
    return key


def test_check_deploy_has_no_warnings(secret_key):
    result = run_manage(
        "check", "--deploy", SECRET_KEY=secret_key, ALLOWED_HOSTS="portal.example.ru"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_flags_a_weak_secret_key():
    """The check above is meaningful: a weak key is reported."""
    result = run_manage("check", "--deploy", SECRET_KEY="short", ALLOWED_HOSTS="portal.example.ru")
    assert "security.W009" in result.stdout + result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", ALLOWED_HOSTS="portal.example.ru")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(secret_key):
    result = run_manage("check", SECRET_KEY=secret_key, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_security_settings(secret_key):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS)"
    )
    result = run_manage("shell", "-c", code, SECRET_KEY=secret_key, ALLOWED_HOSTS="a.ru,b.ru")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False True True True True ['a.ru', 'b.ru']"
