"""zh-hans is the default and complete: every label our models and choices show is translated."""

import inspect

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core import choices as core_choices
from organizations import choices as organization_choices

OUR_APPS = ("core", "organizations", "members", "stations", "coverage", "training", "appeals")
# Fields the API-key library defines (and translates, or not) itself.
LIBRARY_FIELDS = {"name", "hashed_key", "prefix", "revoked", "expiry_date", "created"}


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _choice_classes():
    for module in (core_choices, organization_choices):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, models.TextChoices) and cls is not models.TextChoices:
                yield cls


@pytest.mark.parametrize("choices", list(_choice_classes()), ids=lambda c: c.__name__)
def test_every_choice_label_is_translated(choices):
    with translation.override("zh-hans"):
        untranslated = [str(label) for label in choices.labels if not _has_cjk(str(label))]
    assert untranslated == []


def test_every_model_and_field_label_is_translated():
    untranslated = []
    with translation.override("zh-hans"):
        for app_label in OUR_APPS:
            for model in apps.get_app_config(app_label).get_models():
                opts = model._meta
                for text in (opts.verbose_name, opts.verbose_name_plural):
                    if not _has_cjk(str(text)):
                        untranslated.append(f"{model.__name__}: {text}")
                for field in opts.get_fields():
                    if field.auto_created or not hasattr(field, "verbose_name"):
                        continue
                    if field.name == "id" or (
                        model.__name__ == "APIKey" and field.name in LIBRARY_FIELDS
                    ):
                        continue
                    if not _has_cjk(str(field.verbose_name)):
                        untranslated.append(f"{model.__name__}.{field.name}: {field.verbose_name}")
    assert untranslated == []


def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert '<html lang="en"' in page.content.decode()
