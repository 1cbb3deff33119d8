"""Default callables of model fields.

Migrations reference these by import path, so their names and this module's path stay fixed
while the apps that use them move code around (a migration must never import live app code).
"""

import secrets

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty

#: Capital letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def this_year() -> int:
    """The current year in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate().year


def short_code() -> str:
    """A six-character code without look-alike characters (e.g. a session's check-in code)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class _PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up when first used and again after the setting changes
    (a field keeps the object its storage callable returned at import)."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


PRIVATE_STORAGE = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        PRIVATE_STORAGE._wrapped = empty


def private_storage():
    """The storage of private uploads (``STORAGES["private"]``: ``PRIVATE_MEDIA_ROOT``, outside
    the static and public media paths, never served by URL): files go out only through a
    scoped view."""
    return PRIVATE_STORAGE
