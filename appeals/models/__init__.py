"""The appeals models (a package: the assistance models live beside these)."""

from .appeal import *  # noqa: F403
