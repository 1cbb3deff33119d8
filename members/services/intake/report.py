"""What an intake call reports, and who may call it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SystemActor:
    """The actor of scripts and operators (management commands): city-wide, not a user.

    Only this object bypasses scope checks; a missing actor (``None``) is refused."""

    is_authenticated = False

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return self.label


SYSTEM = SystemActor("system")


@dataclass(frozen=True)
class RowError:
    """One problem with one row: the row number, the row's key, the column and the reason."""

    row: int
    key: str
    field: str
    message: str


@dataclass
class IntakeReport:
    """What one intake call did. ``read`` = created + updated + unchanged + rejected."""

    key_name: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Problems that do not reject the row (e.g. an ID whose region no table lists).
    warnings: list[RowError] = field(default_factory=list)
    #: (row number, key, "created" | "updated" | "unchanged") for each written row.
    row_actions: list[tuple[int, str, str]] = field(default_factory=list)
    job_id: int | None = None

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        """The report as the API returns it (no personal data in it)."""

        def rows(items: list[RowError]) -> list[dict[str, Any]]:
            return [
                {"row": e.row, self.key_name: e.key, "field": e.field, "message": e.message}
                for e in items
            ]

        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": rows(self.errors),
            "warnings": rows(self.warnings),
        }
