"""Default callables of model fields.

Migrations reference these by import path, so their names and this module's path stay fixed
while the apps that use them move code around (a migration must never import live app code).
"""

import secrets

from django.utils import timezone

#: Capital letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def this_year() -> int:
    """The current year in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate().year


def short_code() -> str:
    """A six-character code without look-alike characters (e.g. a session's check-in code)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
