"""Production mode is the default: DEBUG is off unless set; it refuses to start without keys
or without the static manifest; it passes the deploy check with production values."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env_overrides: dict[str, str], drop=("DATABASE_URL", "REDIS_URL")):
    return run_python("manage.py", *args, env_overrides=env_overrides, drop=drop)


def run_python(*args: str, env_overrides: dict[str, str], drop=("DATABASE_URL", "REDIS_URL")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # The subprocess reads portal.settings as production does, not the tests' settings.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DEBUG", None)
    env.pop("SECRET_KEY", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' module
    env.pop("PORTAL_PII_KEY", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage(
        "check",
        env_overrides={"PORTAL_PII_KEY": secrets.token_urlsafe(40)},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_pii_key():
    result = run_manage("check", env_overrides={"SECRET_KEY": secrets.token_urlsafe(60)})
    assert result.returncode != 0
    assert "PORTAL_PII_KEY" in result.stderr


def production_env(static_root: Path, **extra: str) -> dict[str, str]:
    """What a production deployment sets (docs/operations.md): no DEBUG at all."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "PORTAL_PII_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "STATIC_ROOT": str(static_root),
        **extra,
    }


def write_manifest(static_root: Path) -> None:
    """What `collectstatic` leaves for the manifest storage (an empty manifest is enough for
    the checks; the real one lists every vendored file)."""
    static_root.mkdir(parents=True, exist_ok=True)
    manifest = {"paths": {}, "version": "1.1", "hash": ""}
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))


def test_debug_is_off_unless_set(tmp_path):
    """Nothing set but the keys: production mode, so the development keys are refused."""
    result = run_manage("check", env_overrides={"STATIC_ROOT": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        env_overrides=production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["False", "True"]


@pytest.mark.parametrize("debug", [None, "0"])
def test_production_passes_deploy_check_with_real_keys(tmp_path, debug):
    write_manifest(tmp_path)
    extra = {"DEBUG": debug} if debug else {}
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides=production_env(tmp_path, **extra),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_the_static_manifest(tmp_path):
    result = run_manage(
        "check", "--deploy", env_overrides=production_env(tmp_path / "never-collected")
    )
    assert result.returncode != 0
    assert "core.E201" in result.stderr + result.stdout


def test_production_refuses_to_start_without_the_static_manifest(tmp_path):
    """The web process (wsgi) does not start rather than answer 500 on every page."""
    start = "import portal.wsgi; print('started')"
    result = run_python("-c", start, env_overrides=production_env(tmp_path / "missing"))
    assert result.returncode != 0
    assert "collectstatic" in result.stderr
    write_manifest(tmp_path / "collected")
    result = run_python("-c", start, env_overrides=production_env(tmp_path / "collected"))
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_embedded_default_is_sqlite_and_eager(settings):
    from django.conf import settings as live

    if os.environ.get("DATABASE_URL"):
        assert live.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else:
        assert live.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert live.CELERY_TASK_ALWAYS_EAGER is (not os.environ.get("REDIS_URL"))
    assert live.LANGUAGE_CODE == "zh-hans"
    assert live.TIME_ZONE == "Asia/Shanghai"
