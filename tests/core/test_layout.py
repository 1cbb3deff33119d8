"""The layout a newcomer can rely on: production apps import nothing from the demo app and no
package that only an extra installs (so `pip install .` without extras runs the portal), and no
migration imports live application code."""

import ast
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# In the layering's order (DESIGN.md §3).
PRODUCTION_APPS = tuple(settings.PROJECT_APPS)


def _extras_only_packages() -> set[str]:
    """Top-level module names of the packages that only the extras install."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    main = {_name(req) for req in project["dependencies"]}
    extras = {
        _name(req)
        for reqs in project["optional-dependencies"].values()
        for req in reqs
        if not req.startswith(project["name"])
    }
    modules = {
        "faker": "faker",
        "factory-boy": "factory",
        "pytest": "pytest",
        "pytest-django": "pytest_django",
        "hypothesis": "hypothesis",
        "playwright": "playwright",
        "ruff": "ruff",
    }
    return {modules.get(name, name.replace("-", "_")) for name in extras - main}


def _name(requirement: str) -> str:
    for sep in "<>=![;~ ":
        requirement = requirement.split(sep)[0]
    return requirement.strip().lower()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _modules(app: str, *, migrations: bool = False):
    for path in sorted((ROOT / app).rglob("*.py")):
        if ("migrations" in path.parts) == migrations:
            yield path


def test_the_extras_list_is_read():
    assert {"faker", "pytest"} <= _extras_only_packages()


@pytest.mark.parametrize("app", PRODUCTION_APPS)
def test_production_apps_import_neither_the_demo_nor_an_extra(app):
    forbidden = _extras_only_packages() | {"demo", "tests", "bench"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & forbidden)
        for path in _modules(app)
        if _imports(path) & forbidden
    }
    assert not offenders, offenders


@pytest.mark.parametrize("app", PRODUCTION_APPS)
def test_migrations_import_no_live_application_code(app):
    """A migration may use Django, the custom field classes it was generated with
    (``core.pii``) and stable default callables (``core.defaults``), never the app's services,
    roles or catalogues, which change over time."""
    apps = set(PRODUCTION_APPS) | {"demo"}
    allowed = {"core.pii", "core.defaults"}
    offenders = {}
    for path in _modules(app, migrations=True):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            bad = [m for m in modules if m.split(".")[0] in apps and m not in allowed]
            if bad:
                offenders.setdefault(str(path.relative_to(ROOT)), []).extend(bad)
    assert not offenders, offenders


def test_python_is_new_enough_for_tomllib():
    assert sys.version_info >= (3, 11)


def test_system_checks_raise_no_warnings(db):
    """`migrate` and `runserver` print these: a clean start shows none (e.g. no constraint the
    configured database would silently drop)."""
    import datetime as dt
    from unittest import mock

    from django.core import checks

    # appeals.W001 depends on the date (next year's holidays); in mid-2025 next year is the
    # built-in 2026 (tests/appeals/test_calendar.py tests the warning itself).
    with mock.patch("appeals.checks.timezone.localdate", return_value=dt.date(2025, 6, 1)):
        messages = [
            m for m in checks.run_checks(databases=["default"]) if m.level >= checks.WARNING
        ]
    assert not messages, [f"{m.id}: {m.msg}" for m in messages]


def test_core_imports_no_app_and_organizations_no_domain_app():
    """The import direction of docs/architecture.md, at any depth (function-level imports too):
    ``core`` imports no project app, ``organizations`` only ``core``."""
    apps = set(PRODUCTION_APPS) | {"demo"}
    allowed = {"core": {"core"}, "organizations": {"core", "organizations"}}
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app, ok in allowed.items()
        for path in _modules(app)
        for name in sorted(_imports(path) & apps - ok)
    ]
    assert wrong == []


def test_the_wheel_ships_every_app():
    """`pip install .` finds only the packages pyproject.toml names: a new app left out of the
    list installs a portal that cannot start."""
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    shipped = {pattern.rstrip("*") for pattern in include}
    assert set(PRODUCTION_APPS) | {"demo"} <= shipped
