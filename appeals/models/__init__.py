"""The appeals models (a package: the assistance models live beside these)."""

from .appeal import *  # noqa: F403
from .assistance import *  # noqa: F403
