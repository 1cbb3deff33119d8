"""zh-hans is the default and complete: every label the project's models and choices show is
translated. The walk covers every installed project app (its models, every field's verbose name,
every model's verbose names, every choices class defined in its modules), so a new app, model,
field or choice is checked without being listed here."""

import importlib
import pkgutil

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

PROJECT_APPS = tuple(settings.PROJECT_APPS)
# Fields the API-key library (rest_framework_api_key) defines on its abstract model: its labels
# are the library's, not ours.
LIBRARY_FIELDS = {"id", "name", "hashed_key", "prefix", "revoked", "expiry_date", "created"}


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _is_translated(text) -> bool:
    """zh-hans gives a string different from the English one, or one already in Chinese."""
    with translation.override("en"):
        english = str(text)
    with translation.override("zh-hans"):
        chinese = str(text)
    return _has_cjk(chinese) or (chinese != english and chinese.strip() != "")


def _project_app_configs():
    configs = [config for config in apps.get_app_configs() if config.label in PROJECT_APPS]
    assert {config.label for config in configs} == set(PROJECT_APPS)
    return configs


def _import_choices_modules():
    """Import every ``choices`` module of the project apps (including feature subpackages), so
    that every choices class is defined before the walk."""
    for config in _project_app_configs():
        package = config.module
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if info.name.rsplit(".", 1)[-1].startswith("choices"):
                importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_choice_classes():
    _import_choices_modules()
    roots = tuple(f"{label}." for label in PROJECT_APPS)
    found = {
        cls
        for cls in _subclasses(models.Choices)
        if cls.__module__.startswith(roots) and cls.__members__
    }
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def _project_models():
    for config in _project_app_configs():
        yield from config.get_models()


def test_the_walk_finds_the_project_s_models_and_choices():
    # The walk itself cannot come back empty (the assertions below would then pass vacuously).
    labels = {model._meta.app_label for model in _project_models()}
    assert {"core", "organizations", "members", "stations", "training", "appeals"} <= labels
    modules = {cls.__module__ for cls in _project_choice_classes()}
    assert {
        "core.choices",
        "organizations.choices",
        "members.choices",
        "stations.choices",
        "training.choices",
        "appeals.choices",
        "appeals.assistance.choices",
    } <= modules


def test_every_choice_label_is_translated():
    untranslated = [
        f"{cls.__module__}.{cls.__qualname__}.{member.name}: {member.label!s}"
        for cls in _project_choice_classes()
        for member in cls
        if not _is_translated(member.label)
    ]
    assert not untranslated, "untranslated choice labels:\n" + "\n".join(untranslated)


def test_every_model_and_field_label_is_translated():
    untranslated = []
    for model in _project_models():
        opts = model._meta
        where = f"{opts.app_label}.{model.__name__}"
        for attr in ("verbose_name", "verbose_name_plural"):
            if not _is_translated(getattr(opts, attr)):
                untranslated.append(f"{where} ({attr}): {getattr(opts, attr)!s}")
        for field in opts.get_fields():
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue
            if model.__name__ == "APIKey" and field.name in LIBRARY_FIELDS:
                continue
            if not _is_translated(field.verbose_name):
                untranslated.append(f"{where}.{field.name}: {field.verbose_name!s}")
    assert not untranslated, "untranslated model and field labels:\n" + "\n".join(untranslated)


def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert '<html lang="en"' in page.content.decode()
