"""Production mode: refuses to start without keys; passes the deploy check with them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env_overrides: dict[str, str], drop=("DATABASE_URL", "REDIS_URL")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.pop("SECRET_KEY", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' module
    env.pop("PORTAL_PII_KEY", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage(
        "check",
        env_overrides={"DEBUG": "0", "PORTAL_PII_KEY": secrets.token_urlsafe(40)},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_pii_key():
    result = run_manage(
        "check", env_overrides={"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60)}
    )
    assert result.returncode != 0
    assert "PORTAL_PII_KEY" in result.stderr


def test_production_passes_deploy_check_with_real_keys():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "PORTAL_PII_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "portal.example.gov.cn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_default_is_sqlite_and_eager(settings):
    from django.conf import settings as live

    if os.environ.get("DATABASE_URL"):
        assert live.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else:
        assert live.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert live.CELERY_TASK_ALWAYS_EAGER is (not os.environ.get("REDIS_URL"))
    assert live.LANGUAGE_CODE == "zh-hans"
    assert live.TIME_ZONE == "Asia/Shanghai"
