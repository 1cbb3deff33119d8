from .assistance import *  # noqa: F403
