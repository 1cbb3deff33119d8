"""A reference to the account that did something (submitted a row, acted in the audit log).

One definition, so every such column behaves alike: optional, kept when the account is
deleted (``SET_NULL``), and no reverse accessor on the user model (``related_name="+"``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def user_reference(verbose_name, **options) -> models.ForeignKey:
    """A nullable foreign key to the user model named ``verbose_name``; ``options`` are the
    field's other options (``editable``, ``help_text``)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )
