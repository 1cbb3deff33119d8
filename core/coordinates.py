"""A point's coordinates as two model fields: WGS-84 degrees, each checked against its range.

One definition, so every place on the map (stations, appeals, grid tasks, job fairs) refuses a
latitude beyond ±90° or a longitude beyond ±180° with the same field-level message.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def latitude_field(verbose_name, **options) -> models.FloatField:
    """A latitude in degrees (−90 to 90); ``options`` are the field's other options."""
    return models.FloatField(
        verbose_name, validators=[MinValueValidator(-90), MaxValueValidator(90)], **options
    )


def longitude_field(verbose_name, **options) -> models.FloatField:
    """A longitude in degrees (−180 to 180); ``options`` are the field's other options."""
    return models.FloatField(
        verbose_name, validators=[MinValueValidator(-180), MaxValueValidator(180)], **options
    )
