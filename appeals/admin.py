from .admin_assistance import *  # noqa: F403
